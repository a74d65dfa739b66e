import type { Customer, Fixtures, Message, StaffMember } from './fixture-schema.js'
import { swappable, type Swappable } from './swappable.js'

/** A closed time window in epoch milliseconds: `start <= sentAt <= end`. */
export interface TimeWindow {
  readonly start: number
  readonly end: number
}

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

export interface MessageStore {
  staff(staffId: string): StaffMember | undefined
  customer(customerId: string): Customer | undefined
  /**
   * Messages between one staff member and one customer sent within the window (both ends
   * inclusive), oldest first; messages sent at the same millisecond are ordered by id.
   * With a `range`, only those positions are copied out, so a page of a huge window costs
   * O(log n + page size); `total` always counts the whole window.
   */
  messagesBetween(staffId: string, customerId: string, window: TimeWindow, range?: SliceRange): MessageSlice
  readonly counts: { readonly staff: number; readonly customers: number; readonly messages: number }
}

/** The messages of one staff–customer pair, sorted once, with their times in a flat array. */
interface PairIndex {
  readonly messages: readonly Message[]
  readonly times: Float64Array
}

/** First index whose time is >= `time` (or > `time` when `after`). */
function bound(times: Float64Array, time: number, after: boolean): number {
  let low = 0
  let high = times.length
  while (low < high) {
    const mid = (low + high) >>> 1
    const t = times[mid] as number
    if (t < time || (after && t === time)) low = mid + 1
    else high = mid
  }
  return low
}

const NO_MESSAGES: MessageSlice = { total: 0, messages: [] }

function byTimeThenId(a: Message, b: Message): number {
  return a.sentAt - b.sentAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/**
 * Builds the in-memory store: lookups by id and, per staff–customer pair, a time-sorted
 * index so a window query costs O(log n + k) whatever the size of the store.
 */
export function createStore(fixtures: Fixtures): MessageStore {
  const staff = new Map(fixtures.staff.map((member) => [member.staffId, member]))
  const customers = new Map(fixtures.customers.map((customer) => [customer.customerId, customer]))

  const grouped = new Map<string, Map<string, Message[]>>()
  let messageCount = 0
  for (const conversation of fixtures.conversations) {
    const byCustomer = grouped.get(conversation.staffId) ?? new Map<string, Message[]>()
    grouped.set(conversation.staffId, byCustomer)
    const messages = byCustomer.get(conversation.customerId) ?? []
    byCustomer.set(conversation.customerId, messages)
    // One by one: spreading a huge conversation into push() overflows the call stack.
    for (const message of conversation.messages) messages.push(message)
    messageCount += conversation.messages.length
  }

  const index = new Map<string, Map<string, PairIndex>>()
  for (const [staffId, byCustomer] of grouped) {
    const pairs = new Map<string, PairIndex>()
    for (const [customerId, messages] of byCustomer) {
      messages.sort(byTimeThenId)
      pairs.set(customerId, { messages, times: Float64Array.from(messages, (message) => message.sentAt) })
    }
    index.set(staffId, pairs)
  }

  return {
    staff: (staffId) => staff.get(staffId),
    customer: (customerId) => customers.get(customerId),
    messagesBetween(staffId, customerId, window, range) {
      const pair = index.get(staffId)?.get(customerId)
      if (pair === undefined || window.start > window.end) return NO_MESSAGES
      const first = bound(pair.times, window.start, false)
      const end = bound(pair.times, window.end, true)
      const from = range === undefined ? first : Math.min(end, first + range.offset)
      const to = range === undefined ? end : Math.min(end, from + range.limit)
      return { total: end - first, messages: pair.messages.slice(from, to) }
    },
    counts: { staff: staff.size, customers: customers.size, messages: messageCount },
  }
}

/** A store whose data can be swapped whole (admin API fixture reload), seen by every route at once. */
export type SwappableStore = Swappable<MessageStore>

export const swappableStore = (initial: MessageStore): SwappableStore => swappable(initial)
