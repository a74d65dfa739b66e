import { Value } from 'typebox/value'
import { describe, expect, it } from 'vitest'
import { createLinkSigner } from '../../src/links/link-signer.js'
import {
  GET_ONLINE_HELP_LIST,
  GetOnlineHelpListResponse,
} from '../../src/routes/reporting/getonlinehelplist.js'
import { REVERSED_LIST_WINDOW } from '../../src/routes/reporting/lists.js'
import { exampleBodyOf } from '../../src/routes/signed-route.js'
import type { HelpState } from '../../src/store/fixture-schema.js'
import { parseFixtureData } from '../../src/store/fixture-loader.js'
import { createStore, type Store } from '../../src/store/store.js'
import { DOCS_NOW, TEST_LINK_SECRET, TEST_PUBLIC_URL } from '../helpers/app.js'
import { idsIn, listClient } from '../helpers/lists.js'

const URL_PATH = '/v1/reporting/getonlinehelplist'
const T0 = Date.UTC(2021, 2, 1, 9, 0, 0)
const iso = (ms: number) => new Date(ms).toISOString()

const STAFF = [
  { staffId: '45186', name: 'Ayşe Yılmaz' },
  { staffId: '45153', name: 'Zeynep Güneş' },
]
const CUSTOMERS = [
  { customerId: '2337368', name: 'Ömer Faruk Şahin' },
  { customerId: '7403713', name: 'Hüseyin Kılıç' },
]

interface SessionSpec {
  id: string
  at: number
  customer?: string
  agent?: string
  state?: HelpState
  /** Milliseconds from the request to the start (or to the cancel). */
  wait?: number
  /** Milliseconds from the start to the end. */
  help?: number
}

const NOT_STARTED: readonly HelpState[] = ['onlinehelp_requested', 'onlinehelp_cancelled_by_customer']

function sessionRecord(spec: SessionSpec) {
  const state = spec.state ?? 'onlinehelp_ended_by_agent'
  const wait = spec.wait ?? 65_000
  const help = spec.help ?? 600_000
  const started = !NOT_STARTED.includes(state)
  const ended = state !== 'onlinehelp_requested' && state !== 'onlinehelp_started'
  return {
    onlineHelpId: spec.id,
    customerId: spec.customer ?? '2337368',
    ...(started ? { agentId: spec.agent ?? '45186' } : {}),
    state,
    requestedAt: iso(spec.at),
    ...(started ? { startedAt: iso(spec.at + wait) } : {}),
    ...(ended ? { endedAt: iso(spec.at + wait + (started ? help : 0)) } : {}),
  }
}

function storeOf(sessions: readonly SessionSpec[]): Store {
  return createStore(
    parseFixtureData(
      { staff: STAFF, customers: CUSTOMERS, conversations: [], onlineHelp: sessions.map(sessionRecord) },
      'test',
    ),
  )
}

/** One app for the test, closed after it; `ask` signs and sends a body. */
const client = (store?: Store) => listClient(URL_PATH, store)

/** The `onlineHelpId`s of an answer, read from its text: exact, as a BigInt-aware client reads them. */
const idsOf = (text: string) => idsIn(text, 'onlineHelpId')

/** The model of §4.2, D12, D13: the ids the list should hold, in order. */
function expected(sessions: readonly SessionSpec[], keep: (session: SessionSpec) => boolean) {
  return sessions
    .filter(keep)
    .sort((a, b) => b.at - a.at || (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0))
    .map((session) => session.id)
}

const WIDE = { startDate: T0 - 86_400_000, endDate: T0 + 86_400_000 }

