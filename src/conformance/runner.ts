import {
  groupOf,
  MESSAGING_PATH,
  requestContext,
  type ConformanceCase,
  type Level,
  type Target,
} from './case.js'
import { cutLinks, cutLocation, excerpt } from './checks.js'
import { ConnectionError, type HttpRequest, type HttpResponse, type Transport } from './http.js'

/**
 * Runs conformance cases against a server, one request at a time: measures the server's
 * clock from its `Date` header first, keeps within a hard request cap and an optional delay,
 * follows a link's redirects, and records for each case its verdict and the evidence
 * (requests with their signatures and links cut short, and the answers' parts that matter).
 */

/** `not-applicable`: the answer held nothing the rule is about (no item, no link); neither a pass nor a failure. */
export type Outcome = 'pass' | 'fail' | 'same' | 'differs' | 'not-applicable'

/** A request as sent and an answer as received, their secrets and links cut, bodies excerpted. */
export type RequestEvidence = HttpRequest
export type ResponseEvidence = HttpResponse

export interface Exchange {
  readonly request: RequestEvidence
  readonly response: ResponseEvidence
}

export interface CaseResult {
  readonly id: string
  readonly group: string
  readonly level: Level
  readonly ref: string
  readonly description: string
  readonly expected: string
  readonly outcome: Outcome
  /** What differed from `expected`; absent when the case passed (or is the same as the mock). */
  readonly problem?: string
  /** Why the rule could not be put to the test, when the outcome is `not-applicable`. */
  readonly notApplicable?: string
  /** Time spent on the case, the delays between its requests included. */
  readonly durationMs: number
  readonly exchanges: readonly Exchange[]
}

export interface ServerClock {
  /** `date-header` when the server sent a readable `Date`; otherwise this machine's clock is used. */
  readonly source: 'date-header' | 'none'
  /** Server clock minus this machine's clock, milliseconds (±1 s: the header has whole seconds). */
  readonly offsetMs: number
  readonly serverDate?: string
}

export interface ConformanceReport {
  readonly tool: string
  readonly baseUrl: string
  readonly keyId: string
  readonly startedAt: string
  readonly durationMs: number
  readonly serverClock: ServerClock
  /** Requests sent, the clock probe included. */
  readonly requests: number
  readonly summary: {
    readonly passed: number
    readonly failed: number
    readonly decisionsSame: number
    readonly decisionsDiffer: number
    /** Cases whose rule the answers could not show (no data for it): not counted as passed. */
    readonly notApplicable: number
  }
  readonly cases: readonly CaseResult[]
}

export interface RunOptions {
  readonly target: Target
  readonly transport: Transport
  readonly cases: readonly ConformanceCase[]
  /** Hard cap on requests, the clock probe and link redirects included. */
  readonly maxRequests: number
  /** Pause before every request but the first. */
  readonly delayMs: number
  /** This machine's clock. */
  readonly localNow: () => number
  readonly sleep?: (ms: number) => Promise<void>
  /** Told of the server's clock once it is measured, before any case runs. */
  readonly onClock?: (clock: ServerClock) => void
  /** Told of each result as soon as it is known (progress output). */
  readonly onResult?: (result: CaseResult) => void
  readonly tool?: string
}

/** The run would need more requests than allowed; nothing (more) is sent. */
export class RequestCapError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RequestCapError'
  }
}

/** `--max-requests`' default: a full run needs fewer, the cap stops a runaway against a real server. */
export const DEFAULT_MAX_REQUESTS = 150

/** Redirects of a link followed, each one a request under the cap. */
const MAX_REDIRECTS = 3
/** Response headers kept as evidence: the ones a verdict or a diagnosis reads. */
const EVIDENCE_HEADERS = /^(content-type|date|location|www-authenticate|x-dlg-mock-.*)$/
const EVIDENCE_BODY = 500

