import { AUTH_ERRORS } from '../auth/auth-errors.js'
import { diagnoseRequest } from '../auth/diagnosis.js'
import { parseDlgDate } from '../auth/dlg-date.js'
import { createKeyring } from '../auth/keyring.js'
import { createVerifier } from '../auth/verifier.js'
import {
  CLIENT_STRING_TO_SIGN_HEADER,
  decodeClientStringToSign,
  diagnosisHeaders,
} from '../http/diagnosis-headers.js'
import { parseCapturedRequest } from './captured-request.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { accessKeys, DEFAULT_RESOURCE, parse } from './options.js'
import { time } from './time-option.js'

export const VERIFY_HELP = `Usage: diyalog-mock verify --headers FILE [--body FILE] [options]

Checks a captured request as the mock does with its default settings (no header aliases, no
lenient newline): prints "valid" (exit 0), or the documented error and its diagnosis (exit 1).

  --headers FILE        the request's headers, "Name: value" per line, optionally after the
                        request line (POST /v1/… HTTP/1.1) and before an empty line and the body;
                        the "> " lines of curl -v output work too
  --body FILE           the body, byte for byte (default: what follows the headers, or empty)
  --method M            when the file has no request line (default POST)
  --resource PATH       when the file has no request line (default ${DEFAULT_RESOURCE})
  --keys ID:SECRET,…    access keys (or DLG_ACCESS_KEYS; default: the demo pair)
  --now WHEN            the server time to check the clock skew against: "request" (default:
                        the request's own x-dlg-date, so only the signature counts), "now",
                        epoch milliseconds or an ISO 8601 date
  --max-skew SECONDS    allowed clock skew (default 900)
`

const OPTIONS = {
  headers: { type: 'string' },
  body: { type: 'string' },
  method: { type: 'string', default: 'POST' },
  resource: { type: 'string', default: DEFAULT_RESOURCE },
  keys: { type: 'string' },
  now: { type: 'string', default: 'request' },
  'max-skew': { type: 'string', default: '900' },
} as const

export async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, OPTIONS)
  if (values.help) return (io.out(VERIFY_HELP), EXIT.ok)
  if (values.headers === undefined) throw new UsageError('--headers FILE is required')
  const captured = parseCapturedRequest(await io.readFile(values.headers))
  if ('problem' in captured) throw new UsageError(`--headers: ${captured.problem}`)
  const body = values.body !== undefined ? await io.readFile(values.body) : (captured.body ?? Buffer.alloc(0))
  const maxSkewSeconds = Number(values['max-skew'])
  if (!Number.isInteger(maxSkewSeconds) || maxSkewSeconds < 0)
    throw new UsageError('--max-skew must be a whole number of seconds')

  let now: number
  if (values.now === 'now') now = io.now()
  else if (values.now === 'request') {
    const date = parseDlgDate(captured.headers['x-dlg-date'] ?? '')
    now = date.ok ? date.epochMs : io.now()
  } else now = time(values.now, '--now')

  const keyring = createKeyring(accessKeys(values.keys, io))
  const verifier = createVerifier({ keyring, maxSkewSeconds })
  const request = {
    method: captured.method ?? values.method,
    resource: captured.resource ?? values.resource,
    headers: captured.headers,
    body,
  }
  const checked = verifier.checkHeaders(request.headers, now)
  const result = checked.ok ? verifier.checkSignature(checked, request) : checked
  if (result.ok) {
    io.out(`valid: AccessKeyId ${result.keyId}, requester ${result.requesterUserId}\n`)
    return EXIT.ok
  }
  const diagnosis = diagnoseRequest(result, checked, request, {
    keyring,
    maxSkewSeconds,
    acceptHeaderAliases: false,
    clientStringToSign: decodeClientStringToSign(captured.headers[CLIENT_STRING_TO_SIGN_HEADER]),
  })
  const error = AUTH_ERRORS[result.reason]
  io.out(`invalid: ${error.status} ${error.message}\n`)
  for (const [name, value] of Object.entries(diagnosisHeaders(diagnosis))) {
    if (name.endsWith('-base64')) continue
    for (const line of Array.isArray(value) ? value : [value])
      io.out(`  ${name.replace('x-dlg-mock-', '')}: ${line}\n`)
  }
  return EXIT.failed
}
