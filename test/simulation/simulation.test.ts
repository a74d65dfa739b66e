import { describe, expect, it, onTestFinished } from 'vitest'
import { controllableClock } from '../../src/clock.js'
import { createSimulation, randomMessageId } from '../../src/simulation/simulation.js'
import type { DeliveryEvent, MessagingEvent, ReadsEvent } from '../../src/webhooks/events.js'
import { KREDI_BOT, OTP_BOT, simulation, T0, text, USERS } from './setup.js'

/** The simulated users (D28): echo at once, delivery and reading by the mock's clock, behaviours. */

const SELIN_IDS = { appCustomerId: '70021', id: '243540663' }
const SENDER = { id: '1614379680' }

const delivery = (event: MessagingEvent | undefined) => (event as DeliveryEvent).delivery
const reads = (event: MessagingEvent | undefined) => (event as ReadsEvent).reads

describe('send', () => {
  it('stores the message and emits its echo at once, nothing else', () => {
    const { sim, fresh, send } = simulation()
    const result = send(USERS.selin, text('messageId-92'))
    expect(result).toEqual({ ok: true, recipientId: '243540663', messageId: 'messageId-92' })
    expect(fresh()).toEqual([
      {
        sender: SENDER,
        recipient: SELIN_IDS,
        timestamp: T0,
        messageEcho: { app_id: 1614379680, is_echo: true, mid: 'messageId-92' },
      },
    ])
    expect(sim.messages.conversation('kredi_bot', USERS.selin).messages).toMatchObject([
      {
        direction: 'to-user',
        mid: 'messageId-92',
        sentAt: T0,
        content: { kind: 'text', text: 'Hello world !' },
      },
    ])
    expect(sim.pending()).toEqual({ tasks: 1, nextAt: T0 + 300, undelivered: 1, unread: 0 })
  })

  it('delivers after 300 ms and reads 2000 ms after that, one event each', () => {
    const { sim, advance, fresh, send } = simulation()
    send(USERS.selin, text('messageId-92'))
    fresh()
    advance(299)
    expect(fresh()).toEqual([])
    advance(1)
    expect(fresh()).toEqual([
      {
        sender: SENDER,
        recipient: SELIN_IDS,
        timestamp: T0 + 300,
        delivery: { mids: ['messageId-92'], watermark: T0 + 300 },
      },
    ])
    expect(sim.messages.newestWithMid('messageId-92')?.deliveredAt).toBe(T0 + 300)
    advance(1999)
    expect(fresh()).toEqual([])
    advance(1)
    expect(fresh()).toEqual([
      {
        sender: SENDER,
        recipient: SELIN_IDS,
        timestamp: T0 + 2300,
        reads: { mids: ['messageId-92'], watermark: T0 + 2300 },
      },
    ])
    expect(sim.messages.newestWithMid('messageId-92')?.readAt).toBe(T0 + 2300)
    expect(sim.pending()).toEqual({ tasks: 0, nextAt: undefined, undelivered: 0, unread: 0 })
  })

  it('takes its delays from the options', () => {
    const { advance, fresh, keys, send } = simulation({ deliveryMs: 50, readMs: 10 })
    send(USERS.selin, text('m'))
    advance(49)
    expect(keys(fresh())).toEqual(['messageEcho'])
    advance(1)
    expect(keys(fresh())).toEqual(['delivery'])
    advance(10)
    expect(keys(fresh())).toEqual(['reads'])
  })

  it('delivers at once with deliveryMs 0, even with the clock frozen', () => {
    const { fresh, keys, send } = simulation({ deliveryMs: 0 })
    send(USERS.selin, text('m'))
    expect(keys(fresh())).toEqual(['messageEcho', 'delivery'])
  })

  it('names a staff member by appStaffId', () => {
    const { fresh, send } = simulation()
    send(USERS.emre, text('m'))
    expect(fresh()[0]?.recipient).toEqual({ appStaffId: '45186', id: '918273645' })
  })

  it('finds the user by their Diyalog id too', () => {
    const { sim, clock } = simulation()
    expect(sim.send(KREDI_BOT, { id: '243540663' }, text('m'), clock.now())).toMatchObject({
      ok: true,
      recipientId: '243540663',
    })
  })

  it('an unknown recipient: not found, nothing stored or emitted', () => {
    const { sim, clock, emitted } = simulation()
    expect(sim.send(KREDI_BOT, { appCustomerId: '999' }, text('m'), clock.now())).toEqual({
      ok: false,
      reason: 'recipient-not-found',
    })
    expect(emitted).toEqual([])
    expect(sim.messages.counts().messages).toBe(0)
    expect(sim.pending().tasks).toBe(0)
  })

  it('makes a mid like the docs’ when the client gives none: a signed 64-bit decimal, random', () => {
    const { sim, fresh, send } = simulation()
    const { messageId } = send(USERS.selin, text(undefined))
    expect(messageId).toMatch(/^-?[1-9][0-9]{0,18}$|^0$/)
    const value = BigInt(messageId)
    expect(value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true)
    expect(fresh()).toMatchObject([{ messageEcho: { mid: messageId } }])
    expect(sim.messages.newestWithMid(messageId)).toBeDefined()
    const many = new Set(Array.from({ length: 200 }, randomMessageId))
    expect(many.size).toBe(200)
    expect([...many].some((mid) => mid.startsWith('-'))).toBe(true)
  })

  it('uses newMessageId when given', () => {
    const { send } = simulation({ newMessageId: () => 'made-here' })
    expect(send(USERS.selin, text(undefined)).messageId).toBe('made-here')
  })
})

