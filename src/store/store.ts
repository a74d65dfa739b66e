/**
 * The store: the data every Reporting endpoint and link page reads — staff, customers, groups,
 * messages, daily messaging rows, calls, online-help sessions — and what the Messaging API reads
 * of it — the users' Diyalog ids and behaviour, the fixtures' bots — one module per entity,
 * composed here.
 */
import { DEFAULT_BEHAVIOUR, type RecipientBehaviour } from '../messaging/recipient.js'
import { botDiyalogId } from './bots.js'
import { indexCalls, type CallQuery, type StoredCall } from './calls.js'
import { indexCustomers, type StoredCustomer } from './customers.js'
import { indexDiyalogIds } from './diyalog-ids.js'
import { fixtureCounts, type FixtureCounts } from './fixture-kinds.js'
import type { BotRecord, Fixtures, OnlineHelpInput } from './fixture-schema.js'
import { indexGroups, type StoredGroup } from './groups.js'
import {
  groupConversationKey,
  indexMessages,
  sliceConversation,
  type MessageSlice,
  type SliceRange,
} from './messages.js'
import { dayCutter, DEFAULT_MESSAGING_DAY_ZONE } from './messaging-day.js'
import { indexMessagingRows, type RowInWindow, type RowQuery } from './messaging-rows.js'
import { indexOnlineHelp, type OnlineHelpQuery } from './online-help.js'
import { customerKey, pairKey, personKey, staffKey, type PersonRef } from './people.js'
import { indexStaff, type Staff } from './staff.js'
import { swappable, type Swappable } from './swappable.js'
import type { TimeWindow } from './time-index.js'

export type { MessageSlice, SliceRange } from './messages.js'
export type { TimeWindow } from './time-index.js'

/** A group conversation, as the store's conversation queries name it. */
export interface GroupRef {
  readonly kind: 'group'
  readonly id: number
}

/**
 * The data every endpoint and page reads: one module per entity (`staff.ts`, `customers.ts`,
 * `groups.ts`, `messages.ts`, `messaging-rows.ts`, `calls.ts`, `online-help.ts`), each with its
 * indexes, composed here. Plain data in, queries out; no clock, no HTTP.
 */
export interface Store {
  staff(staffId: string): Staff | undefined
  customer(customerId: string): StoredCustomer | undefined
  group(groupId: number): StoredGroup | undefined
  /** A staff member or a customer. */
  person(person: PersonRef): Staff | StoredCustomer | undefined
  /**
   * Messages between one staff member and one customer sent within the window (both ends
   * inclusive), oldest first; messages sent at the same millisecond are ordered by id.
   * With a `range`, only those positions are copied out, so a page of a huge window costs
   * O(log n + page size); `total` always counts the whole window.
   */
  messagesBetween(staffId: string, customerId: string, window: TimeWindow, range?: SliceRange): MessageSlice
  /** The same for any private conversation (staff–staff too) or a group's. */
  conversation(
    person: PersonRef,
    other: PersonRef | GroupRef,
    window: TimeWindow,
    range?: SliceRange,
  ): MessageSlice
  /** The messaging lists' daily rows of one sender, newest first (docs/contract.md D15, D16). */
  messagingRows(sender: PersonRef, query: RowQuery): RowInWindow[]
  /** Calls started within the window, newest first (ties by id, descending). */
  calls(query: CallQuery): StoredCall[]
  call(callId: string): StoredCall | undefined
  /** Online-help sessions requested within the window, newest first (ties by id, descending). */
  onlineHelpSessions(query: OnlineHelpQuery): OnlineHelpInput[]
  onlineHelpSession(onlineHelpId: string): OnlineHelpInput | undefined
  /**
   * A staff member's or customer's Diyalog id (D54): the fixtures' own, or the derived one;
   * undefined for a person the store does not hold. The first answer for a derived id may build
   * the reverse index (`userByDiyalogId`).
   */
  diyalogIdOf(person: PersonRef): string | undefined
  /**
   * The staff member or customer with this Diyalog id; undefined for none (a bot's id too). The
   * index behind it is built on the first call, not at load time (a million customers: about 2 s),
   * and answers in O(1) after.
   */
  userByDiyalogId(diyalogId: string): PersonRef | undefined
  /** How the simulated user behaves (D28): the fixtures' `messaging`, else `DEFAULT_BEHAVIOUR`; undefined for an unknown person. */
  behaviourOf(person: PersonRef): RecipientBehaviour | undefined
  /** The fixtures' bots (`bots.json`) as they are; `botsOfRecords` (`bots.ts`) makes running bots of them. */
  readonly bots: readonly BotRecord[]
  readonly counts: FixtureCounts
}

export interface StoreOptions {
  /** Where messaging days are cut (IANA zone); default UTC (D15). */
  readonly messagingDayZone?: string
}

/** Builds the in-memory store. It takes ownership of `fixtures` (messages are completed in place). */
export function createStore(fixtures: Fixtures, options: StoreOptions = {}): Store {
  const staff = indexStaff(fixtures.staff)
  const customers = indexCustomers(fixtures.customers)
  const groups = indexGroups(fixtures.groups ?? [])
  const messages = indexMessages(fixtures.conversations, groups)
  const rows = indexMessagingRows(
    messages.conversations,
    groups,
    dayCutter(options.messagingDayZone ?? DEFAULT_MESSAGING_DAY_ZONE),
  )
  const calls = indexCalls(fixtures.calls ?? [])
  const onlineHelp = indexOnlineHelp(fixtures.onlineHelp ?? [])
  const bots = fixtures.bots ?? []
  const diyalogIds = indexDiyalogIds({ staff, customers, botIds: bots.map(botDiyalogId) })
  const person = (ref: PersonRef) => (ref.kind === 'staff' ? staff.get(ref.id) : customers.get(ref.id))

  return {
    staff: (staffId) => staff.get(staffId),
    customer: (customerId) => customers.get(customerId),
    group: (groupId) => groups.get(groupId),
    person,
    messagesBetween: (staffId, customerId, window, range) =>
      sliceConversation(
        messages.conversations.get(pairKey(staffKey(staffId), customerKey(customerId))),
        window,
        range,
      ),
    conversation(person, other, window, range) {
      const key =
        other.kind === 'group' ? groupConversationKey(other.id) : pairKey(personKey(person), personKey(other))
      return sliceConversation(messages.conversations.get(key), window, range)
    },
    messagingRows: (sender, query) => rows.rows(sender, query),
    calls: (query) => calls.list(query),
    call: (callId) => calls.byId(callId),
    onlineHelpSessions: (query) => onlineHelp.list(query),
    onlineHelpSession: (onlineHelpId) => onlineHelp.byId(onlineHelpId),
    diyalogIdOf: (ref) => diyalogIds.of(ref),
    userByDiyalogId: (diyalogId) => diyalogIds.user(diyalogId),
    behaviourOf(ref) {
      const user = person(ref)
      return user === undefined ? undefined : (user.messaging ?? DEFAULT_BEHAVIOUR)
    },
    bots,
    counts: fixtureCounts(fixtures),
  }
}

/** A store whose data can be swapped whole (admin API fixture reload), seen by every route at once. */
export type SwappableStore = Swappable<Store>

export const swappableStore = (initial: Store): SwappableStore => swappable(initial)
