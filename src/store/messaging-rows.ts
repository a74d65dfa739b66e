import type { Message } from './fixture-schema.js'
import type { StoredGroup } from './groups.js'
import type { ConversationIndex, ConversationKey } from './messages.js'
import { personOfMessage } from './messages.js'
import type { Day } from './messaging-day.js'
import { customerKey, personKey, staffKey, type PersonKey, type PersonRef } from './people.js'
import { boundAscending, firstAtOrBefore, type TimeWindow } from './time-index.js'

/**
 * The daily rows of the messaging lists (docs/contract.md §4.3/4.4, D15, D16): one row per
 * (the party as sender, receiver, day), with the exact number of messages the party sent that
 * day. A group message reaches every other member, so it counts on one row per member, with the
 * group's id. Built once per store; a query is a binary search and a short scan.
 */

export interface DayRow {
  readonly sender: PersonKey
  readonly receiver: PersonKey
  /** 0 for a private conversation. */
  readonly groupId: number
  /** The conversation the row's messages belong to (its link opens it). */
  readonly conversation: ConversationKey
  /** The day's first millisecond (`messagingDate`) and last. */
  readonly day: number
  readonly dayEnd: number
}

/** A row as a query answers it: the part of the day inside the window, and its count. */
export interface RowInWindow extends DayRow {
  readonly count: number
  /** What the row covers: its day within the query's window. */
  readonly from: number
  readonly to: number
}

export interface RowQuery {
  readonly window: TimeWindow
  /** Only rows whose receiver is this person. */
  readonly receiver?: PersonRef
  /** true: group rows only; false: private only; absent: both. */
  readonly group?: boolean
  readonly offset: number
  readonly limit: number
}

/**
 * What the index keeps: one entry per (sender, conversation, day), whatever the group's size — a
 * group entry stands for one row per other member and is expanded only when a query reaches it,
 * so a group of thousands costs no more memory than a private conversation.
 */
interface Entry {
  readonly sender: PersonKey
  readonly conversation: ConversationKey
  /** 0 for a private conversation. */
  readonly groupId: number
  readonly day: number
  readonly dayEnd: number
  /** The rows' receivers in order: the other person, or every other member of the group. */
  readonly receivers: readonly PersonKey[]
}

/** Entries newest day first (then as `compareEntries`), and their days as numbers. */
interface EntryList {
  readonly entries: Entry[]
  days: Float64Array
}

/** The sent times of one sender in one conversation, ascending: a partial day is counted from them. */
type SentTimes = Float64Array

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Order within a day (docs/contract.md D35): private rows first, then groups by id, then the
 * receiver key (`c:…` before `s:…`, then the id in code-unit order). So equal days always come
 * back in the same order, and pages never repeat or skip a row. A group entry's receivers are
 * sorted, so its rows come out in that order too.
 */
function compareEntries(a: Entry, b: Entry): number {
  return b.day - a.day || a.groupId - b.groupId || byKey(a.receivers[0] ?? '', b.receivers[0] ?? '')
}

export interface MessagingRows {
  rows(sender: PersonRef, query: RowQuery): RowInWindow[]
}

