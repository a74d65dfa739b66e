import { createHmac } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEMO_BOT_TOKEN } from '../../src/messaging/bots.js'
import type { MessagingEvent, WebhookBody } from '../../src/webhooks/events.js'
import { eventKeyOf } from '../../src/webhooks/events.js'
import { verifyWebhookSignature } from '../../src/webhooks/signature.js'
import { DOCS_NOW, testApp } from '../helpers/app.js'

/**
 * The Messaging API through the whole app: a send goes through the simulated users to a real
 * webhook receiver, and the admin API's clock drives the simulation (D28, D50–D52): frozen, only
 * what became due when it is moved arrives.
 */

const ADMIN = 'bots-simulation-admin-token'
const SECRET = 'bots-simulation-secret'

let hook: Server
let hookUrl = ''
const events: MessagingEvent[] = []
const signatures: boolean[] = []

beforeAll(async () => {
  hook = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const raw = Buffer.concat(chunks)
      signatures.push(verifyWebhookSignature(raw, request.headers['x-signature'] as string, SECRET).ok)
      const body = JSON.parse(raw.toString('utf8')) as WebhookBody
      for (const entry of body.entry) events.push(entry.messaging[0])
      response.end()
    })
  })
  hook.listen(0, '127.0.0.1')
  await once(hook, 'listening')
  const address = hook.address()
  hookUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`
})
afterAll(() => hook.close())
beforeEach(() => {
  events.length = 0
  signatures.length = 0
})

function app() {
  const built = testApp({
    env: {
      DLG_ADMIN_TOKEN: ADMIN,
      DLG_WEBHOOK_URL: hookUrl,
      DLG_WEBHOOK_SECRET: SECRET,
      DLG_WEBHOOK_BATCH_WAIT_MS: '0',
    },
  }).app
  const admin = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const response = await built.inject({
      method,
      url: `/__admin${url}`,
      headers: { authorization: `Bearer ${ADMIN}` },
      ...(payload === undefined ? {} : { payload }),
    })
    return {
      status: response.statusCode,
      body: (String(response.headers['content-type']).startsWith('application/json')
        ? response.json()
        : {}) as Record<string, unknown>,
      text: response.body,
    }
  }
  const send = (recipient: object, message: object) =>
    built.inject({
      method: 'POST',
      url: `/v1/bots/sendmessage/${DEMO_BOT_TOKEN}`,
      payload: { recipient, message: { quickReplies: [], quickRepliesV2: [], ...message } },
    })
  return { app: built, admin, send }
}

/** Waits until `count` events have arrived, then a little longer to see that no more come. */
async function arrived(count: number, settleMs = 150): Promise<string[]> {
  const start = performance.now()
  while (events.length < count && performance.now() - start < 5000) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  await new Promise((resolve) => setTimeout(resolve, settleMs))
  return events.map((event) => eventKeyOf(event))
}

describe('a sent message, with the clock frozen', () => {
  it('echo at once; delivery exactly at +300 ms; reads at +2300 ms; each signed', async () => {
    const { app: mock, admin, send } = app()
    await admin('POST', '/clock/freeze', { at: DOCS_NOW })
    const sent = await send({ appCustomerId: '1231232' }, { messageId: 'sim-1', text: 'Merhaba' })
    expect(sent.json()).toEqual({ recipient_id: '2074022437', message_id: 'sim-1' })
    expect(await arrived(1)).toEqual(['messageEcho'])
    expect(events[0]).toEqual({
      sender: { id: expect.stringMatching(/^\d+$/) },
      recipient: { appCustomerId: '1231232', id: '2074022437' },
      timestamp: DOCS_NOW,
      messageEcho: { app_id: Number((events[0]?.sender as { id: string }).id), is_echo: true, mid: 'sim-1' },
    })
    await admin('POST', '/clock/advance', { seconds: 0.299 })
    expect(await arrived(1)).toEqual(['messageEcho'])
    await admin('POST', '/clock/advance', { seconds: 0.001 })
    expect(await arrived(2)).toEqual(['messageEcho', 'delivery'])
    expect(events[1]).toMatchObject({ delivery: { mids: ['sim-1'], watermark: DOCS_NOW + 300 } })
    await admin('POST', '/clock/advance', { seconds: 1.999 })
    expect(await arrived(2)).toEqual(['messageEcho', 'delivery'])
    await admin('POST', '/clock/advance', { seconds: 0.001 })
    expect(await arrived(3)).toEqual(['messageEcho', 'delivery', 'reads'])
    expect(events[2]).toMatchObject({ reads: { mids: ['sim-1'], watermark: DOCS_NOW + 2300 } })
    expect(signatures).toEqual([true, true, true])
    // The journal has every attempt, never the secret.
    const journal = await admin('GET', '/requests?direction=out')
    expect(journal.body['requests']).toHaveLength(3)
    expect(journal.text).not.toContain(SECRET)
    await mock.close()
  })

  it('an offline user gets nothing however far the clock moves, then everything when online', async () => {
    const { app: mock, admin, send } = app()
    await admin('POST', '/clock/freeze', { at: DOCS_NOW })
    // Customer 70022 is offline in the default fixtures.
    await send({ appCustomerId: '70022' }, { messageId: 'off-1', text: 'Bir' })
    await send({ appCustomerId: '70022' }, { messageId: 'off-2', text: 'İki' })
    await admin('POST', '/clock/advance', { seconds: 3600 })
    expect(await arrived(2)).toEqual(['messageEcho', 'messageEcho'])
    const online = await admin('PUT', '/simulation/users/customer:70022', { presence: 'online' })
    expect(online.status).toBe(200)
    expect(await arrived(3)).toEqual(['messageEcho', 'messageEcho', 'delivery'])
    expect(events[2]).toMatchObject({ delivery: { mids: ['off-1', 'off-2'] } })
    await mock.close()
  })

  it('a reply, a quick-reply press and an OTP approval are Messages events', async () => {
    const { app: mock, admin, send } = app()
    await admin('POST', '/clock/freeze', { at: DOCS_NOW })
    await send(
      { appCustomerId: '1231232' },
      {
        messageId: 'ask-1',
        text: 'Devam edelim mi?',
        quickRepliesV2: [
          { contentType: 'text', title: 'Evet', payload: 'YES' },
          { contentType: 'text', title: 'Hayır', payload: 'NO', payloadHidden: true },
        ],
      },
    )
    expect(await arrived(1)).toEqual(['messageEcho'])
    const reply = await admin('POST', '/simulation/reply', { messageId: 'ask-1', text: 'Bir sorum var' })
    expect(reply.status).toBe(200)
    // A user only answers what they saw: delivered and read first.
    expect(await arrived(4)).toEqual(['messageEcho', 'delivery', 'reads', 'message'])
    expect(events[3]).toMatchObject({ message: { mid: 'ask-1', text: 'Bir sorum var' } })

    await admin('POST', '/simulation/press', { messageId: 'ask-1', button: 'Evet' })
    await admin('POST', '/simulation/press', { messageId: 'ask-1', button: 'Hayır' })
    await arrived(6)
    expect(events[4]).toMatchObject({ message: { mid: 'ask-1', text: '[ask-1]:YES' } })
    // payloadHidden: the payload signed with the demo bot's payload key, its token (D45).
    const hidden = createHmac('sha256', DEMO_BOT_TOKEN).update('NO').digest('hex')
    expect(events[5]).toMatchObject({ message: { mid: 'ask-1', text: `[ask-1]:${hidden}` } })

    const otp = await mock.inject({
      method: 'POST',
      url: `/v1/bots/sendmok/${DEMO_BOT_TOKEN}`,
      payload: {
        customerNo: '123456789',
        messageId: 'otp-1',
        mokMessage: 'Tek kullanımlık şifreniz 123456',
        buttonsV2: [
          { type: 'postback', title: 'Onayla', payload: '123456' },
          { type: 'postback', title: 'Reddet', payload: 'cancelled' },
        ],
      },
    })
    expect(otp.statusCode).toBe(200)
    expect((await admin('POST', '/simulation/otp', { messageId: 'otp-1', action: 'approve' })).status).toBe(
      200,
    )
    await arrived(10)
    expect(events.slice(6).map((event) => eventKeyOf(event))).toEqual([
      'messageEcho',
      'delivery',
      'reads',
      'message',
    ])
    expect(events[9]).toMatchObject({
      recipient: { appCustomerId: '123456789' },
      message: { mid: 'otp-1', text: '[otp-1]:123456' },
    })
    // Asking for what is not there says so.
    const missing = await admin('POST', '/simulation/otp', { messageId: 'no-such', action: 'approve' })
    expect(missing.status).toBe(404)
    await mock.close()
  })

  it('the conversation is listed, and its link opens a page of it', async () => {
    const { app: mock, admin, send } = app()
    await send({ appCustomerId: '1231232' }, { messageId: 'page-1', text: 'Sayfada görünür' })
    const listed = await admin('GET', '/bots/demo_bot/conversations')
    expect(listed.body['conversations']).toEqual([
      expect.objectContaining({ recipient: expect.objectContaining({ id: '1231232' }), messages: 1 }),
    ])
    const minted = await admin('POST', '/bots/demo_bot/links', { user: 'customer:1231232' })
    expect(minted.status).toBe(201)
    const link = new URL(String(minted.body['link']))
    const page = await mock.inject({ method: 'GET', url: `${link.pathname}${link.search}` })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Sayfada görünür')
    expect((await admin('POST', '/bots/no_such_bot/links', { user: 'customer:1231232' })).status).toBe(404)
    expect((await admin('POST', '/bots/demo_bot/links', { user: 'customer:no-such' })).status).toBe(404)
    await mock.close()
  })
})