/** Requests the cases need when no link redirects: one clock probe, one per request and follow-up. */
export function plannedRequests(
  cases: readonly ConformanceCase[],
  target: Pick<Target, 'sendMessages'> = { sendMessages: false },
): number {
  return (
    1 +
    cases.reduce(
      (sum, testCase) => sum + (willSend(testCase, target) ? (testCase.followUp === undefined ? 1 : 2) : 0),
      0,
    )
  )
}

/** A case that would send a real message runs only when the run allows it (`--send-messages`). */
function willSend(testCase: ConformanceCase, target: Pick<Target, 'sendMessages'>): boolean {
  return testCase.sendsMessage !== true || target.sendMessages
}

/** Why a case that sends a real message did not run. */
export const SENDS_MESSAGE =
  'it would send a real message to --bot-customer: run with --send-messages to include it'

export function summaryLine(
  report: Pick<ConformanceReport, 'summary'> & Partial<Pick<ConformanceReport, 'cases'>>,
): string {
  const { passed, failed, decisionsDiffer, notApplicable } = report.summary
  const unsent = (report.cases ?? []).filter((result) => result.notApplicable === SENDS_MESSAGE).length
  const untested = notApplicable - unsent
  return (
    `${passed} passed, ${failed} failed, ${decisionsDiffer} decisions differ` +
    (untested > 0 ? `, ${untested} not applicable (no data to test them)` : '') +
    (unsent > 0 ? `, ${unsent} not sent (they would send a real message: --send-messages)` : '')
  )
}

/** An HTTP-date (`Date` header) in epoch milliseconds, or undefined. */
function httpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const parsed = Date.parse(value)
  return Number.isFinite(parsed) ? parsed : undefined
}

