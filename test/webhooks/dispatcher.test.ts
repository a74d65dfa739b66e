import { describe, expect, it } from 'vitest'
import { createDispatcher, type DispatcherState } from '../../src/webhooks/dispatcher.js'
import type { TransportResult, WebhookRequest } from '../../src/webhooks/transport.js'
import { manualClock } from '../../src/clock.js'
import {
  delivery,
  echo,
  eventIds,
  reads,
  sleep,
  startReceiver,
  testDispatcher,
  testWebhook,
  userMessage,
  waitForAttempt,
} from './listening-receiver.js'

describe('batching', () => {
  it('by count: 25 events at once with batchMax 10 → POSTs of 10, 10 and 5, in order', async () => {
    const receiver = await startReceiver()
    const { dispatcher } = testDispatcher(testWebhook(receiver.url, { batchMax: 10, batchWaitMs: 150 }))
    const enqueuedAt = performance.now()
    for (let index = 0; index < 25; index += 1) dispatcher.enqueue(echo(`m${index}`))
    const requests = await receiver.waitFor(3)
    expect(requests.map((request) => request.json.entry.length)).toEqual([10, 10, 5])
    expect(requests.flatMap(eventIds)).toEqual(
      Array.from({ length: 25 }, (_, index) => `messageEcho:m${index}`),
    )
    // The last five were fewer than batchMax: they waited for batchWaitMs.
    expect(requests[2]!.arrivedAt - enqueuedAt).toBeGreaterThanOrEqual(140)
    await sleep(200)
    expect(receiver.requests).toHaveLength(3)
  })

  it('by time: 3 events, batchWaitMs 100 → one POST, not before the wait', async () => {
    const receiver = await startReceiver()
    const { dispatcher } = testDispatcher(testWebhook(receiver.url, { batchWaitMs: 100 }))
    const enqueuedAt = performance.now()
    dispatcher.enqueue(echo('m1'))
    dispatcher.enqueue(delivery('m1'))
    dispatcher.enqueue(reads('m1'))
    const [request] = await receiver.waitFor(1)
    expect(eventIds(request!)).toEqual(['messageEcho:m1', 'delivery:m1', 'reads:m1'])
    expect(request!.arrivedAt - enqueuedAt).toBeGreaterThanOrEqual(95)
    await sleep(150)
    expect(receiver.requests).toHaveLength(1)
  })

  it('the wait runs from the oldest event: one enqueued later joins it and does not restart it', async () => {
    const receiver = await startReceiver()
    const { dispatcher } = testDispatcher(testWebhook(receiver.url, { batchWaitMs: 1000 }))
    const firstAt = performance.now()
    dispatcher.enqueue(echo('m1'))
    await sleep(300)
    const secondAt = performance.now()
    dispatcher.enqueue(delivery('m1'))
    const [request] = await receiver.waitFor(1)
    expect(eventIds(request!)).toEqual(['messageEcho:m1', 'delivery:m1'])
    expect(request!.arrivedAt - firstAt).toBeGreaterThanOrEqual(990)
    // Restarted, it would arrive 1,000 ms after the second event; it comes about 700 ms after it.
    expect(request!.arrivedAt - secondAt).toBeLessThan(950)
  })

  it('batchWaitMs 0: events enqueued together go in one POST, on the next turn of the event loop', async () => {
    const receiver = await startReceiver()
    const { dispatcher } = testDispatcher(testWebhook(receiver.url, { batchWaitMs: 0 }))
    dispatcher.enqueue(echo('m1'))
    dispatcher.enqueue(delivery('m1'))
    expect(receiver.requests).toHaveLength(0)
    expect(dispatcher.state().pending).toBe(2)
    const [request] = await receiver.waitFor(1)
    expect(eventIds(request!)).toEqual(['messageEcho:m1', 'delivery:m1'])
  })

  it("runs in real time: the mock's clock is frozen, and gives entry.time and nothing else", async () => {
    const receiver = await startReceiver()
    const { dispatcher, attempts, clockNow } = testDispatcher(
      testWebhook(receiver.url, { batchWaitMs: 50 }),
      {
        now: 1560172933001,
      },
    )
    dispatcher.enqueue(echo('m1'))
    const [request] = await receiver.waitFor(1)
    expect(request!.json.entry[0]!.time).toBe(clockNow)
    await waitForAttempt(attempts, (record) => record.outcome === 'delivered')
    expect(attempts[0]!.at).toBe(clockNow)
  })

  it('only subscribed events are queued; the others are counted', async () => {
    const receiver = await startReceiver()
    const { dispatcher } = testDispatcher(
      testWebhook(receiver.url, { events: ['MessageEchoes', 'Messages'] }),
    )
    expect(dispatcher.enqueue(echo('m1'))).toBe('queued')
    expect(dispatcher.enqueue(delivery('m1'))).toBe('unsubscribed')
    expect(dispatcher.enqueue(reads('m1'))).toBe('unsubscribed')
    expect(dispatcher.enqueue(userMessage('m1', 'hi'))).toBe('queued')
    // A subscription list given with the event wins over the webhook's own.
    expect(dispatcher.enqueue(reads('m2'), ['MessageReads'])).toBe('queued')
    const [request] = await receiver.waitFor(1)
    expect(eventIds(request!)).toEqual(['messageEcho:m1', 'message:m1', 'reads:m2'])
    expect(dispatcher.state().counters).toMatchObject({ eventsQueued: 3, eventsUnsubscribed: 2 })
  })
})

