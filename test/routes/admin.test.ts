import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listeningPort } from '../../src/app.js'
import { formatDlgDate } from '../../src/auth/dlg-date.js'
import { DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { MAX_FAULTS } from '../../src/admin/faults.js'
import { MAX_FIXTURE_UPLOAD } from '../../src/admin/operations.js'
import { DEFAULT_FIXTURES_DIR } from '../../src/config.js'
import { defaultStore, DOCS_NOW, TEST_LINK_SECRET, testApp } from '../helpers/app.js'
import { DOCS_BODY, signedRequest } from '../helpers/signing.js'

/** What the bundled fixtures hold, per kind, and an empty data set's counts. */
const DEFAULT_COUNTS = defaultStore.counts
const NO_RECORDS = Object.fromEntries(Object.keys(DEFAULT_COUNTS).map((kind) => [kind, 0]))

const TOKEN = 'admin-token-for-the-tests'
const BEARER = { authorization: `Bearer ${TOKEN}` }

function adminApp(env: Record<string, string> = {}) {
  const built = testApp({ env: { DLG_ADMIN_TOKEN: TOKEN, ...env } })
  const admin = async (method: string, url: string, payload?: unknown) => {
    const response = await built.app.inject({
      method: method as 'GET',
      url: `/__admin${url}`,
      headers: BEARER,
      ...(payload === undefined ? {} : { payload: payload as object }),
    })
    return {
      status: response.statusCode,
      json: () => response.json(),
      body: response.body,
      headers: response.headers,
    }
  }
  const signed = (now = DOCS_NOW, body: object = DOCS_BODY) =>
    built.app.inject(signedRequest({ now, body: JSON.stringify(body) }))
  return { ...built, admin, signed }
}

describe('admin API access', () => {
  it('does not exist without DLG_ADMIN_TOKEN', async () => {
    const { app } = testApp()
    expect((await app.inject({ method: 'GET', url: '/__admin/requests', headers: BEARER })).statusCode).toBe(
      404,
    )
  })

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer admin-token-for-the-testz' }],
    ['a token of another length', { authorization: 'Bearer x' }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
  ])('answers %s with 401', async (_label, headers) => {
    const { app } = adminApp()
    const response = await app.inject({ method: 'GET', url: '/__admin/clock', headers })
    expect([response.statusCode, response.body]).toEqual([
      401,
      'Admin API: send Authorization: Bearer <DLG_ADMIN_TOKEN>',
    ])
    expect(response.headers['www-authenticate']).toBe('Bearer realm="diyalog-mock admin"')
  })
})

