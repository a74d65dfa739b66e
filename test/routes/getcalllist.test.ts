import { Value } from 'typebox/value'
import { describe, expect, it } from 'vitest'
import { createLinkSigner } from '../../src/links/link-signer.js'
import { GET_CALL_LIST, GetCallListResponse } from '../../src/routes/reporting/getcalllist.js'
import { REVERSED_LIST_WINDOW } from '../../src/routes/reporting/lists.js'
import { exampleBodyOf } from '../../src/routes/signed-route.js'
import { parseFixtureData } from '../../src/store/fixture-loader.js'
import { createStore, type Store } from '../../src/store/store.js'
import { DOCS_NOW, TEST_LINK_SECRET, TEST_PUBLIC_URL } from '../helpers/app.js'
import { idsIn, listClient } from '../helpers/lists.js'

const URL_PATH = '/v1/reporting/getcalllist'
const T0 = Date.UTC(2021, 2, 1, 9, 0, 0)
const iso = (ms: number) => new Date(ms).toISOString()

const STAFF = [
  { staffId: '45186', name: 'Ayşe Yılmaz', userType: 4, appName: 'Agent Web App' },
  { staffId: '45188', name: 'Mehmet Çelik', userType: 4, appName: 'Diyalog Kurumsal' },
]
const CUSTOMERS = [
  { customerId: '2337368', name: 'Ömer Faruk Şahin', userType: 5, appName: 'Diyalog iOS' },
  { customerId: '5667067', name: 'İpek Doğan', userType: 7, appName: 'Diyalog Android' },
]

type Side = { staffId: string } | { customerId: string }
interface CallSpec {
  id: string
  at: number
  from: Side
  to: Side
  type?: 'video' | 'voice' | ''
  state?: 'ENDED' | 'MISSED' | 'START'
  use?: number
  recording?: boolean
  seconds?: number
  initiatorAppName?: string
}

const S1 = { staffId: '45186' }
const S2 = { staffId: '45188' }
const C1 = { customerId: '2337368' }
const C2 = { customerId: '5667067' }

function callRecord(spec: CallSpec) {
  const state = spec.state ?? 'ENDED'
  return {
    callId: spec.id,
    initiator: spec.from,
    receiver: spec.to,
    startedAt: iso(spec.at),
    endedAt: iso(spec.at + 30_000),
    connectedSeconds: spec.seconds ?? (state === 'ENDED' ? 21 : 0),
    callType: spec.type ?? 'video',
    state,
    useType: spec.use ?? 1,
    recording: spec.recording ?? false,
    ...(spec.initiatorAppName === undefined ? {} : { initiatorAppName: spec.initiatorAppName }),
  }
}

function storeOf(calls: readonly CallSpec[]): Store {
  return createStore(
    parseFixtureData(
      { staff: STAFF, customers: CUSTOMERS, conversations: [], calls: calls.map(callRecord) },
      'test',
    ),
  )
}

/** One app for the test, closed after it; `ask` signs and sends a body. */
const client = (store?: Store) => listClient(URL_PATH, store)

/** The `callId`s of an answer, read from its text: exact, as a BigInt-aware client reads them. */
const idsOf = (text: string) => idsIn(text, 'callId')

/** What the list should hold: the model of §4.1, D12, D13 over the specs. */
function expected(
  calls: readonly CallSpec[],
  filter: (call: CallSpec) => boolean,
  start: number,
  end: number,
) {
  return calls
    .filter((call) => call.at >= start && call.at <= end && filter(call))
    .sort((a, b) => b.at - a.at || (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0))
    .map((call) => call.id)
}

const WIDE = { startDate: T0 - 86_400_000, endDate: T0 + 86_400_000 }

