import type { BotMessageFromUser, BotMessageToUser } from '../messaging/bot-conversation.js'
import type { MessageContent, Pressable } from '../messaging/message-content.js'
import { recipientKey, type Recipient } from '../messaging/recipient.js'
import type { SliceRange } from './messages.js'
import type { TimeWindow } from './time-index.js'

/**
 * The bots' conversations (docs/contract.md D28): every message a bot sent to a user, with its
 * simulated delivery and reading, and every message a user sent back (written or pressed).
 * Unlike the fixture store it changes as the mock runs, so it is bounded: past `limit` messages
 * the oldest one (the first stored) goes, and with it everything that refers to it (its place in
 * the conversation, the waiting lists, the mid index; an emptied conversation goes too). Plain
 * data in, queries out; no clock, no HTTP: the simulation (`simulation/simulation.ts`) says
 * when things happen.
 */

/** A message a bot sent, as stored: the page's shape plus whose it is. */
export interface StoredToUser extends BotMessageToUser {
  /** The bot's name. */
  readonly bot: string
  /** The user it was sent to, as the store knew them at the time. */
  readonly recipient: Recipient
  /** Order of arrival in the store, unique for the store's lifetime (never reused, not even after `clear`). */
  readonly seq: number
}

/** A message a user sent to a bot: a text, or the text of a pressed button. */
export interface StoredFromUser extends BotMessageFromUser {
  readonly bot: string
  readonly recipient: Recipient
  readonly seq: number
}

export type StoredBotMessage = StoredToUser | StoredFromUser

export interface ToUserInit {
  readonly bot: string
  readonly recipient: Recipient
  readonly mid: string
  readonly content: MessageContent
  readonly quickReplies: readonly Pressable[]
  readonly sentAt: number
}

export interface FromUserInit {
  readonly bot: string
  readonly recipient: Recipient
  /** The mid of the bot's message it answers. */
  readonly mid: string
  readonly text: string
  readonly sentAt: number
  readonly pressed?: { readonly title: string; readonly seenByUser: string }
}

/** A user, by its key (`customer:70021`) or by kind and number. */
export type UserKeyLike = string | Pick<Recipient, 'kind' | 'id'>

/** One conversation of a bot, as a list shows it. */
export interface ConversationSummary {
  readonly bot: string
  /** The user, as the newest message of the conversation names them. */
  readonly recipient: Recipient
  readonly messages: number
  readonly toUser: number
  readonly fromUser: number
  /** The newest message's `sentAt`. */
  readonly lastMessageAt: number
  /** Bot messages not delivered yet. */
  readonly undelivered: number
  /** Bot messages delivered and not read yet. */
  readonly unread: number
}

export interface ConversationQuery {
  /** Only messages sent within it (both ends inclusive). */
  readonly window?: TimeWindow
  /** Only these positions of the (windowed) conversation. */
  readonly range?: SliceRange
}

/** Part of a conversation, oldest first, and how many the whole (windowed) conversation holds. */
export interface BotMessageSlice {
  readonly total: number
  readonly messages: readonly StoredBotMessage[]
}

export interface BotMessageCounts {
  readonly messages: number
  readonly toUser: number
  readonly fromUser: number
  readonly conversations: number
  readonly undelivered: number
  readonly unread: number
  /** Messages dropped for the bound since the store was made (or cleared). */
  readonly dropped: number
}

