import { afterAll, beforeAll, expect, it } from 'vitest'
import { startMock, startWebhookReceiver, type RunningMock, type WebhookReceiver } from '../../src/testing.js'

/**
 * What a client team's own test suite does: the test helper's webhook receiver and mock, a send
 * over HTTP as their bot client would make it, then awaiting the `delivery` and `reads` of that
 * messageId, each with a verified signature.
 */

const SECRET = 'client-team-app-secret'
const TOKEN = 'client-team-bot-token-0123'
let hooks: WebhookReceiver
let mock: RunningMock

beforeAll(async () => {
  hooks = await startWebhookReceiver({ secret: SECRET })
  mock = await startMock({
    env: {
      DLG_BOTS: `kredi_bot:${TOKEN}`,
      DLG_WEBHOOK_URL: hooks.url,
      DLG_WEBHOOK_SECRET: SECRET,
      DLG_WEBHOOK_ID: 'OTP',
      DLG_WEBHOOK_BATCH_WAIT_MS: '0',
      DLG_SIM_DELIVERY_MS: '50',
      DLG_SIM_READ_MS: '100',
    },
  })
})
afterAll(async () => {
  await mock.stop()
  await hooks.stop()
})

it('a sent message is echoed, delivered and read, each event signed, in that order', async () => {
  const response = await fetch(`${mock.url}/v1/bots/sendmessage/${TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      recipient: { appCustomerId: '1231232' },
      message: {
        messageId: 'client-1',
        text: 'Hesabınıza giriş yapıldı',
        quickReplies: [],
        quickRepliesV2: [],
      },
    }),
  })
  expect(response.status).toBe(200)
  expect(await response.json()).toEqual({ recipient_id: '2074022437', message_id: 'client-1' })

  const [delivery] = await hooks.waitFor({ type: 'delivery', mid: 'client-1', verified: true })
  const [read] = await hooks.waitFor({ type: 'reads', mid: 'client-1', verified: true })
  const [echo] = await hooks.waitFor({ type: 'messageEcho', mid: 'client-1' })
  expect(echo?.entryId).toBe('OTP')
  expect(echo?.index).toBeLessThan(delivery?.index ?? -1)
  expect(delivery?.index).toBeLessThan(read?.index ?? -1)
  expect(read?.event).toMatchObject({ recipient: { appCustomerId: '1231232', id: '2074022437' } })

  // The admin API saw the same: each attempt journaled, the batches delivered.
  const state = await mock.admin.webhooks()
  expect(state.totals.eventsDelivered).toBe(3)
  const outgoing = await mock.admin.requests({ direction: 'out' })
  expect(outgoing.map((entry) => entry.webhook?.outcome)).toEqual(['delivered', 'delivered', 'delivered'])
})