describe('POST /v1/reporting/getonlinehelplist: the fields of each state (D34)', () => {
  const at = (i: number) => T0 - i * 3_600_000
  // 90.9 s of waiting and 600.5 s of help: whole seconds, rounded down.
  const SESSIONS: SessionSpec[] = [
    { id: '1', at: at(0), state: 'onlinehelp_requested' },
    { id: '2', at: at(1), state: 'onlinehelp_cancelled_by_customer', wait: 90_900 },
    { id: '3', at: at(2), state: 'onlinehelp_started', wait: 90_900 },
    { id: '4', at: at(3), state: 'onlinehelp_ended_by_customer', wait: 90_900, help: 600_500 },
    { id: '5', at: at(4), state: 'onlinehelp_ended_by_agent', wait: 999, help: 59_999 },
    { id: '6', at: at(5), state: 'onlinehelp_ended_customer_kill_app', wait: 0, help: 1_000 },
  ]
  const ALWAYS = ['onlineHelpId', 'customerNo', 'customerName']

  it.each([
    ['onlinehelp_requested', [...ALWAYS, 'helpState', 'helpRequestedAt'], {}],
    [
      'onlinehelp_cancelled_by_customer',
      [...ALWAYS, 'helpState', 'helpRequestedAt', 'waitTime'],
      { waitTime: 90 },
    ],
    [
      'onlinehelp_started',
      [
        ...ALWAYS,
        'agentId',
        'agentName',
        'helpState',
        'helpRequestedAt',
        'helpStartedAt',
        'waitTime',
        'conversationDetailLink',
      ],
      { helpStartedAt: at(2) + 90_900, waitTime: 90 },
    ],
    [
      'onlinehelp_ended_by_customer',
      [
        ...ALWAYS,
        'agentId',
        'agentName',
        'helpState',
        'helpRequestedAt',
        'helpStartedAt',
        'helpEndedAt',
        'waitTime',
        'helpTime',
        'conversationDetailLink',
      ],
      { helpStartedAt: at(3) + 90_900, helpEndedAt: at(3) + 90_900 + 600_500, waitTime: 90, helpTime: 600 },
    ],
    [
      'onlinehelp_ended_by_agent',
      [
        ...ALWAYS,
        'agentId',
        'agentName',
        'helpState',
        'helpRequestedAt',
        'helpStartedAt',
        'helpEndedAt',
        'waitTime',
        'helpTime',
        'conversationDetailLink',
      ],
      { waitTime: 0, helpTime: 59 },
    ],
    [
      'onlinehelp_ended_customer_kill_app',
      [
        ...ALWAYS,
        'agentId',
        'agentName',
        'helpState',
        'helpRequestedAt',
        'helpStartedAt',
        'helpEndedAt',
        'waitTime',
        'helpTime',
        'conversationDetailLink',
      ],
      { waitTime: 0, helpTime: 1 },
    ],
  ] as const)('%s: exactly these fields, in this order', async (state, fields, values) => {
    const { ask } = client(storeOf(SESSIONS))
    const response = await ask({ ...WIDE })
    expect(response.statusCode).toBe(200)
    const items = response.json<Record<string, unknown>[]>()
    expect(items).toHaveLength(6)
    expect(Value.Check(GetOnlineHelpListResponse, items)).toBe(true)
    const item = items.find((entry) => entry['helpState'] === state) as Record<string, unknown>
    expect(Object.keys(item)).toEqual(fields)
    expect(item).toMatchObject({ customerNo: '2337368', customerName: 'Ömer Faruk Şahin', ...values })
    if ((fields as readonly string[]).includes('agentId'))
      expect(item).toMatchObject({ agentId: '45186', agentName: 'Ayşe Yılmaz' })
  })

  it('writes a session with the exact text: ids as integers, the documented order', async () => {
    const { ask } = client(
      storeOf([
        { id: '-1527120504243668640', at: T0, state: 'onlinehelp_cancelled_by_customer', wait: 4_000 },
      ]),
    )
    const response = await ask({ ...WIDE })
    expect(response.body).toBe(
      '[{"onlineHelpId":-1527120504243668640,"customerNo":"2337368","customerName":"Ömer Faruk Şahin",' +
        `"helpState":"onlinehelp_cancelled_by_customer","helpRequestedAt":${T0},"waitTime":4}]`,
    )
  })

  it('links a started session to its messages with a link that verifies, and no other', async () => {
    const { ask } = client(
      storeOf([
        { id: '-9007199254740993', at: T0, state: 'onlinehelp_started' },
        { id: '2', at: T0 - 1, state: 'onlinehelp_requested' },
      ]),
    )
    const items = (await ask({ ...WIDE })).json<{ conversationDetailLink?: string }[]>()
    expect(items[1]?.conversationDetailLink).toBeUndefined()
    const link = new URL(items[0]?.conversationDetailLink ?? '')
    expect(`${link.origin}${link.pathname}`).toBe(`${TEST_PUBLIC_URL}/views/onlinehelp/-9007199254740993`)
    expect(link.searchParams.get('expiresAt')).toBe(String(DOCS_NOW + 1800 * 1000))
    const signer = createLinkSigner({ secret: TEST_LINK_SECRET, ttlSeconds: 1800 })
    const query = Object.fromEntries(link.searchParams)
    expect(signer.verifyOnlineHelp('-9007199254740993', query, DOCS_NOW)).toEqual({
      status: 'valid',
      link: { onlineHelpId: '-9007199254740993', expiresAt: DOCS_NOW + 1800 * 1000 },
    })
    expect(signer.verifyOnlineHelp('-9007199254740992', query, DOCS_NOW)).toEqual({ status: 'invalid' })
  })
})

