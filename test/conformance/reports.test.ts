import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { CASES } from '../../src/conformance/cases/index.js'
import type { Transport } from '../../src/conformance/http.js'
import { jsonReport, junitReport, tableReport } from '../../src/conformance/reports.js'
import { DEFAULT_MAX_REQUESTS, runConformance, type ConformanceReport } from '../../src/conformance/runner.js'
import { testApp } from '../helpers/app.js'
import { injectTransport, mockTarget } from '../helpers/conformance.js'
import { WRONG_SERVERS, wrongServer } from './wrong-servers.js'

async function reportFrom(transport: Transport): Promise<ConformanceReport> {
  return runConformance({
    target: mockTarget('http://mock.test:8080'),
    transport,
    cases: CASES,
    maxRequests: DEFAULT_MAX_REQUESTS,
    delayMs: 0,
    localNow: () => Date.now(),
  })
}

const passing = await reportFrom(injectTransport(testApp().app))
/** Fails the skew cases and makes two decisions differ. */
const failing = await reportFrom(
  wrongServer(WRONG_SERVERS.find((s) => s.name === 'skew window of 30 minutes')!),
)

interface TestCase {
  '@_name': string
  '@_classname': string
  failure?: { '@_message': string }
}

function parseJunit(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true)
  const parsed = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => ['testsuite', 'testcase'].includes(name),
  }).parse(xml) as {
    testsuites: {
      '@_tests': string
      '@_failures': string
      testsuite: { '@_name': string; testcase: TestCase[] }[]
    }
  }
  return parsed.testsuites
}

describe('JUnit XML', () => {
  it('validates as XML and names every case, one suite per group', () => {
    const suites = parseJunit(junitReport(passing))
    expect(suites['@_tests']).toBe(String(CASES.length))
    expect(suites['@_failures']).toBe('0')
    expect(suites.testsuite.map((s) => s['@_name'])).toEqual([
      'conformance.auth',
      'conformance.getmessagingdetail',
      'conformance.links',
      'conformance.getcalllist',
      'conformance.getonlinehelplist',
      'conformance.getstaffmessaginglist',
      'conformance.getcustomermessaginglist',
      'conformance.bots',
    ])
    const names = suites.testsuite.flatMap((s) => s.testcase.map((c) => c['@_name']))
    expect(names).toEqual(CASES.map((c) => c.id))
  })

  it('has a <failure> for each failed MUST case and none for a differing DECISION', () => {
    const suites = parseJunit(junitReport(failing))
    expect(suites['@_failures']).toBe('2')
    const failed = suites.testsuite.flatMap((s) => s.testcase.filter((c) => c.failure !== undefined))
    expect(failed.map((c) => c['@_name'])).toEqual(['auth.skew-outside-past', 'auth.skew-outside-future'])
    expect(failed[0]?.failure?.['@_message']).toContain('200')
  })

  it('stays valid XML whatever the server answered', async () => {
    const { app } = testApp()
    const inner = injectTransport(app)
    const hostile: Transport = async (request) => {
      const answer = await inner(request)
      return answer.status === 401
        ? { ...answer, body: 'bad \u0000\u0001\u001b[31m ]]> <x a="1"> & \ud800 \'quote\'' }
        : answer
    }
    const report = await reportFrom(hostile)
    expect(report.summary.failed).toBeGreaterThan(0)
    parseJunit(junitReport(report))
  })
})

describe('JSON', () => {
  it('holds every case with its evidence: request, status, the headers that matter, a body excerpt', () => {
    const parsed = JSON.parse(jsonReport(failing)) as ConformanceReport
    expect(parsed.cases.map((c) => c.id)).toEqual(CASES.map((c) => c.id))
    expect(parsed.summary).toEqual(failing.summary)
    const skew = parsed.cases.find((c) => c.id === 'auth.skew-outside-future')
    expect(skew).toMatchObject({
      level: 'MUST',
      outcome: 'fail',
      expected: '403 "Request time may not be correct."',
      exchanges: [
        {
          request: { method: 'POST', headers: { 'x-dlg-date': expect.any(String) } },
          response: { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } },
        },
      ],
    })
    const signature = parsed.cases.find((c) => c.id === 'auth.signature-wrong')
    expect(signature?.exchanges[0]?.response.headers).toMatchObject({
      'x-dlg-mock-reason': 'signature-mismatch',
    })
    expect(signature?.exchanges[0]?.response.body).toBe('Authorization failed')
    expect(parsed.serverClock.source).toBe('date-header')
  })
})

describe('the table', () => {
  it('ends with the summary line and colours only when asked', () => {
    const plain = tableReport(failing, false)
    const lines = plain.trimEnd().split('\n')
    expect(lines.at(-1)).toBe(`${failing.summary.passed} passed, 2 failed, 2 decisions differ`)
    expect(plain).not.toContain('\u001b[')
    expect(plain).toMatch(/FAIL {5}MUST {2}auth\.skew-outside-past/)
    expect(plain).toContain('expected 403 "Request time may not be correct."')
    expect(plain).toMatch(/DIFFERS  D6 {2}  auth\.D6\.skew-before-signature/)
    expect(plain).toContain('the mock 403 "Request time may not be correct."')
    expect(tableReport(failing, true)).toContain('\u001b[31mFAIL')
  })
})