describe('POST /v1/reporting/getcalllist: the items', () => {
  it('writes each call with every documented field, in the documentation order, ids exact', async () => {
    const { ask } = client(
      storeOf([
        { id: '-1527120504243668640', at: T0, from: S2, to: C2, state: 'MISSED', use: 2 },
        {
          id: '3387307531615898478',
          at: T0 - 60_000,
          from: S2,
          to: C2,
          seconds: 11,
          use: 3,
          recording: true,
        },
        {
          id: '42',
          at: T0 - 120_000,
          from: C1,
          to: S1,
          type: 'voice',
          use: 0,
          initiatorAppName: 'Diyalog Web',
        },
      ]),
    )
    const response = await ask({ ...WIDE, callType: 'all' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    const [missed, recorded, old] = response.body.slice(1, -1).split(/(?<=\}),(?=\{)/)
    expect(missed).toBe(
      '{"callId":-1527120504243668640,"initiatorId":"45188","nameOfInitiator":"Mehmet Çelik","initiatorUserType":4,' +
        '"initiatorAppName":"Diyalog Kurumsal","receiverId":"5667067","nameOfReceiver":"İpek Doğan","receiverUserType":7,' +
        `"receiverAppName":"Diyalog Android","callStartedAt":${T0},"callEndedAt":${T0 + 30_000},"callTime":0,` +
        '"callType":"video","callState":"MISSED","callViewUrl":"","callUseType":"VIDEO_HELP_CALL"}',
    )
    expect(recorded).toMatch(
      /^\{"callId":3387307531615898478,.*"callTime":11,.*"callUseType":"ONLINE_HELP_CALL"\}$/,
    )
    // A call's own app name wins over the person's; the customer's user type comes from the store.
    expect(old).toBe(
      '{"callId":42,"initiatorId":"2337368","nameOfInitiator":"Ömer Faruk Şahin","initiatorUserType":5,' +
        '"initiatorAppName":"Diyalog Web","receiverId":"45186","nameOfReceiver":"Ayşe Yılmaz","receiverUserType":4,' +
        `"receiverAppName":"Agent Web App","callStartedAt":${T0 - 120_000},"callEndedAt":${T0 - 90_000},"callTime":21,` +
        '"callType":"voice","callState":"ENDED","callViewUrl":"","callUseType":"UNKOWN"}',
    )
    expect(Value.Check(GetCallListResponse, response.json())).toBe(true)
  })

  it.each([
    [0, 'UNKOWN'],
    [1, 'DIYALOG_STANDART_CALL'],
    [2, 'VIDEO_HELP_CALL'],
    [3, 'ONLINE_HELP_CALL'],
  ])('writes callUseType %i as %j', async (use, name) => {
    const { ask } = client(storeOf([{ id: '1', at: T0, from: S1, to: C1, use }]))
    expect((await ask({ ...WIDE, callType: 'all' })).json()).toMatchObject([{ callUseType: name }])
  })

  it('gives a recorded call a recording link that verifies, and every other call ""', async () => {
    const { ask } = client(
      storeOf([
        { id: '-9007199254740993', at: T0, from: S1, to: C1, recording: true },
        { id: '2', at: T0 - 1, from: S1, to: C1, recording: false },
        { id: '3', at: T0 - 2, from: S1, to: C1, state: 'MISSED' },
      ]),
    )
    const items = (await ask({ ...WIDE, callType: 'all' })).json<{ callViewUrl: string }[]>()
    expect(items.slice(1).map((item) => item.callViewUrl)).toEqual(['', ''])
    const link = new URL(items[0]?.callViewUrl ?? '')
    expect(`${link.origin}${link.pathname}`).toBe(`${TEST_PUBLIC_URL}/v1/playrecords/-9007199254740993`)
    expect([...link.searchParams.keys()]).toEqual(['signature', 'expires'])
    expect(link.searchParams.get('expires')).toBe(String(DOCS_NOW + 1800 * 1000))
    const signer = createLinkSigner({ secret: TEST_LINK_SECRET, ttlSeconds: 1800 })
    const query = Object.fromEntries(link.searchParams)
    expect(signer.verifyRecording('-9007199254740993', query, DOCS_NOW)).toEqual({
      status: 'valid',
      link: { callId: '-9007199254740993', expiresAt: DOCS_NOW + 1800 * 1000 },
    })
    expect(signer.verifyRecording('-9007199254740992', query, DOCS_NOW)).toEqual({ status: 'invalid' })
  })
})

describe('POST /v1/reporting/getcalllist: the filters', () => {
  // Every pair, both directions, every type and use type.
  const CALLS: CallSpec[] = [
    { id: '101', at: T0 + 1_000, from: S1, to: C1, type: 'video', use: 1 },
    { id: '102', at: T0 + 2_000, from: C1, to: S1, type: 'voice', use: 3 },
    { id: '103', at: T0 + 3_000, from: S1, to: C2, type: '', use: 0 },
    { id: '104', at: T0 + 4_000, from: C2, to: S2, type: 'video', use: 2 },
    { id: '105', at: T0 + 5_000, from: S2, to: C1, type: 'voice', use: 1 },
    { id: '106', at: T0 + 6_000, from: S1, to: S2, type: 'voice', use: 1 },
    { id: '107', at: T0 + 7_000, from: C1, to: C2, type: '', use: 0 },
    { id: '108', at: T0 + 8_000, from: S2, to: S1, type: 'video', use: 3, state: 'MISSED' },
    { id: '109', at: T0 + 9_000, from: C2, to: S1, type: 'voice', use: 2 },
  ]
  const involves = (call: CallSpec, side: Side) =>
    JSON.stringify(call.from) === JSON.stringify(side) || JSON.stringify(call.to) === JSON.stringify(side)
  type Body = {
    callType: 'all' | 'video' | 'voice'
    staffId?: string
    customerId?: string
    callUseType?: number
  }
  const model = (body: Body) => (call: CallSpec) =>
    (body.staffId === undefined || involves(call, { staffId: body.staffId })) &&
    (body.customerId === undefined || involves(call, { customerId: body.customerId })) &&
    (body.callType === 'all' || call.type === body.callType) &&
    (body.callUseType === undefined || call.use === body.callUseType)

  const cases: [string, Body, string[]][] = [
    [
      'callType all: every call, old "" ones included',
      { callType: 'all' },
      ['109', '108', '107', '106', '105', '104', '103', '102', '101'],
    ],
    ['callType video', { callType: 'video' }, ['108', '104', '101']],
    ['callType voice', { callType: 'voice' }, ['109', '106', '105', '102']],
    [
      'staffId: the calls the staff member made or took, staff–staff too',
      { callType: 'all', staffId: '45186' },
      ['109', '108', '106', '103', '102', '101'],
    ],
    [
      'customerId: the customer’s calls, either way',
      { callType: 'all', customerId: '2337368' },
      ['107', '105', '102', '101'],
    ],
    [
      'both ids: only the calls between the two, either way',
      { callType: 'all', staffId: '45186', customerId: '2337368' },
      ['102', '101'],
    ],
    [
      'both ids, the other pair',
      { callType: 'all', staffId: '45186', customerId: '5667067' },
      ['109', '103'],
    ],
    ['callUseType 0', { callType: 'all', callUseType: 0 }, ['107', '103']],
    ['callUseType 1', { callType: 'all', callUseType: 1 }, ['106', '105', '101']],
    ['callUseType 2', { callType: 'all', callUseType: 2 }, ['109', '104']],
    ['callUseType 3', { callType: 'all', callUseType: 3 }, ['108', '102']],
    ['staffId + callType', { callType: 'voice', staffId: '45186' }, ['109', '106', '102']],
    ['staffId + callUseType', { callType: 'all', staffId: '45188', callUseType: 3 }, ['108']],
    [
      'customerId + callType + callUseType',
      { callType: 'voice', customerId: '2337368', callUseType: 1 },
      ['105'],
    ],
    [
      'both ids + callType + callUseType',
      { callType: 'voice', staffId: '45186', customerId: '2337368', callUseType: 3 },
      ['102'],
    ],
    ['both ids + a type they never used', { callType: 'video', staffId: '45186', customerId: '5667067' }, []],
    ['callType video never matches an old "" call', { callType: 'video', callUseType: 0 }, []],
  ]

  it.each(cases)('%s', async (_label, filters, ids) => {
    expect(expected(CALLS, model(filters), WIDE.startDate, WIDE.endDate)).toEqual(ids)
    const { ask } = client(storeOf(CALLS))
    const response = await ask({ ...WIDE, ...filters })
    expect(response.statusCode).toBe(200)
    expect(idsOf(response.body)).toEqual(ids)
    expect(response.headers['x-dlg-mock-notes']).toBeUndefined()
  })

  it('keeps both ends of the window (callStartedAt) and nothing a millisecond outside (D12)', async () => {
    const start = T0
    const end = T0 + 60_000
    const { ask } = client(
      storeOf([
        { id: '1', at: start - 1, from: S1, to: C1 },
        { id: '2', at: start, from: S1, to: C1 },
        { id: '3', at: start + 30_000, from: S1, to: C1 },
        { id: '4', at: end, from: S1, to: C1 },
        { id: '5', at: end + 1, from: S1, to: C1 },
      ]),
    )
    expect(idsOf((await ask({ startDate: start, endDate: end, callType: 'all' })).body)).toEqual([
      '4',
      '3',
      '2',
    ])
    expect(idsOf((await ask({ startDate: end, endDate: end, callType: 'all' })).body)).toEqual(['4'])
    expect(
      idsOf(
        (await ask({ startDate: start - 1, endDate: start - 1, callType: 'all', staffId: '45186' })).body,
      ),
    ).toEqual(['1'])
  })

  it('orders equal start times by callId descending as 64-bit integers, where doubles would tie (D13)', async () => {
    const ids = ['9007199254740992', '9007199254740993', '-9007199254740993', '-9007199254740992', '7']
    // Doubles cannot tell these apart: a Number sort would keep the file's order.
    expect(Number(ids[0])).toBe(Number(ids[1]))
    expect(Number(ids[2])).toBe(Number(ids[3]))
    const { ask } = client(storeOf(ids.map((id) => ({ id, at: T0, from: S1, to: C1 }))))
    expect(idsOf((await ask({ ...WIDE, callType: 'all' })).body)).toEqual([
      '9007199254740993',
      '9007199254740992',
      '7',
      '-9007199254740992',
      '-9007199254740993',
    ])
  })

  it('answers at most 20, the newest', async () => {
    const calls = Array.from({ length: 25 }, (_, i) => ({
      id: String(1000 + i),
      at: T0 + i * 1000,
      from: S1,
      to: C1,
    }))
    const { ask } = client(storeOf(calls))
    const ids = idsOf((await ask({ ...WIDE, callType: 'all' })).body)
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => String(1024 - i)))
    expect(
      idsOf((await ask({ ...WIDE, callType: 'all', staffId: '45186', customerId: '2337368' })).body),
    ).toHaveLength(20)
  })
})

