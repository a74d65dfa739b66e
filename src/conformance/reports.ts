import type { ConformanceCase } from './case.js'
import { requestContext, type Target } from './case.js'
import type { HttpRequest } from './http.js'
import {
  summaryLine,
  type CaseResult,
  type ConformanceReport,
  type Outcome,
  type ServerClock,
} from './runner.js'

/**
 * The three report formats — a table for terminals (colour only when asked), JSON with every
 * case and its evidence, JUnit XML for CI — and the `--explain` listing. None of them ever
 * holds the secret: the runner's evidence already cut the signatures short.
 */

const LABEL: Record<Outcome, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  same: 'SAME',
  differs: 'DIFFERS',
  'not-applicable': 'N/A',
}
const COLOUR: Record<Outcome, string> = {
  pass: '32',
  fail: '31',
  same: '32',
  differs: '33',
  'not-applicable': '36',
}

function paint(text: string, code: string, colour: boolean): string {
  return colour ? `\u001b[${code}m${text}\u001b[0m` : text
}

/** A duration in the unit that reads best. */
function duration(ms: number): string {
  const abs = Math.abs(ms)
  if (abs < 120_000) return `${(abs / 1000).toFixed(1)} s`
  if (abs < 7_200_000) return `${(abs / 60_000).toFixed(1)} min`
  if (abs < 172_800_000) return `${(abs / 3_600_000).toFixed(1)} h`
  return `${(abs / 86_400_000).toFixed(1)} days`
}

export function describeClock(clock: ServerClock): string {
  if (clock.source === 'none') {
    return "Server clock: unknown (no Date header in its answer); request dates use this machine's clock."
  }
  const offset =
    Math.abs(clock.offsetMs) < 1000
      ? "in step with this machine's (to the header's second)"
      : `${duration(clock.offsetMs)} ${clock.offsetMs > 0 ? 'ahead of' : 'behind'} this machine's`
  const warning =
    Math.abs(clock.offsetMs) > 15 * 60_000 ? " A client signing with this machine's clock would get 403." : ''
  return `Server clock (its Date header: ${clock.serverDate ?? ''}): ${offset}. Request dates follow it.${warning}`
}

/** The table, built line by line so a terminal can show each case as it finishes. */
export function tableWriter(cases: readonly Pick<ConformanceCase, 'id'>[], colour: boolean) {
  const width = Math.max(...cases.map((c) => c.id.length), 10)
  return {
    header(target: Pick<Target, 'baseUrl' | 'credentials'>, clock: ServerClock): string {
      return `Diyalog conformance: ${target.baseUrl} (AccessKeyId ${target.credentials.keyId})\n${describeClock(clock)}\n\n`
    },
    line(result: CaseResult): string {
      const label = paint(LABEL[result.outcome].padEnd(7), COLOUR[result.outcome], colour)
      const level = (result.level === 'MUST' ? 'MUST' : result.ref).padEnd(4)
      let text = `${label}  ${level}  ${result.id.padEnd(width)}  ${result.description}\n`
      if (result.problem !== undefined) {
        const indent = ' '.repeat(15)
        const expected = result.level === 'MUST' ? 'expected' : 'the mock'
        const got = result.level === 'MUST' ? 'got     ' : 'here    '
        text += `${indent}${expected} ${result.expected}\n${indent}${got} ${result.problem}\n`
      }
      if (result.notApplicable !== undefined) text += `${' '.repeat(15)}untested ${result.notApplicable}\n`
      return text
    },
    footer(report: ConformanceReport): string {
      const { decisionsSame } = report.summary
      return (
        `\n${decisionsSame} decisions same as the mock; ${report.requests} requests in ${duration(report.durationMs)}.\n` +
        `${summaryLine(report)}\n`
      )
    },
  }
}

export function tableReport(report: ConformanceReport, colour = false): string {
  const writer = tableWriter(report.cases, colour)
  const target = { baseUrl: report.baseUrl, credentials: { keyId: report.keyId, secret: '' } }
  return `${writer.header(target, report.serverClock)}${report.cases.map(writer.line).join('')}${writer.footer(report)}`
}

