import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  expectTypeOf,
  it,
  onTestFinished,
  vi,
} from 'vitest'
import { ADMIN_OPERATIONS } from '../src/admin/operations.js'
import { DOCS_BODY } from './helpers/signing.js'
import {
  adminClient,
  startMock,
  type AdminClient,
  type FaultKind,
  type FaultSpec,
  type JournalEntry,
  type RunningMock,
} from '../src/testing.js'

/** The test helper as a client team uses it: one mock for the file, reset between tests. */
describe('startMock', () => {
  let mock: RunningMock
  beforeAll(async () => {
    mock = await startMock({ now: '2021-03-09T13:28:32Z' })
  })
  afterAll(() => mock.stop())
  beforeEach(() => mock.admin.reset())

  const body = JSON.stringify(DOCS_BODY)

  it('serves the bundled fixtures on a free port, signed with the demo key', async () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await mock.fetchSigned('/v1/reporting/getmessagingdetail', { body })
    expect(response.status).toBe(200)
    const { conversationDetailLink } = (await response.json()) as { conversationDetailLink: string }
    expect(conversationDetailLink.startsWith(`${mock.url}/views/messaging?`)).toBe(true)
  })

  it('moves the clock, and the journal says why a request failed', async () => {
    await mock.admin.freezeClock('2021-03-09T13:28:32Z')
    const headers = await mock.signedHeaders('/v1/reporting/getmessagingdetail', { body })
    await mock.admin.advanceClock(16 * 60)
    const late = await fetch(`${mock.url}/v1/reporting/getmessagingdetail`, { method: 'POST', headers, body })
    expect(late.status).toBe(403)
    const [entry] = await mock.admin.requests({ auth: 'failed' })
    expect(entry?.diagnosis?.detail).toBe(
      'x-dlg-date is 960 s behind the server clock (server 2021-03-09T13:44:32Z, request 2021-03-09T13:28:32Z, allowed 900 s either way)',
    )
  })

  it('injects faults and swaps the data set', async () => {
    await mock.admin.addFault({ kind: 'api-error', message: 'Bakımdayız', times: 1 })
    const failed = await mock.fetchSigned('/v1/reporting/getmessagingdetail', { body })
    expect([failed.status, await failed.text()]).toEqual([500, 'Bakımdayız'])
    await mock.admin.replaceFixtures({ staff: [], customers: [], conversations: [] })
    const empty = await mock.fetchSigned('/v1/reporting/getmessagingdetail', { body })
    expect(await empty.json()).toMatchObject({ isSuccess: false, error: 'Staff not found in the system' })
  })

  it('reports an admin mistake as an error naming the call', async () => {
    await expect(mock.admin.offsetClock(Number.NaN)).rejects.toThrow(
      /^diyalog-mock admin POST \/__admin\/clock\/offset: 400/,
    )
  })
})

describe('startMock with its own keys and data', () => {
  it('accepts only the given key, serves the given data set, and stops', async () => {
    const mock = await startMock({
      accessKeys: [{ keyId: 'team-a', secret: 'team-a-secret' }],
      fixtures: {
        staff: [{ staffId: 's1', name: 'Ayşe' }],
        customers: [{ customerId: 'c1', name: 'Ömer' }],
        conversations: [],
      },
    })
    expect([mock.keyId, mock.secret]).toEqual(['team-a', 'team-a-secret'])
    const found = await mock.fetchSigned('/v1/reporting/getmessagingdetail', {
      body: JSON.stringify({ staffId: 's1', customerId: 'c1', startDate: 0, endDate: 1 }),
    })
    expect(await found.json()).toMatchObject({ isSuccess: true })
    await mock.stop()
    await expect(fetch(`${mock.url}/health`)).rejects.toThrow()
  })

  it('refuses an empty key list', async () => {
    await expect(startMock({ accessKeys: [] })).rejects.toThrow('accessKeys must hold at least one key')
  })
})

describe('the admin client', () => {
  it('reaches every operation of the admin table, as the table says', async () => {
    const mock = await startMock()
    onTestFinished(() => mock.stop())
    const sent: string[] = []
    const realFetch = globalThis.fetch
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const url = new URL(String(input))
      sent.push(`${init?.method} ${url.pathname.replace(/^\/__admin/, '')}`)
      return realFetch(input, init)
    })
    onTestFinished(() => void vi.restoreAllMocks())
    const { admin } = mock
    await admin.requests({ since: new Date(0), limit: 1 })
    await admin.clearRequests()
    await admin.clock()
    await admin.freezeClock(new Date('2021-03-09T13:28:32Z'))
    await admin.offsetClock(1)
    await admin.advanceClock(1)
    await admin.resetClock()
    const fault = await admin.addFault({ kind: 'delay', delayMs: 1, path: '/v1/none' })
    expect(await admin.faults()).toEqual([expect.objectContaining({ id: fault.id, kind: 'delay' })])
    await admin.removeFault(fault.id)
    await admin.clearFaults()
    expect((await admin.fixtures()).counts).toMatchObject({ staff: 7, calls: 99 })
    await admin.replaceFixtures({ staff: [], customers: [], conversations: [] })
    await admin.reloadFixtures()
    await admin.resetFixtures()
    await admin.reset()
    const table = Object.values(ADMIN_OPERATIONS).map(
      (operation) => `${operation.method} ${operation.path.replace(':id', fault.id)}`,
    )
    expect(sent.filter((call) => !call.startsWith('POST /v1')).sort()).toEqual(table.sort())
  })

  it('takes a base URL with a trailing slash, and names the call when the mock cannot be reached', async () => {
    const mock = await startMock()
    await expect(adminClient(`${mock.url}/`, 'wrong-token-0123456789').clock()).rejects.toThrow(
      'diyalog-mock admin GET /__admin/clock: 401 Admin API: send Authorization: Bearer <DLG_ADMIN_TOKEN>',
    )
    await mock.stop()
    await expect(mock.admin.clock()).rejects.toThrow(
      `diyalog-mock admin GET /__admin/clock: no answer from ${mock.url}`,
    )
  })

  it('types each call exactly (checked by npm run typecheck)', () => {
    const client = {} as AdminClient
    const typed = () => {
      // @ts-expect-error a delay fault needs delayMs
      void client.addFault({ kind: 'delay' })
      // @ts-expect-error an auth-error fault needs a row of the error table
      void client.addFault({ kind: 'auth-error', reason: 'wrong-password' })
      // @ts-expect-error a field of another kind
      void client.addFault({ kind: 'drop', message: 'x' })
      // @ts-expect-error the journal has no such filter
      void client.requests({ staffId: '45188' })
      // @ts-expect-error fixtures are records, not numbers
      void client.replaceFixtures({ staff: [1], customers: [], conversations: [] })
      void client.addFault({ kind: 'auth-error', reason: 'clock-skew', times: 1 })
    }
    expect(typeof typed).toBe('function')
    expectTypeOf<FaultSpec>().toMatchTypeOf<{ kind: FaultKind }>()
    expectTypeOf<Awaited<ReturnType<AdminClient['requests']>>[number]>().toMatchTypeOf<JournalEntry>()
  })
})
