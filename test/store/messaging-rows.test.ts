import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseFixtureData } from '../../src/store/fixture-loader.js'
import { dayCutter } from '../../src/store/messaging-day.js'
import type { RowInWindow, RowQuery } from '../../src/store/messaging-rows.js'
import type { PersonRef } from '../../src/store/people.js'
import { createStore, type Store, type StoreOptions } from '../../src/store/store.js'

/**
 * The messaging lists' daily rows (docs/contract.md D15, D16), against small data sets whose
 * counts are known by hand, and against a brute-force model on random ones.
 */

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
/** 2021-04-05T00:00:00.000Z, the documentation's `messagingDate`. */
const D0 = Date.UTC(2021, 3, 5)

const staff = (id: string): PersonRef => ({ kind: 'staff', id })
const customer = (id: string): PersonRef => ({ kind: 'customer', id })

type From = { staffId: string } | { customerId: string }
let serial = 0
const privateMessage = (sentAt: number, from: 'staff' | 'customer') => ({
  id: `m${serial++}`,
  sentAt: iso(sentAt),
  from,
  text: 'x',
})
const personMessage = (sentAt: number, from: From) => ({
  id: `m${serial++}`,
  sentAt: iso(sentAt),
  from,
  text: 'x',
})

/**
 * Staff 100 and 200, customers 1 and 2; group 10 (staff 100, 200, customer 1) and group 5
 * (staff 100, customer 2). Staff 100 sends, on D0: 2 private messages to customer 1 (and gets 3
 * back), 1 to customer 2, 1 to staff 200, 2 in group 10 and 1 in group 5.
 */
function world(options: StoreOptions = {}): Store {
  return createStore(
    parseFixtureData(
      {
        staff: [
          { staffId: '100', name: 'Ayşe' },
          { staffId: '200', name: 'Mehmet' },
        ],
        customers: [
          { customerId: '1', name: 'Ömer' },
          { customerId: '2', name: 'İpek' },
        ],
        groups: [
          { groupId: 10, name: 'On', staffIds: ['100', '200'], customerIds: ['1'] },
          { groupId: 5, name: 'Beş', staffIds: ['100'], customerIds: ['2'] },
        ],
        conversations: [
          {
            staffId: '100',
            customerId: '1',
            messages: [
              privateMessage(D0 + 1000, 'staff'),
              privateMessage(D0 + 2000, 'customer'),
              privateMessage(D0 + 3000, 'customer'),
              privateMessage(D0 + 4000, 'customer'),
              privateMessage(D0 + 5000, 'staff'),
            ],
          },
          { staffId: '100', customerId: '2', messages: [privateMessage(D0 + 6000, 'staff')] },
          { staffIds: ['100', '200'], messages: [personMessage(D0 + 7000, { staffId: '100' })] },
          {
            groupId: 10,
            messages: [
              personMessage(D0 + 8000, { staffId: '100' }),
              personMessage(D0 + 9000, { staffId: '100' }),
              personMessage(D0 + 9500, { customerId: '1' }),
            ],
          },
          { groupId: 5, messages: [personMessage(D0 + 10_000, { staffId: '100' })] },
        ],
      },
      'test',
    ),
    options,
  )
}

const ALL = { start: D0 - 10 * DAY, end: D0 + 10 * DAY }
const query = (changes: Partial<RowQuery> = {}): RowQuery => ({
  window: ALL,
  offset: 0,
  limit: 100,
  ...changes,
})
const brief = (rows: readonly RowInWindow[]) =>
  rows.map((row) => `${row.receiver} g${row.groupId} ×${row.count}`)