describe('request journal', () => {
  it('records each request with its auth verdict and diagnosis, newest first, secrets redacted', async () => {
    const { app, admin, signed } = adminApp()
    const okRequest = signedRequest({ now: DOCS_NOW })
    const ok = await app.inject(okRequest)
    const link = new URL(ok.json<{ conversationDetailLink: string }>().conversationDetailLink)
    await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` })
    const bad = signedRequest({ now: DOCS_NOW })
    bad.headers['x-dlg-authorization'] = `${bad.headers['x-dlg-authorization'].slice(0, -4)}AAA=`
    await app.inject(bad)
    await admin('GET', '/clock') // the admin API's own calls are not recorded

    const { size, limit, requests } = (await admin('GET', '/requests')).json()
    expect([size, limit]).toEqual([3, 1000])
    const [failed, page, success] = requests
    expect(success).toMatchObject({
      method: 'POST',
      url: '/v1/reporting/getmessagingdetail',
      status: 200,
      auth: 'ok',
      keyId: DEMO_ACCESS_KEY.keyId,
      body: JSON.stringify(DOCS_BODY),
      time: DOCS_NOW,
      at: '2021-03-09T13:28:32.000Z',
    })
    expect(success.headers['x-dlg-authorization']).toBe(`DLGA ${DEMO_ACCESS_KEY.keyId}:[redacted]`)
    expect(page).toMatchObject({ method: 'GET', status: 200, auth: 'none', body: null })
    expect(page.url).toContain('&sig=[redacted]')
    expect(failed).toMatchObject({
      status: 401,
      auth: 'failed',
      keyId: DEMO_ACCESS_KEY.keyId,
      body: JSON.stringify(DOCS_BODY),
      diagnosis: {
        reason: 'signature-mismatch',
        stringToSign: expect.stringContaining('POST\napplication/json\n'),
      },
    })
    const everything = JSON.stringify(requests)
    for (const secret of [
      DEMO_ACCESS_KEY.secret,
      TEST_LINK_SECRET,
      okRequest.headers['x-dlg-authorization'],
    ]) {
      expect(everything).not.toContain(secret)
    }
    expect(everything).not.toContain(link.searchParams.get('sig'))
  })

  it('filters by path, key id, status, auth verdict and time, and limits', async () => {
    const { app, admin, signed, clock } = adminApp()
    await signed()
    clock.advance(60_000)
    await app.inject({ method: 'GET', url: '/health' })
    await app.inject({
      ...signedRequest({ now: DOCS_NOW }),
      headers: { 'x-dlg-date': formatDlgDate(DOCS_NOW) },
    })
    const urls = async (query: string) =>
      ((await admin('GET', `/requests${query}`)).json().requests as { url: string; status: number }[]).map(
        (entry) => `${entry.status} ${entry.url}`,
      )
    expect(await urls('')).toEqual([
      '400 /v1/reporting/getmessagingdetail',
      '200 /health',
      '200 /v1/reporting/getmessagingdetail',
    ])
    expect(await urls('?path=/v1')).toHaveLength(2)
    expect(await urls('?status=400')).toEqual(['400 /v1/reporting/getmessagingdetail'])
    expect(await urls('?auth=ok')).toEqual(['200 /v1/reporting/getmessagingdetail'])
    expect(await urls('?auth=failed')).toEqual(['400 /v1/reporting/getmessagingdetail'])
    expect(await urls('?auth=none')).toEqual(['200 /health'])
    expect(await urls(`?keyId=${encodeURIComponent(DEMO_ACCESS_KEY.keyId)}`)).toHaveLength(1)
    expect(await urls('?since=2021-03-09T13:29:00Z')).toHaveLength(2)
    expect(await urls(`?since=${DOCS_NOW + 60_000}`)).toHaveLength(2)
    expect(await urls('?limit=1')).toHaveLength(1)
    expect((await admin('GET', '/requests?since=tuesday')).status).toBe(400)
    expect((await admin('GET', '/requests?status=abc')).status).toBe(400)
  })

  it('keeps at most DLG_JOURNAL_LIMIT requests, dropping the oldest, and can be emptied', async () => {
    const { app, admin } = adminApp({ DLG_JOURNAL_LIMIT: '3' })
    for (let i = 0; i < 5; i++) await app.inject({ method: 'GET', url: `/health?n=${i}` })
    const { size, requests } = (await admin('GET', '/requests')).json()
    expect(size).toBe(3)
    expect(requests.map((entry: { url: string }) => entry.url)).toEqual([
      '/health?n=4',
      '/health?n=3',
      '/health?n=2',
    ])
    expect((await admin('DELETE', '/requests')).json()).toEqual({ size: 0 })
    expect((await admin('GET', '/requests')).json().requests).toEqual([])
  })
})

describe('journal redaction', () => {
  it('hides every credential header, keeping only a DLGA key id', async () => {
    const { app, admin } = adminApp()
    await app.inject({
      method: 'GET',
      url: '/health',
      headers: {
        authorization: 'Bearer someone-elses-token',
        'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
        cookie: 'session=cookie-secret',
        'x-authorization': 'DLGA key-x:c2lnbmF0dXJlLXg=',
      },
    })
    const [entry] = (await admin('GET', '/requests')).json().requests
    expect(entry.headers).toMatchObject({
      authorization: '[redacted]',
      'proxy-authorization': '[redacted]',
      cookie: '[redacted]',
      'x-authorization': 'DLGA key-x:[redacted]',
    })
  })

  it('adds nothing to the request path when the admin API is off', async () => {
    const { app } = testApp()
    await app.ready()
    expect(app.hasRoute({ method: 'GET', url: '/__admin/clock' })).toBe(false)
    expect(app.hasRequestDecorator('arrivedAt')).toBe(false)
  })
})

describe('clock control', () => {
  it('reads, freezes, offsets, advances and resets the clock the skew check uses', async () => {
    const { admin, signed } = adminApp()
    expect((await admin('GET', '/clock')).json()).toEqual({
      mode: 'system',
      now: DOCS_NOW,
      offsetMs: 0,
      iso: '2021-03-09T13:28:32.000Z',
    })
    expect((await admin('POST', '/clock/offset', { seconds: 901 })).json()).toMatchObject({
      mode: 'offset',
      offsetMs: 901_000,
    })
    expect((await signed()).statusCode).toBe(403)
    expect((await admin('POST', '/clock/advance', { seconds: -2 })).json()).toMatchObject({
      offsetMs: 899_000,
    })
    expect((await signed()).statusCode).toBe(200)
    expect((await admin('POST', '/clock/freeze', { at: '2021-03-09T12:00:00Z' })).json()).toMatchObject({
      mode: 'frozen',
      iso: '2021-03-09T12:00:00.000Z',
    })
    expect((await signed()).statusCode).toBe(403)
    expect((await admin('POST', '/clock/advance', { seconds: 5000 })).json()).toMatchObject({
      mode: 'frozen',
      iso: '2021-03-09T13:23:20.000Z',
    })
    expect((await signed()).statusCode).toBe(200)
    expect((await admin('POST', '/clock/reset')).json()).toMatchObject({ mode: 'system', offsetMs: 0 })
    expect((await admin('POST', '/clock/freeze')).json()).toMatchObject({ mode: 'frozen', now: DOCS_NOW })
    expect((await admin('POST', '/clock/freeze', { at: DOCS_NOW + 1 })).json()).toMatchObject({
      now: DOCS_NOW + 1,
    })
    expect((await admin('POST', '/clock/freeze', { at: 'soon' })).status).toBe(400)
    expect((await admin('POST', '/clock/offset', { seconds: 'ten' })).status).toBe(400)
    // Nothing is coerced or silently dropped: a null is not 0, an unknown field is refused.
    const nullSeconds = await admin('POST', '/clock/offset', { seconds: null })
    expect([nullSeconds.status, nullSeconds.body]).toEqual([
      400,
      'body: field seconds must be number (got null)',
    ])
    expect((await admin('POST', '/clock/offset', { seconds: 1, minutes: 2 })).status).toBe(400)
    expect((await admin('POST', '/clock/freeze', { time: 5 })).body).toBe('body: unknown field time')
    expect((await admin('POST', '/clock/freeze', { at: true })).body).toBe(
      'body: field at must be number or string (got boolean)',
    )
  })

  it('refuses to move the clock where a date cannot be, and stays where it was', async () => {
    const { app, admin } = adminApp()
    await admin('POST', '/clock/freeze', { at: DOCS_NOW })
    const outOfRange = [400, 'the clock would leave the range of a date (±8.64e15 ms around 1970)']
    for (const at of [1e300, '99999999999999999999']) {
      const answer = await admin('POST', '/clock/freeze', { at })
      expect([answer.status, answer.body]).toEqual(outOfRange)
    }
    expect((await admin('GET', '/clock')).json()).toMatchObject({ mode: 'frozen', now: DOCS_NOW })
    // Near the end of time, a step forward is one too many.
    await admin('POST', '/clock/freeze', { at: 8.6395e15 })
    const step = await admin('POST', '/clock/advance', { seconds: 1e9 })
    expect([step.status, step.body]).toEqual(outOfRange)
    expect((await admin('GET', '/clock')).json()).toMatchObject({ now: 8.6395e15 })
    const text = await app.inject({
      method: 'POST',
      url: '/__admin/clock/freeze',
      headers: { ...BEARER, 'content-type': 'text/plain' },
      payload: 'hello',
    })
    expect(text.statusCode).toBe(400)
  })

  it.each([
    ['freeze at a fraction of a millisecond', '/clock/freeze', { at: DOCS_NOW + 0.5 }],
    ['freeze at an ISO date', '/clock/freeze', { at: '2021-03-09T13:28:32.123Z' }],
    ['an offset of 0.0004 s', '/clock/offset', { seconds: 0.0004 }],
    ['an offset of 1.2345 s', '/clock/offset', { seconds: 1.2345 }],
    ['an advance of 0.0007 s', '/clock/advance', { seconds: 0.0007 }],
    ['an advance of -3.21 s', '/clock/advance', { seconds: -3.21 }],
    ['a reset', '/clock/reset', undefined],
  ])('mints links that open after %s (whole milliseconds only)', async (_label, path, body) => {
    const { app, admin, signed } = adminApp()
    const state = (await admin('POST', path, body)).json() as { now: number; offsetMs: number }
    expect(Number.isInteger(state.now) && Number.isInteger(state.offsetMs)).toBe(true)
    const link = new URL(
      (await signed(state.now)).json<{ conversationDetailLink: string }>().conversationDetailLink,
    )
    expect(link.searchParams.get('expiresAt')).toMatch(/^\d+$/)
    const page = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` })
    expect(page.statusCode).toBe(200)
  })

  it('moves link expiry with each operation, and the Date header follows it', async () => {
    const { app, admin, signed } = adminApp()
    const link = new URL((await signed()).json<{ conversationDetailLink: string }>().conversationDetailLink)
    const open = async () =>
      (await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` })).statusCode
    // The link was minted at DOCS_NOW and opens for 1800 s.
    expect(await open()).toBe(200)
    await admin('POST', '/clock/advance', { seconds: 1800 })
    const expired = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` })
    expect(expired.statusCode).toBe(410)
    expect(expired.headers['date']).toBe('Tue, 09 Mar 2021 13:58:32 GMT')
    await admin('POST', '/clock/reset')
    expect(await open()).toBe(200)
    await admin('POST', '/clock/offset', { seconds: 1799 })
    expect(await open()).toBe(200)
    await admin('POST', '/clock/offset', { seconds: 1800 })
    expect(await open()).toBe(410)
    await admin('POST', '/clock/freeze', { at: DOCS_NOW + 1_800_000 })
    expect(await open()).toBe(410)
    await admin('POST', '/clock/advance', { seconds: -1 })
    expect(await open()).toBe(200)
    await admin('POST', '/clock/reset')
    const unshifted = await app.inject({ method: 'GET', url: '/health' })
    // Back on the underlying clock (here the test's pinned one), the Date header follows it.
    expect(unshifted.headers['date']).toBe('Tue, 09 Mar 2021 13:28:32 GMT')
  })
})