describe('POST /v1/reporting/getcalllist: paging by the oldest item (D13)', () => {
  /** The documented client: call, collect, send the oldest item's time as endDate, drop ids it has. */
  async function readAll(ask: (body: unknown) => Promise<{ body: string; json: <T>() => T }>, body: object) {
    const seen: string[] = []
    let endDate = (body as { endDate: number }).endDate
    for (let page = 0; page < 100; page++) {
      const response = await ask({ ...body, endDate })
      const ids = idsOf(response.body)
      const items = response.json<{ callStartedAt: number }[]>()
      const fresh = ids.filter((id) => !seen.includes(id))
      if (fresh.length === 0) return { seen, pages: page + 1 }
      seen.push(...fresh)
      endDate = (items.at(-1) as { callStartedAt: number }).callStartedAt
    }
    throw new Error('paging did not end')
  }

  // 57 calls: runs of equal start times (up to 4) that straddle page ends, ids beyond 2^53 of both signs.
  const CALLS: CallSpec[] = Array.from({ length: 57 }, (_, i) => {
    const big = 2n ** 60n + BigInt(i * 7919)
    return {
      id: String(i % 3 === 0 ? -big : big),
      at: T0 + Math.floor(i / 4) * 60_000 + (i % 4 === 3 ? 1 : 0),
      from: i % 2 === 0 ? S1 : C1,
      to: i % 2 === 0 ? C1 : S1,
      type: i % 5 === 0 ? 'voice' : 'video',
    } as CallSpec
  })

  it('loses and repeats nothing over 57 calls once the client drops the ids it has', async () => {
    const { ask } = client(storeOf(CALLS))
    const all = expected(CALLS, () => true, WIDE.startDate, WIDE.endDate)
    expect(all).toHaveLength(57)
    const { seen, pages } = await readAll(ask, { ...WIDE, callType: 'all' })
    expect(seen).toEqual(all)
    expect(pages).toBeGreaterThanOrEqual(4)
  })

  it('pages a filtered list the same way', async () => {
    const { ask } = client(storeOf(CALLS))
    const videos = expected(CALLS, (call) => call.type === 'video', WIDE.startDate, WIDE.endDate)
    expect(videos.length).toBeGreaterThan(40)
    const { seen } = await readAll(ask, {
      ...WIDE,
      callType: 'video',
      staffId: '45186',
      customerId: '2337368',
    })
    expect(seen).toEqual(videos)
  })
})