export interface BotMessageStore {
  /** How many messages it keeps at most. */
  readonly limit: number
  /** Stores a bot's message, undelivered; may drop the oldest message. */
  addToUser(init: ToUserInit): StoredToUser
  /** Stores a user's message; may drop the oldest message. */
  addFromUser(init: FromUserInit): StoredFromUser
  /** Marks a stored bot message delivered at `at`; false when it is no longer stored or already delivered. */
  markDelivered(message: StoredToUser, at: number): boolean
  /** Marks a delivered bot message read at `at`; false when it is no longer stored, not delivered or already read. */
  markRead(message: StoredToUser, at: number): boolean
  /** Whether the message is still stored (not dropped for the bound, not cleared). */
  contains(message: StoredBotMessage): boolean
  /** The newest bot message with this mid (clients may reuse their ids), optionally only of one bot. */
  newestWithMid(mid: string, bot?: string): StoredToUser | undefined
  /** A bot's conversations, the most recently active first. */
  conversations(bot: string): ConversationSummary[]
  conversationSummary(bot: string, user: UserKeyLike): ConversationSummary | undefined
  /**
   * One conversation, oldest first (by `sentAt`, then order of arrival); a user the bot never
   * wrote to has an empty one. With a `range`, only those positions are copied out.
   */
  conversation(bot: string, user: UserKeyLike, query?: ConversationQuery): BotMessageSlice
  /** The bot's messages to the user not delivered yet, in the order they were sent. */
  undelivered(bot: string, user: UserKeyLike): StoredToUser[]
  /** The bot's messages to the user delivered and not read yet, in the order they were sent. */
  unread(bot: string, user: UserKeyLike): StoredToUser[]
  /** The newest bot message of the conversation; with `delivered`, the newest delivered one. */
  lastToUser(bot: string, user: UserKeyLike, delivered?: boolean): StoredToUser | undefined
  /** The bots with a conversation with the user. */
  botsOf(user: UserKeyLike): string[]
  /** The bots with any conversation. */
  bots(): string[]
  /** The user as the newest stored message of any of its conversations names them. */
  recipient(user: UserKeyLike): Recipient | undefined
  counts(): BotMessageCounts
  /** Forgets every message; returns how many there were. */
  clear(): number
}

/** The store as its readers (the admin API, the pages) see it: queries only; the simulation writes. */
export type BotMessageReader = Omit<
  BotMessageStore,
  'addToUser' | 'addFromUser' | 'markDelivered' | 'markRead' | 'clear'
>

export interface BotMessageStoreOptions {
  /** Default `DEFAULT_BOT_MESSAGE_LIMIT`. */
  readonly limit?: number
  /** Told of each message dropped for the bound (the simulation cancels what it planned for it). */
  readonly onDrop?: (message: StoredBotMessage) => void
}

export const DEFAULT_BOT_MESSAGE_LIMIT = 100_000

type Mutable<T> = { -readonly [Key in keyof T]: T[Key] }

interface Conversation {
  readonly bot: string
  readonly key: string
  recipient: Recipient
  /** Sorted by `sentAt`, then `seq`. */
  readonly messages: StoredBotMessage[]
  toUser: number
  fromUser: number
  /** Insertion-ordered, so in the order sent. */
  readonly undelivered: Set<StoredToUser>
  readonly unread: Set<StoredToUser>
}

/** A first-in first-out list with O(1) removal at the front. */
class Queue<T> {
  private items: T[] = []
  private head = 0
  get length(): number {
    return this.items.length - this.head
  }
  push(item: T): void {
    this.items.push(item)
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined
    const item = this.items[this.head] as T
    this.head += 1
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }
  /** Newest first. */
  *newestFirst(): Generator<T> {
    for (let index = this.items.length - 1; index >= this.head; index -= 1) yield this.items[index] as T
  }
}

const keyOf = (user: UserKeyLike): string => (typeof user === 'string' ? user : recipientKey(user))

const before = (a: StoredBotMessage, b: StoredBotMessage): boolean =>
  a.sentAt < b.sentAt || (a.sentAt === b.sentAt && a.seq < b.seq)

/** First position in `messages` not before `message` (sorted by time, then seq). */
function positionOf(messages: readonly StoredBotMessage[], message: StoredBotMessage): number {
  let low = 0
  let high = messages.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (before(messages[mid] as StoredBotMessage, message)) low = mid + 1
    else high = mid
  }
  return low
}

/** First position whose `sentAt` is >= `time` (> with `after`). */
function timeBound(messages: readonly StoredBotMessage[], time: number, after: boolean): number {
  let low = 0
  let high = messages.length
  while (low < high) {
    const mid = (low + high) >>> 1
    const t = (messages[mid] as StoredBotMessage).sentAt
    if (t < time || (after && t === time)) low = mid + 1
    else high = mid
  }
  return low
}

function byKey(a: ConversationSummary, b: ConversationSummary): number {
  const left = recipientKey(a.recipient)
  const right = recipientKey(b.recipient)
  return left < right ? -1 : left > right ? 1 : 0
}

