import { request as httpRequest } from 'node:http'
import { describe, expect, it, onTestFinished } from 'vitest'
import { manualClock } from '../../src/clock.js'
import { encodeEnvelope } from '../../src/webhooks/envelope.js'
import type { MessagingEvent } from '../../src/webhooks/events.js'
import {
  readEnvelope,
  startWebhookReceiver,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from '../../src/webhooks/receiver.js'
import { signWebhookBody } from '../../src/webhooks/signature.js'
import { SIGNATURE_FORMATS } from '../../src/webhooks/webhook-config.js'
import {
  delivery,
  echo,
  reads,
  TEST_SECRET,
  testDispatcher,
  testWebhook,
  userMessage,
} from './listening-receiver.js'

const NOW = 1_700_000_000_000

async function receiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver({ clock: manualClock(NOW), ...options })
  onTestFinished(() => started.stop())
  return started
}

/** The bytes the mock would send for these events. */
function envelope(...events: MessagingEvent[]): Buffer<ArrayBuffer> {
  return encodeEnvelope('OTP', 1560172933001, events).bytes
}

async function post(url: string, body: Buffer<ArrayBuffer> | string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  })
  return { status: response.status, text: await response.text() }
}

/** A POST with a chunked body (no content-length), written in `chunks` pieces. */
function postChunked(url: string, chunk: Buffer, chunks: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } })
    request.on('response', (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    request.on('error', reject)
    let written = 0
    const write = () => {
      while (written < chunks) {
        written += 1
        if (!request.write(chunk)) return void request.once('drain', write)
      }
      request.end()
    }
    write()
  })
}