describe('POST /v1/reporting/getonlinehelplist: the filters', () => {
  const SESSIONS: SessionSpec[] = [
    { id: '11', at: T0 + 1_000, customer: '2337368', agent: '45186' },
    { id: '12', at: T0 + 2_000, customer: '2337368', agent: '45153', state: 'onlinehelp_started' },
    { id: '13', at: T0 + 3_000, customer: '7403713', agent: '45186', state: 'onlinehelp_ended_by_customer' },
    { id: '14', at: T0 + 4_000, customer: '7403713', agent: '45153' },
    { id: '15', at: T0 + 5_000, customer: '2337368', state: 'onlinehelp_requested' },
    { id: '16', at: T0 + 6_000, customer: '7403713', state: 'onlinehelp_cancelled_by_customer' },
  ]

  it.each([
    ['no filter: every session', {}, ['16', '15', '14', '13', '12', '11']],
    [
      'customerId: the sessions the customer requested, started or not',
      { customerId: '2337368' },
      ['15', '12', '11'],
    ],
    ['agentId: the sessions that agent took (never one nobody took)', { agentId: '45186' }, ['13', '11']],
    ['both: the sessions between the two', { customerId: '7403713', agentId: '45153' }, ['14']],
    ['both, the other pair', { customerId: '2337368', agentId: '45153' }, ['12']],
  ])('%s', async (_label, filters, ids) => {
    const { ask } = client(storeOf(SESSIONS))
    const response = await ask({ ...WIDE, ...filters })
    expect(response.statusCode).toBe(200)
    expect(idsOf(response.body)).toEqual(ids)
    expect(response.headers['x-dlg-mock-notes']).toBeUndefined()
  })

  it('ignores agentUserId, the old name of agentId, and says so (D20)', async () => {
    const { ask } = client(storeOf(SESSIONS))
    const response = await ask({ ...WIDE, customerId: '7403713', agentUserId: '45153' })
    expect(response.statusCode).toBe(200)
    // Not filtered by the agent: every session of the customer.
    expect(idsOf(response.body)).toEqual(['16', '14', '13'])
    expect(response.headers['x-dlg-mock-ignored-fields']).toBe('agentUserId')
    expect(response.headers['x-dlg-mock-notes']).toBe(
      'agentUserId is the old name of agentId, ignored: send agentId',
    )
    // With agentId too, agentId filters and agentUserId is still only named.
    const both = await ask({ ...WIDE, agentId: '45186', agentUserId: '45153' })
    expect(idsOf(both.body)).toEqual(['13', '11'])
    expect(both.headers['x-dlg-mock-notes']).toBe(
      'agentUserId is the old name of agentId, ignored: send agentId',
    )
  })

  it('keeps both ends of the window (helpRequestedAt) and nothing a millisecond outside (D12)', async () => {
    const start = T0
    const end = T0 + 60_000
    const { ask } = client(
      storeOf([
        { id: '1', at: start - 1 },
        { id: '2', at: start },
        { id: '3', at: start + 1 },
        { id: '4', at: end },
        { id: '5', at: end + 1 },
      ]),
    )
    expect(idsOf((await ask({ startDate: start, endDate: end })).body)).toEqual(['4', '3', '2'])
    expect(idsOf((await ask({ startDate: start, endDate: start, agentId: '45186' })).body)).toEqual(['2'])
  })

  it('orders equal request times by onlineHelpId descending as 64-bit integers, where doubles would tie (D13)', async () => {
    const ids = ['9007199254740992', '9007199254740993', '-9007199254740993', '-9007199254740992', '0']
    expect(Number(ids[0])).toBe(Number(ids[1]))
    const { ask } = client(storeOf(ids.map((id) => ({ id, at: T0 }))))
    expect(idsOf((await ask({ ...WIDE, customerId: '2337368' })).body)).toEqual([
      '9007199254740993',
      '9007199254740992',
      '0',
      '-9007199254740992',
      '-9007199254740993',
    ])
  })

  it('answers at most 20, the newest', async () => {
    const { ask } = client(
      storeOf(Array.from({ length: 23 }, (_, i) => ({ id: String(500 + i), at: T0 + i }))),
    )
    expect(idsOf((await ask({ ...WIDE })).body)).toEqual(
      Array.from({ length: 20 }, (_, i) => String(522 - i)),
    )
  })
})