function summaryOf(conversation: Conversation): ConversationSummary {
  const last = conversation.messages[conversation.messages.length - 1]
  return {
    bot: conversation.bot,
    recipient: conversation.recipient,
    messages: conversation.messages.length,
    toUser: conversation.toUser,
    fromUser: conversation.fromUser,
    lastMessageAt: last?.sentAt ?? 0,
    undelivered: conversation.undelivered.size,
    unread: conversation.unread.size,
  }
}

export function createBotMessageStore(options: BotMessageStoreOptions = {}): BotMessageStore {
  const limit = options.limit ?? DEFAULT_BOT_MESSAGE_LIMIT
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError('the bot message limit must be a positive integer')
  let seq = 0
  let arrivals = new Queue<StoredBotMessage>()
  /** bot name → user key → conversation. */
  let byBot = new Map<string, Map<string, Conversation>>()
  /** user key → the conversations with it. */
  let byUser = new Map<string, Set<Conversation>>()
  let byMid = new Map<string, Queue<StoredToUser>>()
  /** Every stored message, and its conversation. */
  const conversationOf = new Map<StoredBotMessage, Conversation>()
  let toUserCount = 0
  let undeliveredCount = 0
  let unreadCount = 0
  let dropped = 0

  const find = (bot: string, user: UserKeyLike) => byBot.get(bot)?.get(keyOf(user))

  function open(bot: string, recipient: Recipient): Conversation {
    const key = recipientKey(recipient)
    let conversations = byBot.get(bot)
    if (conversations === undefined) byBot.set(bot, (conversations = new Map()))
    let conversation = conversations.get(key)
    if (conversation === undefined) {
      conversation = {
        bot,
        key,
        recipient,
        messages: [],
        toUser: 0,
        fromUser: 0,
        undelivered: new Set(),
        unread: new Set(),
      }
      conversations.set(key, conversation)
      let ofUser = byUser.get(key)
      if (ofUser === undefined) byUser.set(key, (ofUser = new Set()))
      ofUser.add(conversation)
    }
    return conversation
  }

  function insert(conversation: Conversation, message: StoredBotMessage): void {
    const { messages } = conversation
    const last = messages[messages.length - 1]
    // Almost always the newest: the mock's clock seldom runs backwards.
    if (last === undefined || before(last, message)) messages.push(message)
    else messages.splice(positionOf(messages, message), 0, message)
    if (last === undefined || !before(message, last)) conversation.recipient = message.recipient
    conversationOf.set(message, conversation)
    arrivals.push(message)
    while (conversationOf.size > limit) dropOldest()
  }

  function dropOldest(): void {
    const message = arrivals.shift()
    if (message === undefined) return
    const conversation = conversationOf.get(message) as Conversation
    conversationOf.delete(message)
    dropped += 1
    const position = positionOf(conversation.messages, message)
    conversation.messages.splice(position, 1)
    if (message.direction === 'to-user') {
      conversation.toUser -= 1
      toUserCount -= 1
      if (conversation.undelivered.delete(message)) undeliveredCount -= 1
      if (conversation.unread.delete(message)) unreadCount -= 1
      // The oldest stored message is the oldest of its mid too.
      const ofMid = byMid.get(message.mid)
      ofMid?.shift()
      if (ofMid !== undefined && ofMid.length === 0) byMid.delete(message.mid)
    } else {
      conversation.fromUser -= 1
    }
    if (conversation.messages.length === 0) {
      const conversations = byBot.get(conversation.bot)
      conversations?.delete(conversation.key)
      if (conversations?.size === 0) byBot.delete(conversation.bot)
      const ofUser = byUser.get(conversation.key)
      ofUser?.delete(conversation)
      if (ofUser?.size === 0) byUser.delete(conversation.key)
    }
    options.onDrop?.(message)
  }

  return {
    limit,
    addToUser(init) {
      seq += 1
      const message: StoredToUser = {
        direction: 'to-user',
        bot: init.bot,
        recipient: init.recipient,
        mid: init.mid,
        sentAt: init.sentAt,
        content: init.content,
        quickReplies: init.quickReplies,
        otp: init.content.kind === 'otp',
        seq,
      }
      const conversation = open(init.bot, init.recipient)
      conversation.toUser += 1
      toUserCount += 1
      conversation.undelivered.add(message)
      undeliveredCount += 1
      let ofMid = byMid.get(init.mid)
      if (ofMid === undefined) byMid.set(init.mid, (ofMid = new Queue()))
      ofMid.push(message)
      insert(conversation, message)
      return message
    },
    addFromUser(init) {
      seq += 1
      const message: StoredFromUser = {
        direction: 'from-user',
        bot: init.bot,
        recipient: init.recipient,
        mid: init.mid,
        sentAt: init.sentAt,
        text: init.text,
        ...(init.pressed === undefined ? {} : { pressed: init.pressed }),
        seq,
      }
      const conversation = open(init.bot, init.recipient)
      conversation.fromUser += 1
      insert(conversation, message)
      return message
    },
    markDelivered(message, at) {
      const conversation = conversationOf.get(message)
      if (conversation === undefined || message.deliveredAt !== undefined) return false
      ;(message as Mutable<StoredToUser>).deliveredAt = at
      if (conversation.undelivered.delete(message)) undeliveredCount -= 1
      conversation.unread.add(message)
      unreadCount += 1
      return true
    },
    markRead(message, at) {
      const conversation = conversationOf.get(message)
      if (conversation === undefined || message.deliveredAt === undefined || message.readAt !== undefined) {
        return false
      }
      ;(message as Mutable<StoredToUser>).readAt = at
      if (conversation.unread.delete(message)) unreadCount -= 1
      return true
    },
    contains: (message) => conversationOf.has(message),
    newestWithMid(mid, bot) {
      const ofMid = byMid.get(mid)
      if (ofMid === undefined) return undefined
      for (const message of ofMid.newestFirst()) if (bot === undefined || message.bot === bot) return message
      return undefined
    },
    conversations(bot) {
      const conversations = byBot.get(bot)
      if (conversations === undefined) return []
      return [...conversations.values()]
        .map(summaryOf)
        .sort((a, b) => b.lastMessageAt - a.lastMessageAt || byKey(a, b))
    },
    conversationSummary(bot, user) {
      const conversation = find(bot, user)
      return conversation === undefined ? undefined : summaryOf(conversation)
    },
    conversation(bot, user, query = {}) {
      const messages = find(bot, user)?.messages ?? []
      const { window, range } = query
      if (window !== undefined && window.start > window.end) return { total: 0, messages: [] }
      const first = window === undefined ? 0 : timeBound(messages, window.start, false)
      const end = window === undefined ? messages.length : timeBound(messages, window.end, true)
      const from = range === undefined ? first : Math.min(end, first + Math.max(0, range.offset))
      const to = range === undefined ? end : Math.min(end, from + Math.max(0, range.limit))
      return { total: end - first, messages: messages.slice(from, to) }
    },
    undelivered: (bot, user) => [...(find(bot, user)?.undelivered ?? [])],
    unread: (bot, user) => [...(find(bot, user)?.unread ?? [])],
    lastToUser(bot, user, delivered = false) {
      const conversation = find(bot, user)
      if (conversation === undefined) return undefined
      let newest: StoredToUser | undefined
      for (const message of conversation.messages) {
        if (message.direction !== 'to-user' || (delivered && message.deliveredAt === undefined)) continue
        if (newest === undefined || message.seq > newest.seq) newest = message
      }
      return newest
    },
    bots: () => [...byBot.keys()],
    botsOf: (user) => [...(byUser.get(keyOf(user)) ?? [])].map((conversation) => conversation.bot),
    recipient(user) {
      let newest: StoredBotMessage | undefined
      for (const conversation of byUser.get(keyOf(user)) ?? []) {
        const last = conversation.messages[conversation.messages.length - 1]
        if (last !== undefined && (newest === undefined || last.seq > newest.seq)) newest = last
      }
      return newest?.recipient
    },
    counts: () => ({
      messages: conversationOf.size,
      toUser: toUserCount,
      fromUser: conversationOf.size - toUserCount,
      conversations: [...byBot.values()].reduce((sum, conversations) => sum + conversations.size, 0),
      undelivered: undeliveredCount,
      unread: unreadCount,
      dropped,
    }),
    clear() {
      const count = conversationOf.size
      arrivals = new Queue()
      byBot = new Map()
      byUser = new Map()
      byMid = new Map()
      conversationOf.clear()
      toUserCount = 0
      undeliveredCount = 0
      unreadCount = 0
      dropped = 0
      return count
    },
  }
}
