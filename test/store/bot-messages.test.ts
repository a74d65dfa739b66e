import { describe, expect, it } from 'vitest'
import type { MessageContent } from '../../src/messaging/message-content.js'
import { DEFAULT_BEHAVIOUR, type Recipient } from '../../src/messaging/recipient.js'
import {
  createBotMessageStore,
  DEFAULT_BOT_MESSAGE_LIMIT,
  type StoredBotMessage,
  type ToUserInit,
} from '../../src/store/bot-messages.js'

/** The store of bot conversations (D28): mutable, bounded, plain queries. */

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0)
const SELIN: Recipient = {
  kind: 'customer',
  id: '70021',
  diyalogId: '243540663',
  name: 'Selin Yıldız',
  behaviour: DEFAULT_BEHAVIOUR,
}
const EMRE: Recipient = {
  kind: 'staff',
  id: '45186',
  diyalogId: '918273645',
  name: 'Emre',
  behaviour: DEFAULT_BEHAVIOUR,
}
const TEXT: MessageContent = { kind: 'text', text: 'Hello world !' }

const toUser = (mid: string, sentAt: number, overrides: Partial<ToUserInit> = {}): ToUserInit => ({
  bot: 'kredi_bot',
  recipient: SELIN,
  mid,
  content: TEXT,
  quickReplies: [],
  sentAt,
  ...overrides,
})

const mids = (messages: readonly StoredBotMessage[]) => messages.map((message) => message.mid)

