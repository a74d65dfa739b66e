import { randomBytes } from 'node:crypto'
import type { ControllableClock } from '../clock.js'
import type { Bot } from '../messaging/bots.js'
import type { RecipientQuery } from '../messaging/message-content.js'
import type { MessagingService, SendResult } from '../messaging/messaging-service.js'
import { recipientKey, type Recipient, type RecipientBehaviour } from '../messaging/recipient.js'
import {
  createBotMessageStore,
  type BotMessageReader,
  type StoredFromUser,
  type StoredToUser,
} from '../store/bot-messages.js'
import type { MessagingEvent, RecipientIds } from '../webhooks/events.js'
import { failure, quoted, type SimulationFailure } from './failures.js'
import { createScheduler, type TaskId, type Timers } from './scheduler.js'
import {
  choosePressable,
  otpChoice,
  pressTextOf,
  seenByUser,
  type ButtonRef,
  type ChoiceResult,
  type ElementRef,
  type PressableChoice,
} from './user-actions.js'

/**
 * The simulated users (docs/contract.md D28): what happens to a bot's message once sent. It joins
 * the store of bot conversations and its `messageEcho` goes out at once; it is delivered
 * `deliveryMs` later unless the user's device is offline, and read `readMs` after delivery (or
 * when delivered, or never), each user's behaviour as the fixtures say and as the admin API
 * changes it. Deliveries and reads that fall due together (one tick of the mock's clock, or one
 * admin action) for one bot and one user are one event, as in the docs' sequence 4. The admin
 * API can also deliver and read by hand, and make a user answer, press a button or approve an
 * OTP (`Messages` events). A user only answers what they saw: answering or pressing a message
 * first delivers and reads it, and the bot's older messages to that user. Every time is the
 * mock's clock's; the events go to `emit`, which batches them for the bot's webhook.
 */

export interface SimulationOptions {
  readonly clock: ControllableClock
  /** The user a send names (`resolveRecipient` over the store); undefined: not found. */
  resolve(query: RecipientQuery): Recipient | undefined
  /** Where each event goes (the webhook dispatcher). Nothing is emitted after `stop()`. */
  emit(bot: Bot, event: MessagingEvent): void
  /** The bots by name, for actions addressed by a message (the bot on the stored message); default: the bots seen sending. */
  readonly bots?: (name: string) => Bot | undefined
  /** Default 300 (`DLG_SIM_DELIVERY_MS`). */
  readonly deliveryMs?: number
  /** Default 2000 (`DLG_SIM_READ_MS`). */
  readonly readMs?: number
  /** Bound of the store of bot conversations (default 100 000). */
  readonly maxMessages?: number
  /** The mid of a message sent without `messageId` (default `randomMessageId`). */
  newMessageId?(): string
  /** An error thrown by `emit` (or a task): told here. Unset: it is thrown (from a timer: uncaught). */
  readonly onError?: (error: unknown) => void
  readonly timers?: Timers
}

/** A user, as an admin names them: a send's recipient, a kind and number, or a key (`customer:70021`). */
export type UserRef = RecipientQuery | Pick<Recipient, 'kind' | 'id'> | string

/** The messages an action is about: one by its mid (the newest with it), or all of a bot, a user, or both. */
export type MessageSelector =
  | { readonly messageId: string; readonly bot?: string }
  | { readonly bot?: string; readonly recipient?: UserRef }

export type ReplyRequest =
  | { readonly messageId: string; readonly bot?: string; readonly text: string }
  | { readonly bot: string; readonly recipient: UserRef; readonly text: string }

export interface PressRequest {
  readonly messageId: string
  readonly bot?: string
  readonly button: ButtonRef
  readonly element?: ElementRef
}

export interface OtpRequest {
  readonly messageId: string
  readonly bot?: string
  readonly action: 'approve' | 'dismiss'
}

/** Every success says which events the action emitted, in order. */
interface Done {
  readonly ok: true
  readonly events: readonly MessagingEvent[]
}

export type DeliverResult = (Done & { readonly delivered: readonly string[] }) | SimulationFailure
export type ReadResult =
  (Done & { readonly delivered: readonly string[]; readonly read: readonly string[] }) | SimulationFailure
