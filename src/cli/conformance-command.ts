import { DEMO_ACCESS_KEY } from '../auth/keyring.js'
import { groupOf, requestContext, type ConformanceCase, type Target } from '../conformance/case.js'
import { CASES } from '../conformance/cases/index.js'
import { UNKNOWN_CUSTOMER_ID, UNKNOWN_STAFF_ID } from '../conformance/cases/getmessagingdetail.js'
import { ConnectionError, httpTransport } from '../conformance/http.js'
import { explainCases, jsonReport, junitReport, tableReport, tableWriter } from '../conformance/reports.js'
import {
  DEFAULT_MAX_REQUESTS,
  plannedRequests,
  RequestCapError,
  runConformance,
  type ConformanceReport,
} from '../conformance/runner.js'
import { packageVersion } from '../openapi.js'
import { GET_MESSAGING_DETAIL_EXAMPLE as EXAMPLE } from '../routes/reporting/getmessagingdetail.js'
import { fullPath } from '../routes/signed-route.js'
import { SIGNED_ROUTES } from '../routes/signed-routes.js'
import { DEMO_BOT_TOKEN } from '../messaging/bots.js'
import { botPath } from '../routes/bot-route.js'
import { BOT_ROUTES } from '../routes/bots/index.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { credentials, httpUrl, parse, wholeNumber } from './options.js'

/** Words joined into lines of at most `width` characters, each after `indent`. */
function wrap(words: readonly string[], indent: string, width = 100): string {
  const lines: string[] = []
  let line = ''
  for (const word of words) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  return [...lines, line].map((text) => `${indent}${text}`).join('\n')
}

/**
 * The endpoints of the signed API's table that the cases send to, in the table's order: found by
 * building every case's request for a stand-in target (nothing is sent).
 */
export function coveredEndpoints(cases: readonly ConformanceCase[] = CASES): string[] {
  const standIn: Target = {
    baseUrl: 'http://conformance.invalid',
    credentials: DEMO_ACCESS_KEY,
    requesterUserId: '0',
    staffId: EXAMPLE.staffId,
    customerId: EXAMPLE.customerId,
    unknownStaffId: UNKNOWN_STAFF_ID,
    unknownCustomerId: UNKNOWN_CUSTOMER_ID,
    botToken: STAND_IN_TOKEN,
    botCustomerId: DEFAULT_BOT_CUSTOMER,
    sendMessages: true,
  }
  const context = requestContext(standIn, () => 0, new Set())
  const used = new Set(cases.map((testCase) => new URL(testCase.request(context).url).pathname))
  return [...SIGNED_ROUTES.map(fullPath), ...BOT_ROUTES.map((route) => botPath(route, STAND_IN_TOKEN))]
    .filter((path) => used.has(path))
    .map((path) => path.replace(STAND_IN_TOKEN, '<bot token>'))
}

/** What `coveredEndpoints` puts where a bot token goes. */
const STAND_IN_TOKEN = 'stand-in-bot-token'
/** The customer of the docs' SendMessage examples, in the mock's default fixtures. */
export const DEFAULT_BOT_CUSTOMER = '1231232'

const endpoints = coveredEndpoints()
const groups = [...new Set(CASES.map(groupOf))]

export const CONFORMANCE_HELP = `Usage: diyalog-mock conformance --base-url URL --key-id ID --secret S [options]

Sends the documented requests to a Diyalog server — this mock or the real one — and reports,
case by case, whether it honours the contract (docs/contract.md). MUST cases are what the
documentation states; DECISION cases are where the mock chose (docs/contract.md §7) and are reported
as "same" or "differs", never as failures. The ${CASES.length} cases (${plannedRequests(CASES)} requests in a full run)
send POST to these read-only endpoints only, and GET to the links they return:
${wrap(endpoints, '  ')}

  --base-url URL          the server (or DLG_BASE_URL; default http://localhost:3000)
  --key-id ID             AccessKeyId (or DLG_KEY_ID; default: the demo pair)
  --secret S              AccessKeySecret (or DLG_SECRET, which keeps it out of shell history)
  --requester-userid ID   x-dlg-requester-userid (default 45186)
  --staff ID              getmessagingdetail's staff member, with messages in its example window
                          (default ${EXAMPLE.staffId}); the lists use their own examples' ids
  --customer ID           a customer of that staff member (default ${EXAMPLE.customerId})
  --unknown-staff ID      a staffId the server does not know (default ${UNKNOWN_STAFF_ID})
  --unknown-customer ID   a customerId it does not know (default ${UNKNOWN_CUSTOMER_ID})
  --bot-token T           the Messaging API's bot token (or DLG_BOT_TOKEN; default: the demo bot's)
  --bot-customer N        a customer the bot may write to, for --send-messages (default ${DEFAULT_BOT_CUSTOMER})
  --send-messages         also run the cases that send a real message (to --bot-customer); without
                          it they are not applicable and nothing a server could deliver is sent
  --only LIST             groups or case-id prefixes, comma-separated (auth.skew, auth.D6 …); groups:
${wrap(
  groups.map((group, i) => (i < groups.length - 1 ? `${group},` : group)),
  ' '.repeat(26),
)}
  --format F              table (default), json or junit
  --out FILE              write the report there; the table still goes to the terminal
  --max-requests N        hard cap on requests sent (default ${DEFAULT_MAX_REQUESTS}); a run that needs more is refused
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
  'max-requests': { type: 'string', default: String(DEFAULT_MAX_REQUESTS) },
  'bot-token': { type: 'string' },
  'bot-customer': { type: 'string', default: DEFAULT_BOT_CUSTOMER },
  'send-messages': { type: 'boolean', default: false },
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
    botToken: values['bot-token'] ?? io.env['DLG_BOT_TOKEN'] ?? DEMO_BOT_TOKEN,
    botCustomerId: values['bot-customer'],
    sendMessages: values['send-messages'],
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