describe('POST /v1/reporting/getonlinehelplist: paging by the oldest item (D13)', () => {
  /** The documented client: call, collect, send the oldest item's time as endDate, drop ids it has. */
  async function readAll(ask: (body: unknown) => Promise<{ body: string; json: <T>() => T }>, body: object) {
    const seen: string[] = []
    let endDate = (body as { endDate: number }).endDate
    for (let page = 0; page < 100; page++) {
      const response = await ask({ ...body, endDate })
      const fresh = idsOf(response.body).filter((id) => !seen.includes(id))
      if (fresh.length === 0) return seen
      seen.push(...fresh)
      endDate = (response.json<{ helpRequestedAt: number }[]>().at(-1) as { helpRequestedAt: number })
        .helpRequestedAt
    }
    throw new Error('paging did not end')
  }

  // 53 sessions in runs of equal request times (up to 5), ids beyond 2^53 of both signs, every state.
  const STATES: HelpState[] = [
    'onlinehelp_requested',
    'onlinehelp_cancelled_by_customer',
    'onlinehelp_started',
    'onlinehelp_ended_by_customer',
    'onlinehelp_ended_by_agent',
    'onlinehelp_ended_customer_kill_app',
  ]
  const SESSIONS: SessionSpec[] = Array.from({ length: 53 }, (_, i) => {
    const big = 2n ** 62n - BigInt(i * 104_729)
    return {
      id: String(i % 2 === 0 ? big : -big),
      at: T0 + Math.floor(i / 5) * 1_000,
      customer: i % 3 === 0 ? '7403713' : '2337368',
      agent: '45153',
      state: STATES[i % STATES.length] as HelpState,
    }
  })

  it('loses and repeats nothing over 53 sessions once the client drops the ids it has', async () => {
    const { ask } = client(storeOf(SESSIONS))
    const all = expected(SESSIONS, () => true)
    expect(all).toHaveLength(53)
    expect(await readAll(ask, { ...WIDE })).toEqual(all)
  })

  it('pages a filtered list the same way', async () => {
    const { ask } = client(storeOf(SESSIONS))
    const mine = expected(SESSIONS, (session) => session.customer === '2337368')
    expect(mine.length).toBeGreaterThan(20)
    expect(await readAll(ask, { ...WIDE, customerId: '2337368' })).toEqual(mine)
  })
})