export type ReplyResult =
  (Done & { readonly answered: string; readonly message: StoredFromUser }) | SimulationFailure
export type PressResult =
  | (Done & {
      readonly answered: string
      readonly pressed: PressableChoice
      /** A postback: what the user sent back (`[<id>]:<payload>`) and its `Messages` event. */
      readonly text?: string
      readonly message?: StoredFromUser
      /** A `web_url` button: the URL the device opened; no `Messages` event is sent. */
      readonly opened?: string
    })
  | SimulationFailure
export type BehaviourResult =
  (Done & { readonly recipient: Recipient; readonly behaviour: RecipientBehaviour }) | SimulationFailure

export interface PendingCounts {
  /** Deliveries and reads planned. */
  readonly tasks: number
  /** When the next is due; undefined: none. */
  readonly nextAt: number | undefined
  readonly undelivered: number
  readonly unread: number
}

export interface ResetResult {
  readonly messages: number
  readonly tasks: number
  readonly overrides: number
}

export interface Simulation extends MessagingService {
  /** The bots' conversations, to read (the admin API, the pages). */
  readonly messages: BotMessageReader
  /** Changes a user's behaviour from now on; coming online delivers what waits (one event per bot). */
  setBehaviour(user: UserRef, change: Partial<RecipientBehaviour>): BehaviourResult
  /** A user's behaviour now: the fixtures', with the admin API's changes. */
  behaviourOf(user: UserRef): RecipientBehaviour | undefined
  /** The users whose behaviour was changed at run time (by key, `customer:70021`), with their behaviour now. */
  behaviours(): { readonly user: string; readonly behaviour: RecipientBehaviour }[]
  readonly deliveryMs: number
  readonly readMs: number
  /** Delivers now, whatever the user's presence. */
  deliver(selector: MessageSelector): DeliverResult
  /** Reads now (delivering first what is not delivered), whatever the user's reading. */
  read(selector: MessageSelector): ReadResult
  /** The user writes to the bot, answering the message named, else the newest delivered one. */
  reply(request: ReplyRequest): ReplyResult
  press(request: PressRequest): PressResult
  /** Presses an OTP's first (approve) or second (dismiss) postback button. */
  otp(request: OtpRequest): PressResult
  /** Runs what is due by the clock; returns how many planned deliveries and reads ran. */
  tick(): number
  pending(): PendingCounts
  /** Forgets the messages, the plan and the behaviour changes. */
  reset(): ResetResult
  /** Cancels the timers for good; nothing is emitted after. */
  stop(): void
}

export const DEFAULT_DELIVERY_MS = 300
export const DEFAULT_READ_MS = 2000

/** A mid like the docs' `-7523925115459309081`: a signed 64-bit integer in decimal, from crypto randomness. */
export function randomMessageId(): string {
  return randomBytes(8).readBigInt64BE().toString()
}

/** The user of an event: its customer or staff number and its Diyalog id. */
export function recipientIds(recipient: Recipient): RecipientIds {
  return recipient.kind === 'customer'
    ? { appCustomerId: recipient.id, id: recipient.diyalogId }
    : { appStaffId: recipient.id, id: recipient.diyalogId }
}

/** A user reference as a send's recipient; undefined for a key that is not `customer:<n>` or `staff:<n>`. */
function queryOf(user: UserRef): RecipientQuery | undefined {
  if (typeof user === 'string') {
    const colon = user.indexOf(':')
    const kind = user.slice(0, colon)
    const id = user.slice(colon + 1)
    if (colon < 0 || id === '') return undefined
    return kind === 'customer' ? { appCustomerId: id } : kind === 'staff' ? { appStaffId: id } : undefined
  }
  if ('kind' in user) return user.kind === 'customer' ? { appCustomerId: user.id } : { appStaffId: user.id }
  return user
}

function describeUser(user: UserRef): string {
  if (typeof user === 'string') return quoted(user)
  if ('kind' in user) return quoted(`${user.kind}:${user.id}`)
  if ('appCustomerId' in user) return `appCustomerId ${quoted(user.appCustomerId)}`
  if ('appStaffId' in user) return `appStaffId ${quoted(user.appStaffId)}`
  return `id ${quoted(user.id)}`
}

