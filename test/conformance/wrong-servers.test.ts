import { describe, expect, it } from 'vitest'
import { CASES } from '../../src/conformance/cases/index.js'
import { DEFAULT_MAX_REQUESTS, runConformance, type ConformanceReport } from '../../src/conformance/runner.js'
import { mockTarget } from '../helpers/conformance.js'
import { WRONG_SERVERS, wrongServer } from './wrong-servers.js'

/** The runner against servers that break one rule each: exactly the matching cases fail. */

async function run(index: number): Promise<ConformanceReport> {
  const server = WRONG_SERVERS[index]
  if (server === undefined) throw new Error(`no wrong server ${index}`)
  return runConformance({
    target: mockTarget('http://mock.test:8080'),
    transport: wrongServer(server),
    cases: CASES,
    maxRequests: DEFAULT_MAX_REQUESTS,
    delayMs: 0,
    localNow: () => Date.now(),
  })
}

const ids = (report: ConformanceReport, outcome: string) =>
  report.cases.filter((c) => c.outcome === outcome).map((c) => c.id)

describe('the runner against deliberately wrong servers', () => {
  it.each(WRONG_SERVERS.map((server, index) => [server.name, index] as const))(
    '%s: the matching cases fail, the others pass',
    async (_name, index) => {
      const server = WRONG_SERVERS[index]!
      const report = await run(index)
      expect(ids(report, 'fail')).toEqual(server.breaks)
      expect(ids(report, 'differs')).toEqual(server.differs)
      expect(
        report.summary.passed +
          report.summary.failed +
          report.summary.decisionsSame +
          report.summary.decisionsDiffer +
          report.summary.notApplicable,
      ).toBe(CASES.length)
      // Each failure says what was expected and what came instead.
      for (const result of report.cases.filter((c) => c.outcome === 'fail')) {
        expect(result.problem).toEqual(expect.any(String))
        expect(result.exchanges.length).toBeGreaterThan(0)
      }
    },
  )

  it('can make every MUST case fail', () => {
    const must = CASES.filter((c) => c.level === 'MUST').map((c) => c.id)
    const broken = new Set(WRONG_SERVERS.flatMap((server) => server.breaks))
    expect(must.filter((id) => !broken.has(id))).toEqual([])
    // And every listed id is a real case, so a renamed case cannot hide here.
    const all = new Set(CASES.map((c) => c.id))
    const listed = WRONG_SERVERS.flatMap((server) => [...server.breaks, ...server.differs])
    expect(listed.filter((id) => !all.has(id))).toEqual([])
  })

  it('fails each MUST case, and makes each DECISION differ, on a server that breaks its own rule', () => {
    // The server refusing GMT dates fails nearly everything, so it proves little about one case.
    const targeted = WRONG_SERVERS.filter((server) => !server.name.startsWith('refuses GMT dates'))
    const broken = new Set(targeted.flatMap((server) => server.breaks))
    const differing = new Set(targeted.flatMap((server) => server.differs))
    const must = CASES.filter((c) => c.level === 'MUST').map((c) => c.id)
    // Accepting a GMT date is that server's own rule.
    expect(must.filter((id) => !broken.has(id))).toEqual(['auth.accept-gmt'])
    const decisions = CASES.filter((c) => c.level === 'DECISION').map((c) => c.id)
    expect(decisions.filter((id) => !differing.has(id))).toEqual([])
  })

  it('can make every DECISION differ', () => {
    const decisions = CASES.filter((c) => c.level === 'DECISION').map((c) => c.id)
    const differing = new Set(WRONG_SERVERS.flatMap((server) => server.differs))
    expect(decisions.filter((id) => !differing.has(id))).toEqual([])
  })
})