describe('retries', () => {
  it('500, 500, then 200: retried with the same bytes and signature, backoff doubling', async () => {
    const receiver = await startReceiver((request) => ({ status: request.index < 2 ? 500 : 200 }))
    const { dispatcher, attempts } = testDispatcher(testWebhook(receiver.url, { backoffMs: 20 }))
    dispatcher.enqueue(echo('m1'))
    dispatcher.enqueue(delivery('m1'))
    const requests = await receiver.waitFor(3)
    await waitForAttempt(attempts, (record) => record.outcome === 'delivered')
    const [first, second, third] = requests
    expect(second!.body.equals(first!.body)).toBe(true)
    expect(third!.body.equals(first!.body)).toBe(true)
    expect(new Set(requests.map((request) => request.headers['x-signature'])).size).toBe(1)
    expect(new Set(requests.map((request) => request.headers['x-dlg-mock-batch'])).size).toBe(1)
    expect(requests.map((request) => request.headers['x-dlg-mock-attempt'])).toEqual(['0', '1', '2'])
    // Backoff 20 ms, then 40 ms (the gap includes the answer, so at least that).
    expect(second!.arrivedAt - first!.arrivedAt).toBeGreaterThanOrEqual(19)
    expect(third!.arrivedAt - second!.arrivedAt).toBeGreaterThanOrEqual(39)
    expect(
      attempts.map(({ attempt, status, outcome, size }) => ({ attempt, status, outcome, size })),
    ).toEqual([
      { attempt: 0, status: 500, outcome: 'retrying', size: 2 },
      { attempt: 1, status: 500, outcome: 'retrying', size: 2 },
      { attempt: 2, status: 200, outcome: 'delivered', size: 2 },
    ])
    expect(dispatcher.state().counters).toMatchObject({
      eventsDelivered: 2,
      batchesSent: 1,
      batchesDelivered: 1,
      attempts: 3,
      retries: 2,
    })
  })

  it('a timeout (the receiver holds the request) is retried, then delivered', async () => {
    const receiver = await startReceiver((request) =>
      request.index === 0 ? { status: 200, delayMs: 2000 } : { status: 200 },
    )
    const { dispatcher, attempts } = testDispatcher(testWebhook(receiver.url, { timeoutMs: 300 }))
    dispatcher.enqueue(echo('m1'))
    const delivered = await waitForAttempt(attempts, (record) => record.outcome === 'delivered')
    expect(attempts[0]).toMatchObject({
      attempt: 0,
      status: null,
      error: 'timeout: no answer within 300 ms',
      outcome: 'retrying',
    })
    expect(attempts[0]!.durationMs).toBeGreaterThanOrEqual(295)
    expect(delivered).toMatchObject({ status: 200, outcome: 'delivered' })
    expect(delivered.attempt).toBeGreaterThanOrEqual(1)
    // The receiver got the batch twice: it may tell by the batch id (at-least-once).
    const [first, second] = receiver.requests
    expect(second!.headers['x-dlg-mock-batch']).toBe(first!.headers['x-dlg-mock-batch'])
    expect(second!.body.equals(first!.body)).toBe(true)
  })

  it('dropped after the last retry: onAttempt reports each attempt, the last one "dropped"', async () => {
    const receiver = await startReceiver(() => ({ status: 503 }))
    const { dispatcher, attempts } = testDispatcher(
      testWebhook(`${receiver.url}?token=s3cr3t`, { retries: 2, backoffMs: 5 }),
    )
    dispatcher.enqueue(echo('m1'))
    dispatcher.enqueue(delivery('m1', 'm0'))
    await waitForAttempt(attempts, (record) => record.outcome === 'dropped')
    expect(receiver.requests).toHaveLength(3)
    expect(attempts.map((record) => [record.attempt, record.status, record.outcome])).toEqual([
      [0, 503, 'retrying'],
      [1, 503, 'retrying'],
      [2, 503, 'dropped'],
    ])
    for (const record of attempts) {
      expect(record).toMatchObject({ webhookId: 'diyalog-mock', size: 2, mids: ['m1', 'm0'] })
      expect(record.url).toBe(`${receiver.url}?redacted`)
      expect(JSON.stringify(record)).not.toContain('s3cr3t')
    }
    const state = dispatcher.state()
    expect(state.finished[0]).toMatchObject({
      outcome: 'dropped',
      reason: 'retries',
      attempts: 3,
      status: 503,
      size: 2,
    })
    expect(state.counters).toMatchObject({ eventsDropped: 2, batchesDropped: 1, attempts: 3, retries: 2 })
    expect(state.inFlight).toBeNull()
  })

  it('a connection error is retried like a non-2xx answer', async () => {
    const receiver = await startReceiver((request) => (request.index === 0 ? 'destroy' : { status: 200 }))
    const { dispatcher, attempts } = testDispatcher(testWebhook(receiver.url))
    dispatcher.enqueue(echo('m1'))
    await waitForAttempt(attempts, (record) => record.outcome === 'delivered')
    expect(attempts[0]).toMatchObject({ status: null, outcome: 'retrying', error: expect.any(String) })
  })

  it('after a dropped batch the next one is sent', async () => {
    const receiver = await startReceiver((request) => ({ status: request.index < 2 ? 500 : 200 }))
    const { dispatcher, attempts } = testDispatcher(
      testWebhook(receiver.url, { retries: 1, batchMax: 1, backoffMs: 5 }),
    )
    dispatcher.enqueue(echo('m1'))
    dispatcher.enqueue(echo('m2'))
    await waitForAttempt(attempts, (record) => record.outcome === 'delivered')
    expect(attempts.map((record) => [record.mids[0], record.outcome])).toEqual([
      ['m1', 'retrying'],
      ['m1', 'dropped'],
      ['m2', 'delivered'],
    ])
  })
})