describe('fault injection', () => {
  it(`keeps at most ${MAX_FAULTS} faults at once, and says so with 409`, async () => {
    const { admin } = adminApp()
    for (let i = 0; i < MAX_FAULTS; i++) {
      expect((await admin('POST', '/faults', { kind: 'delay', delayMs: 1, path: `/v1/x${i}` })).status).toBe(
        201,
      )
    }
    const refused = await admin('POST', '/faults', { kind: 'delay', delayMs: 1 })
    expect([refused.status, refused.body]).toEqual([
      409,
      `${MAX_FAULTS} faults are active, the most the mock keeps: remove one (DELETE /__admin/faults/<id>) or all (DELETE /__admin/faults) first`,
    ])
    expect((await admin('GET', '/faults')).json().faults).toHaveLength(MAX_FAULTS)
    // Removing them makes room again.
    await admin('DELETE', '/faults')
    expect((await admin('POST', '/faults', { kind: 'drop', forSeconds: 0.001 })).status).toBe(201)
  })

  it('answers a documented auth error for the next N matching requests', async () => {
    const { admin, signed } = adminApp()
    const fault = (
      await admin('POST', '/faults', {
        kind: 'auth-error',
        reason: 'clock-skew',
        times: 2,
        path: '/v1/reporting',
      })
    ).json()
    expect(fault).toMatchObject({ kind: 'auth-error', remaining: 2, hits: 0, id: expect.any(String) })
    for (let i = 0; i < 2; i++) {
      const response = await signed()
      expect([response.statusCode, response.body]).toEqual([403, 'Request time may not be correct.'])
      expect(response.headers['x-dlg-mock-fault']).toBe(`auth-error; id=${fault.id}`)
    }
    expect((await signed()).statusCode).toBe(200)
    expect((await admin('GET', '/faults')).json()).toEqual({ faults: [] })
  })

  it('answers the documented API error, HTTP 500 in plain text, for a key id and a time span', async () => {
    const { admin, signed, clock } = adminApp()
    await admin('POST', '/faults', {
      kind: 'api-error',
      message: 'Database unavailable',
      keyId: DEMO_ACCESS_KEY.keyId,
      forSeconds: 60,
    })
    await admin('POST', '/faults', { kind: 'api-error', keyId: 'someone-else' })
    const response = await signed()
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      500,
      'text/plain; charset=utf-8',
      'Database unavailable',
    ])
    clock.advance(60_000)
    expect((await signed(DOCS_NOW + 60_000)).statusCode).toBe(200)
    expect((await admin('GET', '/faults')).json().faults).toHaveLength(1)
  })

  it('delays a request, then lets it through', async () => {
    const { admin, signed } = adminApp()
    await admin('POST', '/faults', { kind: 'delay', delayMs: 150, times: 1 })
    const started = performance.now()
    const response = await signed()
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-dlg-mock-fault']).toMatch(/^delay; id=/)
  })

  it('drops the connection', async () => {
    const { app, admin } = adminApp()
    await app.listen({ host: '127.0.0.1', port: 0 })
    await admin('POST', '/faults', { kind: 'drop', path: '/v1/', times: 1 })
    const send = () => {
      const request = signedRequest({ now: DOCS_NOW })
      return fetch(`http://127.0.0.1:${listeningPort(app.server)}${request.url}`, {
        method: 'POST',
        headers: request.headers,
        body: request.payload,
      })
    }
    await expect(send()).rejects.toThrow()
    expect((await send()).status).toBe(200)
    await app.close()
  })

  it('lists and removes faults, and refuses incomplete ones', async () => {
    const { admin } = adminApp()
    const { id } = (await admin('POST', '/faults', { kind: 'delay', delayMs: 1 })).json()
    expect((await admin('GET', '/faults')).json().faults).toHaveLength(1)
    expect((await admin('DELETE', `/faults/${id}`)).status).toBe(204)
    expect((await admin('DELETE', `/faults/${id}`)).status).toBe(404)
    await admin('POST', '/faults', { kind: 'drop' })
    expect((await admin('DELETE', '/faults')).json()).toEqual({ faults: [] })
    // Each kind has its own shape, and a mistake is told in that kind's terms.
    const refused = async (body: unknown) => {
      const response = await admin('POST', '/faults', body)
      return [response.status, response.body]
    }
    expect(await refused({ kind: 'delay' })).toEqual([
      400,
      'body: missing required field delayMs (kind delay)',
    ])
    expect(await refused({ kind: 'auth-error' })).toEqual([
      400,
      'body: missing required field reason (kind auth-error)',
    ])
    expect(await refused({ kind: 'drop', delayMs: 5 })).toEqual([
      400,
      'body: unknown field delayMs (kind drop)',
    ])
    expect(await refused({ kind: 'explode' })).toEqual([
      400,
      'body: field kind must be one of delay, auth-error, api-error, drop',
    ])
    expect(await refused([])).toEqual([400, 'body: the body must be a JSON object (got array)'])
    // More unknown fields than TypeBox reports errors: still named, never an empty message.
    const many = Object.fromEntries('abcdefghij'.split('').map((name) => [name, 1]))
    expect(await refused({ kind: 'drop', ...many })).toEqual([
      400,
      'body: unknown fields a, b, c, d, e, f, g, h (kind drop)',
    ])
  })
})

