import { Writable } from 'node:stream'
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { bot, createBotRegistry, DEMO_BOT, type Bot, type BotRegistry } from '../../../src/messaging/bots.js'
import { MAX_FILE_BYTES } from '../../../src/messaging/document.js'
import type { OutgoingMessage, RecipientQuery } from '../../../src/messaging/message-content.js'
import type { MessagingService, SendResult } from '../../../src/messaging/messaging-service.js'
import { botPath } from '../../../src/routes/bot-route.js'
import { botsApi } from '../../../src/routes/bots-api.js'
import { SEND_MESSAGE } from '../../../src/routes/bots/sendmessage.js'
import { SEND_MOK } from '../../../src/routes/bots/sendmok.js'

/**
 * The `/v1/bots` scope over HTTP (`app.inject`), on a bare Fastify with a fake MessagingService:
 * the documented answers (D22), their order, the 404 hints, and that no answer quotes a token.
 */

const DEAD_BOT = bot({ name: 'dead_bot', token: 'dead-bot-token-0123456789abcdef', alive: false })
const NOW = 1_700_000_000_000
const LIMIT = 8 * 1024 * 1024
/** The fake's users: customer 1231232 and staff 45186; anyone else is not found. */
const USERS: Readonly<Record<string, string>> = {
  'customer:1231232': '2074022437',
  'staff:45186': '243540663',
}

interface Sent {
  readonly bot: Bot
  readonly recipient: RecipientQuery
  readonly message: OutgoingMessage
  readonly nowMs: number
}

function fakeMessaging(): MessagingService & { readonly sent: Sent[] } {
  const sent: Sent[] = []
  return {
    sent,
    send(bot, recipient, message, nowMs): SendResult {
      const key =
        'appCustomerId' in recipient
          ? `customer:${recipient.appCustomerId}`
          : 'appStaffId' in recipient
            ? `staff:${recipient.appStaffId}`
            : `id:${recipient.id}`
      const recipientId = USERS[key]
      if (recipientId === undefined) return { ok: false, reason: 'recipient-not-found' }
      sent.push({ bot, recipient, message, nowMs })
      return { ok: true, recipientId, messageId: message.messageId ?? '-7523925115459309081' }
    },
  }
}

interface TestApi {
  readonly app: FastifyInstance
  readonly messaging: ReturnType<typeof fakeMessaging>
  readonly logs: string[]
  setBots(bots: readonly Bot[]): void
  send(
    token: string,
    body: unknown,
    options?: { url?: string; contentType?: string | null },
  ): Promise<LightMyRequestResponse>
}

async function testApi(options: { bodyLimit?: number; messaging?: MessagingService } = {}): Promise<TestApi> {
  const logs: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk))
      done()
    },
  })
  // The app's own access log (not this scope's) writes URLs; this test looks at what the scope logs.
  const app = Fastify({ logger: { level: 'trace', stream }, disableRequestLogging: true })
  const messaging = fakeMessaging()
  let registry: BotRegistry = createBotRegistry([DEMO_BOT, DEAD_BOT])
  await app.register(botsApi, {
    prefix: '/v1/bots',
    bots: () => registry,
    messaging: options.messaging ?? messaging,
    clock: { now: () => NOW },
    bodyLimit: options.bodyLimit ?? LIMIT,
  })
  // Beside the scope: the app's own parsers still hold there.
  app.post('/elsewhere', async (request) => ({ body: request.body }))
  onTestFinished(() => app.close())
  return {
    app,
    messaging,
    logs,
    setBots: (bots) => {
      registry = createBotRegistry(bots)
    },
    send: (token, body, { url, contentType = 'application/json' } = {}) =>
      app.inject({
        method: 'POST',
        url: url ?? botPath(SEND_MESSAGE, token),
        payload: typeof body === 'string' ? body : JSON.stringify(body),
        headers: contentType === null ? {} : { 'content-type': contentType },
      }),
  }
}

