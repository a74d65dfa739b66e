import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DOCS_BODY } from './helpers/signing.js'
import { startMock, type RunningMock } from '../src/testing.js'

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
    expect(
      conversationDetailLink.startsWith(`${mock.url.replace('127.0.0.1', 'localhost')}/views/messaging?`),
    ).toBe(true)
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
      /^diyalog-mock admin POST \/clock\/offset: 400/,
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