describe('startWebhookReceiver: deliveries', () => {
  it.each(SIGNATURE_FORMATS)('records a POST signed as %s, verified, with its events', async (format) => {
    const hook = await receiver({ secret: TEST_SECRET })
    expect(hook.url).toBe(`http://127.0.0.1:${hook.port}/`)
    const bytes = envelope(echo('messageId-92'), delivery('messageId-92', 'messageId-93'))
    const answer = await post(hook.url, bytes, { 'x-signature': signWebhookBody(bytes, TEST_SECRET, format) })
    expect(answer).toEqual({ status: 200, text: 'ok' })
    expect(hook.deliveries).toHaveLength(1)
    const [received] = hook.deliveries
    expect(received).toMatchObject({
      index: 0,
      receivedAt: NOW,
      url: '/',
      body: bytes.toString('utf8'),
      parsed: { ok: true, body: JSON.parse(bytes.toString('utf8')) },
      problems: [],
      signature: { ok: true, format },
      status: 200,
    })
    expect(received?.bytes.equals(bytes)).toBe(true)
    expect(received?.headers['content-type']).toBe('application/json')
    expect(hook.events.map((event) => [event.key, event.mids, event.entryId, event.entryTime])).toEqual([
      ['messageEcho', ['messageId-92'], 'OTP', 1560172933001],
      ['delivery', ['messageId-92', 'messageId-93'], 'OTP', 1560172933001],
    ])
    expect(hook.events.every((event) => event.verified === true && event.delivery === received)).toBe(true)
    expect(hook.events[0]?.event).toEqual(echo('messageId-92'))
  })

  it('a wrong secret and a missing header are recorded, answered as respond says, never thrown', async () => {
    const hook = await receiver({
      secret: TEST_SECRET,
      respond: (delivery) => (delivery.signature?.ok === true ? 200 : 401),
    })
    const bytes = envelope(echo('m1'))
    expect(
      (await post(hook.url, bytes, { 'x-signature': signWebhookBody(bytes, 'another', 'hex') })).status,
    ).toBe(401)
    expect((await post(hook.url, bytes)).status).toBe(401)
    expect(hook.deliveries.map((delivery) => [delivery.signature?.ok, delivery.status])).toEqual([
      [false, 401],
      [false, 401],
    ])
    expect(hook.deliveries[0]?.signature).toMatchObject({ ok: false, reason: 'mismatch' })
    expect(hook.deliveries[1]?.signature).toMatchObject({ ok: false, reason: 'missing' })
    // Both still gave their event, unverified.
    expect(hook.events.map((event) => event.verified)).toEqual([false, false])
  })

  it('without a secret, no signature is checked', async () => {
    const hook = await receiver()
    await post(hook.url, envelope(echo('m1')), { 'x-signature': 'whatever' })
    expect(hook.deliveries[0]?.signature).toBeUndefined()
    expect(hook.events[0]?.verified).toBeUndefined()
  })

  it('a body that is not JSON, or not an envelope, is recorded with its problem and gives no event', async () => {
    const hook = await receiver({ secret: TEST_SECRET })
    await post(hook.url, 'not json', { 'x-signature': signWebhookBody('not json', TEST_SECRET, 'hex') })
    await post(hook.url, '{"object":"dialog"}')
    expect(hook.deliveries[0]).toMatchObject({
      body: 'not json',
      parsed: { ok: false, problem: expect.stringMatching(/^not JSON: /) },
      signature: { ok: true, format: 'hex' },
      status: 200,
    })
    expect(hook.deliveries[1]?.parsed).toEqual({
      ok: false,
      problem: 'not a webhook envelope: no "entry" array',
    })
    expect(hook.events).toEqual([])
  })

  it('keeps the good entries of an envelope and says what is wrong with the others', async () => {
    const good = { id: 'OTP', time: 1, messaging: [userMessage('m1', '[m1]:Approve')] }
    const body = JSON.stringify({
      object: 'dialog',
      entry: [
        good,
        { id: 7, time: 1, messaging: [echo('m2')] },
        { id: 'OTP', time: '1', messaging: [echo('m2')] },
        { id: 'OTP', time: 1, messaging: [] },
        { id: 'OTP', time: 1, messaging: [{ something: {} }] },
        { id: 'OTP', time: 1, messaging: [{ delivery: { mids: [1] } }] },
        { id: 'OTP', time: 1, messaging: [{ message: { mid: 'm', text: 3 } }] },
        'entry',
      ],
    })
    const read = readEnvelope(body)
    expect(read.entries.map((entry) => entry.event)).toEqual([good.messaging[0]])
    expect(read.problems).toEqual([
      'entry 1: id is not a string',
      'entry 2: time is not a number',
      'entry 3: messaging is not a non-empty array',
      'entry 4: messaging[0] has none of messageEcho, delivery, reads, message',
      'entry 5: delivery.mids is not an array of strings',
      'entry 6: message.text is not a string',
      'entry 7: not an object',
    ])
    const hook = await receiver()
    await post(hook.url, body)
    expect(hook.deliveries[0]?.problems).toEqual(read.problems)
    expect(hook.events.map((event) => [event.key, event.mids])).toEqual([['message', ['m1']]])
  })

  it('answers 413 to a body over maxBodyBytes, declared or streamed, without keeping it', async () => {
    const hook = await receiver({ secret: TEST_SECRET, maxBodyBytes: 1000 })
    expect((await post(hook.url, Buffer.alloc(1001, 0x61))).status).toBe(413)
    expect(await postChunked(hook.url, Buffer.alloc(300, 0x61), 4)).toBe(413)
    // At the bound exactly: read.
    expect((await post(hook.url, Buffer.alloc(1000, 0x20))).status).toBe(200)
    expect(
      hook.deliveries.map((delivery) => [delivery.status, delivery.refused, delivery.bytes.length]),
    ).toEqual([
      [413, 'too-large', 0],
      [413, 'too-large', 0],
      [200, undefined, 1000],
    ])
    expect(hook.deliveries[0]?.signature).toBeUndefined()
    expect(hook.deliveries[0]?.parsed).toEqual({
      ok: false,
      problem: 'not read: the body is larger than 1000 bytes',
    })
  })

  it('the default bound is 1 MiB', async () => {
    const hook = await receiver()
    expect((await post(hook.url, Buffer.alloc(1024 * 1024 + 1, 0x20))).status).toBe(413)
    expect((await post(hook.url, Buffer.alloc(1024 * 1024, 0x20))).status).toBe(200)
  })

  it('answers 404 on another path (recorded) and 405 to another method (not recorded)', async () => {
    const hook = await receiver({ path: '/hook' })
    expect(hook.url).toBe(`http://127.0.0.1:${hook.port}/hook`)
    expect((await post(`${hook.url}?x=1`, envelope(echo('m1')))).status).toBe(200)
    expect((await post(hook.url.replace('/hook', '/other'), envelope(echo('m2')))).status).toBe(404)
    const get = await fetch(hook.url)
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST'])
    expect(hook.deliveries.map((delivery) => [delivery.url, delivery.status, delivery.refused])).toEqual([
      ['/hook?x=1', 200, undefined],
      ['/other', 404, 'path'],
    ])
    expect(hook.events.map((event) => event.mids[0])).toEqual(['m1'])
  })

  it('respond may be asynchronous; a throw, a rejection or a non-status answers 500', async () => {
    const answers: (() => number | Promise<number>)[] = [
      async () => 503,
      () => {
        throw new Error('boom')
      },
      () => Promise.reject(new Error('boom')),
      () => 42,
      () => 204,
    ]
    const hook = await receiver({ respond: () => (answers.shift() as () => number | Promise<number>)() })
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await post(hook.url, envelope(echo(`m${i}`)))).status)
    expect(statuses).toEqual([503, 500, 500, 500, 204])
    expect(hook.deliveries.map((delivery) => delivery.status)).toEqual(statuses)
  })

  it("records the mock's batch id and attempt, so retries can be told apart", async () => {
    let first = true
    const hook = await receiver({
      secret: TEST_SECRET,
      respond: () => (first ? ((first = false), 500) : 200),
    })
    const { dispatcher } = testDispatcher(testWebhook(hook.url, { signature: 'sha1=hex' }))
    dispatcher.enqueue(echo('messageId-92'))
    const events = await hook.waitFor({ type: 'messageEcho', mid: 'messageId-92', count: 2 })
    expect(events.map((event) => [event.delivery.attempt, event.delivery.status, event.verified])).toEqual([
      [0, 500, true],
      [1, 200, true],
    ])
    expect(events[0]?.delivery.batchId).toBeTypeOf('string')
    expect(events[1]?.delivery.batchId).toBe(events[0]?.delivery.batchId)
    expect(events[0]?.signature).toEqual({ ok: true, format: 'sha1=hex' })
  })

  it('keeps at most maxDeliveries, dropping the oldest with their events', async () => {
    const hook = await receiver({ maxDeliveries: 2 })
    for (const mid of ['m1', 'm2', 'm3']) await post(hook.url, envelope(echo(mid), delivery(mid)))
    expect(hook.deliveries.map((delivery) => delivery.index)).toEqual([1, 2])
    expect(hook.events.map((event) => `${event.index}:${event.mids[0]}`)).toEqual([
      '2:m2',
      '3:m2',
      '4:m3',
      '5:m3',
    ])
  })

  it('listens on a host given, and refuses a path without /', async () => {
    await expect(startWebhookReceiver({ path: 'hook' })).rejects.toThrow('path must start with "/"')
    const hook = await receiver({ host: '::1' })
    expect(hook.url).toBe(`http://[::1]:${hook.port}/`)
    expect((await post(hook.url, envelope(echo('m1')))).status).toBe(200)
  })
})

