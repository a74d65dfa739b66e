import { describe, expect, it } from 'vitest'
import { CASES } from '../../src/conformance/cases/index.js'
import { ConnectionError, type HttpRequest, type Transport } from '../../src/conformance/http.js'
import {
  DEFAULT_MAX_REQUESTS,
  plannedRequests,
  RequestCapError,
  runConformance,
  summaryLine,
  type RunOptions,
} from '../../src/conformance/runner.js'
import {
  describeClock,
  explainCases,
  jsonReport,
  junitReport,
  tableReport,
} from '../../src/conformance/reports.js'
import { LINK_KINDS } from '../../src/links/link-signer.js'
import { fullPath } from '../../src/routes/signed-route.js'
import { SIGNED_ROUTES } from '../../src/routes/signed-routes.js'
import { botPath } from '../../src/routes/bot-route.js'
import { BOT_ROUTES } from '../../src/routes/bots/index.js'
import { parseFixtureData } from '../../src/store/fixture-loader.js'
import { createStore } from '../../src/store/store.js'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import { injectTransport, mockTarget } from '../helpers/conformance.js'

const MINUTE = 60_000
const target = mockTarget('http://mock.test:8080')

function options(transport: Transport, more: Partial<RunOptions> = {}): RunOptions {
  return {
    target,
    transport,
    cases: CASES,
    maxRequests: DEFAULT_MAX_REQUESTS,
    delayMs: 0,
    localNow: () => Date.now(),
    ...more,
  }
}

/** A transport that counts what it sends. */
function counted(transport: Transport) {
  const sent: HttpRequest[] = []
  return {
    sent,
    transport: (request: HttpRequest) => {
      sent.push(request)
      return transport(request)
    },
  }
}

const mustCount = CASES.filter((c) => c.level === 'MUST').length
const decisionCount = CASES.length - mustCount