describe('bot messages store', () => {
  it('stores a bot message undelivered, then delivered, then read', () => {
    const store = createBotMessageStore()
    expect(store.limit).toBe(DEFAULT_BOT_MESSAGE_LIMIT)
    const message = store.addToUser(toUser('messageId-1', T0))
    expect(message).toEqual({
      direction: 'to-user',
      bot: 'kredi_bot',
      recipient: SELIN,
      mid: 'messageId-1',
      sentAt: T0,
      content: TEXT,
      quickReplies: [],
      otp: false,
      seq: 1,
    })
    expect(mids(store.undelivered('kredi_bot', SELIN))).toEqual(['messageId-1'])
    expect(store.markRead(message, T0 + 1)).toBe(false) // not delivered yet
    expect(store.markDelivered(message, T0 + 300)).toBe(true)
    expect(store.markDelivered(message, T0 + 400)).toBe(false)
    expect(message.deliveredAt).toBe(T0 + 300)
    expect(store.undelivered('kredi_bot', SELIN)).toEqual([])
    expect(mids(store.unread('kredi_bot', 'customer:70021'))).toEqual(['messageId-1'])
    expect(store.markRead(message, T0 + 2300)).toBe(true)
    expect(store.markRead(message, T0 + 2400)).toBe(false)
    expect(message.readAt).toBe(T0 + 2300)
    expect(store.unread('kredi_bot', SELIN)).toEqual([])
    expect(store.counts()).toEqual({
      messages: 1,
      toUser: 1,
      fromUser: 0,
      conversations: 1,
      undelivered: 0,
      unread: 0,
      dropped: 0,
    })
  })

  it('marks an OTP as one', () => {
    const store = createBotMessageStore()
    const otp = store.addToUser(
      toUser('messageId-74', T0, {
        content: { kind: 'otp', mokMessage: 'Your one time password', buttons: [] },
      }),
    )
    expect(otp.otp).toBe(true)
  })

  it('keeps what a user sent, with the mid it answers and what was pressed', () => {
    const store = createBotMessageStore()
    store.addToUser(toUser('messageId-1', T0))
    const written = store.addFromUser({
      bot: 'kredi_bot',
      recipient: SELIN,
      mid: 'messageId-1',
      text: 'Hi',
      sentAt: T0 + 5,
    })
    expect(written).toEqual({
      direction: 'from-user',
      bot: 'kredi_bot',
      recipient: SELIN,
      mid: 'messageId-1',
      text: 'Hi',
      sentAt: T0 + 5,
      seq: 2,
    })
    const pressed = store.addFromUser({
      bot: 'kredi_bot',
      recipient: SELIN,
      mid: 'messageId-1',
      text: '[messageId-1]:YES',
      sentAt: T0 + 6,
      pressed: { title: 'Yes', seenByUser: 'Evet' },
    })
    expect(pressed.pressed).toEqual({ title: 'Yes', seenByUser: 'Evet' })
    expect(store.conversationSummary('kredi_bot', SELIN)).toEqual({
      bot: 'kredi_bot',
      recipient: SELIN,
      messages: 3,
      toUser: 1,
      fromUser: 2,
      lastMessageAt: T0 + 6,
      undelivered: 1,
      unread: 0,
    })
    // A user's message is no bot message: only bot messages are found by mid.
    expect(store.newestWithMid('messageId-1')?.direction).toBe('to-user')
  })

  it('finds the newest message with a mid, optionally of one bot', () => {
    const store = createBotMessageStore()
    const first = store.addToUser(toUser('messageId-1', T0))
    const other = store.addToUser(toUser('messageId-1', T0 + 1, { bot: 'otp_bot' }))
    const second = store.addToUser(toUser('messageId-1', T0 + 2, { recipient: EMRE }))
    expect(store.newestWithMid('messageId-1')).toBe(second)
    expect(store.newestWithMid('messageId-1', 'otp_bot')).toBe(other)
    expect(store.newestWithMid('messageId-1', 'kredi_bot')).toBe(second)
    expect(store.newestWithMid('messageId-1', 'nobody')).toBeUndefined()
    expect(store.newestWithMid('messageId-2')).toBeUndefined()
    expect(first.seq < other.seq && other.seq < second.seq).toBe(true)
  })

  it("lists a bot's conversations, the most recently active first, with their counts", () => {
    const store = createBotMessageStore()
    const a = store.addToUser(toUser('m1', T0))
    store.addToUser(toUser('m2', T0 + 10, { recipient: EMRE }))
    store.addToUser(toUser('m3', T0 + 20))
    store.addToUser(toUser('m4', T0 + 30, { bot: 'otp_bot' }))
    store.markDelivered(a, T0 + 300)
    const listed = store.conversations('kredi_bot')
    expect(listed.map((summary) => [summary.recipient.id, summary.messages, summary.lastMessageAt])).toEqual([
      ['70021', 2, T0 + 20],
      ['45186', 1, T0 + 10],
    ])
    expect(listed[0]).toMatchObject({ undelivered: 1, unread: 1, toUser: 2, fromUser: 0 })
    expect(store.conversations('nobody')).toEqual([])
    expect(store.bots().sort()).toEqual(['kredi_bot', 'otp_bot'])
    expect(store.botsOf(SELIN).sort()).toEqual(['kredi_bot', 'otp_bot'])
    expect(store.botsOf('staff:45186')).toEqual(['kredi_bot'])
    expect(store.counts().conversations).toBe(3)
  })

  it('gives one conversation oldest first, within a window, a page at a time', () => {
    const store = createBotMessageStore()
    for (let index = 0; index < 10; index += 1) store.addToUser(toUser(`m${index}`, T0 + index * 1000))
    expect(mids(store.conversation('kredi_bot', SELIN).messages)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
      'm6',
      'm7',
      'm8',
      'm9',
    ])
    const window = { start: T0 + 2000, end: T0 + 7000 }
    const windowed = store.conversation('kredi_bot', SELIN, { window })
    expect(windowed.total).toBe(6)
    expect(mids(windowed.messages)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6', 'm7'])
    const page = store.conversation('kredi_bot', SELIN, { window, range: { offset: 4, limit: 4 } })
    expect(page.total).toBe(6)
    expect(mids(page.messages)).toEqual(['m6', 'm7'])
    expect(store.conversation('kredi_bot', SELIN, { range: { offset: 20, limit: 5 } })).toEqual({
      total: 10,
      messages: [],
    })
    expect(store.conversation('kredi_bot', SELIN, { window: { start: T0 + 5, end: T0 } })).toEqual({
      total: 0,
      messages: [],
    })
    // A user the bot never wrote to has an empty conversation.
    expect(store.conversation('kredi_bot', EMRE)).toEqual({ total: 0, messages: [] })
  })

  it('orders by send time even when the clock was moved back, and by arrival at the same time', () => {
    const store = createBotMessageStore()
    store.addToUser(toUser('late', T0 + 5000))
    store.addToUser(toUser('early', T0))
    store.addToUser(toUser('early-too', T0))
    expect(mids(store.conversation('kredi_bot', SELIN).messages)).toEqual(['early', 'early-too', 'late'])
    expect(store.conversationSummary('kredi_bot', SELIN)?.lastMessageAt).toBe(T0 + 5000)
    // The newest sent, by arrival, is the last one stored.
    expect(store.lastToUser('kredi_bot', SELIN)?.mid).toBe('early-too')
  })

  it('names the last message sent and the last delivered of a conversation', () => {
    const store = createBotMessageStore()
    const one = store.addToUser(toUser('one', T0))
    store.addToUser(toUser('two', T0 + 1))
    expect(store.lastToUser('kredi_bot', SELIN)?.mid).toBe('two')
    expect(store.lastToUser('kredi_bot', SELIN, true)).toBeUndefined()
    store.markDelivered(one, T0 + 300)
    expect(store.lastToUser('kredi_bot', SELIN, true)?.mid).toBe('one')
    expect(store.lastToUser('kredi_bot', EMRE)).toBeUndefined()
  })

  it('names the user as their newest message does', () => {
    const store = createBotMessageStore()
    store.addToUser(toUser('one', T0))
    const renamed = { ...SELIN, name: 'Selin Y.' }
    store.addToUser(toUser('two', T0 + 1, { bot: 'otp_bot', recipient: renamed }))
    expect(store.recipient('customer:70021')).toBe(renamed)
    expect(store.conversationSummary('kredi_bot', SELIN)?.recipient).toBe(SELIN)
    expect(store.recipient('customer:1')).toBeUndefined()
  })

  it('drops the oldest message past its limit, and everything that refers to it', () => {
    const dropped: string[] = []
    const store = createBotMessageStore({ limit: 3, onDrop: (message) => dropped.push(message.mid) })
    const first = store.addToUser(toUser('m1', T0))
    store.addToUser(toUser('m2', T0 + 1, { recipient: EMRE }))
    const third = store.addToUser(toUser('m3', T0 + 2))
    store.markDelivered(third, T0 + 300)
    expect(store.counts().messages).toBe(3)
    store.addToUser(toUser('m4', T0 + 3))
    expect(dropped).toEqual(['m1'])
    expect(store.contains(first)).toBe(false)
    expect(store.markDelivered(first, T0 + 400)).toBe(false)
    expect(store.newestWithMid('m1')).toBeUndefined()
    expect(mids(store.undelivered('kredi_bot', SELIN))).toEqual(['m4'])
    expect(mids(store.conversation('kredi_bot', SELIN).messages)).toEqual(['m3', 'm4'])
    // Emre's only message goes next, and his conversation with it.
    store.addFromUser({ bot: 'kredi_bot', recipient: SELIN, mid: 'm4', text: 'ok', sentAt: T0 + 4 })
    expect(dropped).toEqual(['m1', 'm2'])
    expect(store.conversationSummary('kredi_bot', EMRE)).toBeUndefined()
    expect(store.botsOf(EMRE)).toEqual([])
    expect(store.recipient(EMRE)).toBeUndefined()
    expect(store.conversations('kredi_bot').map((summary) => summary.recipient.id)).toEqual(['70021'])
    // The delivered one goes with its unread entry.
    store.addToUser(toUser('m5', T0 + 5))
    expect(dropped).toEqual(['m1', 'm2', 'm3'])
    expect(store.unread('kredi_bot', SELIN)).toEqual([])
    expect(store.counts()).toEqual({
      messages: 3,
      toUser: 2,
      fromUser: 1,
      conversations: 1,
      undelivered: 2,
      unread: 0,
      dropped: 3,
    })
  })

  it('drops a reused mid oldest first: the newest with it stays findable', () => {
    const store = createBotMessageStore({ limit: 2 })
    store.addToUser(toUser('same', T0))
    store.addToUser(toUser('same', T0 + 1))
    const newest = store.addToUser(toUser('same', T0 + 2))
    expect(store.newestWithMid('same')).toBe(newest)
    expect(store.counts().messages).toBe(2)
  })

  it('keeps a large bound cheaply (oldest first, in order)', () => {
    const store = createBotMessageStore({ limit: 1000 })
    for (let index = 0; index < 5000; index += 1) store.addToUser(toUser(`m${index}`, T0 + index))
    const all = store.conversation('kredi_bot', SELIN)
    expect(all.total).toBe(1000)
    expect(all.messages[0]?.mid).toBe('m4000')
    expect(all.messages[999]?.mid).toBe('m4999')
    expect(store.undelivered('kredi_bot', SELIN)).toHaveLength(1000)
    expect(store.counts().dropped).toBe(4000)
  })

  it('clears', () => {
    const store = createBotMessageStore()
    const message = store.addToUser(toUser('m1', T0))
    store.addFromUser({ bot: 'kredi_bot', recipient: SELIN, mid: 'm1', text: 'x', sentAt: T0 })
    expect(store.clear()).toBe(2)
    expect(store.contains(message)).toBe(false)
    expect(store.counts()).toEqual({
      messages: 0,
      toUser: 0,
      fromUser: 0,
      conversations: 0,
      undelivered: 0,
      unread: 0,
      dropped: 0,
    })
    expect(store.newestWithMid('m1')).toBeUndefined()
    expect(store.bots()).toEqual([])
    // Order of arrival goes on: a new message never takes an old one's place.
    expect(store.addToUser(toUser('m2', T0)).seq).toBe(3)
  })

  it('refuses a limit that is not a positive integer', () => {
    expect(() => createBotMessageStore({ limit: 0 })).toThrow(RangeError)
    expect(() => createBotMessageStore({ limit: 1.5 })).toThrow(RangeError)
  })
})
