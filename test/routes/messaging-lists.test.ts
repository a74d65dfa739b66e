import { Value } from 'typebox/value'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createLinkSigner, DAY_PATH } from '../../src/links/link-signer.js'
import { GET_CUSTOMER_MESSAGING_LIST } from '../../src/routes/reporting/getcustomermessaginglist.js'
import { GET_STAFF_MESSAGING_LIST } from '../../src/routes/reporting/getstaffmessaginglist.js'
import { REVERSED_LIST_WINDOW } from '../../src/routes/reporting/lists.js'
import type { MessagingListRow } from '../../src/routes/reporting/messaging-list.js'
import { exampleBodyOf, fullPath, type SignedRoute } from '../../src/routes/signed-route.js'
import { parseFixtureData } from '../../src/store/fixture-loader.js'
import { personOfMessage } from '../../src/store/messages.js'
import { createStore, type Store } from '../../src/store/store.js'
import { DOCS_NOW, TEST_LINK_SECRET, TEST_PUBLIC_URL, testApp } from '../helpers/app.js'
import { listClient } from '../helpers/lists.js'

/**
 * `POST /v1/reporting/getstaffmessaginglist` and `…/getcustomermessaginglist` (docs/contract.md
 * §4.3/4.4, D11–D17, D35): the same suite for both, each over a world built for it, in which the
 * queried party P talks privately with O (the filter's side) and O2, in group 10 with O and X
 * (P's side), and in group 5 with O2; in the staff list P also talks privately with staff X.
 */

const DAY = 86_400_000
const HOUR = 3_600_000
/** 2021-04-05T00:00:00.000Z, the documentation's `messagingDate`. */
const D0 = Date.UTC(2021, 3, 5)
const iso = (ms: number) => new Date(ms).toISOString()

const STAFF = [
  { staffId: '100', name: 'Ayşe Yılmaz' },
  { staffId: '200', name: 'Mehmet Çelik' },
]
const CUSTOMERS = [
  { customerId: '1', name: 'Ömer Faruk Şahin' },
  { customerId: '2', name: 'İpek Doğan' },
]
const NAMES: Record<string, string> = {
  'staff:100': 'Ayşe Yılmaz',
  'staff:200': 'Mehmet Çelik',
  'customer:1': 'Ömer Faruk Şahin',
  'customer:2': 'İpek Doğan',
}

type Kind = 'staff' | 'customer'
interface Person {
  readonly kind: Kind
  readonly id: string
}
const ref = (person: Person) => `${person.kind}:${person.id}`
const from = (person: Person) =>
  person.kind === 'staff' ? { staffId: person.id } : { customerId: person.id }

interface Side {
  readonly name: string
  readonly path: string
  readonly route: SignedRoute
  readonly idField: 'staffId' | 'customerId'
  readonly filterField: 'staffId' | 'customerId'
  readonly P: Person
  readonly O: Person
  readonly O2: Person
  readonly X: Person
  /** Whether P can talk privately with X (two staff members can; two customers cannot). */
  readonly privateWithX: boolean
}

const SIDES: readonly Side[] = [
  {
    name: 'getstaffmessaginglist',
    path: '/v1/reporting/getstaffmessaginglist',
    route: GET_STAFF_MESSAGING_LIST,
    idField: 'staffId',
    filterField: 'customerId',
    P: { kind: 'staff', id: '100' },
    O: { kind: 'customer', id: '1' },
    O2: { kind: 'customer', id: '2' },
    X: { kind: 'staff', id: '200' },
    privateWithX: true,
  },
  {
    name: 'getcustomermessaginglist',
    path: '/v1/reporting/getcustomermessaginglist',
    route: GET_CUSTOMER_MESSAGING_LIST,
    idField: 'customerId',
    filterField: 'staffId',
    P: { kind: 'customer', id: '1' },
    O: { kind: 'staff', id: '100' },
    O2: { kind: 'staff', id: '200' },
    X: { kind: 'customer', id: '2' },
    privateWithX: false,
  },
]

let serial = 0
/** A message `sender` sent at `at` (the conversation decides whom it reaches). */
interface Sent {
  readonly sender: Person
  readonly at: number
}

