import { describe, expect, it } from 'vitest'
import type { DispatcherState, DrainResult } from '../../src/webhooks/dispatcher.js'
import {
  delivery,
  echo,
  eventIds,
  sleep,
  startReceiver,
  testDispatcher,
  testWebhook,
  waitForAttempt,
} from './listening-receiver.js'

describe('drain', () => {
  it('delivers what waits and the batch mid-retry, and what is enqueued during the drain, before the deadline', async () => {
    const receiver = await startReceiver((request) => ({ status: request.index === 0 ? 500 : 200 }))
    let drained: Promise<DrainResult> | undefined
    let atStart: DispatcherState | undefined
    let started = 0
    // A minute's wait: without the drain, the second batch would not go for a minute.
    const { dispatcher } = testDispatcher(
      testWebhook(receiver.url, { batchMax: 10, batchWaitMs: 60_000, backoffMs: 100 }),
      {
        // The drain starts the moment the first batch has failed and waits for its retry.
        onAttempt: (record, self) => {
          if (record.outcome !== 'retrying') return
          for (let index = 0; index < 7; index += 1) self.enqueue(echo(`b${index}`))
          atStart = self.state()
          started = performance.now()
          drained = self.drain(10_000)
          self.enqueue(delivery('b6'))
          self.enqueue(delivery('a0'))
        },
      },
    )
    for (let index = 0; index < 10; index += 1) dispatcher.enqueue(echo(`a${index}`))
    await receiver.waitFor(1)
    while (drained === undefined) await sleep(2)
    const result = await drained
    const elapsed = performance.now() - started

    expect(atStart).toMatchObject({ pending: 7, draining: false, inFlight: { phase: 'waiting' } })
    expect(result).toEqual({ delivered: 19, dropped: 0, left: 0 })
    expect(elapsed).toBeLessThan(10_000)
    const delivered = receiver.requests.filter((request) => request.answer === 200).flatMap(eventIds)
    expect(delivered).toEqual([
      ...Array.from({ length: 10 }, (_, index) => `messageEcho:a${index}`),
      ...Array.from({ length: 7 }, (_, index) => `messageEcho:b${index}`),
      'delivery:b6',
      'delivery:a0',
    ])
    expect(dispatcher.state()).toMatchObject({ draining: false, pending: 0, inFlight: null })
  })

  it('a receiver that never answers: the drain ends at the deadline and reports the rest as left (dropped)', async () => {
    const receiver = await startReceiver(() => 'hold')
    const { dispatcher, attempts } = testDispatcher(
      testWebhook(receiver.url, { batchMax: 10, timeoutMs: 10_000 }),
    )
    for (let index = 0; index < 15; index += 1) dispatcher.enqueue(echo(`m${index}`))
    await receiver.waitFor(1)
    const started = performance.now()
    const result = await dispatcher.drain(300)
    const elapsed = performance.now() - started

    expect(result).toEqual({ delivered: 0, dropped: 0, left: 15 })
    expect(elapsed).toBeGreaterThanOrEqual(290)
    expect(elapsed).toBeLessThan(5000)
    expect(attempts).toEqual([
      expect.objectContaining({
        attempt: 0,
        status: null,
        outcome: 'dropped',
        error: 'drain deadline passed: attempt abandoned',
      }),
    ])
    const state = dispatcher.state()
    expect(state).toMatchObject({ pending: 0, inFlight: null, draining: false })
    expect(state.counters).toMatchObject({ eventsDropped: 15, eventsDelivered: 0, batchesDropped: 1 })
    expect(state.finished[0]).toMatchObject({ outcome: 'dropped', reason: 'deadline', size: 10 })
  })

  it('a retry that would start after the deadline is not waited for: dropped, and the next batch goes', async () => {
    const receiver = await startReceiver(() => ({ status: 500 }))
    const { dispatcher, attempts } = testDispatcher(
      testWebhook(receiver.url, { batchMax: 10, retries: 5, backoffMs: 5000 }),
    )
    for (let index = 0; index < 15; index += 1) dispatcher.enqueue(echo(`m${index}`))
    const result = await dispatcher.drain(2000)
    expect(result).toEqual({ delivered: 0, dropped: 15, left: 0 })
    expect(attempts.map((record) => [record.size, record.outcome])).toEqual([
      [10, 'dropped'],
      [5, 'dropped'],
    ])
  })

  it('retries within the deadline are made', async () => {
    const receiver = await startReceiver((request) => ({ status: request.index < 3 ? 502 : 200 }))
    const { dispatcher, attempts } = testDispatcher(testWebhook(receiver.url, { retries: 3, backoffMs: 10 }))
    dispatcher.enqueue(echo('m1'))
    expect(await dispatcher.drain(5000)).toEqual({ delivered: 1, dropped: 0, left: 0 })
    expect(attempts.map((record) => record.outcome)).toEqual([
      'retrying',
      'retrying',
      'retrying',
      'delivered',
    ])
  })

  it('nothing to drain resolves at once; a second call during a drain gets the same promise', async () => {
    const receiver = await startReceiver()
    const { dispatcher } = testDispatcher(testWebhook(receiver.url, { batchWaitMs: 60_000 }))
    expect(await dispatcher.drain(1000)).toEqual({ delivered: 0, dropped: 0, left: 0 })
    dispatcher.enqueue(echo('m1'))
    const first = dispatcher.drain(1000)
    expect(dispatcher.drain(50)).toBe(first)
    expect(await first).toEqual({ delivered: 1, dropped: 0, left: 0 })
  })

  it('after a drain the webhook batches as before', async () => {
    const receiver = await startReceiver()
    const { dispatcher } = testDispatcher(testWebhook(receiver.url, { batchWaitMs: 60_000 }))
    dispatcher.enqueue(echo('m1'))
    await dispatcher.drain(1000)
    dispatcher.enqueue(echo('m2'))
    await sleep(100)
    expect(dispatcher.state().pending).toBe(1)
    expect(receiver.requests).toHaveLength(1)
  })

  it('close() during a drain ends it, with what was still there as left', async () => {
    const receiver = await startReceiver(() => 'hold')
    const { dispatcher } = testDispatcher(testWebhook(receiver.url, { batchMax: 2, timeoutMs: 10_000 }))
    for (let index = 0; index < 5; index += 1) dispatcher.enqueue(echo(`m${index}`))
    await receiver.waitFor(1)
    const drained = dispatcher.drain(10_000)
    dispatcher.close()
    expect(await drained).toEqual({ delivered: 0, dropped: 0, left: 5 })
  })
})