describe('order', () => {
  it('echo → delivery → read of one message across batches, even when the first batch needs retries', async () => {
    const receiver = await startReceiver((request) => ({ status: request.index < 2 ? 500 : 200 }))
    let whileRetrying: DispatcherState | undefined
    const { dispatcher } = testDispatcher(testWebhook(receiver.url, { batchMax: 1, backoffMs: 15 }), {
      // The delivery and the read come while the echo waits for its first retry.
      onAttempt: (record, self) => {
        if (record.attempt !== 0 || record.outcome !== 'retrying') return
        self.enqueue(delivery('m1'))
        self.enqueue(reads('m1'))
        whileRetrying = self.state()
      },
    })
    dispatcher.enqueue(echo('m1'))
    const requests = await receiver.waitFor(5)
    expect(whileRetrying).toMatchObject({ pending: 2, inFlight: { phase: 'waiting', attempt: 1 } })
    expect(requests.map((request) => [eventIds(request)[0], request.answer])).toEqual([
      ['messageEcho:m1', 500],
      ['messageEcho:m1', 500],
      ['messageEcho:m1', 200],
      ['delivery:m1', 200],
      ['reads:m1', 200],
    ])
  })

  it('one batch in flight at a time, however many wait', async () => {
    let open = 0
    let most = 0
    const transport = async (_request: WebhookRequest): Promise<TransportResult> => {
      open += 1
      most = Math.max(most, open)
      await sleep(2)
      open -= 1
      return { status: 200 }
    }
    const attempts: string[] = []
    const dispatcher = createDispatcher(testWebhook('http://127.0.0.1:9/', { batchMax: 3 }), {
      clock: manualClock(0),
      transport,
      onAttempt: (record) => attempts.push(record.batchId),
    })
    for (let index = 0; index < 30; index += 1) dispatcher.enqueue(echo(`m${index}`))
    const result = await dispatcher.drain(10_000)
    expect(result).toEqual({ delivered: 30, dropped: 0, left: 0 })
    expect(most).toBe(1)
    expect(attempts).toHaveLength(10)
    expect(new Set(attempts).size).toBe(10)
    dispatcher.close()
  })
})

