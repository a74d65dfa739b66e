import type { Target } from '../conformance/case.js'
import { CASES } from '../conformance/cases/index.js'
import { UNKNOWN_CUSTOMER_ID, UNKNOWN_STAFF_ID } from '../conformance/cases/getmessagingdetail.js'
import { groupOf, type ConformanceCase } from '../conformance/case.js'
import { ConnectionError, httpTransport } from '../conformance/http.js'
import { explainCases, jsonReport, junitReport, tableReport, tableWriter } from '../conformance/reports.js'
import { RequestCapError, runConformance, type ConformanceReport } from '../conformance/runner.js'
import { packageVersion } from '../openapi.js'
import { GET_MESSAGING_DETAIL_EXAMPLE as EXAMPLE } from '../routes/reporting/getmessagingdetail.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { credentials, httpUrl, parse, wholeNumber } from './options.js'

export const CONFORMANCE_HELP = `Usage: diyalog-mock conformance --base-url URL --key-id ID --secret S [options]

Sends the documented requests to a Diyalog server — this mock or the real one — and reports,
case by case, whether it honours the contract (docs/contract.md). MUST cases are what the
documentation states; DECISION cases are where the mock chose (docs/contract.md §7) and are reported
as "same" or "differs", never as failures. Only POST /v1/reporting/getmessagingdetail (read-only)
and GET of the links it returns are sent.

  --base-url URL          the server (or DLG_BASE_URL; default http://localhost:3000)
  --key-id ID             AccessKeyId (or DLG_KEY_ID; default: the demo pair)
  --secret S              AccessKeySecret (or DLG_SECRET, which keeps it out of shell history)
  --requester-userid ID   x-dlg-requester-userid (default 45186)
  --staff ID              a staff member with messages in the example window (default ${EXAMPLE.staffId})
  --customer ID           a customer of that staff member (default ${EXAMPLE.customerId})
  --unknown-staff ID      a staffId the server does not know (default conformance-no-such-staff)
  --unknown-customer ID   a customerId it does not know (default conformance-no-such-customer)
  --only LIST             groups or case-id prefixes, comma-separated: auth, getmessagingdetail,
                          links, auth.skew, auth.D6 …
  --format F              table (default), json or junit
  --out FILE              write the report there; the table still goes to the terminal
  --max-requests N        hard cap on requests sent (default 100); a run that needs more is refused
  --delay-ms N            pause between requests (default 0)
  --timeout-ms N          give up on an answer after N ms (default 10000)
  --explain               print each case's request and expectation; send nothing

Exit codes: 0 every MUST case passed, 1 a MUST case failed, 2 usage or connection error.
`

const OPTIONS = {
  'base-url': { type: 'string' },
  'key-id': { type: 'string' },
  secret: { type: 'string' },
  'requester-userid': { type: 'string', default: '45186' },
  staff: { type: 'string', default: EXAMPLE.staffId },
  customer: { type: 'string', default: EXAMPLE.customerId },
  'unknown-staff': { type: 'string', default: UNKNOWN_STAFF_ID },
  'unknown-customer': { type: 'string', default: UNKNOWN_CUSTOMER_ID },
  only: { type: 'string' },
  format: { type: 'string', default: 'table' },
  out: { type: 'string' },
  'max-requests': { type: 'string', default: '100' },
  'delay-ms': { type: 'string', default: '0' },
  'timeout-ms': { type: 'string', default: '10000' },
  explain: { type: 'boolean', default: false },
} as const

const FORMATS = ['table', 'json', 'junit'] as const
type Format = (typeof FORMATS)[number]

/** A name of `--only` matches a group, an id, or an id's prefix up to a "." or "-". */
function matches(testCase: ConformanceCase, name: string): boolean {
  const { id } = testCase
  return groupOf(testCase) === name || id === name || id.startsWith(`${name}.`) || id.startsWith(`${name}-`)
}

/** The cases `--only` names; an unknown name is a usage error. */
export function selectCases(only: string | undefined, cases: readonly ConformanceCase[] = CASES) {
  if (only === undefined) return cases
  const wanted = only
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  if (wanted.length === 0) throw new UsageError('--only names no group or case')
  const unknown = wanted.find((name) => !cases.some((c) => matches(c, name)))
  if (unknown !== undefined) {
    const groups = [...new Set(cases.map(groupOf))].join(', ')
    throw new UsageError(`--only: no case matches ${JSON.stringify(unknown)} (groups: ${groups})`)
  }
  return cases.filter((c) => wanted.some((name) => matches(c, name)))
}

function render(report: ConformanceReport, format: Format, colour: boolean): string {
  return format === 'json'
    ? jsonReport(report)
    : format === 'junit'
      ? junitReport(report)
      : tableReport(report, colour)
}

export async function conformanceCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, OPTIONS)
  if (values.help) return (io.out(CONFORMANCE_HELP), EXIT.ok)
  const format = values.format as Format
  if (!FORMATS.includes(format)) {
    throw new UsageError(
      `--format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(values.format)})`,
    )
  }
  const target: Target = {
    baseUrl:
      values['base-url'] !== undefined
        ? httpUrl(values['base-url'], '--base-url')
        : httpUrl(io.env['DLG_BASE_URL'] ?? 'http://localhost:3000', 'DLG_BASE_URL'),
    credentials: credentials(values, io),
    requesterUserId: values['requester-userid'],
    staffId: values.staff,
    customerId: values.customer,
    unknownStaffId: values['unknown-staff'],
    unknownCustomerId: values['unknown-customer'],
  }
  const cases = selectCases(values.only)
  const maxRequests = wholeNumber(values['max-requests'], 'max-requests', 1)
  const delayMs = wholeNumber(values['delay-ms'], 'delay-ms', 0)
  const timeoutMs = wholeNumber(values['timeout-ms'], 'timeout-ms', 1)
  if (values.explain) return (io.out(explainCases(cases, target, io.now())), EXIT.ok)

  // The table goes to the terminal as each case finishes; other formats (or a file) at the end.
  const colour = io.colour === true
  const streamTable = values.out !== undefined || format === 'table'
  const writer = tableWriter(cases, colour)
  const transport = httpTransport({ timeoutMs })
  let report: ConformanceReport
  try {
    report = await runConformance({
      target,
      transport: transport.send,
      cases,
      maxRequests,
      delayMs,
      localNow: io.now,
      tool: `diyalog-mock ${packageVersion()} conformance`,
      ...(streamTable
        ? {
            onClock: (clock) => io.out(writer.header(target, clock)),
            onResult: (r) => io.out(writer.line(r)),
          }
        : {}),
    })
  } catch (error) {
    if (error instanceof ConnectionError) {
      io.err(`diyalog-mock conformance: no answer from ${target.baseUrl}: ${error.message}\n`)
      return EXIT.usage
    }
    if (error instanceof RequestCapError) {
      io.err(`diyalog-mock conformance: ${error.message}\n`)
      return EXIT.usage
    }
    throw error
  } finally {
    transport.close()
  }
  if (streamTable) io.out(writer.footer(report))
  if (values.out !== undefined) {
    await io.writeFile(values.out, render(report, format, false))
  } else if (!streamTable) {
    io.out(render(report, format, colour))
  }
  return report.summary.failed > 0 ? EXIT.failed : EXIT.ok
}