/** A private conversation of two people, with the messages each sent. */
function privateConversation(a: Person, b: Person, messages: readonly Sent[]) {
  const texts = messages.map((m) => ({ id: `m${serial++}`, sentAt: iso(m.at), text: 'x' }))
  if (a.kind === 'staff' && b.kind === 'staff') {
    return {
      staffIds: [a.id, b.id],
      messages: texts.map((t, i) => ({ ...t, from: from(messages[i]!.sender) })),
    }
  }
  const [staff, customer] = a.kind === 'staff' ? [a, b] : [b, a]
  return {
    staffId: staff.id,
    customerId: customer.id,
    messages: texts.map((t, i) => ({ ...t, from: messages[i]!.sender.kind })),
  }
}

function groupConversation(groupId: number, messages: readonly Sent[]) {
  return {
    groupId,
    messages: messages.map((m) => ({
      id: `m${serial++}`,
      sentAt: iso(m.at),
      text: 'x',
      from: from(m.sender),
    })),
  }
}

function group(groupId: number, members: readonly Person[]) {
  return {
    groupId,
    name: `Grup ${groupId}`,
    staffIds: members.filter((m) => m.kind === 'staff').map((m) => m.id),
    customerIds: members.filter((m) => m.kind === 'customer').map((m) => m.id),
  }
}

function storeOf(side: Side, conversations: readonly unknown[]): Store {
  const { P, O, O2, X } = side
  return createStore(
    parseFixtureData(
      {
        staff: STAFF,
        customers: CUSTOMERS,
        groups: [group(10, [P, O, X]), group(5, [P, O2])],
        conversations,
      },
      'test',
    ),
  )
}

/**
 * The side's main world. What P sent: on D0, 2 private messages to O (O answered 3, which make
 * no row of P's), 1 to O2, 1 in group 10 (X answered), 1 in group 5, and in the staff list 1 to
 * staff X; on the day before, 1 to O.
 */
function world(side: Side): Store {
  const { P, O, O2, X } = side
  return storeOf(side, [
    privateConversation(P, O, [
      { sender: P, at: D0 - DAY + 5 * HOUR },
      { sender: P, at: D0 + 1 * HOUR },
      { sender: P, at: D0 + 2 * HOUR },
      { sender: O, at: D0 + 3 * HOUR },
      { sender: O, at: D0 + 3 * HOUR + 1 },
      { sender: O, at: D0 + 3 * HOUR + 2 },
    ]),
    privateConversation(P, O2, [{ sender: P, at: D0 + 4 * HOUR }]),
    groupConversation(10, [
      { sender: P, at: D0 + 5 * HOUR },
      { sender: X, at: D0 + 6 * HOUR },
    ]),
    groupConversation(5, [{ sender: P, at: D0 + 8 * HOUR }]),
    ...(side.privateWithX ? [privateConversation(P, X, [{ sender: P, at: D0 + 7 * HOUR }])] : []),
  ])
}

interface Expected {
  readonly day: number
  readonly to: Person
  readonly groupId: number
  readonly count: number
}

/** Every row of `world(side)`, in the documented order (D35): newest day; private, then groups by id; by receiver key. */
function expectedRows(side: Side): Expected[] {
  const { O, O2, X } = side
  const key = (p: Person) => `${p.kind === 'staff' ? 's' : 'c'}:${p.id}`
  const d0: Expected[] = [
    { day: D0, to: O, groupId: 0, count: 2 },
    { day: D0, to: O2, groupId: 0, count: 1 },
    ...(side.privateWithX ? [{ day: D0, to: X, groupId: 0, count: 1 }] : []),
  ]
  d0.sort((a, b) => (key(a.to) < key(b.to) ? -1 : 1))
  const group10 = [
    { day: D0, to: O, groupId: 10, count: 1 },
    { day: D0, to: X, groupId: 10, count: 1 },
  ].sort((a, b) => (key(a.to) < key(b.to) ? -1 : 1))
  return [
    ...d0,
    { day: D0, to: O2, groupId: 5, count: 1 },
    ...group10,
    { day: D0 - DAY, to: O, groupId: 0, count: 1 },
  ]
}

/** A row as the test compares it. */
const brief = (row: MessagingListRow) =>
  `${iso(row.messagingDate).slice(0, 10)} ${row.receiverId} g${row.groupId} ×${row.sendMessageCount}`
const briefOf = (rows: readonly Expected[]) =>
  rows.map((row) => `${iso(row.day).slice(0, 10)} ${row.to.id} g${row.groupId} ×${row.count}`)

/** One app for the test, closed after it; `ask` signs and sends a body (an object is sent as JSON). */
const client = (side: Side, store?: Store) => listClient(side.path, store)

const linkSigner = createLinkSigner({ secret: TEST_LINK_SECRET, ttlSeconds: 1800 })