describe('delivery and reading', () => {
  it('several messages to one user due in one tick: one delivery with the mids in send order, then one reads', () => {
    const { advance, fresh, send } = simulation()
    send(USERS.selin, text('messageId-103'))
    send(USERS.selin, text('messageId-104'))
    send(USERS.selin, text('messageId-105'))
    fresh()
    advance(300)
    const delivered = fresh()
    expect(delivered).toHaveLength(1)
    expect(delivery(delivered[0])).toEqual({
      mids: ['messageId-103', 'messageId-104', 'messageId-105'],
      watermark: T0 + 300,
    })
    advance(2000)
    const read = fresh()
    expect(read).toHaveLength(1)
    expect(reads(read[0]).mids).toEqual(['messageId-103', 'messageId-104', 'messageId-105'])
  })

  it('a clock moved far at once: what fell due together is one event per bot and user, deliveries before reads', () => {
    const { advance, fresh, keys, send } = simulation()
    send(USERS.selin, text('a'))
    advance(100)
    send(USERS.selin, text('b'))
    send(USERS.emre, text('c'))
    fresh()
    advance(60_000)
    const events = fresh()
    expect(keys(events)).toEqual(['delivery', 'delivery', 'reads', 'reads'])
    expect(delivery(events[0])).toEqual({ mids: ['a', 'b'], watermark: T0 + 400 })
    expect(events[0]?.timestamp).toBe(T0 + 400)
    expect(events[1]?.recipient).toEqual({ appStaffId: '45186', id: '918273645' })
    expect(reads(events[2])).toEqual({ mids: ['a', 'b'], watermark: T0 + 2400 })
  })

  it('two users: each their own delivery; a clock moved back runs nothing early', () => {
    const { clock, advance, fresh, keys, send } = simulation()
    send(USERS.selin, text('a'))
    send(USERS.emre, text('b'))
    fresh()
    clock.freeze(T0 - 10_000)
    advance(10_299)
    expect(fresh()).toEqual([])
    advance(1)
    const events = fresh()
    expect(keys(events)).toEqual(['delivery', 'delivery'])
    expect(events.map((event) => delivery(event).mids)).toEqual([['a'], ['b']])
  })

  it('reading at once: delivery and reads at the same time, in that order', () => {
    const { advance, fresh, send } = simulation()
    send(USERS.atOnce, text('m'))
    fresh()
    advance(300)
    const events = fresh()
    expect(events.map((event) => Object.keys(event).at(-1))).toEqual(['delivery', 'reads'])
    expect(delivery(events[0]).watermark).toBe(T0 + 300)
    expect(reads(events[1])).toEqual({ mids: ['m'], watermark: T0 + 300 })
  })

  it('never reading: delivered, never read, however far the clock moves', () => {
    const { sim, advance, fresh, keys, send } = simulation()
    send(USERS.neverReads, text('m'))
    advance(86_400_000)
    expect(keys(fresh())).toEqual(['messageEcho', 'delivery'])
    expect(sim.pending()).toMatchObject({ tasks: 0, unread: 1 })
  })

  it('offline: nothing delivered however far the clock moves; coming online delivers all that waits, then reads follow', () => {
    const { sim, advance, fresh, keys, send } = simulation()
    send(USERS.offline, text('messageId-1'))
    send(USERS.offline, text('messageId-2'))
    send(USERS.offline, text('otp-1'), OTP_BOT)
    expect(keys(fresh())).toEqual(['messageEcho', 'messageEcho', 'messageEcho'])
    expect(sim.pending().tasks).toBe(0)
    advance(86_400_000)
    expect(fresh()).toEqual([])
    const online = sim.setBehaviour('customer:70022', { presence: 'online' })
    expect(online).toMatchObject({ ok: true, behaviour: { presence: 'online', reading: 'delayed' } })
    const events = fresh()
    expect(online.ok && online.events).toEqual(events)
    expect(keys(events)).toEqual(['delivery', 'delivery'])
    expect(events.map((event) => [event.sender.id, delivery(event).mids])).toEqual([
      ['1614379680', ['messageId-1', 'messageId-2']],
      ['1614379681', ['otp-1']],
    ])
    expect(delivery(events[0]).watermark).toBe(T0 + 86_400_000)
    advance(2000)
    expect(keys(fresh())).toEqual(['reads', 'reads'])
  })

  it('a user going offline before the delivery is due keeps the message until they are back', () => {
    const { sim, advance, fresh, keys, send } = simulation()
    send(USERS.selin, text('m'))
    fresh()
    sim.setBehaviour(USERS.selin, { presence: 'offline' })
    expect(sim.pending().tasks).toBe(0)
    advance(10_000)
    expect(fresh()).toEqual([])
    sim.setBehaviour({ appCustomerId: '70021' }, { presence: 'online' })
    expect(keys(fresh())).toEqual(['delivery'])
  })

  it('a change of reading applies to what is delivered and unread', () => {
    const { sim, advance, fresh, keys, send } = simulation()
    send(USERS.neverReads, text('m'))
    advance(300)
    fresh()
    const atOnce = sim.setBehaviour({ kind: 'customer', id: '4471209' }, { reading: 'at-once' })
    expect(atOnce.ok && keys(atOnce.events)).toEqual(['reads'])
    // Delayed: read readMs after the change; never: the planned read is cancelled.
    send(USERS.selin, text('n'))
    advance(300)
    fresh()
    sim.setBehaviour(USERS.selin, { reading: 'never' })
    expect(sim.pending().tasks).toBe(0)
    advance(10_000)
    expect(fresh()).toEqual([])
    sim.setBehaviour(USERS.selin, { reading: 'delayed' })
    advance(1999)
    expect(fresh()).toEqual([])
    advance(1)
    expect(keys(fresh())).toEqual(['reads'])
  })

  it('reports behaviours: the fixtures’, with the changes made at run time', () => {
    const { sim } = simulation()
    expect(sim.behaviourOf('customer:70022')).toEqual({ presence: 'offline', reading: 'delayed' })
    sim.setBehaviour('customer:70022', { reading: 'never' })
    expect(sim.behaviourOf('customer:70022')).toEqual({ presence: 'offline', reading: 'never' })
    expect(sim.behaviours()).toEqual([
      { user: 'customer:70022', behaviour: { presence: 'offline', reading: 'never' } },
    ])
    expect(sim.behaviourOf('customer:nobody')).toBeUndefined()
    expect(sim.behaviourOf('robot:1')).toBeUndefined()
    expect(sim.setBehaviour('customer:nobody', { presence: 'online' })).toMatchObject({
      ok: false,
      reason: 'recipient-not-found',
      status: 404,
    })
    expect(sim.deliveryMs).toBe(300)
    expect(sim.readMs).toBe(2000)
  })
})