describe('messaging rows: one row per (sender, receiver, day), the exact count the sender sent (D16)', () => {
  const store = world()

  it('lists what staff 100 sent on D0: private rows first, then groups by id, each by receiver (D35)', () => {
    const rows = store.messagingRows(staff('100'), query())
    expect(brief(rows)).toEqual([
      'c:1 g0 ×2',
      'c:2 g0 ×1',
      's:200 g0 ×1',
      'c:2 g5 ×1',
      'c:1 g10 ×2',
      's:200 g10 ×2',
    ])
    expect(rows.every((row) => row.sender === 's:100' && row.day === D0 && row.dayEnd === D0 + DAY - 1)).toBe(
      true,
    )
  })

  it('never makes rows of messages the party received', () => {
    // Customer 1 sent 3 private messages and 1 group message; what staff 100 sent it is not here.
    expect(brief(store.messagingRows(customer('1'), query()))).toEqual([
      's:100 g0 ×3',
      's:100 g10 ×1',
      's:200 g10 ×1',
    ])
    // Staff 200 sent nothing at all.
    expect(store.messagingRows(staff('200'), query())).toEqual([])
  })

  it('counts a group message once on the row of each other member, a person as receiver', () => {
    const rows = store.messagingRows(staff('100'), query({ group: true }))
    expect(brief(rows)).toEqual(['c:2 g5 ×1', 'c:1 g10 ×2', 's:200 g10 ×2'])
    expect(rows.map((row) => row.conversation)).toEqual(['g:5', 'g:10', 'g:10'])
  })

  it('filters by receiver, by group or private, and both', () => {
    expect(brief(store.messagingRows(staff('100'), query({ group: false })))).toEqual([
      'c:1 g0 ×2',
      'c:2 g0 ×1',
      's:200 g0 ×1',
    ])
    expect(brief(store.messagingRows(staff('100'), query({ receiver: customer('1') })))).toEqual([
      'c:1 g0 ×2',
      'c:1 g10 ×2',
    ])
    expect(brief(store.messagingRows(staff('100'), query({ receiver: customer('1'), group: true })))).toEqual(
      ['c:1 g10 ×2'],
    )
    expect(
      brief(store.messagingRows(staff('100'), query({ receiver: customer('1'), group: false }))),
    ).toEqual(['c:1 g0 ×2'])
    // Staff–staff rows: the receiver is a staff member.
    expect(brief(store.messagingRows(staff('100'), query({ receiver: staff('200') })))).toEqual([
      's:200 g0 ×1',
      's:200 g10 ×2',
    ])
    // A staff number and a customer number that are equal never meet.
    expect(store.messagingRows(staff('100'), query({ receiver: customer('200') }))).toEqual([])
  })

  it('answers nothing for an unknown sender or receiver, a reversed window or a zero limit', () => {
    expect(store.messagingRows(staff('999'), query())).toEqual([])
    expect(store.messagingRows(customer('100'), query())).toEqual([])
    expect(store.messagingRows(staff('100'), query({ receiver: customer('999') }))).toEqual([])
    expect(store.messagingRows(staff('100'), query({ window: { start: ALL.end, end: ALL.start } }))).toEqual(
      [],
    )
    expect(store.messagingRows(staff('100'), query({ limit: 0 }))).toEqual([])
  })

  it('pages by offset and limit, without repeating or skipping a row', () => {
    const all = store.messagingRows(staff('100'), query())
    const pages = [0, 2, 4, 6].map((offset) => store.messagingRows(staff('100'), query({ offset, limit: 2 })))
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 0])
    expect(pages.flat()).toEqual(all)
  })

  it('clips the window to the day: both ends inclusive, a partial day counts only what lies inside', () => {
    const rows = (start: number, end: number) =>
      store.messagingRows(
        staff('100'),
        query({ window: { start, end }, receiver: customer('1'), group: false }),
      )
    // Staff 100's private messages to customer 1: D0+1000 and D0+5000.
    expect(rows(D0 + 1000, D0 + 5000).map((row) => [row.count, row.from, row.to])).toEqual([
      [2, D0 + 1000, D0 + 5000],
    ])
    expect(rows(D0 + 1001, D0 + 5000).map((row) => row.count)).toEqual([1])
    expect(rows(D0 + 1000, D0 + 4999).map((row) => row.count)).toEqual([1])
    expect(rows(D0 + 1001, D0 + 4999)).toEqual([])
    expect(rows(D0 + 1000, D0 + 1000).map((row) => [row.count, row.from, row.to])).toEqual([
      [1, D0 + 1000, D0 + 1000],
    ])
    // A whole day in the window: the row covers the whole day.
    expect(rows(D0 - DAY, D0 + 2 * DAY).map((row) => [row.day, row.from, row.to])).toEqual([
      [D0, D0, D0 + DAY - 1],
    ])
  })
})