describe('POST /v1/reporting/getonlinehelplist: D17, D18', () => {
  it.each([
    [
      'an unknown customerId',
      { customerId: '1' },
      'no customer 1 (customerId) in the fixtures: the list is empty',
    ],
    [
      'an unknown agentId',
      { agentId: '99999' },
      'no staff member 99999 (agentId) in the fixtures: the list is empty',
    ],
    [
      'both unknown: each named',
      { customerId: '1', agentId: '99999' },
      'no customer 1 (customerId) in the fixtures: the list is empty; no staff member 99999 (agentId) in the fixtures: the list is empty',
    ],
  ])('%s: [] and a note that names it', async (_label, ids, note) => {
    const { ask } = client(storeOf([{ id: '1', at: T0 }]))
    const response = await ask({ ...WIDE, ...ids })
    expect([response.statusCode, response.body]).toEqual([200, '[]'])
    expect(response.headers['x-dlg-mock-notes']).toBe(note)
  })

  it('a reversed window is a 500 naming the problem, before any id is looked up', async () => {
    const { ask } = client(storeOf([]))
    const response = await ask({ startDate: T0 + 1, endDate: T0, agentId: '99999' })
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      500,
      'text/plain; charset=utf-8',
      REVERSED_LIST_WINDOW,
    ])
  })

  it('writes ids beyond 2^53, negative and positive, exactly, for a BigInt-aware client', async () => {
    const ids = ['-1527120504243668640', '8864021175390264113', '-9223372036854775808']
    const { ask } = client(storeOf(ids.map((id, i) => ({ id, at: T0 - i }))))
    const response = await ask({ ...WIDE })
    for (const id of ids) expect(response.body).toContain(`"onlineHelpId":${id},`)
    expect(idsOf(response.body).map(BigInt)).toEqual(ids.map(BigInt))
    expect(String(response.json<{ onlineHelpId: number }[]>()[0]?.onlineHelpId)).toBe('-1527120504243668700')
  })
})

describe('POST /v1/reporting/getonlinehelplist: a malformed body (D8: 500, plain text naming the field)', () => {
  it.each([
    ['a missing startDate', { endDate: T0 }, 'Invalid request body: missing required field startDate'],
    ['a missing endDate', { startDate: T0 }, 'Invalid request body: missing required field endDate'],
    ['an empty object', {}, 'Invalid request body: missing required fields startDate, endDate'],
    [
      'a number for agentId',
      { ...WIDE, agentId: 45186 },
      'Invalid request body: field agentId must be string (got integer)',
    ],
    [
      'null for customerId',
      { ...WIDE, customerId: null },
      'Invalid request body: field customerId must be string (got null)',
    ],
    [
      'a fraction for endDate',
      { ...WIDE, endDate: 1.5 },
      'Invalid request body: field endDate must be integer (got number)',
    ],
    [
      'a string for startDate',
      { ...WIDE, startDate: 'yesterday' },
      'Invalid request body: field startDate must be integer (got string)',
    ],
  ])('%s', async (_label, body, message) => {
    const { ask } = client(storeOf([]))
    const response = await ask(body)
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      500,
      'text/plain; charset=utf-8',
      message,
    ])
  })

  it('authenticates before anything else: an unsigned call gets the HMAC error', async () => {
    const { app } = client(storeOf([]))
    const response = await app.inject({ method: 'POST', url: URL_PATH, payload: '{}' })
    expect([response.statusCode, response.body]).toEqual([400, 'Required headers not found'])
  })
})

describe('the documentation example, with the default fixtures', () => {
  it('the body schema’s first example answers 200 with a list: newest first, at most 20, fitting the schema', async () => {
    const { ask } = client()
    const response = await ask(exampleBodyOf(GET_ONLINE_HELP_LIST))
    expect(response.statusCode).toBe(200)
    const items = response.json<{ helpRequestedAt: number }[]>()
    expect(Array.isArray(items)).toBe(true)
    expect(items.length).toBeLessThanOrEqual(20)
    expect(Value.Check(GetOnlineHelpListResponse, items)).toBe(true)
    const times = items.map((item) => item.helpRequestedAt)
    expect(times).toEqual([...times].sort((a, b) => b - a))
  })

  it('the Authentication page’s example body (agentUserId) answers 200 and names the old field', async () => {
    const { ask } = client()
    const response = await ask({
      customerId: '2337368',
      agentUserId: '45186',
      startDate: 1612984180000,
      endDate: 1615403380000,
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-dlg-mock-notes']).toContain('agentUserId is the old name of agentId')
  })
})