describe('POST /v1/reporting/getcalllist: D17, D18', () => {
  it.each([
    [
      'an unknown staffId',
      { staffId: '99999' },
      'no staff member 99999 (staffId) in the fixtures: the list is empty',
    ],
    [
      'an unknown customerId',
      { customerId: '1' },
      'no customer 1 (customerId) in the fixtures: the list is empty',
    ],
    [
      'both unknown: each named',
      { staffId: '99999', customerId: '1' },
      'no staff member 99999 (staffId) in the fixtures: the list is empty; no customer 1 (customerId) in the fixtures: the list is empty',
    ],
    [
      'a known staffId with an unknown customerId',
      { staffId: '45186', customerId: '1' },
      'no customer 1 (customerId) in the fixtures: the list is empty',
    ],
  ])('%s: [] and a note that names it', async (_label, ids, note) => {
    const { ask } = client(storeOf([{ id: '1', at: T0, from: S1, to: C1 }]))
    const response = await ask({ ...WIDE, callType: 'all', ...ids })
    expect([response.statusCode, response.body]).toEqual([200, '[]'])
    expect(response.headers['x-dlg-mock-notes']).toBe(note)
  })

  it('a reversed window is a 500 naming the problem, before any id is looked up', async () => {
    const { ask } = client(storeOf([]))
    for (const ids of [{}, { staffId: '99999' }]) {
      const response = await ask({ startDate: T0 + 1, endDate: T0, callType: 'all', ...ids })
      expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
        500,
        'text/plain; charset=utf-8',
        REVERSED_LIST_WINDOW,
      ])
      expect(response.headers['x-dlg-mock-notes']).toBeUndefined()
    }
    expect(REVERSED_LIST_WINDOW).toBe('startDate is after endDate: the window is reversed')
  })

  it('writes ids beyond 2^53, negative and positive, exactly, for a BigInt-aware client', async () => {
    const ids = ['-1527120504243668640', '3387307531615898478', '9223372036854775807', '-9223372036854775808']
    const { ask } = client(storeOf(ids.map((id, i) => ({ id, at: T0 - i * 1000, from: S1, to: C1 }))))
    const response = await ask({ ...WIDE, callType: 'all' })
    for (const id of ids) expect(response.body).toContain(`"callId":${id},`)
    expect(idsOf(response.body).map(BigInt)).toEqual(ids.map(BigInt))
    // What a client that parses into doubles gets instead.
    const lossy = response.json<{ callId: number }[]>().map((item) => item.callId)
    expect(String(lossy[0])).toBe('-1527120504243668700')
    expect(BigInt(lossy[0] as number)).not.toBe(-1527120504243668640n)
  })
})