describe('messaging days (D15)', () => {
  function pairStore(times: readonly number[], options: StoreOptions = {}): Store {
    return createStore(
      parseFixtureData(
        {
          staff: [{ staffId: '100', name: 'Ayşe' }],
          customers: [{ customerId: '1', name: 'Ömer' }],
          conversations: [
            { staffId: '100', customerId: '1', messages: times.map((t) => privateMessage(t, 'staff')) },
          ],
        },
        'test',
      ),
      options,
    )
  }
  const days = (store: Store) =>
    store
      .messagingRows(staff('100'), query({ window: { start: -1e15, end: 1e15 } }))
      .map((row) => [iso(row.day), row.count])

  it('puts 23:59:59.999Z and 00:00:00.000Z the next day in different rows, newest day first', () => {
    expect(days(pairStore([D0 - 1, D0, D0 - 2]))).toEqual([
      ['2021-04-05T00:00:00.000Z', 1],
      ['2021-04-04T00:00:00.000Z', 2],
    ])
  })

  it('cuts Europe/Istanbul days at 21:00Z', () => {
    const cut = Date.UTC(2021, 3, 4, 21)
    expect(
      days(pairStore([cut - 1, cut, cut + 3 * 3_600_000 - 1], { messagingDayZone: 'Europe/Istanbul' })),
    ).toEqual([
      ['2021-04-04T21:00:00.000Z', 2],
      ['2021-04-03T21:00:00.000Z', 1],
    ])
  })

  it('has 23- and 25-hour days in a zone with summer time (Europe/Berlin)', () => {
    const berlin = dayCutter('Europe/Berlin')
    const spring = berlin(Date.UTC(2021, 2, 28, 12))
    expect([iso(spring.start), spring.end + 1 - spring.start]).toEqual([
      '2021-03-27T23:00:00.000Z',
      23 * 3_600_000,
    ])
    const autumn = berlin(Date.UTC(2021, 9, 31, 12))
    expect([iso(autumn.start), autumn.end + 1 - autumn.start]).toEqual([
      '2021-10-30T22:00:00.000Z',
      25 * 3_600_000,
    ])
    // The store's rows carry those days, and a window over the long day counts all of it.
    const store = pairStore([autumn.start, autumn.end], { messagingDayZone: 'Europe/Berlin' })
    expect(
      store.messagingRows(staff('100'), query({ window: { start: autumn.start, end: autumn.end } })),
    ).toMatchObject([{ day: autumn.start, dayEnd: autumn.end, count: 2 }])
  })

  it('starts the day at the change where summer time skips midnight (America/Santiago, 2022-09-11 00:00 → 01:00)', () => {
    const santiago = dayCutter('America/Santiago')
    const before = santiago(Date.UTC(2022, 8, 11, 3, 30)) // 23:30 on the 10th, UTC−4
    const after = santiago(Date.UTC(2022, 8, 11, 4, 30)) // 01:30 on the 11th, UTC−3
    expect([iso(before.start), iso(before.end)]).toEqual([
      '2022-09-10T04:00:00.000Z',
      '2022-09-11T03:59:59.999Z',
    ])
    expect([iso(after.start), iso(after.end)]).toEqual([
      '2022-09-11T04:00:00.000Z',
      '2022-09-12T02:59:59.999Z',
    ])
  })

  it('and where it skips midnight east of UTC (Africa/Cairo, 2023-04-28 00:00 → 01:00)', () => {
    const day = dayCutter('Africa/Cairo')(Date.UTC(2023, 3, 27, 22, 30))
    expect([iso(day.start), iso(day.end)]).toEqual(['2023-04-27T22:00:00.000Z', '2023-04-28T20:59:59.999Z'])
  })

  it('reads the years 0–99 as themselves, not 1900–1999', () => {
    const day = dayCutter('Europe/Istanbul')(Date.parse('0050-06-01T12:00:00Z'))
    // Istanbul's local mean time then: +01:55:52.
    expect([iso(day.start), iso(day.end)]).toEqual(['0050-05-31T22:04:08.000Z', '0050-06-01T22:04:07.999Z'])
  })

  /** The local calendar date of `ms` in `zone`. */
  const localDate = (zone: string) => {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    })
    return (ms: number) => format.format(ms)
  }

  it.each([
    'UTC',
    'Europe/Istanbul',
    'Europe/Berlin',
    'America/Santiago',
    'Africa/Cairo',
    'Australia/Lord_Howe',
    'Pacific/Apia',
  ])('in %s, every instant lies in its day, which is exactly one local date', (zone) => {
    const dayOf = dayCutter(zone)
    const dateOf = localDate(zone)
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
        const day = dayOf(ms)
        expect(day.start).toBeLessThanOrEqual(ms)
        expect(day.end).toBeGreaterThanOrEqual(ms)
        expect(dateOf(day.start)).toBe(dateOf(ms))
        expect(dateOf(day.end)).toBe(dateOf(ms))
        expect(dateOf(day.start - 1)).not.toBe(dateOf(ms))
        expect(dateOf(day.end + 1)).not.toBe(dateOf(ms))
        expect(dayOf(day.start)).toEqual(day)
        expect(dayOf(day.end)).toEqual(day)
      }),
      { numRuns: 300 },
    )
  })
})