describe('delivering and reading by hand', () => {
  it('delivers one message by its id, whatever the presence; twice is a conflict', () => {
    const { sim, fresh, keys, send } = simulation()
    send(USERS.offline, text('m1'))
    send(USERS.offline, text('m2'))
    fresh()
    const done = sim.deliver({ messageId: 'm2' })
    expect(done).toMatchObject({ ok: true, delivered: ['m2'] })
    expect(done.ok && done.events).toEqual(fresh())
    expect(done.ok && delivery(done.events[0])).toEqual({ mids: ['m2'], watermark: T0 })
    expect(sim.deliver({ messageId: 'm2' })).toMatchObject({
      ok: false,
      reason: 'already-delivered',
      status: 409,
    })
    expect(sim.deliver({ messageId: 'nope' })).toMatchObject({
      ok: false,
      reason: 'message-not-found',
      status: 404,
    })
    expect(sim.deliver({ messageId: 'm1', bot: 'otp_bot' })).toMatchObject({
      ok: false,
      reason: 'message-not-found',
    })
    // The reading follows the behaviour: delayed.
    expect(sim.pending().tasks).toBe(1)
    expect(keys(fresh())).toEqual([])
  })

  it('delivers all that waits: of a user, of a bot, of everyone', () => {
    const { sim, fresh, keys, send } = simulation()
    send(USERS.offline, text('a'))
    send(USERS.offline, text('b'), OTP_BOT)
    send(USERS.emre, text('c'))
    fresh()
    expect(sim.deliver({ recipient: 'customer:70022', bot: 'otp_bot' })).toMatchObject({
      ok: true,
      delivered: ['b'],
    })
    expect(sim.deliver({ bot: 'kredi_bot' })).toMatchObject({ ok: true, delivered: ['a', 'c'] })
    expect(keys(fresh())).toEqual(['delivery', 'delivery', 'delivery'])
    expect(sim.deliver({})).toMatchObject({ ok: false, reason: 'nothing-to-deliver', status: 409 })
    expect(sim.deliver({ bot: 'no_bot' })).toMatchObject({ ok: false, reason: 'bot-not-found', status: 404 })
    expect(sim.deliver({ recipient: 'customer:5' })).toMatchObject({
      ok: false,
      reason: 'recipient-not-found',
    })
  })

  it('reading by hand delivers first, emitting the delivery, then the reads', () => {
    const { sim, fresh, keys, send } = simulation()
    send(USERS.neverReads, text('a'))
    send(USERS.neverReads, text('b'))
    fresh()
    const done = sim.read({ recipient: { appCustomerId: '4471209' } })
    expect(done).toMatchObject({ ok: true, delivered: ['a', 'b'], read: ['a', 'b'] })
    expect(keys(fresh())).toEqual(['delivery', 'reads'])
    expect(sim.read({ messageId: 'a' })).toMatchObject({ ok: false, reason: 'already-read' })
    expect(sim.read({ bot: 'kredi_bot' })).toMatchObject({ ok: false, reason: 'nothing-to-read' })
    expect(sim.pending()).toEqual({ tasks: 0, nextAt: undefined, undelivered: 0, unread: 0 })
  })

  it('reads one delivered message by its id', () => {
    const { sim, advance, fresh, send } = simulation()
    send(USERS.selin, text('a'))
    advance(300)
    fresh()
    expect(sim.read({ messageId: 'a' })).toMatchObject({ ok: true, delivered: [], read: ['a'] })
    expect(fresh().map((event) => reads(event))).toEqual([{ mids: ['a'], watermark: T0 + 300 }])
    expect(sim.pending().tasks).toBe(0)
  })
})