describe.each(SIDES)('POST $path', (side) => {
  const { P, O, O2, X } = side
  const base = {
    startDate: D0 - 10 * DAY,
    endDate: D0 + 10 * DAY,
    [side.idField]: P.id,
    pageNumber: 1,
    pageSize: 20,
  }
  const list = async (changes: Record<string, unknown> = {}, store: Store = world(side)) => {
    const response = await client(side, store).ask({ ...base, ...changes })
    expect(response.statusCode, response.body).toBe(200)
    return { response, rows: response.json<MessagingListRow[]>() }
  }

  it('answers every row the queried party sent, newest day first, in the documented order (D35), fields in order', async () => {
    const { response, rows } = await list()
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(response.headers['x-dlg-mock-notes']).toBeUndefined()
    expect(rows.map(brief)).toEqual(briefOf(expectedRows(side)))
    expect(Value.Check(side.route.reply, rows)).toBe(true)
    for (const row of rows) {
      expect(Object.keys(row)).toEqual([
        'senderId',
        'nameOfSender',
        'receiverId',
        'nameOfReceiver',
        'messagingDate',
        'sendMessageCount',
        'isGroupMessaging',
        'groupId',
        'conversationDetailLink',
      ])
      expect([row.senderId, row.nameOfSender]).toEqual([P.id, NAMES[ref(P)]])
      const receiver = [O, O2, X].find((p) => p.id === row.receiverId) as Person
      expect(row.nameOfReceiver).toBe(NAMES[ref(receiver)])
      expect(row.isGroupMessaging).toBe(row.groupId > 0)
    }
  })

  describe('filters', () => {
    const expected = expectedRows(side)
    it.each([
      ['none', {}, () => true],
      ['isGroupMessaging true: group rows only', { isGroupMessaging: true }, (r: Expected) => r.groupId > 0],
      [
        'isGroupMessaging false: private rows only',
        { isGroupMessaging: false },
        (r: Expected) => r.groupId === 0,
      ],
      [`the other id alone`, { [side.filterField]: O.id }, (r: Expected) => r.to === O],
      [
        'the other id and isGroupMessaging true',
        { [side.filterField]: O.id, isGroupMessaging: true },
        (r: Expected) => r.to === O && r.groupId > 0,
      ],
      [
        'the other id and isGroupMessaging false',
        { [side.filterField]: O.id, isGroupMessaging: false },
        (r: Expected) => r.to === O && r.groupId === 0,
      ],
      ['another other id', { [side.filterField]: O2.id }, (r: Expected) => r.to === O2],
    ] as const)('%s', async (_label, changes, keep) => {
      const { rows } = await list(changes)
      const wanted = expected.filter(keep)
      expect(wanted.length).toBeGreaterThan(0)
      expect(rows.map(brief)).toEqual(briefOf(wanted))
    })
  })

  it('D16: counts only what the queried party sent; a group message counts once on each other member’s row', async () => {
    // O sent P five messages and X sent one to the group: none of them makes a row of P's.
    const store = storeOf(side, [
      privateConversation(
        P,
        O,
        [0, 1, 2, 3, 4].map((i) => ({ sender: O, at: D0 + i })),
      ),
      groupConversation(10, [
        { sender: X, at: D0 + 10 },
        { sender: P, at: D0 + 11 },
        { sender: P, at: D0 + 12 },
        { sender: P, at: D0 + 13 },
      ]),
    ])
    const { rows } = await list({}, store)
    expect(rows.map((row) => [row.receiverId, row.groupId, row.sendMessageCount]).sort()).toEqual(
      [
        [O.id, 10, 3],
        [X.id, 10, 3],
      ].sort(),
    )
    // A group row names a person, with the group's id.
    expect(rows.every((row) => row.isGroupMessaging && [O.id, X.id].includes(row.receiverId))).toBe(true)
  })

  it('D15: 23:59:59.999Z and 00:00:00.000Z the next day, same sender and receiver, are two rows', async () => {
    const store = storeOf(side, [
      privateConversation(P, O, [
        { sender: P, at: D0 - 1 },
        { sender: P, at: D0 },
      ]),
    ])
    const { rows } = await list({}, store)
    expect(rows.map((row) => [iso(row.messagingDate), row.sendMessageCount])).toEqual([
      ['2021-04-05T00:00:00.000Z', 1],
      ['2021-04-04T00:00:00.000Z', 1],
    ])
  })

  describe('the window (D12): both ends inclusive, a partial day counts only what lies inside', () => {
    const T1 = D0 + 10 * HOUR
    const T2 = D0 + 11 * HOUR
    const store = () =>
      storeOf(side, [
        privateConversation(P, O, [
          { sender: P, at: T1 },
          { sender: P, at: T2 },
          { sender: P, at: D0 + 20 * HOUR },
          { sender: P, at: D0 + DAY + 5 * HOUR },
          { sender: P, at: D0 + DAY + 15 * HOUR },
        ]),
      ])
    it.each([
      ['exactly [T1, T2]', T1, T2, [2]],
      ['one ms after T1', T1 + 1, T2, [1]],
      ['one ms before T2', T1, T2 - 1, [1]],
      ['both one ms inside', T1 + 1, T2 - 1, []],
      ['one instant: T1', T1, T1, [1]],
      ['ending one ms before T1', T1 - HOUR, T1 - 1, []],
    ] as const)('%s', async (_label, startDate, endDate, counts) => {
      const { rows } = await list({ startDate, endDate }, store())
      expect(rows.map((row) => row.sendMessageCount)).toEqual(counts)
    })

    it('a window from 15:00 on D0 to 10:00 the next day counts one message on each day, and links only that part', async () => {
      const startDate = D0 + 15 * HOUR
      const endDate = D0 + DAY + 10 * HOUR
      const { rows } = await list({ startDate, endDate }, store())
      expect(rows.map((row) => [row.messagingDate, row.sendMessageCount])).toEqual([
        [D0 + DAY, 1],
        [D0, 1],
      ])
      const windows = rows.map((row) => {
        const check = linkSigner.verifyDay(
          Object.fromEntries(new URL(row.conversationDetailLink).searchParams),
          DOCS_NOW,
        )
        return check.status === 'valid' ? [check.link.startDate, check.link.endDate] : check.status
      })
      expect(windows).toEqual([
        [D0 + DAY, endDate],
        [startDate, D0 + DAY - 1],
      ])
    })
  })

  it('each link verifies with verifyDay, and its window holds exactly sendMessageCount messages of its sender', async () => {
    const store = world(side)
    for (const window of [
      { startDate: base.startDate, endDate: base.endDate },
      { startDate: D0 + 90 * 60_000, endDate: D0 + 5 * HOUR },
    ]) {
      const { rows } = await list(window, store)
      expect(rows.length).toBeGreaterThan(0)
      for (const row of rows) {
        const url = new URL(row.conversationDetailLink)
        expect(`${url.origin}${url.pathname}`).toBe(`${TEST_PUBLIC_URL}${DAY_PATH}`)
        const check = linkSigner.verifyDay(Object.fromEntries(url.searchParams), DOCS_NOW)
        expect(check.status).toBe('valid')
        if (check.status !== 'valid') continue
        const { link } = check
        expect(link.expiresAt).toBe(DOCS_NOW + 1800 * 1000)
        expect(link.party).toEqual({ kind: P.kind, id: row.senderId })
        expect(link.other).toEqual(
          row.isGroupMessaging
            ? { kind: 'group', id: row.groupId }
            : { kind: [O, O2, X].find((p) => p.id === row.receiverId)?.kind, id: row.receiverId },
        )
        expect(link.startDate).toBe(Math.max(row.messagingDate, window.startDate))
        expect(link.endDate).toBe(Math.min(row.messagingDate + DAY - 1, window.endDate))
        const messages = store.conversation(link.party, link.other, {
          start: link.startDate,
          end: link.endDate,
        })
        const own = messages.messages.filter(
          (m) => personOfMessage(m) === `${P.kind === 'staff' ? 's' : 'c'}:${P.id}`,
        )
        expect(own.length, brief(row)).toBe(row.sendMessageCount)
      }
    }
  })

  if (side.privateWithX) {
    it('lists staff–staff rows: the receiver is a staff number', async () => {
      const { rows } = await list({ isGroupMessaging: false })
      expect(rows.filter((row) => row.receiverId === X.id)).toMatchObject([
        {
          receiverId: '200',
          nameOfReceiver: 'Mehmet Çelik',
          groupId: 0,
          isGroupMessaging: false,
          sendMessageCount: 1,
        },
      ])
    })
  }

  describe('paging (D14)', () => {
    /** P sent O one message on each of 25 days. */
    const many = () =>
      storeOf(side, [
        privateConversation(
          P,
          O,
          Array.from({ length: 25 }, (_, i) => ({ sender: P, at: D0 - i * DAY + HOUR })),
        ),
      ])
    const window = { startDate: D0 - 30 * DAY, endDate: D0 + DAY }

    it('pages from 1 without repeating or skipping; a page past the end is []', async () => {
      const store = many()
      const pages = []
      for (const pageNumber of [1, 2, 3, 4, 5]) {
        pages.push((await list({ ...window, pageNumber, pageSize: 7 }, store)).rows)
      }
      expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 4, 0])
      const days = pages.flat().map((row) => row.messagingDate)
      expect(days).toEqual(Array.from({ length: 25 }, (_, i) => D0 - i * DAY))
      expect((await list({ ...window, pageNumber: 1_000_000, pageSize: 20 }, store)).rows).toEqual([])
    })

    it('serves pageSize 21 as 20 and says so in x-dlg-mock-notes', async () => {
      const store = many()
      const first = await list({ ...window, pageSize: 21 }, store)
      expect(first.rows).toHaveLength(20)
      expect(first.response.headers['x-dlg-mock-notes']).toBe(
        'pageSize 21 served as 20, the documented maximum',
      )
      // Page 2 of the served size, not of the asked one.
      const second = await list({ ...window, pageSize: 21, pageNumber: 2 }, store)
      expect(second.rows.map((row) => row.messagingDate)).toEqual(
        Array.from({ length: 5 }, (_, i) => D0 - (20 + i) * DAY),
      )
      const twenty = await list({ ...window, pageSize: 20 }, store)
      expect(twenty.response.headers['x-dlg-mock-notes']).toBeUndefined()
    })

    it.each([
      ['pageNumber 0', { pageNumber: 0 }, 'field pageNumber must be >= 1'],
      ['pageNumber -1', { pageNumber: -1 }, 'field pageNumber must be >= 1'],
      ['pageNumber 1.5', { pageNumber: 1.5 }, 'field pageNumber must be integer (got number)'],
      ['pageNumber "1"', { pageNumber: '1' }, 'field pageNumber must be integer (got string)'],
      ['pageNumber missing', { pageNumber: undefined }, 'missing required field pageNumber'],
      ['pageSize 0', { pageSize: 0 }, 'field pageSize must be >= 1'],
      ['pageSize -1', { pageSize: -1 }, 'field pageSize must be >= 1'],
      ['pageSize 2.5', { pageSize: 2.5 }, 'field pageSize must be integer (got number)'],
      ['pageSize "20"', { pageSize: '20' }, 'field pageSize must be integer (got string)'],
      ['pageSize missing', { pageSize: undefined }, 'missing required field pageSize'],
    ])('%s: 500 naming the field', async (_label, changes, message) => {
      const response = await client(side, world(side)).ask({ ...base, ...changes })
      expect([response.statusCode, response.headers['content-type']]).toEqual([
        500,
        'text/plain; charset=utf-8',
      ])
      expect(response.body).toContain(message)
    })
  })

  describe('D17: unknown ids and a reversed window', () => {
    const unknown = (field: string, id: string) =>
      `no ${field === 'customerId' ? 'customer' : 'staff member'} ${id} (${field}) in the fixtures: the list is empty`

    it.each([
      ['an unknown queried id', { [side.idField]: '999' }, [unknown(side.idField, '999')]],
      ['an unknown filter id', { [side.filterField]: '999' }, [unknown(side.filterField, '999')]],
      [
        'both unknown',
        { [side.idField]: '998', [side.filterField]: '999' },
        [unknown(side.idField, '998'), unknown(side.filterField, '999')],
      ],
      // Ids are per side: the queried id on the other side's list is not this side's person.
      ['the queried id given as the filter', { [side.filterField]: P.id }, [unknown(side.filterField, P.id)]],
      ['an empty queried id', { [side.idField]: '' }, [unknown(side.idField, '""')]],
      // A client's id is quoted (D30): it cannot fake a second note or break the header.
      [
        'an id that looks like a note',
        { [side.idField]: 'x; no staff member 1' },
        [unknown(side.idField, '"x; no staff member 1"')],
      ],
      ['a non-ASCII id', { [side.idField]: 'müşteri' }, [unknown(side.idField, '"m\\u00fc\\u015fteri"')]],
    ])('%s: 200 [] and a note naming it', async (_label, changes, notes) => {
      const { response, rows } = await list(changes)
      expect(rows).toEqual([])
      expect(response.body).toBe('[]')
      expect(response.headers['x-dlg-mock-notes']).toBe(notes.join('; '))
    })

    it('a known party that sent nothing in the window: [] and no note', async () => {
      const { response, rows } = await list({ startDate: D0 + 20 * DAY, endDate: D0 + 21 * DAY })
      expect(rows).toEqual([])
      expect(response.headers['x-dlg-mock-notes']).toBeUndefined()
    })

    it.each([
      ['a reversed window', {}],
      ['a reversed window with an unknown id (the window is checked first)', { [side.idField]: '999' }],
    ])('%s: 500, the window is reversed', async (_label, changes) => {
      const response = await client(side, world(side)).ask({
        ...base,
        ...changes,
        startDate: D0,
        endDate: D0 - 1,
      })
      expect([response.statusCode, response.body]).toEqual([500, REVERSED_LIST_WINDOW])
    })

    it('a one-instant window is not reversed', async () => {
      const { rows } = await list({ startDate: D0 + HOUR, endDate: D0 + HOUR, [side.filterField]: O.id })
      expect(rows.map(brief)).toEqual([`2021-04-05 ${O.id} g0 ×1`])
    })
  })

  describe('a malformed body (D8: 500, plain text naming the field)', () => {
    it.each([
      ['startDate missing', { startDate: undefined }, 'missing required field startDate'],
      ['endDate missing', { endDate: undefined }, 'missing required field endDate'],
      [`${side.idField} missing`, { [side.idField]: undefined }, `missing required field ${side.idField}`],
      ['startDate as a string', { startDate: String(D0) }, 'field startDate must be integer (got string)'],
      ['endDate a fraction', { endDate: D0 + 0.5 }, 'field endDate must be integer (got number)'],
      [
        `${side.idField} a number`,
        { [side.idField]: Number(P.id) },
        `field ${side.idField} must be string (got integer)`,
      ],
      [
        `${side.filterField} a number`,
        { [side.filterField]: Number(O.id) },
        `field ${side.filterField} must be string (got integer)`,
      ],
      [
        'isGroupMessaging "true"',
        { isGroupMessaging: 'true' },
        'field isGroupMessaging must be boolean (got string)',
      ],
      ['isGroupMessaging 1', { isGroupMessaging: 1 }, 'field isGroupMessaging must be boolean (got integer)'],
      [
        'isGroupMessaging null',
        { isGroupMessaging: null },
        'field isGroupMessaging must be boolean (got null)',
      ],
    ])('%s', async (_label, changes, message) => {
      const response = await client(side, world(side)).ask({ ...base, ...changes })
      expect([response.statusCode, response.headers['content-type']]).toEqual([
        500,
        'text/plain; charset=utf-8',
      ])
      expect(response.body).toContain(message)
    })

    it('an empty object names every required field', async () => {
      const response = await client(side, world(side)).ask({})
      expect(response.statusCode).toBe(500)
      for (const field of ['startDate', 'endDate', side.idField, 'pageNumber', 'pageSize']) {
        expect(response.body).toContain(field)
      }
    })

    it('ignores fields it does not know and names them', async () => {
      const { response } = await list({ agentId: '45186' })
      expect(response.headers['x-dlg-mock-ignored-fields']).toBe('agentId')
    })
  })

  it('authenticates first: an unsigned call gets the HMAC error', async () => {
    const { app } = testApp({ store: world(side) })
    onTestFinished(() => app.close())
    const response = await app.inject({ method: 'POST', url: side.path, payload: '{}' })
    expect([response.statusCode, response.body]).toEqual([400, 'Required headers not found'])
  })

  it('is served at the path its title names (D11)', () => {
    expect(fullPath(side.route)).toBe(side.path)
  })
})

describe.each(SIDES)('$name: the documentation example, with the default fixtures', (side) => {
  const example = exampleBodyOf(side.route) as Record<string, unknown>

  it('the body schema’s first example answers 200 with a list: the asked rows, newest first, at most 20', async () => {
    const response = await client(side).ask(example)
    expect(response.statusCode).toBe(200)
    const rows = response.json<MessagingListRow[]>()
    expect(Value.Check(side.route.reply, rows)).toBe(true)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.length).toBeLessThanOrEqual(20)
    const days = rows.map((row) => row.messagingDate)
    expect(days).toEqual([...days].sort((a, b) => b - a))
    for (const row of rows) {
      expect(row.senderId).toBe(example[side.idField])
      expect(row.receiverId).toBe(example[side.filterField])
      expect(row.isGroupMessaging).toBe(true)
      expect(row.messagingDate % DAY).toBe(0)
    }
  })
})
