import { createServer, type IncomingMessage, type Server } from 'node:http'
import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO_BOT_TOKEN } from '../../src/messaging/bots.js'
import { verifyWebhookSignature } from '../../src/webhooks/signature.js'
import { killServerProcesses, startServerProcess } from '../helpers/server-process.js'

afterEach(killServerProcesses)

const SECRET = 'webhook-drain-test-secret'

interface Received {
  readonly body: string
  readonly signature: string | undefined
}

/** A real webhook receiver on a free loopback port, answering 200 to every POST. */
async function receiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = []
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: request.headers['x-signature'] as string,
      })
      response.end('ok')
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return { server, url: `http://127.0.0.1:${port}/hook`, received }
}

const send = (baseUrl: string, messageId: string) =>
  fetch(`${baseUrl}/v1/bots/sendmessage/${DEMO_BOT_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      recipient: { appCustomerId: '1231232' },
      message: { messageId, text: 'Merhaba', quickReplies: [], quickRepliesV2: [] },
    }),
  })

/**
 * D49: on SIGTERM the simulation stops and the webhook queues drain within the grace period. The
 * batch wait is a minute and the batch holds up to 100 events, so nothing would go out on its own
 * before the process ends: the echoes arrive only because the stop sends them.
 */
describe('SIGTERM with webhook events waiting', () => {
  it('sends every queued event, signed, before the process exits 0', async () => {
    const hook = await receiver()
    try {
      const server = startServerProcess({
        DLG_WEBHOOK_URL: hook.url,
        DLG_WEBHOOK_SECRET: SECRET,
        DLG_WEBHOOK_BATCH_WAIT_MS: '60000',
        DLG_WEBHOOK_BATCH_MAX: '100',
        DLG_SIM_DELIVERY_MS: '600000',
      })
      await server.ready
      const ids = Array.from({ length: 25 }, (_, i) => `drain-${i}`)
      for (const id of ids) expect((await send(server.baseUrl, id)).status).toBe(200)
      expect(hook.received).toEqual([])
      const signalled = performance.now()
      server.child.kill('SIGTERM')
      expect(await server.exited).toBe(0)
      expect(performance.now() - signalled).toBeLessThan(10_000)

      expect(hook.received).toHaveLength(1)
      const [delivery] = hook.received
      expect(verifyWebhookSignature(delivery?.body ?? '', delivery?.signature, SECRET)).toEqual({
        ok: true,
        format: 'hex',
      })
      const body = JSON.parse(delivery?.body ?? '{}') as {
        entry: { messaging: [{ messageEcho?: { mid: string } }] }[]
      }
      expect(body.entry.map((entry) => entry.messaging[0].messageEcho?.mid)).toEqual(ids)
      expect(server.stdout()).toContain('webhook events delivered before stopping')
    } finally {
      hook.server.close()
    }
  })
})