describe('the bound, reset and stop', () => {
  it('keeps maxMessages: the oldest goes, with its planned delivery', () => {
    const { sim, advance, fresh, send } = simulation({ maxMessages: 2 })
    send(USERS.selin, text('m1'))
    send(USERS.selin, text('m2'))
    send(USERS.selin, text('m3'))
    expect(sim.messages.counts()).toMatchObject({ messages: 2, dropped: 1 })
    expect(sim.messages.newestWithMid('m1')).toBeUndefined()
    expect(sim.pending().tasks).toBe(2)
    fresh()
    advance(300)
    expect(fresh().map((event) => delivery(event).mids)).toEqual([['m2', 'm3']])
    expect(sim.deliver({ messageId: 'm1' })).toMatchObject({ ok: false, reason: 'message-not-found' })
  })

  it('reset forgets the messages, the plan and the behaviour changes', () => {
    const { sim, advance, fresh, send } = simulation()
    send(USERS.selin, text('m1'))
    sim.setBehaviour(USERS.selin, { reading: 'never' })
    expect(sim.reset()).toEqual({ messages: 1, tasks: 1, overrides: 1 })
    expect(sim.pending()).toEqual({ tasks: 0, nextAt: undefined, undelivered: 0, unread: 0 })
    expect(sim.behaviours()).toEqual([])
    expect(sim.behaviourOf(USERS.selin)).toEqual({ presence: 'online', reading: 'delayed' })
    fresh()
    advance(60_000)
    expect(fresh()).toEqual([])
    // And it goes on working.
    send(USERS.selin, text('m2'))
    advance(300)
    expect(fresh().map((event) => Object.keys(event).at(-1))).toEqual(['messageEcho', 'delivery'])
  })

  it('stop leaves nothing pending and emits nothing after', () => {
    const { sim, advance, fresh, send } = simulation()
    send(USERS.selin, text('m1'))
    fresh()
    sim.stop()
    expect(sim.pending().tasks).toBe(0)
    advance(60_000)
    expect(sim.tick()).toBe(0)
    send(USERS.selin, text('m2'))
    expect(sim.deliver({ messageId: 'm2' })).toMatchObject({ ok: true, events: [] })
    expect(fresh()).toEqual([])
    expect(sim.pending().tasks).toBe(0)
  })

  it('an error of emit goes to onError, and the rest still goes out; without onError it is thrown', () => {
    const errors: unknown[] = []
    const sent: MessagingEvent[] = []
    let fail = true
    const { advance, keys, send } = simulation({
      onError: (error) => errors.push(error),
      emit: (_, event) => {
        if (fail) {
          fail = false
          throw new Error('webhook queue full')
        }
        sent.push(event)
      },
    })
    send(USERS.selin, text('m'))
    advance(300)
    expect(errors).toEqual([new Error('webhook queue full')])
    expect(keys(sent)).toEqual(['delivery'])

    const loud = simulation({
      emit: () => {
        throw new Error('refused')
      },
    })
    expect(() => loud.send(USERS.selin, text('m'))).toThrow('refused')
    // Stored and planned all the same.
    expect(loud.sim.pending()).toMatchObject({ tasks: 1, undelivered: 1 })
  })
})

