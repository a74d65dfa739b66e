import type { ConversationInput, Message, Person } from './fixture-schema.js'
import type { StoredGroup } from './groups.js'
import { customerKey, pairKey, staffKey, type PersonKey } from './people.js'
import { boundAscending, type TimeWindow } from './time-index.js'

/**
 * The messages, by conversation: each private conversation (two people) and each group,
 * sorted once by time then id, with the times in a flat array, so a window query costs
 * O(log n + k) whatever the size of the store.
 */

/** A run of positions in a window's messages: `offset` skipped, at most `limit` taken. */
export interface SliceRange {
  readonly offset: number
  readonly limit: number
}

/** Part of the messages of a window, and how many the whole window holds. */
export interface MessageSlice {
  readonly total: number
  readonly messages: readonly Message[]
}

/** The messages of one conversation, oldest first. */
export interface ConversationIndex {
  readonly messages: readonly Message[]
  readonly times: Float64Array
}

export const NO_MESSAGES: MessageSlice = { total: 0, messages: [] }

/** The key of a conversation: the two people's pair key, or `g:<groupId>`. */
export type ConversationKey = string
export const groupConversationKey = (groupId: number | string): ConversationKey => `g:${groupId}`

function byTimeThenId(a: Message, b: Message): number {
  return a.sentAt - b.sentAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

type Writable<T> = { -readonly [Key in keyof T]: T[Key] }

/**
 * Completes a fixture message in place into a store `Message` (sender and receiver named): the
 * fixtures are the store's, and a copy of a million messages doubled the peak memory. The ids are
 * the conversation's own strings, shared by all its messages, never one string per message. Safe
 * to run twice on the same record.
 */
function complete(
  raw: object,
  from: Message['from'],
  senderId: string,
  receiverKind: Message['receiverKind'],
  receiverId: string,
): Message {
  const message = raw as Writable<Message>
  message.from = from
  message.senderId = senderId
  message.receiverKind = receiverKind
  message.receiverId = receiverId
  return message
}

/** The sender of a staff–staff or group message: its side and its id, as written or already completed. */
function senderOf(raw: object): { readonly from: Message['from']; readonly id: string } {
  const message = raw as { readonly from: Person | Message['from']; readonly senderId?: string }
  if (message.senderId !== undefined) return { from: message.from as Message['from'], id: message.senderId }
  const person = message.from as Person
  return 'staffId' in person
    ? { from: 'staff', id: person.staffId }
    : { from: 'customer', id: person.customerId }
}

export function indexMessages(
  conversations: readonly ConversationInput[],
  groups: ReadonlyMap<number, StoredGroup>,
): { readonly conversations: ReadonlyMap<ConversationKey, ConversationIndex>; readonly count: number } {
  const grouped = new Map<ConversationKey, Message[]>()
  let count = 0
  const add = (key: ConversationKey, message: Message) => {
    let list = grouped.get(key)
    if (list === undefined) grouped.set(key, (list = []))
    list.push(message)
    count += 1
  }
  /** One string per id for the whole store: JSON.parse gives every message its own copy. */
  const interned = new Map<string, string>()
  const intern = (id: string) => {
    const found = interned.get(id)
    if (found !== undefined) return found
    interned.set(id, id)
    return id
  }
  for (const conversation of conversations) {
    if ('groupId' in conversation) {
      const key = groupConversationKey(conversation.groupId)
      if (!groups.has(conversation.groupId)) continue
      const groupId = String(conversation.groupId)
      for (const raw of conversation.messages) {
        const sender = senderOf(raw)
        add(key, complete(raw, sender.from, intern(sender.id), 'group', groupId))
      }
    } else if ('staffIds' in conversation) {
      const [a, b] = conversation.staffIds.map(intern) as [string, string]
      const key = pairKey(staffKey(a), staffKey(b))
      for (const raw of conversation.messages) {
        const sender = intern(senderOf(raw).id)
        add(key, complete(raw, 'staff', sender, 'staff', sender === a ? b : a))
      }
    } else {
      const staffId = intern(conversation.staffId)
      const customerId = intern(conversation.customerId)
      const key = pairKey(staffKey(staffId), customerKey(customerId))
      for (const raw of conversation.messages) {
        add(
          key,
          raw.from === 'staff'
            ? complete(raw, 'staff', staffId, 'customer', customerId)
            : complete(raw, 'customer', customerId, 'staff', staffId),
        )
      }
    }
  }
  const index = new Map<ConversationKey, ConversationIndex>()
  for (const [key, messages] of grouped) {
    messages.sort(byTimeThenId)
    index.set(key, { messages, times: Float64Array.from(messages, (message) => message.sentAt) })
  }
  return { conversations: index, count }
}

/** The sender of a store message, as a key. */
export function personOfMessage(message: Message): PersonKey {
  return message.from === 'staff' ? staffKey(message.senderId) : customerKey(message.senderId)
}

/**
 * The messages of a conversation within the window (both ends inclusive), oldest first. With a
 * `range`, only those positions are copied out, so a page of a huge window costs
 * O(log n + page size); `total` always counts the whole window.
 */
export function sliceConversation(
  conversation: ConversationIndex | undefined,
  window: TimeWindow,
  range?: SliceRange,
): MessageSlice {
  if (conversation === undefined || window.start > window.end) return NO_MESSAGES
  const first = boundAscending(conversation.times, window.start, false)
  const end = boundAscending(conversation.times, window.end, true)
  const from = range === undefined ? first : Math.min(end, first + range.offset)
  const to = range === undefined ? end : Math.min(end, from + range.limit)
  return { total: end - first, messages: conversation.messages.slice(from, to) }
}
