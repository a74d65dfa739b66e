import { describe, expect, it, onTestFinished } from 'vitest'
import { manualClock } from '../../src/clock.js'
import type { AttemptRecord } from '../../src/webhooks/dispatcher.js'
import { createWebhooks, webhookKey } from '../../src/webhooks/webhooks.js'
import {
  delivery,
  echo,
  eventIds,
  reads,
  startReceiver,
  TEST_SECRET,
  testWebhook,
} from './listening-receiver.js'

function webhooks() {
  const attempts: AttemptRecord[] = []
  const service = createWebhooks({
    clock: manualClock(1560172933001),
    onAttempt: (record) => attempts.push(record),
  })
  onTestFinished(() => service.close())
  return { service, attempts }
}

describe('createWebhooks', () => {
  it('bots sharing one webhook share one queue: their events go in one POST', async () => {
    const receiver = await startReceiver()
    const { service } = webhooks()
    // Two configs (two bots' copies) of the same webhook.
    service.enqueue(testWebhook(receiver.url), echo('m1'))
    service.enqueue(testWebhook(receiver.url), echo('m2'))
    const [request] = await receiver.waitFor(1)
    expect(eventIds(request!)).toEqual(['messageEcho:m1', 'messageEcho:m2'])
    expect(service.state().webhooks).toHaveLength(1)
  })

  it('one dispatcher per distinct url, id, secret or signature format', async () => {
    const receiver = await startReceiver()
    const { service } = webhooks()
    const base = testWebhook(receiver.url)
    const variants = [
      base,
      { ...base, url: `${receiver.url}?bot=2` },
      { ...base, id: 'OTP' },
      { ...base, appSecret: `${TEST_SECRET}-2` },
      { ...base, signature: 'base64' as const },
    ]
    for (const [index, webhook] of variants.entries()) service.enqueue(webhook, echo(`m${index}`))
    await receiver.waitFor(5)
    const { webhooks: states, totals } = service.state()
    expect(states).toHaveLength(5)
    expect(new Set(states.map((state) => state.key)).size).toBe(5)
    expect(receiver.requests.map((request) => request.json.entry[0]!.id).sort()).toEqual([
      'OTP',
      'diyalog-mock',
      'diyalog-mock',
      'diyalog-mock',
      'diyalog-mock',
    ])
    expect(totals.eventsQueued).toBe(5)
  })

  it('never shows the secret: keys are digests, state and attempts hold no secret', async () => {
    const receiver = await startReceiver()
    const { service, attempts } = webhooks()
    const secret = 'a-very-secret-app-secret-4711'
    service.enqueue(testWebhook(`${receiver.url}?key=query-secret`, { appSecret: secret }), echo('m1'))
    await service.drain(5000)
    const key = webhookKey({
      url: `${receiver.url}?key=query-secret`,
      id: 'diyalog-mock',
      appSecret: secret,
      signature: 'hex',
    })
    expect(key).toMatch(/^[0-9a-f]{16}$/)
    const shown = JSON.stringify({ state: service.state(), attempts })
    expect(shown).toContain(key)
    expect(shown).not.toContain(secret)
    expect(shown).not.toContain('query-secret')
    expect(attempts).toHaveLength(1)
  })

  it('each event is checked against the subscriptions of the config it came with', async () => {
    const receiver = await startReceiver()
    const { service } = webhooks()
    const echoesOnly = testWebhook(receiver.url, { events: ['MessageEchoes'] })
    const everything = testWebhook(receiver.url)
    expect(service.enqueue(echoesOnly, echo('m1'))).toBe('queued')
    expect(service.enqueue(echoesOnly, delivery('m1'))).toBe('unsubscribed')
    expect(service.enqueue(everything, delivery('m2'))).toBe('queued')
    const [request] = await receiver.waitFor(1)
    expect(eventIds(request!)).toEqual(['messageEcho:m1', 'delivery:m2'])
    expect(service.state().totals).toMatchObject({ eventsQueued: 2, eventsUnsubscribed: 1 })
  })

  it('a newer config of the same webhook brings its delivery settings', async () => {
    const receiver = await startReceiver()
    const { service } = webhooks()
    service.enqueue(testWebhook(receiver.url, { batchWaitMs: 60_000 }), echo('m1'))
    service.enqueue(testWebhook(receiver.url, { batchWaitMs: 0, batchMax: 3 }), echo('m2'))
    const [request] = await receiver.waitFor(1)
    expect(eventIds(request!)).toEqual(['messageEcho:m1', 'messageEcho:m2'])
    expect(service.state().webhooks[0]!.settings).toMatchObject({ batchWaitMs: 0, batchMax: 3 })
  })

  it('drain() drains every webhook within one deadline and adds up', async () => {
    const first = await startReceiver()
    const second = await startReceiver(() => ({ status: 500 }))
    const { service } = webhooks()
    const one = testWebhook(first.url, { batchWaitMs: 60_000 })
    const two = testWebhook(second.url, { batchWaitMs: 60_000, retries: 1, backoffMs: 5 })
    service.enqueue(one, echo('m1'))
    service.enqueue(one, delivery('m1'))
    service.enqueue(two, reads('m1'))
    const result = await service.drain(5000)
    expect(result).toMatchObject({ delivered: 2, dropped: 1, left: 0 })
    expect(result.webhooks.map(({ delivered, dropped, left }) => [delivered, dropped, left]).sort()).toEqual([
      [0, 1, 0],
      [2, 0, 0],
    ])
    expect(service.state().totals).toMatchObject({
      eventsDelivered: 2,
      eventsDropped: 1,
      attempts: 3,
      retries: 1,
    })
  })

  it('reset() forgets every webhook and stays usable; close() refuses from then on', async () => {
    const receiver = await startReceiver()
    const { service } = webhooks()
    const webhook = testWebhook(receiver.url, { batchWaitMs: 60_000 })
    service.enqueue(webhook, echo('m1'))
    service.reset()
    expect(service.state()).toMatchObject({ webhooks: [], totals: { eventsQueued: 0 } })
    expect(service.enqueue(webhook, echo('m2'))).toBe('queued')
    expect(service.state().webhooks[0]!.pending).toBe(1)
    service.close()
    expect(service.enqueue(webhook, echo('m3'))).toBe('closed')
    expect(await service.drain(100)).toMatchObject({ delivered: 0, dropped: 0, left: 0 })
    expect(receiver.requests).toHaveLength(0)
  })
})