describe('the runner against the mock, in-process', () => {
  it('reports a rule the data cannot show as not applicable, in every format, and not as a pass', async () => {
    const empty = createStore(
      parseFixtureData(
        {
          staff: [
            { staffId: '45186', name: 'Ayşe Yılmaz' },
            { staffId: '45188', name: 'Mehmet Çelik' },
          ],
          customers: [
            { customerId: '2337368', name: 'Ömer Faruk Şahin' },
            { customerId: '5667067', name: 'İpek Doğan' },
            // The Messaging cases' recipient (--bot-customer).
            { customerId: '1231232', name: 'Deniz Kaya' },
          ],
          conversations: [],
        },
        'test',
      ),
    )
    const { app } = testApp({ store: empty })
    const report = await runConformance(options(injectTransport(app)))
    const untested = report.cases.filter((c) => c.outcome === 'not-applicable')
    expect(untested.length).toBeGreaterThan(0)
    expect(untested.every((c) => typeof c.notApplicable === 'string' && c.problem === undefined)).toBe(true)
    expect(report.summary.failed).toBe(0)
    expect(report.summary.notApplicable).toBe(untested.length)
    expect(report.summary.passed + report.summary.decisionsSame + untested.length).toBe(CASES.length)
    expect(summaryLine(report)).toContain(`${untested.length} not applicable (no data to test them)`)
    const [first] = untested
    expect(tableReport(report)).toContain(`untested ${first?.notApplicable}`)
    expect(junitReport(report)).toContain(`skipped="${untested.length}"`)
    expect(junitReport(report)).toContain('<skipped message=')
  })

  it('passes every MUST case and finds every DECISION the same, within the default request cap', async () => {
    const { app } = testApp()
    const { sent, transport } = counted(injectTransport(app))
    const report = await runConformance(options(transport))
    expect(report.cases.filter((c) => c.outcome !== 'pass' && c.outcome !== 'same')).toEqual([])
    expect(report.summary).toEqual({
      passed: mustCount,
      failed: 0,
      decisionsSame: decisionCount,
      decisionsDiffer: 0,
      notApplicable: 0,
    })
    expect(summaryLine(report)).toBe(`${mustCount} passed, 0 failed, 0 decisions differ`)
    expect(report.requests).toBe(sent.length)
    expect(report.requests).toBe(plannedRequests(CASES, target))
    expect(report.requests).toBeLessThanOrEqual(DEFAULT_MAX_REQUESTS)
    // Only the read-only endpoints of the table, the Messaging API (the mock delivers to no one)
    // and the links they returned.
    const botPaths = BOT_ROUTES.map((route) => botPath(route, target.botToken))
    const posts = new Set([...SIGNED_ROUTES.map(fullPath), ...botPaths].map((path) => `POST ${path}`))
    const links = Object.values(LINK_KINDS).map((kind) => kind.path)
    for (const request of sent) {
      const path = new URL(request.url).pathname
      if (request.method === 'POST')
        expect(posts.has(`POST ${path}`) || path.startsWith('/v1/bots/'), path).toBe(true)
      else
        expect([request.method, links.some((link) => path === link || path.startsWith(`${link}/`))]).toEqual([
          'GET',
          true,
        ])
    }
    const withToken = (r: HttpRequest) => !r.url.includes('/v1/bots/') || r.url.endsWith(target.botToken)
    expect(
      new Set(sent.filter((r) => r.method === 'POST' && withToken(r)).map((r) => new URL(r.url).pathname)),
    ).toEqual(new Set([...SIGNED_ROUTES.map(fullPath), ...botPaths]))
    // A wrong token's requests go to other paths of the same APIs.
    expect(sent.some((r) => r.url.includes('/v1/bots/') && !r.url.includes(target.botToken))).toBe(true)
  })

  it('sends nothing a server could deliver without --send-messages: those cases are not applicable', async () => {
    const { app } = testApp()
    const { sent, transport } = counted(injectTransport(app))
    const report = await runConformance(options(transport, { target: { ...target, sendMessages: false } }))
    const skipped = report.cases.filter((c) => c.outcome === 'not-applicable')
    expect(skipped.map((c) => c.id)).toEqual(CASES.filter((c) => c.sendsMessage === true).map((c) => c.id))
    expect(
      skipped.every((c) => c.exchanges.length === 0 && c.notApplicable?.includes('--send-messages')),
    ).toBe(true)
    expect(report.requests).toBe(plannedRequests(CASES))
    // Every Messaging request that went out names a recipient no server has, or a wrong token.
    for (const request of sent.filter((r) => r.url.includes('/v1/bots/'))) {
      const wrongToken = !request.url.endsWith(target.botToken)
      expect(
        wrongToken ||
          (request.body ?? '').includes(target.unknownCustomerId) ||
          !(request.body ?? '').includes(target.botCustomerId),
        request.body,
      ).toBe(true)
    }
  })

  it("measures the server's clock from its Date header: a mock years behind still passes", async () => {
    const { app } = testApp({ now: DOCS_NOW })
    const before = Date.now()
    const report = await runConformance(options(injectTransport(app)))
    expect(report.summary.failed).toBe(0)
    expect(report.serverClock.source).toBe('date-header')
    expect(Math.abs(report.serverClock.offsetMs - (DOCS_NOW - before))).toBeLessThan(2000)
    expect(describeClock(report.serverClock)).toMatch(/days behind this machine's.*would get 403/)
  })

  it('places the skew cases on a server clock 40 minutes ahead, and reports the offset', async () => {
    const { app } = testApp({ now: Date.now() + 40 * MINUTE })
    const report = await runConformance(options(injectTransport(app)))
    expect(report.summary.failed).toBe(0)
    expect(report.serverClock.offsetMs / MINUTE).toBeCloseTo(40, 1)
    expect(describeClock(report.serverClock)).toContain('40.0 min ahead of this machine')
  })

  it("uses this machine's clock when the server sends no Date header", async () => {
    const { app } = testApp({ now: Date.now() })
    const inner = injectTransport(app)
    const report = await runConformance(
      options(async (request) => {
        const { date: _date, ...headers } = (await inner(request)).headers
        return { ...(await inner(request)), headers }
      }),
    )
    expect(report.serverClock).toEqual({ source: 'none', offsetMs: 0 })
    expect(report.summary.failed).toBe(0)
    expect(describeClock(report.serverClock)).toContain('unknown')
  })
})

describe('safety', () => {
  it('refuses, before sending anything, a run that needs more than --max-requests', async () => {
    const { sent, transport } = counted(injectTransport(testApp().app))
    await expect(runConformance(options(transport, { maxRequests: 10 }))).rejects.toThrow(RequestCapError)
    await expect(runConformance(options(transport, { maxRequests: 10 }))).rejects.toThrow(
      `need ${plannedRequests(CASES, target)} requests, more than --max-requests 10`,
    )
    expect(sent).toEqual([])
  })

  it('waits --delay-ms between requests', async () => {
    const pauses: number[] = []
    const cases = CASES.filter((c) => c.id.startsWith('auth.missing'))
    const report = await runConformance(
      options(injectTransport(testApp().app), {
        cases,
        delayMs: 250,
        sleep: async (ms) => void pauses.push(ms),
      }),
    )
    expect(report.requests).toBe(cases.length + 1)
    expect(pauses).toEqual(Array(cases.length).fill(250))
  })

  it('follows up to 3 redirects of a link, each one a request under the cap', async () => {
    const { app } = testApp()
    const inner = injectTransport(app)
    // Links answer 302 to themselves with one more `hop` until `hop=2`, then the page.
    const redirecting: Transport = async (request) => {
      const url = new URL(request.url)
      const hop = Number(url.searchParams.get('hop') ?? '0')
      if (request.method !== 'GET' || hop >= 2) return inner(request)
      url.searchParams.set('hop', String(hop + 1))
      return { status: 302, headers: { location: `${url.pathname}${url.search}` }, body: '' }
    }
    const cases = CASES.filter((c) => c.id === 'links.open')
    const report = await runConformance(options(redirecting, { cases }))
    expect(report.cases[0]).toMatchObject({ outcome: 'pass' })
    expect(report.cases[0]?.exchanges.map((e) => e.response.status)).toEqual([200, 302, 302, 200])
    // The cap reached on a redirect fails the case; the run goes on and reports.
    const capped = await runConformance(options(redirecting, { cases, maxRequests: 3 }))
    expect(capped.cases[0]).toMatchObject({
      outcome: 'fail',
      problem: 'the link gave no answer: stopped at --max-requests 3 (a link redirected)',
    })
  })

  it('a redirect loop ends after 3 redirects with the last answer judged', async () => {
    const { app } = testApp()
    const inner = injectTransport(app)
    const loop: Transport = async (request) =>
      request.method === 'GET'
        ? { status: 302, headers: { location: request.url }, body: '' }
        : inner(request)
    const report = await runConformance(options(loop, { cases: CASES.filter((c) => c.id === 'links.open') }))
    expect(report.cases[0]).toMatchObject({ outcome: 'fail', problem: expect.stringContaining('302') })
    expect(report.requests).toBe(1 + 1 + 4)
  })

  it('builds each request after the delay, so its date is on time even with long delays', async () => {
    // A fake time: each pause moves this machine's clock and the mock's together.
    let local = Date.now()
    const { app, clock } = testApp({ now: local })
    const report = await runConformance(
      options(injectTransport(app), {
        delayMs: 120_000,
        localNow: () => local,
        sleep: async (ms) => {
          local += ms
          clock.advance(ms)
        },
      }),
    )
    expect(report.summary.failed).toBe(0)
    expect(report.summary.decisionsDiffer).toBe(0)
  })

  it('fails only the link cases when the link host gives no answer', async () => {
    const inner = injectTransport(testApp().app)
    const unreachableLinks: Transport = (request) =>
      request.method === 'GET'
        ? Promise.reject(new ConnectionError('ENOTFOUND (GET web.diyalog.im)'))
        : inner(request)
    const report = await runConformance(options(unreachableLinks))
    expect(
      report.cases.filter((c) => c.outcome === 'fail' || c.outcome === 'differs').map((c) => c.id),
    ).toEqual([
      'links.open',
      'links.empty-window',
      'links.tampered',
      'getcalllist.recording-opens',
      'getonlinehelplist.link-opens',
      'getstaffmessaginglist.link-opens',
      'getstaffmessaginglist.D16.count-matches-link',
      'getcustomermessaginglist.link-opens',
    ])
    for (const id of ['links.tampered', 'getcustomermessaginglist.link-opens']) {
      expect(report.cases.find((c) => c.id === id)?.problem).toBe(
        'the link gave no answer: ENOTFOUND (GET web.diyalog.im)',
      )
    }
  })

  it("says when a skew verdict rests on this machine's clock", async () => {
    const { app } = testApp({ env: { DLG_MAX_SKEW_SECONDS: '1800' }, now: Date.now() })
    const inner = injectTransport(app)
    const report = await runConformance(
      options(async (request) => {
        const { date: _date, ...headers } = (await inner(request)).headers
        return { ...(await inner(request)), headers }
      }),
    )
    expect(report.cases.find((c) => c.id === 'auth.skew-outside-past')?.problem).toContain(
      "the server's clock is unknown: dates came from this machine's clock",
    )
  })

  it('never writes the secret, a whole signature or a whole link into any report', async () => {
    const secret = 'conformance-test-secret-5c2f9a'
    const { app } = testApp({ env: { DLG_ACCESS_KEYS: `ci-key:${secret}` } })
    const inner = injectTransport(app)
    const seen: string[] = []
    // A server that fails things, so the reports carry problems and evidence too.
    const transport: Transport = async (request) => {
      const answer = await inner(request)
      const authorization = request.headers['x-dlg-authorization'] ?? ''
      seen.push(
        ...authorization
          .split(':')
          .slice(1)
          .filter((part) => part.length >= 20),
      )
      seen.push(...(answer.body.match(/sig=[\w-]+/g) ?? []))
      if (request.method === 'GET') {
        // A redirect whose relative Location carries the link's token.
        const token = new URL(request.url).search
        if (!token.includes('hop')) {
          return { status: 302, headers: { location: `/views/messaging${token}&hop=1` }, body: '' }
        }
      }
      // Links written with escaped slashes, as some JSON serialisers do.
      const body = answer.body.replaceAll('/', '\\/')
      return answer.status === 401 ? { ...answer, status: 200, body } : { ...answer, body }
    }
    const secretTarget = { ...target, credentials: { keyId: 'ci-key', secret } }
    const report = await runConformance(options(transport, { target: secretTarget }))
    expect(report.summary.failed).toBeGreaterThan(0)
    expect(seen.length).toBeGreaterThan(20)
    const outputs = [
      jsonReport(report),
      junitReport(report),
      tableReport(report, false),
      explainCases(CASES, secretTarget, Date.now()),
    ]
    for (const output of outputs) {
      expect(output).not.toContain(secret)
      for (const value of seen) expect(output).not.toContain(value)
    }
    expect(outputs[0]).toContain('DLGA ci-key:')
  })
})