const TEXT_BODY = {
  recipient: { appCustomerId: '1231232' },
  message: { messageId: 'messageId-1', text: 'Hello world !', quickReplies: [], quickRepliesV2: [] },
}
const withMessage = (changes: Record<string, unknown>) => ({
  ...TEXT_BODY,
  message: { ...TEXT_BODY.message, ...changes },
})
const TOKEN = DEMO_BOT.token

function expectText(response: LightMyRequestResponse, status: number, body: string): void {
  expect([response.statusCode, response.body]).toEqual([status, body])
  expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
  expect(response.headers['x-content-type-options']).toBe('nosniff')
}

/** Nothing of a response quotes the token. */
function expectNoToken(response: LightMyRequestResponse, token: string): void {
  expect(response.body).not.toContain(token)
  expect(JSON.stringify(response.headers)).not.toContain(token)
}

function zeroBase64(bytes: number): string {
  const rest = bytes % 3
  return 'A'.repeat(Math.floor(bytes / 3) * 4) + (rest === 0 ? '' : rest === 1 ? 'AA==' : 'AAA=')
}

describe('POST /v1/bots/sendmessage/<token>: success', () => {
  it('answers 200 {"recipient_id","message_id"} in that order and hands the message to the service', async () => {
    const api = await testApi()
    const response = await api.send(TOKEN, TEXT_BODY)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(response.body).toBe('{"recipient_id":"2074022437","message_id":"messageId-1"}')
    expect(api.messaging.sent).toEqual([
      {
        bot: DEMO_BOT,
        recipient: { appCustomerId: '1231232' },
        message: {
          messageId: 'messageId-1',
          content: { kind: 'text', text: 'Hello world !' },
          quickReplies: [],
        },
        nowMs: NOW,
      },
    ])
    expect(response.headers['x-dlg-mock-ignored-fields']).toBeUndefined()
  })

  it('answers message_id as the client\u2019s messageId byte for byte, and the service\u2019s id when it sent none', async () => {
    const api = await testApi()
    const id = 'msg-\u00fc\u015f-\u{1F600} "quoted" \\ /'
    const echoed = await api.send(TOKEN, withMessage({ messageId: id }))
    expect(Buffer.from(echoed.json<{ message_id: string }>().message_id, 'utf8')).toEqual(
      Buffer.from(id, 'utf8'),
    )
    const { messageId: _, ...withoutId } = TEXT_BODY.message
    const generated = await api.send(TOKEN, { ...TEXT_BODY, message: withoutId })
    expect(generated.json()).toEqual({ recipient_id: '2074022437', message_id: '-7523925115459309081' })
  })

  it('names ignored fields and writes notes in the mock\u2019s headers, escaped', async () => {
    const api = await testApi()
    const response = await api.send(TOKEN, {
      ...TEXT_BODY,
      zz: 1,
      'm\u00fc\u015fteri': 2,
      message: { ...TEXT_BODY.message, extra: true },
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-dlg-mock-ignored-fields']).toBe('zz, "m\\u00fc\\u015fteri", message.extra')
    const media = await api.send(
      TOKEN,
      withMessage({ text: null, attachment: { type: 'image', payload: { url: 'u' } } }),
    )
    expect(media.statusCode).toBe(200)
    expect(media.headers['x-dlg-mock-notes']).toMatch(
      /^message\.attachment\.payload of an image attachment is not documented/,
    )
  })

  it('serves sendmok with the same answer', async () => {
    const api = await testApi()
    const response = await api.send(
      TOKEN,
      { customerNo: '1231232', messageId: 'messageId-74', mokMessage: 'Your code is 1234', mokValue: '1234' },
      { url: botPath(SEND_MOK, TOKEN) },
    )
    expect(response.body).toBe('{"recipient_id":"2074022437","message_id":"messageId-74"}')
    expect(api.messaging.sent[0]?.message.content).toEqual({
      kind: 'otp',
      mokMessage: 'Your code is 1234',
      mokValue: '1234',
      buttons: [],
    })
  })

  it('asks for the bots on every request, so swapped fixtures hold at once', async () => {
    const api = await testApi()
    api.setBots([DEAD_BOT])
    expectText(await api.send(TOKEN, TEXT_BODY), 503, 'You may be using wrong token.')
    api.setBots([DEMO_BOT])
    expect((await api.send(TOKEN, TEXT_BODY)).statusCode).toBe(200)
  })
})

describe('the documented errors and their order (D22)', () => {
  it('answers a wrong token 503 before reading the body: whatever the body, type or size, nothing is sent', async () => {
    const api = await testApi({ bodyLimit: 1024 })
    const wrong = 'c2dc9bf3e0c3218e9ab22b56002e4645'
    for (const [body, contentType] of [
      [TEXT_BODY, 'application/json'],
      ['{"recipient": ', 'application/json'],
      ['hello', 'text/plain'],
      ['x'.repeat(4096), 'application/json'],
    ] as const) {
      const response = await api.send(wrong, body, { contentType })
      expectText(response, 503, 'You may be using wrong token.')
      expectNoToken(response, wrong)
    }
    // The same too-large body with the right token is 413: the token came first.
    expect((await api.send(TOKEN, 'x'.repeat(4096))).statusCode).toBe(413)
    expect(api.messaging.sent).toEqual([])
  })

  it('answers 400 malformed for bad JSON, an empty body, and a body that breaks a rule, naming the field path', async () => {
    const api = await testApi()
    const badJson = await api.send(TOKEN, '{"recipient": ')
    expect(badJson.statusCode).toBe(400)
    expect(badJson.body).toMatch(/^The request content was malformed: not valid JSON \(/)
    expectText(
      await api.send(TOKEN, ''),
      400,
      'The request content was malformed: the body is empty, expected a JSON object',
    )
    const replies = Array.from({ length: 4 }, (_, i) => ({
      contentType: 'text',
      title: `T${i}`,
      payload: 'p',
    }))
    replies[3] = { contentType: 'text', payload: 'p' } as (typeof replies)[number]
    expectText(
      await api.send(TOKEN, withMessage({ quickRepliesV2: replies })),
      400,
      'The request content was malformed: missing required field message.quickRepliesV2[3].title',
    )
    expect(api.messaging.sent).toEqual([])
  })

  it('answers 400 malformed for JSON nested too deep, a __proto__ key, and quotes the parser escaped', async () => {
    const api = await testApi()
    expectText(
      await api.send(TOKEN, `${'['.repeat(40)}${']'.repeat(40)}`),
      400,
      'The request content was malformed: arrays and objects nest deeper than 32 levels',
    )
    const proto = await api.send(TOKEN, '{"__proto__": {"x": 1}}')
    expect([
      proto.statusCode,
      proto.body.startsWith('The request content was malformed: not valid JSON ('),
    ]).toEqual([400, true])
    const control = await api.send(TOKEN, 'x\u0001yz')
    expect(control.body).toMatch(/\\u0001/)
    expect(control.body).not.toMatch(/\u0001/)
  })

  it('refuses the SendMessage page\u2019s v1 example with the hint, and still names its ignored fields', async () => {
    const api = await testApi()
    const response = await api.send(TOKEN, {
      recipient: { appCustomerId: '1231231' },
      message: {
        text: 'hello world',
        messageId: 'msg-id-123-112233',
        quick_replies: [],
        messaging_type: 'RESPONSE',
      },
    })
    expectText(
      response,
      400,
      'The request content was malformed: field message.quick_replies is the v1 (Facebook-compatible) name: send quickReplies: [] and the quick replies in quickRepliesV2',
    )
    expect(response.headers['x-dlg-mock-ignored-fields']).toBe('message.messaging_type')
  })

  it('answers another Content-Type 415', async () => {
    const api = await testApi()
    expectText(
      await api.send(TOKEN, TEXT_BODY, { contentType: 'text/plain' }),
      415,
      'Unsupported Content-Type "text/plain": the API takes application/json',
    )
    expect(
      (await api.send(TOKEN, TEXT_BODY, { contentType: 'application/json; charset=utf-8' })).statusCode,
    ).toBe(200)
    expect((await api.send(TOKEN, TEXT_BODY, { contentType: null })).statusCode).toBe(415)
  })

  it('answers a bot that is not alive 500 after reading the body, and sends nothing', async () => {
    const api = await testApi()
    expectText(await api.send(DEAD_BOT.token, TEXT_BODY), 500, 'Sender bot is not alive.')
    expect((await api.send(DEAD_BOT.token, withMessage({ text: 7 }))).statusCode).toBe(400)
    expect(api.messaging.sent).toEqual([])
  })

  it('answers an unknown recipient 500 as documented (recepient)', async () => {
    const api = await testApi()
    expectText(
      await api.send(TOKEN, { ...TEXT_BODY, recipient: { appCustomerId: '999' } }),
      500,
      'Not delivered due to recepient not found.',
    )
    expect((await api.send(TOKEN, { ...TEXT_BODY, recipient: { appStaffId: '45186' } })).json()).toEqual({
      recipient_id: '243540663',
      message_id: 'messageId-1',
    })
  })

  it('answers a service failure a plain 500 that says nothing of the request, and logs no token', async () => {
    const api = await testApi({
      messaging: {
        send: () => {
          throw new Error('store unavailable')
        },
      },
    })
    expectText(await api.send(TOKEN, TEXT_BODY), 500, 'Internal server error')
    expect(api.logs.join('')).toMatch(/store unavailable/)
    expect(api.logs.join('')).not.toContain(TOKEN)
  })
})

describe('the Document Message rows over HTTP', () => {
  const documentBody = (fileData: string, extra: Record<string, unknown> = {}) => ({
    recipient: { appCustomerId: '1231232' },
    message: {
      messageId: 'doc-1',
      document: { fileName: 'big.bin', fileData, ...extra },
      quickReplies: [],
      quickRepliesV2: [],
    },
  })

  it('answers a file of 5 MiB + 1 byte (decoded) 400 Exceeded max file size of 5MB, and sends 5 MiB', async () => {
    const api = await testApi()
    expectText(
      await api.send(TOKEN, documentBody(zeroBase64(MAX_FILE_BYTES + 1))),
      400,
      'Exceeded max file size of 5MB',
    )
    const justUnder = await api.send(TOKEN, documentBody(zeroBase64(MAX_FILE_BYTES)))
    expect(justUnder.statusCode).toBe(200)
    expect(api.messaging.sent.map((sent) => sent.message.content)).toEqual([
      { kind: 'document', fileName: 'big.bin', size: MAX_FILE_BYTES, shownAs: 'document' },
    ])
  })

  it('answers the other rows, the reason in x-dlg-mock-notes', async () => {
    const api = await testApi()
    expectText(await api.send(TOKEN, documentBody('')), 400, 'File data bytes is empty')
    const invalid = await api.send(TOKEN, documentBody('AAAA\nAAAA'))
    expectText(invalid, 400, 'File data bytes not valid')
    expect(invalid.headers['x-dlg-mock-notes']).toBe(
      'fileData has a line break at character 5: send base64 on one line (no MIME line wrapping)',
    )
    expectText(
      await api.send(TOKEN, documentBody('JVBERi0xLjcKJYGBgYEKCg==', { photo: { width: 1, height: 1 } })),
      400,
      'File as photo cannot be parsed due to it is not a image file.',
    )
  })

  it('answers a body over the scope\u2019s limit 413, naming the limit', async () => {
    const api = await testApi({ bodyLimit: 4096 })
    expectText(
      await api.send(TOKEN, documentBody(zeroBase64(4096))),
      413,
      `Request body too large: the Messaging API takes at most 4096 bytes (a document's file at most ${MAX_FILE_BYTES} bytes, decoded)`,
    )
  })
})

describe('paths no route takes', () => {
  it('tells the doubled prefix of the SendMessage page\u2019s Request URI box to use /v1/bots/sendmessage/<token>', async () => {
    const api = await testApi()
    const response = await api.send(TOKEN, TEXT_BODY, { url: `/v1/bots/v1/bots/sendmessage/${TOKEN}` })
    expectText(
      response,
      404,
      "The path repeats /v1/bots (as the SendMessage page's Request URI box does, a copy error): send to /v1/bots/sendmessage/<token>",
    )
    expectNoToken(response, TOKEN)
    expect(api.messaging.sent).toEqual([])
  })

  it('names the APIs it serves for an unknown name, and says paths are case-sensitive', async () => {
    const api = await testApi()
    const unknown = await api.send(TOKEN, TEXT_BODY, { url: `/v1/bots/sendmsg/${TOKEN}` })
    expectText(
      unknown,
      404,
      'No such Messaging API. The mock serves POST /v1/bots/sendmessage/<token> and POST /v1/bots/sendmok/<token>',
    )
    expectText(
      await api.send(TOKEN, TEXT_BODY, { url: `/v1/bots/SendMessage/${TOKEN}` }),
      404,
      'No such Messaging API (paths are case-sensitive): send to /v1/bots/sendmessage/<token>',
    )
    // The token where the API name goes is not quoted back either.
    expectNoToken(await api.send(TOKEN, TEXT_BODY, { url: `/v1/bots/${TOKEN}` }), TOKEN)
  })

  it('answers a path without a token 404, saying where the token goes', async () => {
    const api = await testApi()
    const text =
      "POST /v1/bots/sendmessage needs the bot's access token as its last path segment: /v1/bots/sendmessage/<token>"
    expectText(await api.send(TOKEN, TEXT_BODY, { url: '/v1/bots/sendmessage' }), 404, text)
    expectText(await api.send(TOKEN, TEXT_BODY, { url: '/v1/bots/sendmessage/' }), 404, text)
    expectText(
      await api.send(TOKEN, TEXT_BODY, { url: '/v1/bots/sendmok' }),
      404,
      "POST /v1/bots/sendmok needs the bot's access token as its last path segment: /v1/bots/sendmok/<token>",
    )
  })

  it('says the token is the last segment, and that the API takes POST only, without quoting the path', async () => {
    const api = await testApi()
    const after = await api.send(TOKEN, TEXT_BODY, { url: `/v1/bots/sendmessage/${TOKEN}/extra` })
    expectText(
      after,
      404,
      "The bot's access token is the last path segment of /v1/bots/sendmessage/<token>: nothing follows it",
    )
    const get = await api.app.inject({ method: 'GET', url: botPath(SEND_MESSAGE, TOKEN) })
    expectText(get, 404, '/v1/bots/sendmessage/<token> takes POST only (got "GET")')
    expectNoToken(get, TOKEN)
    expectText(
      await api.app.inject({ method: 'POST', url: '/v1/bots' }),
      404,
      'No such Messaging API. The mock serves POST /v1/bots/sendmessage/<token> and POST /v1/bots/sendmok/<token>',
    )
  })
})

describe('the scope', () => {
  it('keeps its parser and validator to itself', async () => {
    const api = await testApi()
    const json = await api.app.inject({ method: 'POST', url: '/elsewhere', payload: { a: 1 } })
    expect(json.json()).toEqual({ body: { a: 1 } })
    const text = await api.app.inject({
      method: 'POST',
      url: '/elsewhere',
      payload: 'x',
      headers: { 'content-type': 'text/plain' },
    })
    expect(text.json()).toEqual({ body: 'x' })
  })

  it('logs no token on any answer', async () => {
    const api = await testApi()
    await api.send(TOKEN, TEXT_BODY)
    await api.send(TOKEN, '{bad')
    await api.send(DEAD_BOT.token, TEXT_BODY)
    await api.send(TOKEN, TEXT_BODY, { url: `/v1/bots/v1/bots/sendmessage/${TOKEN}` })
    const logged = api.logs.join('')
    expect(logged).not.toContain(TOKEN)
    expect(logged).not.toContain(DEAD_BOT.token)
  })
})
