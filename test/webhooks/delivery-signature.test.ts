import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { verifyWebhookSignature } from '../../src/webhooks/signature.js'
import { SIGNATURE_FORMATS, type SignatureFormat } from '../../src/webhooks/webhook-config.js'
import {
  delivery,
  echo,
  startReceiver,
  TEST_SECRET,
  testDispatcher,
  testWebhook,
  userMessage,
  type Received,
} from './listening-receiver.js'

/**
 * X-Signature as a receiver sees it: the HMAC-SHA1 of the exact bytes it received, checked by an
 * independent implementation (openssl in a child process), in each of the three formats (D25).
 */

function opensslHmacSha1(secret: string, body: Buffer): Buffer {
  return execFileSync('openssl', ['dgst', '-sha1', '-hmac', secret, '-binary'], { input: body })
}

function expectedHeader(format: SignatureFormat, digest: Buffer): string {
  if (format === 'base64') return digest.toString('base64')
  return format === 'sha1=hex' ? `sha1=${digest.toString('hex')}` : digest.toString('hex')
}

async function oneDelivery(format: SignatureFormat): Promise<Received> {
  const receiver = await startReceiver()
  const { dispatcher } = testDispatcher(testWebhook(receiver.url, { signature: format }))
  dispatcher.enqueue(echo('messageId-92'))
  dispatcher.enqueue(delivery('messageId-92'))
  dispatcher.enqueue(userMessage('messageId-92', '[messageId-92]:Onayla — çok güzel ✓'))
  const [request] = await receiver.waitFor(1)
  return request as Received
}

describe('X-Signature of a delivered webhook', () => {
  it.each(SIGNATURE_FORMATS)('%s: openssl over the bytes received gives the header', async (format) => {
    const request = await oneDelivery(format)
    const header = request.headers['x-signature']
    expect(header).toBe(expectedHeader(format, opensslHmacSha1(TEST_SECRET, request.body)))
    expect(verifyWebhookSignature(request.body, header as string, TEST_SECRET)).toEqual({ ok: true, format })
    // One POST, three entries, the documented envelope.
    expect(request.json.object).toBe('dialog')
    expect(request.json.entry).toHaveLength(3)
  })

  it('default (hex) is 40 lower-case hex characters, no prefix', async () => {
    const request = await oneDelivery('hex')
    expect(request.headers['x-signature']).toMatch(/^[0-9a-f]{40}$/)
  })

  it('re-serialised JSON does not verify: a receiver must check the raw bytes (octokit regression)', async () => {
    const request = await oneDelivery('hex')
    const header = request.headers['x-signature'] as string
    const parsed: unknown = JSON.parse(request.body.toString('utf8'))
    // What frameworks commonly hand a handler instead of the bytes: indented, or ASCII-escaped.
    const indented = Buffer.from(JSON.stringify(parsed, null, 2))
    const asciiEscaped = Buffer.from(
      JSON.stringify(parsed).replace(
        /[\u0080-\uffff]/g,
        (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
    )
    for (const reserialised of [indented, asciiEscaped]) {
      expect(reserialised.equals(request.body)).toBe(false)
      expect(JSON.parse(reserialised.toString('utf8'))).toEqual(parsed)
      expect(verifyWebhookSignature(reserialised, header, TEST_SECRET)).toMatchObject({
        ok: false,
        reason: 'mismatch',
      })
      expect(opensslHmacSha1(TEST_SECRET, reserialised).toString('hex')).not.toBe(header)
    }
    expect(verifyWebhookSignature(request.body, header, TEST_SECRET).ok).toBe(true)
  })

  it('a wrong secret does not verify', async () => {
    const request = await oneDelivery('base64')
    expect(
      verifyWebhookSignature(request.body, request.headers['x-signature'] as string, `${TEST_SECRET}x`),
    ).toMatchObject({ ok: false, reason: 'mismatch' })
  })
})