describe('a running clock', () => {
  it('delivers and reads by itself, by real timers (short delays)', async () => {
    const clock = controllableClock()
    const events: MessagingEvent[] = []
    let wake: () => void = () => {}
    const sim = createSimulation({
      clock,
      resolve: () => USERS.selin,
      emit: (_, event) => {
        events.push(event)
        if ('reads' in event) wake()
      },
      deliveryMs: 10,
      readMs: 10,
    })
    onTestFinished(() => sim.stop())
    const read = new Promise<void>((resolve) => (wake = resolve))
    const sentAt = clock.now()
    sim.send(KREDI_BOT, { appCustomerId: '70021' }, text('m'), sentAt)
    await read
    expect(events.map((event) => Object.keys(event).at(-1))).toEqual(['messageEcho', 'delivery', 'reads'])
    expect(delivery(events[1]).watermark).toBe(sentAt + 10)
    expect(reads(events[2]).watermark).toBe(sentAt + 20)
    expect(sim.pending().tasks).toBe(0)
  })

  it('a frozen clock runs nothing by itself: the admin API’s move does', () => {
    const { clock, sim, fresh, keys, send } = simulation({
      timers: {
        setTimeout: () => {
          throw new Error('no timer while frozen')
        },
        clearTimeout: () => {},
      },
    })
    send(USERS.selin, text('m'))
    expect(keys(fresh())).toEqual(['messageEcho'])
    expect(sim.tick()).toBe(0)
    clock.advance(0.3)
    expect(keys(fresh())).toEqual(['delivery'])
  })
})