describe('bounds and state', () => {
  it('at most maxQueued events wait; the newest beyond are refused and counted', () => {
    const { dispatcher } = testDispatcher(testWebhook('http://127.0.0.1:9/', { batchWaitMs: 60_000 }), {
      maxQueued: 5,
    })
    const results = Array.from({ length: 8 }, (_, index) => dispatcher.enqueue(echo(`m${index}`)))
    expect(results).toEqual([
      'queued',
      'queued',
      'queued',
      'queued',
      'queued',
      'overflow',
      'overflow',
      'overflow',
    ])
    expect(dispatcher.state()).toMatchObject({
      pending: 5,
      counters: { eventsQueued: 5, eventsOverflowed: 3 },
    })
  })

  it('keeps the last historySize finished batches, newest first', async () => {
    const receiver = await startReceiver()
    const { dispatcher } = testDispatcher(testWebhook(receiver.url, { batchMax: 1 }), { historySize: 4 })
    for (let index = 0; index < 7; index += 1) dispatcher.enqueue(echo(`m${index}`))
    await dispatcher.drain(10_000)
    const { finished, counters } = dispatcher.state()
    expect(finished.map((batch) => batch.mids[0])).toEqual(['m6', 'm5', 'm4', 'm3'])
    expect(finished[0]).toMatchObject({ outcome: 'delivered', attempts: 1, status: 200, size: 1 })
    expect(counters).toMatchObject({ batchesSent: 7, batchesDelivered: 7, eventsDelivered: 7 })
  })

  it('a batch record lists distinct mids', async () => {
    const receiver = await startReceiver()
    const { dispatcher, attempts } = testDispatcher(testWebhook(receiver.url))
    dispatcher.enqueue(echo('m1'))
    dispatcher.enqueue(echo('m2'))
    dispatcher.enqueue(delivery('m1', 'm2'))
    dispatcher.enqueue(reads('m1'))
    await waitForAttempt(attempts, () => true)
    expect(attempts[0]).toMatchObject({ size: 4, mids: ['m1', 'm2'] })
  })

  it('state() shows the batch in flight while it is sent', async () => {
    const receiver = await startReceiver(() => 'hold')
    const { dispatcher } = testDispatcher(testWebhook(receiver.url, { timeoutMs: 5000 }))
    dispatcher.enqueue(echo('m1'))
    await receiver.waitFor(1)
    expect(dispatcher.state()).toMatchObject({
      pending: 0,
      draining: false,
      inFlight: { phase: 'sending', attempt: 0, size: 1, mids: ['m1'] },
    })
  })

  it('close() cancels the request in flight and the queue; nothing is reported after it', async () => {
    const receiver = await startReceiver(() => 'hold')
    const { dispatcher, attempts } = testDispatcher(
      testWebhook(receiver.url, { timeoutMs: 5000, batchMax: 1 }),
    )
    dispatcher.enqueue(echo('m1'))
    dispatcher.enqueue(echo('m2'))
    await receiver.waitFor(1)
    dispatcher.close()
    expect(dispatcher.enqueue(echo('m3'))).toBe('closed')
    await sleep(50)
    expect(attempts).toEqual([])
    expect(receiver.requests).toHaveLength(1)
    expect(dispatcher.state()).toMatchObject({ pending: 0, inFlight: null })
  })

  it('a listener that throws does not stop the webhook', async () => {
    const receiver = await startReceiver()
    const dispatcher = createDispatcher(testWebhook(receiver.url, { batchMax: 1 }), {
      clock: manualClock(0),
      onAttempt: () => {
        throw new Error('listener broke')
      },
    })
    dispatcher.enqueue(echo('m1'))
    dispatcher.enqueue(echo('m2'))
    expect(await dispatcher.drain(5000)).toEqual({ delivered: 2, dropped: 0, left: 0 })
    dispatcher.close()
  })

  it('reconfigure() applies new delivery settings from the next batch on', async () => {
    const receiver = await startReceiver()
    const webhook = testWebhook(receiver.url, { batchMax: 1 })
    const { dispatcher } = testDispatcher(webhook)
    dispatcher.reconfigure({ ...webhook, batchMax: 5 })
    for (let index = 0; index < 5; index += 1) dispatcher.enqueue(echo(`m${index}`))
    const [request] = await receiver.waitFor(1)
    expect(request!.json.entry).toHaveLength(5)
    expect(dispatcher.state().settings.batchMax).toBe(5)
  })

  it('reconfigure() to a shorter wait sends what has waited long enough at once', async () => {
    const receiver = await startReceiver()
    const webhook = testWebhook(receiver.url, { batchWaitMs: 60_000 })
    const { dispatcher } = testDispatcher(webhook)
    dispatcher.enqueue(echo('m1'))
    await sleep(20)
    expect(receiver.requests).toHaveLength(0)
    dispatcher.reconfigure({ ...webhook, batchWaitMs: 0 })
    const [request] = await receiver.waitFor(1)
    expect(eventIds(request!)).toEqual(['messageEcho:m1'])
  })
})