interface Group {
  readonly kind: 'delivery' | 'reads'
  readonly bot: string
  readonly recipient: Recipient
  readonly mids: string[]
  watermark: number
}
type Entry = Group | { readonly kind: 'message'; readonly bot: string; readonly event: MessagingEvent }

const byArrival = (a: StoredToUser, b: StoredToUser) => a.seq - b.seq

export function createSimulation(options: SimulationOptions): Simulation {
  const { clock } = options
  const deliveryMs = options.deliveryMs ?? DEFAULT_DELIVERY_MS
  const readMs = options.readMs ?? DEFAULT_READ_MS
  const newMessageId = options.newMessageId ?? randomMessageId
  /** The bots seen sending, by name: the fallback of `options.bots`. */
  const seen = new Map<string, Bot>()
  const overrides = new Map<string, Partial<RecipientBehaviour>>()
  const deliveries = new Map<StoredToUser, TaskId>()
  const reads = new Map<StoredToUser, TaskId>()
  let stopped = false

  const store = createBotMessageStore({
    ...(options.maxMessages === undefined ? {} : { limit: options.maxMessages }),
    onDrop: (message) => {
      if (message.direction !== 'to-user') return
      cancelPlanned(deliveries, message)
      cancelPlanned(reads, message)
    },
  })

  // What happens within one tick or one action, sent when it ends: deliveries (and reads) of one
  // bot to one user gather in one group until something else (a `Messages` event) comes between.
  let entries: Entry[] = []
  let groups = new Map<string, Group>()
  let depth = 0

  const scheduler = createScheduler({
    clock,
    wrap: (runDue) => batch(runDue).value,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
  })

  const botNamed = (name: string): Bot | undefined => options.bots?.(name) ?? seen.get(name)

  const effective = (recipient: Recipient): RecipientBehaviour => ({
    ...recipient.behaviour,
    ...overrides.get(recipientKey(recipient)),
  })

  function resolveUser(user: UserRef): Recipient | undefined {
    const query = queryOf(user)
    if (query === undefined) return undefined
    const found = options.resolve(query)
    if (found !== undefined) return found
    if ('id' in query) return undefined
    return store.recipient(
      'appCustomerId' in query ? `customer:${query.appCustomerId}` : `staff:${query.appStaffId}`,
    )
  }

  /** Emits unless stopped; an error of `emit` goes to `onError`, else it is thrown. */
  function emitNow(bot: Bot | undefined, event: MessagingEvent): boolean {
    if (stopped || bot === undefined) return false
    if (options.onError === undefined) {
      options.emit(bot, event)
      return true
    }
    try {
      options.emit(bot, event)
    } catch (error) {
      options.onError(error)
    }
    return true
  }

  function batch<T>(work: () => T): { readonly value: T; readonly events: MessagingEvent[] } {
    depth += 1
    let value: T
    try {
      value = work()
    } finally {
      depth -= 1
    }
    return { value, events: depth === 0 ? flush() : [] }
  }

  /** Emits what gathered, in order; an error thrown by `emit` is thrown once the rest went out. */
  function flush(): MessagingEvent[] {
    const sent: MessagingEvent[] = []
    let failed: { readonly error: unknown } | undefined
    while (entries.length > 0) {
      const taken = entries
      entries = []
      groups = new Map()
      for (const entry of taken) {
        const event = eventOf(entry)
        try {
          if (emitNow(botNamed(entry.bot), event)) sent.push(event)
        } catch (error) {
          failed ??= { error }
        }
      }
    }
    if (failed !== undefined) throw failed.error
    return sent
  }

  function eventOf(entry: Entry): MessagingEvent {
    if (entry.kind === 'message') return entry.event
    const base = {
      sender: { id: botNamed(entry.bot)?.diyalogId ?? '' },
      recipient: recipientIds(entry.recipient),
      timestamp: entry.watermark,
    }
    const receipt = { mids: entry.mids, watermark: entry.watermark }
    return entry.kind === 'delivery' ? { ...base, delivery: receipt } : { ...base, reads: receipt }
  }

  function note(kind: Group['kind'], message: StoredToUser, at: number): void {
    const key = `${kind}\n${message.bot}\n${recipientKey(message.recipient)}`
    let group = groups.get(key)
    if (group === undefined) {
      group = { kind, bot: message.bot, recipient: message.recipient, mids: [], watermark: at }
      groups.set(key, group)
      entries.push(group)
    }
    group.mids.push(message.mid)
    group.watermark = Math.max(group.watermark, at)
  }

  function noteMessage(bot: string, event: MessagingEvent): void {
    entries.push({ kind: 'message', bot, event })
    // What follows is after it: no later delivery joins an earlier event.
    groups = new Map()
  }

  function cancelPlanned(plan: Map<StoredToUser, TaskId>, message: StoredToUser): void {
    const id = plan.get(message)
    if (id === undefined) return
    plan.delete(message)
    scheduler.cancel(id)
  }

  function planDelivery(message: StoredToUser, time: number): void {
    if (stopped) return
    cancelPlanned(deliveries, message)
    const id = scheduler.at(time, () => {
      deliveries.delete(message)
      if (effective(message.recipient).presence === 'offline') return
      deliverNow(message, time)
    })
    deliveries.set(message, id)
  }

  function planRead(message: StoredToUser, time: number): void {
    if (stopped) return
    cancelPlanned(reads, message)
    const id = scheduler.at(time, () => {
      reads.delete(message)
      if (effective(message.recipient).reading === 'never') return
      readNow(message, time)
    })
    reads.set(message, id)
  }

  /** Delivers it at `at`; reading follows the user's behaviour. False: gone or already delivered. */
  function deliverNow(message: StoredToUser, at: number): boolean {
    if (!store.markDelivered(message, at)) return false
    cancelPlanned(deliveries, message)
    note('delivery', message, at)
    const { reading } = effective(message.recipient)
    if (reading === 'at-once') readNow(message, at)
    else if (reading === 'delayed') planRead(message, at + readMs)
    return true
  }

  function readNow(message: StoredToUser, at: number): boolean {
    if (!store.markRead(message, at)) return false
    cancelPlanned(reads, message)
    note('reads', message, at)
    return true
  }

  /** The user opens the conversation at `message`: it and the bot's older messages to them are delivered, then read. */
  function see(message: StoredToUser, at: number): void {
    const upTo = (entry: StoredToUser) => entry.seq <= message.seq
    for (const entry of store.undelivered(message.bot, message.recipient).filter(upTo)) deliverNow(entry, at)
    for (const entry of store.unread(message.bot, message.recipient).filter(upTo)) readNow(entry, at)
  }

  function userMessage(message: StoredToUser, text: string, at: number, pressed?: PressableChoice) {
    const stored = store.addFromUser({
      bot: message.bot,
      recipient: message.recipient,
      mid: message.mid,
      text,
      sentAt: at,
      ...(pressed === undefined
        ? {}
        : { pressed: { title: pressed.pressable.title, seenByUser: seenByUser(pressed.pressable) } }),
    })
    noteMessage(message.bot, {
      sender: { id: botNamed(message.bot)?.diyalogId ?? '' },
      recipient: recipientIds(message.recipient),
      timestamp: at,
      message: { mid: message.mid, text },
    })
    return stored
  }

  type Found<T> = { readonly ok: true; readonly value: T } | SimulationFailure

  function messageById(messageId: string, bot?: string): Found<StoredToUser> {
    const message = store.newestWithMid(messageId, bot)
    if (message !== undefined) return { ok: true, value: message }
    const of = bot === undefined ? '' : ` of bot ${quoted(bot)}`
    return failure('message-not-found', `no message${of} with messageId ${quoted(messageId)} is stored`)
  }

  function checkBot(name: string): SimulationFailure | undefined {
    if (botNamed(name) !== undefined || store.conversations(name).length > 0) return undefined
    return failure('bot-not-found', `no bot is named ${quoted(name)}`)
  }

  /** The (bot, user key) pairs a selector without a messageId covers. */
  function conversationsOf(selector: {
    readonly bot?: string
    readonly recipient?: UserRef
  }): Found<[string, string][]> {
    const { bot, recipient } = selector
    if (bot !== undefined) {
      const missing = checkBot(bot)
      if (missing !== undefined) return missing
    }
    let key: string | undefined
    if (recipient !== undefined) {
      const user = resolveUser(recipient)
      if (user === undefined) return failure('recipient-not-found', `no user is ${describeUser(recipient)}`)
      key = recipientKey(user)
    }
    const bots = bot !== undefined ? [bot] : key !== undefined ? store.botsOf(key) : store.bots()
    const pairs: [string, string][] = []
    for (const name of bots) {
      if (key !== undefined) pairs.push([name, key])
      else
        for (const summary of store.conversations(name)) pairs.push([name, recipientKey(summary.recipient)])
    }
    return { ok: true, value: pairs }
  }

  function press(message: StoredToUser, chosen: ChoiceResult): PressResult {
    if (!chosen.ok) return chosen
    const { choice } = chosen
    const bot = botNamed(message.bot)
    if (bot === undefined)
      return failure('bot-not-found', `the bot ${quoted(message.bot)} of the message is gone`)
    const at = clock.now()
    const done = batch(() => {
      see(message, at)
      if (choice.pressable.type === 'web_url') return { opened: choice.pressable.payload }
      const text = pressTextOf(choice, bot)
      return { text, message: userMessage(message, text, at, choice) }
    })
    return { ok: true, events: done.events, answered: message.mid, pressed: choice, ...done.value }
  }

  return {
    messages: store,

    send(bot, query, message, nowMs): SendResult {
      const recipient = options.resolve(query)
      if (recipient === undefined) return { ok: false, reason: 'recipient-not-found' }
      seen.set(bot.name, bot)
      const mid = message.messageId ?? newMessageId()
      const stored = store.addToUser({
        bot: bot.name,
        recipient,
        mid,
        content: message.content,
        quickReplies: message.quickReplies,
        sentAt: nowMs,
      })
      // Planned before the echo goes out: an echo that fails to go out leaves the message's fate as it is.
      if (effective(recipient).presence === 'online') planDelivery(stored, nowMs + deliveryMs)
      emitNow(bot, {
        sender: { id: bot.diyalogId },
        recipient: recipientIds(recipient),
        timestamp: nowMs,
        messageEcho: { app_id: Number(bot.diyalogId), is_echo: true, mid },
      })
      // A delivery due already (DLG_SIM_DELIVERY_MS=0) goes at once, even with the clock frozen.
      scheduler.tick()
      return { ok: true, recipientId: recipient.diyalogId, messageId: mid }
    },

    setBehaviour(user, change) {
      const recipient = resolveUser(user)
      if (recipient === undefined) return failure('recipient-not-found', `no user is ${describeUser(user)}`)
      const key = recipientKey(recipient)
      const before = effective(recipient)
      overrides.set(key, {
        ...overrides.get(key),
        ...(change.presence === undefined ? {} : { presence: change.presence }),
        ...(change.reading === undefined ? {} : { reading: change.reading }),
      })
      const after = effective(recipient)
      const at = clock.now()
      const done = batch(() => {
        for (const bot of store.botsOf(key)) {
          const waiting = store.undelivered(bot, key)
          if (before.presence === 'offline' && after.presence === 'online') {
            for (const message of waiting) deliverNow(message, at)
          } else if (after.presence === 'offline') {
            for (const message of waiting) cancelPlanned(deliveries, message)
          }
          if (after.reading === before.reading) continue
          for (const message of store.unread(bot, key)) {
            if (after.reading === 'never') cancelPlanned(reads, message)
            else if (after.reading === 'at-once') readNow(message, at)
            else if (!reads.has(message)) planRead(message, at + readMs)
          }
        }
      })
      return { ok: true, events: done.events, recipient, behaviour: after }
    },

    behaviourOf(user) {
      const recipient = resolveUser(user)
      return recipient === undefined ? undefined : effective(recipient)
    },

    behaviours() {
      const listed: { readonly user: string; readonly behaviour: RecipientBehaviour }[] = []
      for (const user of overrides.keys()) {
        const recipient = resolveUser(user)
        if (recipient !== undefined) listed.push({ user, behaviour: effective(recipient) })
      }
      return listed
    },

    deliveryMs,
    readMs,

    deliver(selector) {
      let targets: StoredToUser[]
      if ('messageId' in selector) {
        const found = messageById(selector.messageId, selector.bot)
        if (!found.ok) return found
        if (found.value.deliveredAt !== undefined) {
          return failure(
            'already-delivered',
            `message ${quoted(found.value.mid)} was delivered at ${found.value.deliveredAt}`,
          )
        }
        targets = [found.value]
      } else {
        const pairs = conversationsOf(selector)
        if (!pairs.ok) return pairs
        targets = pairs.value.flatMap(([bot, key]) => store.undelivered(bot, key))
        if (targets.length === 0)
          return failure('nothing-to-deliver', 'every message it names is delivered already')
      }
      const at = clock.now()
      const done = batch(() =>
        targets.filter((message) => deliverNow(message, at)).map((message) => message.mid),
      )
      return { ok: true, events: done.events, delivered: done.value }
    },

    read(selector) {
      let targets: StoredToUser[]
      if ('messageId' in selector) {
        const found = messageById(selector.messageId, selector.bot)
        if (!found.ok) return found
        if (found.value.readAt !== undefined) {
          return failure(
            'already-read',
            `message ${quoted(found.value.mid)} was read at ${found.value.readAt}`,
          )
        }
        targets = [found.value]
      } else {
        const pairs = conversationsOf(selector)
        if (!pairs.ok) return pairs
        targets = pairs.value.flatMap(([bot, key]) =>
          [...store.undelivered(bot, key), ...store.unread(bot, key)].sort(byArrival),
        )
        if (targets.length === 0) return failure('nothing-to-read', 'every message it names is read already')
      }
      const at = clock.now()
      const done = batch(() => {
        const delivered = targets.filter((message) => deliverNow(message, at)).map((message) => message.mid)
        for (const message of targets) readNow(message, at)
        return {
          delivered,
          read: targets.filter((message) => message.readAt === at).map((message) => message.mid),
        }
      })
      return { ok: true, events: done.events, ...done.value }
    },

    reply(request) {
      if (request.text === '') return failure('empty-text', 'a reply needs a text')
      let answered: StoredToUser
      if ('messageId' in request) {
        const found = messageById(request.messageId, request.bot)
        if (!found.ok) return found
        answered = found.value
      } else {
        const missing = checkBot(request.bot)
        if (missing !== undefined) return missing
        const user = resolveUser(request.recipient)
        if (user === undefined)
          return failure('recipient-not-found', `no user is ${describeUser(request.recipient)}`)
        const last = store.lastToUser(request.bot, user, true) ?? store.lastToUser(request.bot, user)
        if (last === undefined) {
          return failure(
            'nothing-to-answer',
            `bot ${quoted(request.bot)} has sent ${describeUser(request.recipient)} nothing to answer`,
          )
        }
        answered = last
      }
      const message = answered
      const at = clock.now()
      const done = batch(() => {
        see(message, at)
        return userMessage(message, request.text, at)
      })
      return { ok: true, events: done.events, answered: message.mid, message: done.value }
    },

    press(request) {
      const found = messageById(request.messageId, request.bot)
      if (!found.ok) return found
      return press(found.value, choosePressable(found.value, request.button, request.element))
    },

    otp(request) {
      const found = messageById(request.messageId, request.bot)
      if (!found.ok) return found
      return press(found.value, otpChoice(found.value, request.action))
    },

    tick: () => scheduler.tick(),

    pending() {
      const counts = store.counts()
      return {
        tasks: scheduler.pending(),
        nextAt: scheduler.nextAt(),
        undelivered: counts.undelivered,
        unread: counts.unread,
      }
    },

    reset() {
      const result = {
        messages: store.counts().messages,
        tasks: scheduler.clear(),
        overrides: overrides.size,
      }
      deliveries.clear()
      reads.clear()
      overrides.clear()
      store.clear()
      entries = []
      groups = new Map()
      return result
    },

    stop() {
      stopped = true
      scheduler.stop()
      deliveries.clear()
      reads.clear()
      entries = []
      groups = new Map()
    },
  }
}
