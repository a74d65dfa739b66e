import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  delivery,
  echo,
  eventIds,
  reads,
  sleep,
  startReceiver,
  testDispatcher,
  testWebhook,
} from './listening-receiver.js'

/**
 * A burst: 1,000 messages × 3 events (echo, delivery, read) to a receiver that answers 20 % of
 * the requests with 500 (seeded, so every run makes the same choices) and does not count their
 * events. Every event must arrive in a 2xx-answered request exactly once, and each message's
 * echo before its delivery before its read. The timeout is long (5 s, the default): a timeout
 * is the one failure that duplicates (the receiver may have taken the batch), which this test
 * does not count on; the timeout tests do. The figures go to stdout and to
 * test-results/webhooks-burst.json (docs/reliability.md quotes them).
 */

/** mulberry32: a small seeded pseudo-random generator, uniform on [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const MESSAGES = 1000
const FAILURE_RATE = 0.2
const SEED = 20261202

describe('burst', () => {
  it('1,000 messages × 3 events, 20 % of requests failing: every event received once, in order', async () => {
    const random = seededRandom(SEED)
    const seen = new Map<string, number>()
    const order: string[] = []
    let failed = 0
    const receiver = await startReceiver((request) => {
      if (random() < FAILURE_RATE) {
        failed += 1
        return { status: 500 }
      }
      for (const id of eventIds(request)) {
        seen.set(id, (seen.get(id) ?? 0) + 1)
        order.push(id)
      }
      return { status: 200 }
    })
    const { dispatcher, attempts } = testDispatcher(
      testWebhook(receiver.url, { batchMax: 10, batchWaitMs: 0, timeoutMs: 5000, retries: 8, backoffMs: 5 }),
    )

    // Ten waves of 100 messages, as a simulation would make them: wave k's echoes, wave k-1's
    // deliveries and wave k-2's reads together, a few milliseconds apart, while batches are in
    // flight and being retried.
    const started = performance.now()
    const wave = MESSAGES / 10
    for (let k = 0; k < 12; k += 1) {
      for (let index = 0; index < wave; index += 1) {
        if (k < 10) dispatcher.enqueue(echo(`msg-${k * wave + index}`))
        if (k >= 1 && k <= 10) dispatcher.enqueue(delivery(`msg-${(k - 1) * wave + index}`))
        if (k >= 2) dispatcher.enqueue(reads(`msg-${(k - 2) * wave + index}`))
      }
      await sleep(5)
    }
    const drained = await dispatcher.drain(15_000)
    const elapsedMs = Math.round(performance.now() - started)

    const events = MESSAGES * 3
    const duplicates = [...seen.values()].filter((count) => count > 1).length
    const state = dispatcher.state()
    const figures = {
      messages: MESSAGES,
      events,
      failureRate: FAILURE_RATE,
      seed: SEED,
      received: seen.size,
      lost: events - seen.size,
      duplicates,
      batches: state.counters.batchesSent,
      attempts: state.counters.attempts,
      retried: state.counters.retries,
      answered500: failed,
      dropped: state.counters.eventsDropped,
      delivered: state.counters.eventsDelivered,
      elapsedMs,
    }
    process.stdout.write(`webhook burst: ${JSON.stringify(figures)}\n`)
    mkdirSync(join(process.cwd(), 'test-results'), { recursive: true })
    writeFileSync(
      join(process.cwd(), 'test-results', 'webhooks-burst.json'),
      `${JSON.stringify(figures, null, 2)}\n`,
    )

    expect(drained.left).toBe(0)
    expect(figures).toMatchObject({ received: events, lost: 0, duplicates: 0, dropped: 0, delivered: events })
    expect(failed).toBeGreaterThan(0)
    expect(state.counters.retries).toBe(failed)
    expect(state.counters.attempts).toBe(receiver.requests.length)
    expect(attempts.filter((record) => record.outcome === 'retrying')).toHaveLength(failed)
    // Per message: echo, then delivery, then read.
    const position = new Map(order.map((id, index) => [id, index]))
    for (let index = 0; index < MESSAGES; index += 1) {
      const mid = `msg-${index}`
      expect(position.get(`messageEcho:${mid}`)!).toBeLessThan(position.get(`delivery:${mid}`)!)
      expect(position.get(`delivery:${mid}`)!).toBeLessThan(position.get(`reads:${mid}`)!)
    }
  })
})