describe('what faults and the journal leave alone', () => {
  it('the admin API, however its path is spelt, and /health with a query', async () => {
    const { app, admin } = adminApp()
    await admin('POST', '/faults', { kind: 'api-error' })
    const encoded = await app.inject({ method: 'GET', url: '/%5F%5Fadmin/clock', headers: BEARER })
    expect(encoded.statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/health?probe=1' })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/views/messaging' })).statusCode).toBe(500)
    const urls = (await admin('GET', '/requests')).json().requests.map((entry: { url: string }) => entry.url)
    expect(urls).toEqual(['/views/messaging', '/health?probe=1'])
    const never = await admin('POST', '/faults', { kind: 'drop', path: '/health' })
    expect(never.status).toBe(400)
    expect((await admin('POST', '/faults', { kind: 'drop', path: 'v1' })).status).toBe(400)
  })

  it('journals a dropped request with status 0', async () => {
    const { app, admin } = adminApp()
    await app.listen({ host: '127.0.0.1', port: 0 })
    await admin('POST', '/faults', { kind: 'drop', path: '/views/', times: 1 })
    await expect(fetch(`http://127.0.0.1:${listeningPort(app.server)}/views/messaging`)).rejects.toThrow()
    expect((await admin('GET', '/requests')).json().requests[0]).toMatchObject({
      url: '/views/messaging',
      status: 0,
    })
    await app.close()
  })

  it('a pending delay does not hold up closing the server', async () => {
    const { app, admin, signed } = adminApp()
    await admin('POST', '/faults', { kind: 'delay', delayMs: 600_000 })
    const delayed = signed()
    await new Promise((resolve) => setTimeout(resolve, 50))
    const started = performance.now()
    await app.close()
    expect(performance.now() - started).toBeLessThan(5000)
    expect((await delayed).statusCode).toBeGreaterThanOrEqual(200)
  })
})