describe('messaging days, walked end to end (every summer-time change of 2020–2024)', () => {
  const localDate = (zone: string) => {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    })
    return (ms: number) => format.format(ms)
  }
  it.each(['Europe/Berlin', 'America/Santiago', 'Africa/Cairo', 'America/Havana', 'Australia/Lord_Howe'])(
    'in %s, each day begins where the one before ends, on the next local date',
    (zone) => {
      const dayOf = dayCutter(zone)
      const dateOf = localDate(zone)
      let day = dayOf(Date.UTC(2020, 0, 1, 12))
      const lengths = new Set<number>()
      while (day.start < Date.UTC(2025, 0, 1)) {
        const next = dayOf(day.end + 1)
        expect(next.start, `${zone} after ${iso(day.start)}`).toBe(day.end + 1)
        expect(dateOf(next.start)).not.toBe(dateOf(day.end))
        expect(dateOf(next.end)).toBe(dateOf(next.start))
        lengths.add(next.end + 1 - next.start)
        day = next
      }
      // Summer time makes shorter and longer days; none is ever empty.
      expect(Math.min(...lengths)).toBeGreaterThanOrEqual(22 * 3_600_000)
      expect(lengths.size).toBeGreaterThan(1)
    },
  )
})

describe('messaging rows against a brute-force model', () => {
  const STAFF = ['1', '2', '3']
  const CUSTOMERS = ['1', '2']
  const GROUPS = [
    { groupId: 7, name: 'Yedi', staffIds: ['1', '2'], customerIds: ['1'] },
    { groupId: 3, name: 'Üç', staffIds: ['3'], customerIds: ['1', '2'] },
  ]
  const people: PersonRef[] = [...STAFF.map(staff), ...CUSTOMERS.map(customer)]
  const key = (person: PersonRef) => `${person.kind === 'staff' ? 's' : 'c'}:${person.id}`
  const SPAN = 4 * DAY

  /** A message: which conversation, who of it sent, when (ms from D0). */
  const messageArb = fc.record({
    conversation: fc.integer({ min: 0, max: 5 }),
    sender: fc.integer({ min: 0, max: 2 }),
    at: fc.integer({ min: -DAY, max: SPAN }),
  })

  /** The conversations: (staff 1, customer 1), (staff 2, customer 2), (staff 1, staff 3), the two groups, (staff 3, customer 1). */
  const CONVERSATIONS: { members: PersonRef[]; groupId: number }[] = [
    { members: [staff('1'), customer('1')], groupId: 0 },
    { members: [staff('2'), customer('2')], groupId: 0 },
    { members: [staff('1'), staff('3')], groupId: 0 },
    { members: [staff('1'), staff('2'), customer('1')], groupId: 7 },
    { members: [staff('3'), customer('1'), customer('2')], groupId: 3 },
    { members: [staff('3'), customer('1')], groupId: 0 },
  ]

  it.each(['UTC', 'Europe/Berlin'])('finds exactly the rows and counts the model does (%s)', (zone) => {
    const dayOf = dayCutter(zone)
    fc.assert(
      fc.property(
        fc.array(messageArb, { maxLength: 40 }),
        fc.integer({ min: -DAY, max: SPAN }),
        fc.integer({ min: 0, max: SPAN }),
        fc.constantFrom(undefined, true, false),
        fc.option(fc.integer({ min: 0, max: people.length - 1 }), { nil: undefined }),
        (messages, start, length, group, receiverIndex) => {
          const sent = messages.map((m, i) => {
            const conversation = CONVERSATIONS[m.conversation] as (typeof CONVERSATIONS)[number]
            const sender = conversation.members[m.sender % conversation.members.length] as PersonRef
            return { i, conversation, sender, at: D0 + m.at }
          })
          const conversations = CONVERSATIONS.map((conversation) => {
            const own = sent.filter((m) => m.conversation === conversation)
            const from = (person: PersonRef) =>
              person.kind === 'staff' ? { staffId: person.id } : { customerId: person.id }
            const text = (m: (typeof sent)[number]) => ({ id: `m${m.i}`, sentAt: iso(m.at), text: 'x' })
            if (conversation.groupId > 0) {
              return {
                groupId: conversation.groupId,
                messages: own.map((m) => ({ ...text(m), from: from(m.sender) })),
              }
            }
            const [a, b] = conversation.members as [PersonRef, PersonRef]
            if (b.kind === 'staff') {
              return {
                staffIds: [a.id, b.id],
                messages: own.map((m) => ({ ...text(m), from: from(m.sender) })),
              }
            }
            return {
              staffId: a.id,
              customerId: b.id,
              messages: own.map((m) => ({ ...text(m), from: m.sender.kind })),
            }
          })
          const store = createStore(
            parseFixtureData(
              {
                staff: STAFF.map((staffId) => ({ staffId, name: `S${staffId}` })),
                customers: CUSTOMERS.map((customerId) => ({ customerId, name: `C${customerId}` })),
                groups: GROUPS,
                conversations,
              },
              'model',
            ),
            { messagingDayZone: zone },
          )
          const window = { start: D0 + start, end: D0 + start + length }
          const receiver = receiverIndex === undefined ? undefined : people[receiverIndex]
          for (const party of people) {
            // The model: every message the party sent in the window, on one row per other member.
            const model = new Map<string, { day: number; groupId: number; receiver: string; count: number }>()
            for (const m of sent) {
              if (key(m.sender) !== key(party) || m.at < window.start || m.at > window.end) continue
              if (group !== undefined && group !== m.conversation.groupId > 0) continue
              for (const member of m.conversation.members) {
                if (key(member) === key(party)) continue
                if (receiver !== undefined && key(member) !== key(receiver)) continue
                const day = dayOf(m.at).start
                const rowKey = `${day} ${m.conversation.groupId} ${key(member)}`
                const row = model.get(rowKey) ?? {
                  day,
                  groupId: m.conversation.groupId,
                  receiver: key(member),
                  count: 0,
                }
                row.count += 1
                model.set(rowKey, row)
              }
            }
            const expected = [...model.values()].sort(
              (a, b) =>
                b.day - a.day ||
                a.groupId - b.groupId ||
                (a.receiver < b.receiver ? -1 : a.receiver > b.receiver ? 1 : 0),
            )
            const rows = store.messagingRows(party, {
              window,
              ...(receiver === undefined ? {} : { receiver }),
              ...(group === undefined ? {} : { group }),
              offset: 0,
              limit: 1000,
            })
            expect(
              rows.map((row) => ({
                day: row.day,
                groupId: row.groupId,
                receiver: row.receiver,
                count: row.count,
              })),
            ).toEqual(expected)
            for (const row of rows) {
              expect(row.from).toBe(Math.max(row.day, window.start))
              expect(row.to).toBe(Math.min(row.dayEnd, window.end))
            }
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})