describe('POST /v1/reporting/getcalllist: a malformed body (D8: 500, plain text naming the field)', () => {
  const GOOD = { ...WIDE, callType: 'all' }
  it.each([
    [
      'a missing startDate',
      { ...GOOD, startDate: undefined },
      'Invalid request body: missing required field startDate',
    ],
    [
      'a missing endDate',
      { ...GOOD, endDate: undefined },
      'Invalid request body: missing required field endDate',
    ],
    [
      'a missing callType (§4.5: required)',
      { ...GOOD, callType: undefined },
      'Invalid request body: missing required field callType',
    ],
    ['an empty object', {}, 'Invalid request body: missing required fields startDate, endDate, callType'],
    [
      'callType "VIDEO"',
      { ...GOOD, callType: 'VIDEO' },
      'Invalid request body: field callType must be one of "all", "video", "voice" (got "VIDEO")',
    ],
    [
      'callType ""',
      { ...GOOD, callType: '' },
      'Invalid request body: field callType must be one of "all", "video", "voice" (got "")',
    ],
    [
      'callType 1',
      { ...GOOD, callType: 1 },
      'Invalid request body: field callType must be one of "all", "video", "voice" (got 1)',
    ],
    ['callUseType 4', { ...GOOD, callUseType: 4 }, 'Invalid request body: field callUseType must be <= 3'],
    ['callUseType -1', { ...GOOD, callUseType: -1 }, 'Invalid request body: field callUseType must be >= 0'],
    [
      'callUseType 1.5',
      { ...GOOD, callUseType: 1.5 },
      'Invalid request body: field callUseType must be integer (got number)',
    ],
    [
      'callUseType "1"',
      { ...GOOD, callUseType: '1' },
      'Invalid request body: field callUseType must be integer (got string)',
    ],
    [
      'a number for staffId',
      { ...GOOD, staffId: 45186 },
      'Invalid request body: field staffId must be string (got integer)',
    ],
    [
      'null for customerId',
      { ...GOOD, customerId: null },
      'Invalid request body: field customerId must be string (got null)',
    ],
    [
      'a string for startDate',
      { ...GOOD, startDate: String(WIDE.startDate) },
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
    const response = await app.inject({ method: 'POST', url: URL_PATH, payload: '{"callType":"VIDEO"}' })
    expect([response.statusCode, response.body]).toEqual([400, 'Required headers not found'])
  })
})

describe('the documentation example, with the default fixtures', () => {
  it('the body schema’s first example answers 200 with a list: newest first, at most 20, fitting the schema', async () => {
    const { ask } = client()
    const response = await ask(exampleBodyOf(GET_CALL_LIST))
    expect(response.statusCode).toBe(200)
    const items = response.json<{ callStartedAt: number }[]>()
    expect(Array.isArray(items)).toBe(true)
    expect(items.length).toBeLessThanOrEqual(20)
    expect(Value.Check(GetCallListResponse, items)).toBe(true)
    const times = items.map((item) => item.callStartedAt)
    expect(times).toEqual([...times].sort((a, b) => b - a))
  })
})