describe('fixtures', () => {
  it('refuses a data set over 16 MiB with 413, naming the limit and where larger sets go', async () => {
    const { app } = adminApp()
    const payload = JSON.stringify({
      staff: [],
      customers: [],
      conversations: [],
      pad: 'x'.repeat(MAX_FIXTURE_UPLOAD),
    })
    const response = await app.inject({
      method: 'PUT',
      url: '/__admin/fixtures',
      headers: { ...BEARER, 'content-type': 'application/json' },
      payload,
    })
    expect([response.statusCode, response.body]).toEqual([
      413,
      `the body is larger than ${MAX_FIXTURE_UPLOAD} bytes, the most PUT /__admin/fixtures takes: put a larger data set in the fixtures directory (DLG_FIXTURES_DIR) and reload it`,
    ])
    // Other operations keep the server's body limit, in the same words.
    const clock = await app.inject({
      method: 'POST',
      url: '/__admin/clock/offset',
      headers: { ...BEARER, 'content-type': 'application/json' },
      payload: JSON.stringify({ seconds: 1, pad: 'x'.repeat(2 * 1024 * 1024) }),
    })
    expect([clock.statusCode, clock.body]).toEqual([
      413,
      'the body is larger than 1048576 bytes, the most POST /__admin/clock/offset takes',
    ])
  })

  async function copyOfDefaults() {
    const dir = await mkdtemp(join(tmpdir(), 'dlg-fixtures-'))
    await cp(DEFAULT_FIXTURES_DIR, dir, { recursive: true })
    return dir
  }
  const health = async (app: ReturnType<typeof testApp>['app']) =>
    (await app.inject({ method: 'GET', url: '/health' })).json().fixtures

  it('reloads from disk; a bad file answers 422 naming the problem, and the old data stays served', async () => {
    const dir = await copyOfDefaults()
    const { app, admin, signed } = adminApp({ DLG_FIXTURES_DIR: dir })
    const staff = JSON.parse(await readFile(join(dir, 'staff.json'), 'utf8')) as unknown[]
    await writeFile(join(dir, 'staff.json'), JSON.stringify([...staff, { staffId: '1', name: '' }]))
    const bad = await admin('POST', '/fixtures/reload')
    expect(bad.status).toBe(422)
    expect(bad.body).toContain(`staff.json: record ${DEFAULT_COUNTS.staff}`)
    expect(bad.body).toContain('(the previous data is still served)')
    expect(await health(app)).toEqual(DEFAULT_COUNTS)
    expect((await signed()).json()).toMatchObject({ isSuccess: true })

    await writeFile(
      join(dir, 'staff.json'),
      JSON.stringify([...staff, { staffId: '1', name: 'Yeni Çalışan' }]),
    )
    expect((await admin('POST', '/fixtures/reload')).json()).toEqual({
      source: dir,
      counts: { ...DEFAULT_COUNTS, staff: DEFAULT_COUNTS.staff + 1 },
    })
    expect((await signed(DOCS_NOW, { ...DOCS_BODY, staffId: '1' })).json()).toMatchObject({ isSuccess: true })
  })

  it('serves a posted data set, validated like the files, and resets to the start-up data', async () => {
    const { app, admin, signed } = adminApp()
    const dataSet = {
      staff: [{ staffId: 's1', name: 'Ayşe' }],
      customers: [{ customerId: 'c1', name: 'Ömer' }],
      conversations: [
        {
          staffId: 's1',
          customerId: 'c1',
          messages: [{ id: 'm1', sentAt: '2021-03-09T10:00:00Z', from: 'staff', text: 'Merhaba' }],
        },
      ],
    }
    expect((await admin('PUT', '/fixtures', dataSet)).json()).toEqual({
      source: 'posted data set',
      counts: { ...NO_RECORDS, staff: 1, customers: 1, messages: 1 },
    })
    expect((await signed()).json()).toMatchObject({
      isSuccess: false,
      error: 'Staff not found in the system',
    })
    expect((await signed(DOCS_NOW, { ...DOCS_BODY, staffId: 's1', customerId: 'c1' })).json()).toMatchObject({
      isSuccess: true,
    })

    const broken = await admin('PUT', '/fixtures', {
      ...dataSet,
      conversations: [{ staffId: 's1', customerId: 'nobody', messages: [] }],
    })
    expect(broken.status).toBe(422)
    expect(broken.body).toContain('field customerId: no such customer in customers.json')
    expect((await admin('PUT', '/fixtures', { staff: [] })).body).toContain('customers.json')
    expect((await admin('PUT', '/fixtures', { staff: [], extra: 1 })).body).toContain(
      'unknown field(s) extra',
    )
    expect((await admin('PUT', '/fixtures', [1])).body).toContain('must be an object')
    expect(await health(app)).toEqual({ ...NO_RECORDS, staff: 1, customers: 1, messages: 1 })

    expect((await admin('DELETE', '/fixtures')).json()).toMatchObject({
      counts: DEFAULT_COUNTS,
    })
    expect((await admin('GET', '/fixtures')).json()).toEqual({
      source: DEFAULT_FIXTURES_DIR,
      counts: DEFAULT_COUNTS,
    })
  })

  it('applies changes in the order asked: a reload still running never overwrites a later data set', async () => {
    const { admin, app } = adminApp()
    const reload = admin('POST', '/fixtures/reload')
    const replace = admin('PUT', '/fixtures', { staff: [], customers: [], conversations: [] })
    await Promise.all([reload, replace])
    expect((await admin('GET', '/fixtures')).json()).toEqual({
      source: 'posted data set',
      counts: NO_RECORDS,
    })
    expect(await health(app)).toEqual(NO_RECORDS)
  })

  it('says so when the watched directory cannot be watched', async () => {
    const { app, logs } = testApp({
      env: { DLG_FIXTURES_DIR: '/nonexistent/fixtures', DLG_FIXTURES_WATCH: 'true' },
    })
    await app.ready()
    expect(
      logs.some((line) =>
        String(line['msg']).includes('cannot watch the directory, so no reload will happen'),
      ),
    ).toBe(true)
    await app.close()
  })

  it('DLG_FIXTURES_WATCH reloads when a file changes', async () => {
    const dir = await copyOfDefaults()
    const { app, logs } = testApp({ env: { DLG_FIXTURES_DIR: dir, DLG_FIXTURES_WATCH: 'true' } })
    await app.ready()
    const customers = JSON.parse(await readFile(join(dir, 'customers.json'), 'utf8')) as unknown[]
    await writeFile(
      join(dir, 'customers.json'),
      JSON.stringify([...customers, { customerId: 'c9', name: 'Yeni' }]),
    )
    await expect
      .poll(() => health(app), { timeout: 5000 })
      .toEqual({ ...DEFAULT_COUNTS, customers: DEFAULT_COUNTS.customers + 1 })
    await writeFile(join(dir, 'customers.json'), '[{')
    await expect
      .poll(() => logs.some((line) => String(line['msg']).startsWith('fixture reload failed')), {
        timeout: 5000,
      })
      .toBe(true)
    expect(await health(app)).toEqual({ ...DEFAULT_COUNTS, customers: DEFAULT_COUNTS.customers + 1 })
    await app.close()
  })
})

describe('scenario reset', () => {
  it('resets journal, clock, faults and fixtures in one call', async () => {
    const { admin, signed } = adminApp()
    await signed()
    await admin('POST', '/clock/offset', { seconds: 3600 })
    await admin('POST', '/faults', { kind: 'api-error' })
    await admin('PUT', '/fixtures', { staff: [], customers: [], conversations: [] })
    const reset = (await admin('POST', '/reset')).json()
    expect(reset).toMatchObject({
      clock: { mode: 'system', offsetMs: 0 },
      fixtures: { counts: DEFAULT_COUNTS },
      journal: { size: 0 },
      faults: [],
    })
    expect((await signed()).statusCode).toBe(200)
  })
})