describe('startWebhookReceiver: waitFor', () => {
  it('resolves at once with events already received, and later with events still to come', async () => {
    const hook = await receiver({ secret: TEST_SECRET })
    const bytes = envelope(echo('m1'), delivery('m1'))
    await post(hook.url, bytes, { 'x-signature': signWebhookBody(bytes, TEST_SECRET, 'hex') })
    const [past] = await hook.waitFor({ type: 'delivery', mid: 'm1' })
    expect(past?.key).toBe('delivery')

    const future = hook.waitFor({ type: 'reads', mid: 'm1' })
    const twoMessages = hook.waitFor({ type: 'message', count: 2 })
    const byPredicate = hook.waitFor((event) => event.key === 'message' && event.event.timestamp > 0)
    await post(hook.url, envelope(reads('m1'), userMessage('m1', 'a')))
    await post(hook.url, envelope(userMessage('m1', 'b')))
    expect((await future).map((event) => event.mids)).toEqual([['m1']])
    expect((await twoMessages).map((event) => 'message' in event.event && event.event.message.text)).toEqual([
      'a',
      'b',
    ])
    expect(await byPredicate).toHaveLength(1)
  })

  it('{verified} matches by the signature check, and needs a secret', async () => {
    const hook = await receiver({ secret: TEST_SECRET })
    const verified = hook.waitFor({ mid: 'm1', verified: true })
    await post(hook.url, envelope(echo('m1')), {
      'x-signature': signWebhookBody('other', TEST_SECRET, 'hex'),
    })
    const bytes = envelope(delivery('m1'))
    await post(hook.url, bytes, { 'x-signature': signWebhookBody(bytes, TEST_SECRET, 'base64') })
    expect((await verified).map((event) => event.key)).toEqual(['delivery'])
    expect((await hook.waitFor({ verified: false })).map((event) => event.key)).toEqual(['messageEcho'])

    const unsigned = await receiver()
    await expect(unsigned.waitFor({ verified: true })).rejects.toThrow(
      'needs the receiver started with a secret',
    )
  })

  it('rejects after the timeout, listing what did arrive', async () => {
    const hook = await receiver({ secret: TEST_SECRET })
    await post(hook.url, envelope(echo('m1'), delivery('m1')))
    await post(hook.url, 'oops')
    const error = await hook.waitFor({ type: 'reads', mid: 'm1' }, 30).catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toBe(
      [
        'waited 30 ms for 1 event with type "reads", mid "m1": 0 matched; 2 events in 2 deliveries arrived:',
        '  messageEcho ["m1"] entry "OTP" (missing)',
        '  delivery ["m1"] entry "OTP" (missing)',
        `  delivery 1: ${(hook.deliveries[1]?.parsed as { problem: string }).problem}`,
      ].join('\n'),
    )
    const none = await receiver()
    await expect(none.waitFor({ count: 2 }, 10)).rejects.toThrow(
      'waited 10 ms for 2 events: 0 matched; 0 events in 0 deliveries arrived',
    )
  })

  it('clear() forgets what came; a pending waitFor counts from then on; stop() rejects it', async () => {
    const hook = await receiver()
    await post(hook.url, envelope(echo('m1')))
    const two = hook.waitFor({ type: 'messageEcho', count: 2 })
    hook.clear()
    expect([hook.deliveries.length, hook.events.length]).toEqual([0, 0])
    await post(hook.url, envelope(echo('m2')))
    await post(hook.url, envelope(echo('m3')))
    expect((await two).map((event) => [event.index, event.mids[0]])).toEqual([
      [1, 'm2'],
      [2, 'm3'],
    ])
    expect(hook.deliveries[0]?.index).toBe(1)

    const pending = hook.waitFor({ mid: 'never' })
    await hook.stop()
    await expect(pending).rejects.toThrow('the webhook receiver stopped')
    await expect(hook.waitFor({ mid: 'm2' })).rejects.toThrow('the webhook receiver is stopped')
    await expect(fetch(hook.url, { method: 'POST', body: '{}' })).rejects.toThrow()
  })
})