export function jsonReport(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

/** Text as XML character data or attribute value; characters XML cannot hold become U+FFFD. */
function xml(text: string): string {
  return text
    .replace(
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '\uFFFD',
    )
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
}

function evidenceText(result: CaseResult): string {
  return result.exchanges
    .map(({ request, response }) => {
      const headers = (h: Readonly<Record<string, string>>) =>
        Object.entries(h).map(([name, value]) => `${name}: ${value}`)
      return [
        `${request.method} ${request.url}`,
        ...headers(request.headers),
        ...(request.body === undefined ? [] : ['', request.body]),
        '',
        `→ ${response.status}`,
        ...headers(response.headers),
        ...(response.body === '' ? [] : ['', response.body]),
      ].join('\n')
    })
    .join('\n\n')
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

/**
 * JUnit XML: one suite per group, one test case per conformance case named by its id. A MUST
 * case that fails is a `<failure>`; a DECISION is never one — whether it is the same as the
 * mock is in its properties and its output.
 */
export function junitReport(report: ConformanceReport): string {
  const groups = [...new Set(report.cases.map((c) => c.group))]
  const failures = (cases: readonly CaseResult[]) => cases.filter((c) => c.outcome === 'fail').length
  const skipped = (cases: readonly CaseResult[]) => cases.filter((c) => c.outcome === 'not-applicable').length
  const time = (cases: readonly CaseResult[]) => seconds(cases.reduce((sum, c) => sum + c.durationMs, 0))
  const suite = (group: string) => {
    const cases = report.cases.filter((c) => c.group === group)
    const testcases = cases.map((c) => {
      const open = `    <testcase classname="conformance.${xml(group)}" name="${xml(c.id)}" time="${seconds(c.durationMs)}">`
      const properties =
        `      <properties>\n        <property name="level" value="${c.level}"/>\n` +
        `        <property name="ref" value="${xml(c.ref)}"/>\n        <property name="outcome" value="${c.outcome}"/>\n      </properties>`
      const expected = c.level === 'MUST' ? 'expected' : 'the mock answers'
      const summary = `${c.description}\n${expected}: ${c.expected}${c.problem === undefined ? '' : `\ngot: ${c.problem}`}`
      const body =
        c.outcome === 'not-applicable'
          ? `      <skipped message="${xml(c.notApplicable ?? '')}"/>\n      <system-out>${xml(`${summary}\n\n${evidenceText(c)}`)}</system-out>`
          : c.outcome === 'fail'
            ? `      <failure message="${xml(c.problem ?? '')}" type="MUST">${xml(`${summary}\n\n${evidenceText(c)}`)}</failure>`
            : `      <system-out>${xml(`${c.level === 'DECISION' ? `DECISION ${c.ref}: ${c.outcome === 'same' ? 'same as the mock' : 'differs from the mock'}\n` : ''}${summary}\n\n${evidenceText(c)}`)}</system-out>`
      return `${open}\n${properties}\n${body}\n    </testcase>`
    })
    return (
      `  <testsuite name="conformance.${xml(group)}" tests="${cases.length}" failures="${failures(cases)}" errors="0" skipped="${skipped(cases)}" ` +
      `time="${time(cases)}" timestamp="${report.startedAt}">\n${testcases.join('\n')}\n  </testsuite>`
    )
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${xml(`${report.tool}: ${report.baseUrl}`)}" tests="${report.cases.length}" failures="${failures(report.cases)}" ` +
    `errors="0" skipped="${skipped(report.cases)}" time="${seconds(report.durationMs)}">\n` +
    `${groups.map(suite).join('\n')}\n</testsuites>\n`
  )
}

function httpText(request: HttpRequest): string {
  const url = new URL(request.url)
  return [
    `${request.method} ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
    ...(request.body === undefined ? [] : ['', request.body]),
  ].join('\n')
}

/**
 * `--explain`: each case's request exactly as it would be sent (dates on this machine's
 * clock, signatures cut short), its follow-up, and what it expects. Nothing is sent.
 */
export function explainCases(cases: readonly ConformanceCase[], target: Target, now: number): string {
  const signatures = new Set<string>()
  const context = requestContext(target, () => now, signatures)
  const cut = (text: string) => {
    let out = target.botToken === '' ? text : text.replaceAll(target.botToken, '<bot token>')
    for (const signature of signatures) out = out.replaceAll(signature, `${signature.slice(0, 6)}…`)
    return out
  }
  const blocks = cases.map((c) => {
    const request = httpText(c.request(context))
    const indent = (text: string) => text.replace(/^/gm, '    ')
    return [
      `${c.id}  [${c.level}, ${c.ref}]`,
      `  ${c.description}`,
      indent(cut(request)),
      ...(c.followUp === undefined ? [] : [`  then: ${c.followUp.explain}`]),
      `  ${c.level === 'MUST' ? 'expects' : 'the mock answers'}: ${c.expected}`,
    ].join('\n')
  })
  return (
    `${cases.length} cases against ${target.baseUrl}; dates shown on this machine's clock (a run places them on the server's, measured first).\n\n` +
    `${blocks.join('\n\n')}\n`
  )
}
