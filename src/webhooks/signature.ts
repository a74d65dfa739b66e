import { createHmac, timingSafeEqual } from 'node:crypto'
import type { SignatureFormat } from './webhook-config.js'

/**
 * `X-Signature` of a webhook POST (docs/contract.md D25): HMAC-SHA1 with the webhook's
 * `app_secret` over the exact bytes of the body sent, written as lower-case hex (default),
 * `sha1=` + hex, or base64. Sign the bytes, never a re-serialised object: one space of
 * difference is another signature.
 */

export const SIGNATURE_HEADER = 'x-signature'

export function signWebhookBody(body: Uint8Array | string, secret: string, format: SignatureFormat): string {
  const mac = createHmac('sha1', secret).update(body)
  if (format === 'base64') return mac.digest('base64')
  const hex = mac.digest('hex')
  return format === 'sha1=hex' ? `sha1=${hex}` : hex
}

export type SignatureCheck =
  | { readonly ok: true; readonly format: SignatureFormat }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'mismatch'; readonly detail: string }

/** Which format a header value is written in, or undefined when it is none of the three. */
export function signatureFormatOf(value: string): SignatureFormat | undefined {
  if (/^sha1=[0-9a-f]{40}$/.test(value)) return 'sha1=hex'
  if (/^[0-9a-f]{40}$/.test(value)) return 'hex'
  if (/^[A-Za-z0-9+/]{27}=$/.test(value)) return 'base64'
  return undefined
}

/**
 * Checks a received `X-Signature` against the body with `secret`, whichever of the three
 * formats it is written in; the comparison takes the same time wherever the two differ.
 */
export function verifyWebhookSignature(
  body: Uint8Array | string,
  header: string | undefined,
  secret: string,
): SignatureCheck {
  if (header === undefined || header === '') {
    return { ok: false, reason: 'missing', detail: 'no X-Signature header' }
  }
  const value = header.trim()
  const format = signatureFormatOf(value)
  if (format === undefined) {
    return {
      ok: false,
      reason: 'malformed',
      detail: 'X-Signature is not a HMAC-SHA1 in hex (40 characters), sha1=<hex> or base64 (28 characters)',
    }
  }
  const expected = Buffer.from(signWebhookBody(body, secret, format), 'latin1')
  const received = Buffer.from(value, 'latin1')
  if (expected.length === received.length && timingSafeEqual(expected, received)) return { ok: true, format }
  return {
    ok: false,
    reason: 'mismatch',
    detail: `X-Signature (${format}) is not the HMAC-SHA1 of the body with this secret: a different secret, or bytes changed after signing`,
  }
}