export async function runConformance(options: RunOptions): Promise<ConformanceReport> {
  const { target, cases, localNow } = options
  const needed = plannedRequests(cases, target)
  if (needed > options.maxRequests) {
    throw new RequestCapError(
      `the ${cases.length} selected cases need ${needed} requests, more than --max-requests ${options.maxRequests}: raise it or narrow --only`,
    )
  }
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)))
  const signatures = new Set<string>()
  const secret = target.credentials.secret
  const redact = (text: string): string => {
    let out = cutLinks(secret === '' ? text : text.replaceAll(secret, '<secret>'))
    if (target.botToken !== '') out = out.replaceAll(target.botToken, '<bot token>')
    for (const signature of signatures) out = out.replaceAll(signature, `${signature.slice(0, 6)}…`)
    return out
  }
  let sent = 0
  /** Waits the delay, then builds the request (so its date is fresh) and sends it. */
  const send = async (build: () => HttpRequest): Promise<[HttpRequest, HttpResponse]> => {
    if (sent >= options.maxRequests) {
      throw new RequestCapError(`stopped at --max-requests ${options.maxRequests} (a link redirected)`)
    }
    if (sent > 0 && options.delayMs > 0) await sleep(options.delayMs)
    sent++
    const request = build()
    return [request, await options.transport(request)]
  }
  const evidence = (request: HttpRequest, response: HttpResponse): Exchange => ({
    request: {
      method: request.method,
      url: redact(request.url),
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, redact(v)])),
      ...(request.body === undefined ? {} : { body: excerpt(redact(request.body), EVIDENCE_BODY) }),
    },
    response: {
      status: response.status,
      headers: Object.fromEntries(
        Object.entries(response.headers)
          .filter(([name]) => EVIDENCE_HEADERS.test(name))
          .map(([name, value]) => [name, name === 'location' ? cutLocation(redact(value)) : redact(value)]),
      ),
      // A page is told by its size: its text may be a real customer's conversation.
      body:
        request.method === 'GET'
          ? `(${Buffer.byteLength(response.body)} bytes)`
          : excerpt(redact(response.body), EVIDENCE_BODY),
    },
  })

  const startedAt = localNow()
  // The server's clock, from the Date header of an answer that needs no credentials.
  const before = localNow()
  const [, probe] = await send(() => ({
    method: 'POST',
    url: `${target.baseUrl}${MESSAGING_PATH}`,
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  }))
  const after = localNow()
  const serverDate = httpDate(probe.headers['date'])
  const serverClock: ServerClock =
    serverDate === undefined
      ? { source: 'none', offsetMs: 0 }
      : {
          source: 'date-header',
          // The header drops the milliseconds: the server's time was half a second later on average.
          offsetMs: Math.round(serverDate + 500 - (before + after) / 2),
          serverDate: probe.headers['date'] ?? '',
        }
  options.onClock?.(serverClock)
  const context = requestContext(target, () => localNow() + serverClock.offsetMs, signatures)

  const results: CaseResult[] = []
  for (const testCase of cases) {
    if (!willSend(testCase, target)) {
      const result: CaseResult = {
        id: testCase.id,
        group: groupOf(testCase),
        level: testCase.level,
        ref: testCase.ref,
        description: testCase.description,
        expected: testCase.expected,
        outcome: 'not-applicable',
        notApplicable: SENDS_MESSAGE,
        durationMs: 0,
        exchanges: [],
      }
      results.push(result)
      options.onResult?.(result)
      continue
    }
    const caseStarted = localNow()
    const exchanges: Exchange[] = []
    const [request, answer] = await send(() => testCase.request(context))
    exchanges.push(evidence(request, answer))
    const answers = [answer]
    let problem: string | undefined
    let notApplicable: string | undefined
    if (testCase.followUp !== undefined) {
      let next = testCase.followUp.request(answer, context)
      if ('problem' in next) problem = next.problem
      try {
        for (let hop = 0; !('problem' in next); hop++) {
          const linkRequest: HttpRequest = next
          const [sentRequest, page] = await send(() => linkRequest)
          exchanges.push(evidence(sentRequest, page))
          const location = page.headers['location']
          if (page.status < 300 || page.status > 399 || location === undefined || hop === MAX_REDIRECTS) {
            answers.push(page)
            break
          }
          next = { method: 'GET', url: new URL(location, linkRequest.url).href, headers: linkRequest.headers }
        }
      } catch (error) {
        // A link may live on another host (the real server's web client): its failure is this
        // case's, not the run's.
        if (!(error instanceof ConnectionError) && !(error instanceof RequestCapError)) throw error
        problem = `the link gave no answer: ${error.message}`
      }
    }
    if (problem === undefined) {
      const verdict = testCase.check(answers)
      if (!verdict.ok) problem = verdict.problem
      else notApplicable = verdict.notApplicable
    }
    if (problem !== undefined && testCase.clockSensitive === true && serverClock.source === 'none') {
      problem += " (the server's clock is unknown: dates came from this machine's clock)"
    }
    const ok = problem === undefined
    const result: CaseResult = {
      id: testCase.id,
      group: groupOf(testCase),
      level: testCase.level,
      ref: testCase.ref,
      description: testCase.description,
      expected: testCase.expected,
      outcome:
        ok && notApplicable !== undefined
          ? 'not-applicable'
          : testCase.level === 'MUST'
            ? ok
              ? 'pass'
              : 'fail'
            : ok
              ? 'same'
              : 'differs',
      ...(problem === undefined ? {} : { problem: redact(problem) }),
      ...(ok && notApplicable !== undefined ? { notApplicable: redact(notApplicable) } : {}),
      durationMs: localNow() - caseStarted,
      exchanges,
    }
    results.push(result)
    options.onResult?.(result)
  }
  const count = (outcome: Outcome) => results.filter((result) => result.outcome === outcome).length
  return {
    tool: options.tool ?? 'diyalog-mock conformance',
    baseUrl: target.baseUrl,
    keyId: target.credentials.keyId,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: localNow() - startedAt,
    serverClock,
    requests: sent,
    summary: {
      passed: count('pass'),
      failed: count('fail'),
      decisionsSame: count('same'),
      decisionsDiffer: count('differs'),
      notApplicable: count('not-applicable'),
    },
    cases: results,
  }
}