export function indexMessagingRows(
  conversations: ReadonlyMap<ConversationKey, ConversationIndex>,
  groups: ReadonlyMap<number, StoredGroup>,
  dayOf: (ms: number) => Day,
): MessagingRows {
  /** Every entry of a sender. */
  const bySender = new Map<PersonKey, EntryList>()
  /** A sender's entries in one conversation: a private one names the receiver, a group one the group. */
  const bySenderIn = new Map<string, EntryList>()
  /** The groups each person is a member of. */
  const groupsOf = new Map<PersonKey, number[]>()
  for (const group of groups.values()) {
    for (const member of group.members) {
      let own = groupsOf.get(member)
      if (own === undefined) groupsOf.set(member, (own = []))
      own.push(group.groupId)
    }
  }
  const sentTimes = new Map<string, SentTimes>()
  const list = (map: Map<string, EntryList>, key: string) => {
    let found = map.get(key)
    if (found === undefined) map.set(key, (found = { entries: [], days: new Float64Array(0) }))
    return found
  }

  for (const [key, conversation] of conversations) {
    const group = key.startsWith('g:') ? groups.get(Number(key.slice(2))) : undefined
    const times = new Map<PersonKey, number[]>()
    /** The receivers of each sender in this conversation, shared by all its entries. */
    const receiversOf = new Map<PersonKey, readonly PersonKey[]>()
    /** `${sender} ${day}` pairs of this conversation that have their entry already. */
    const seen = new Set<string>()
    for (const message of conversation.messages as readonly Message[]) {
      const sender = personOfMessage(message)
      let own = times.get(sender)
      if (own === undefined) times.set(sender, (own = []))
      own.push(message.sentAt)
      const day = dayOf(message.sentAt)
      const seenKey = `${sender} ${day.start}`
      if (seen.has(seenKey)) continue
      seen.add(seenKey)
      let receivers = receiversOf.get(sender)
      if (receivers === undefined) {
        receivers =
          group === undefined
            ? [
                message.receiverKind === 'staff'
                  ? staffKey(message.receiverId)
                  : customerKey(message.receiverId),
              ]
            : group.members.filter((member) => member !== sender).sort(byKey)
        receiversOf.set(sender, receivers)
      }
      const entry: Entry = {
        sender,
        conversation: key,
        groupId: group?.groupId ?? 0,
        day: day.start,
        dayEnd: day.end,
        receivers,
      }
      list(bySender, sender).entries.push(entry)
      list(bySenderIn, group === undefined ? `${sender}>${receivers[0]}` : `${sender}@${key}`).entries.push(
        entry,
      )
    }
    for (const [sender, own] of times) sentTimes.set(`${sender}@${key}`, Float64Array.from(own))
  }
  for (const entryList of [...bySender.values(), ...bySenderIn.values()]) {
    entryList.entries.sort(compareEntries)
    entryList.days = Float64Array.from(entryList.entries, (entry) => entry.day)
  }

  const countIn = (entry: Entry, from: number, to: number) => {
    const times = sentTimes.get(`${entry.sender}@${entry.conversation}`) as SentTimes
    return boundAscending(times, to, true) - boundAscending(times, from, false)
  }

  /**
   * The entries a query reads, newest first: all of the sender's, or — for one receiver — the
   * private conversation with that person merged with each group the two share (a few lists).
   */
  function* entriesOf(sender: PersonKey, receiver: PersonKey | undefined, end: number): Generator<Entry> {
    const lists =
      receiver === undefined
        ? [bySender.get(sender)]
        : [
            bySenderIn.get(`${sender}>${receiver}`),
            // A group's rows name every member but the sender.
            ...(receiver === sender ? [] : (groupsOf.get(receiver) ?? [])).map((groupId) =>
              bySenderIn.get(`${sender}@g:${groupId}`),
            ),
          ]
    const present = lists.filter((found): found is EntryList => found !== undefined)
    const cursors = present.map((found) => firstAtOrBefore(found.days, end))
    for (;;) {
      let best = -1
      for (let i = 0; i < present.length; i++) {
        const candidate = present[i]?.entries[cursors[i] as number]
        if (candidate === undefined) continue
        const current = best === -1 ? undefined : present[best]?.entries[cursors[best] as number]
        if (current === undefined || compareEntries(candidate, current) < 0) best = i
      }
      if (best === -1) return
      yield present[best]?.entries[cursors[best] as number] as Entry
      cursors[best] = (cursors[best] as number) + 1
    }
  }

  return {
    rows(sender, query) {
      const { window } = query
      if (window.start > window.end || query.limit <= 0) return []
      const receiver = query.receiver === undefined ? undefined : personKey(query.receiver)
      const found: RowInWindow[] = []
      let skipped = 0
      for (const entry of entriesOf(personKey(sender), receiver, window.end)) {
        // Entries whose day ends before the window's start hold none of its messages; all later ones neither.
        if (entry.dayEnd < window.start) break
        if (query.group !== undefined && query.group !== entry.groupId > 0) continue
        const from = Math.max(entry.day, window.start)
        const to = Math.min(entry.dayEnd, window.end)
        const count = countIn(entry, from, to)
        if (count === 0) continue
        const receivers = receiver === undefined ? entry.receivers : [receiver]
        // A page far down skips whole entries, however large the group.
        if (skipped + receivers.length <= query.offset) {
          skipped += receivers.length
          continue
        }
        for (let r = Math.max(0, query.offset - skipped); r < receivers.length; r++) {
          const { sender: rowSender, groupId, conversation, day, dayEnd } = entry
          // Field by field: a spread took ~13 µs a row on Node.js 20 (docs/performance.md).
          found.push({
            sender: rowSender,
            receiver: receivers[r] as PersonKey,
            groupId,
            conversation,
            day,
            dayEnd,
            count,
            from,
            to,
          })
          if (found.length >= query.limit) return found
        }
        skipped = query.offset
      }
      return found
    },
  }
}
