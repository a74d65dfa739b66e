import type { ReceivedEvent, WebhookDelivery, WebhookReceiver } from '../webhooks/receiver.js'
import { verifyHiddenPayload } from '../messaging/hidden-payload.js'
import { verifyWebhookSignature, type SignatureCheck } from '../webhooks/signature.js'
import { parseCapturedRequest } from './captured-request.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { parse, wholeNumber } from './options.js'

/**
 * `diyalog-mock webhook listen | verify | verify-payload`: the receiving side of the mock's
 * webhooks. `listen` runs the webhook receiver (src/webhooks/receiver.ts) and prints each event as
 * it arrives; `verify` checks a captured POST's `X-Signature` (D25); `verify-payload` checks the
 * signed payload of a `payloadHidden` button press (D45). A secret is never printed, and nothing a
 * sender wrote reaches the terminal unescaped.
 */

export const WEBHOOK_HELP = `Usage: diyalog-mock webhook <listen|verify|verify-payload> [options]

The receiving side of the mock's webhooks:

  listen           receive webhooks; print one line per event with its X-Signature check
  verify           check a captured webhook's X-Signature against its body
  verify-payload   check the signed payload of a payloadHidden button press

Run "diyalog-mock webhook <action> --help" for its options. Exit codes: 0 match (listen: stopped
by SIGINT or SIGTERM), 1 no match (listen: the receiver could not start), 2 usage error.
`

export const DEFAULT_LISTEN_PORT = 3001

const SECRET_HELP = `  --secret S            the webhook's app_secret (or DLG_WEBHOOK_SECRET; default: the docs'
                        example app_secret, the mock's own default); never printed`

export const VERIFY_WEBHOOK_HELP = `Usage: diyalog-mock webhook verify [--file FILE] [--signature SIG] [--body-file FILE] [--secret S]

Checks a webhook POST's X-Signature: the HMAC-SHA1 of the body's exact bytes with the webhook's
app_secret, as lower-case hex, sha1=<hex> or base64 (the format is read from the value; D25).
Prints "match" (exit 0), or "mismatch", "missing" or "malformed" and why (exit 1).

  --file FILE           the captured POST (default: standard input; - too): an optional request
                        line (POST /hook HTTP/1.1), "Name: value" header lines with X-Signature,
                        an empty line, then the body byte for byte; the "> " lines of curl -v work
                        too. Not read when --signature and --body-file are both given
  --signature SIG       the X-Signature value (instead of the file's header)
  --body-file FILE      the body, byte for byte (instead of what follows the file's headers)
${SECRET_HELP}
`

export const LISTEN_HELP = `Usage: diyalog-mock webhook listen [--port N] [--host H] [--path P] [--secret S] [--json]

Receives webhooks and prints one line per event as it arrives: the arrival time, the entry id,
the event key, its mids (and a message's text), and ✓ or ✗ with the X-Signature check. Prints the
DLG_WEBHOOK_URL to start the mock with first. Answers every POST 200 (404 on another path, 413 for
a body over --max-body); a POST that gives no event gets a line of its own. What a sender wrote is
shown escaped (control characters as \\u{…}). Runs until SIGINT or SIGTERM (exit 0); exit 1 when
it cannot listen.

  --port N              the port (default ${DEFAULT_LISTEN_PORT}; 0 for a free one)
  --host H              the address to listen on (default 127.0.0.1)
  --path P              the path webhooks are POSTed to (default /)
${SECRET_HELP}
  --max-body BYTES      largest body read (default 1048576)
  --json                one JSON object per line: {"kind":"listening","url":…} first, then
                        {"kind":"event",…} per event and {"kind":"delivery",…} per POST that gave
                        no event or had a problem
`

export const VERIFY_PAYLOAD_HELP = `Usage: diyalog-mock webhook verify-payload --key K --payload P --signed S

Checks a payloadHidden button press (D45): its Messages event's text is [<messageId>]:<signed>,
where <signed> is the lower-case hex HMAC-SHA256 of the button's payload with the bot's payload
key. Prints "match" (exit 0) or why not (exit 1).

  --key K               the bot's payload key (payloadKey in bots.json; by default the bot's
                        token), or DLG_PAYLOAD_KEY; never printed
  --payload P           the button's payload, as the bot sent it
  --signed S            the signed payload, or the whole text [<messageId>]:<signed>
`

/** Escapes of characters that must not reach a terminal raw, and of `\` and `"`. */
function escapeChar(char: string): string {
  if (char === '\\') return '\\\\'
  if (char === '"') return '\\"'
  if (char === '\n') return '\\n'
  if (char === '\r') return '\\r'
  if (char === '\t') return '\\t'
  return `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`
}

/**
 * Control characters (C0, DEL, C1), format characters (bidi overrides, zero-width ones), line and
 * paragraph separators, and lone surrogates: what could move the cursor, recolour or reorder a
 * terminal's text. Letters of any script stay as they are (Turkish text reads as written).
 */
const UNPRINTABLE = /[\\"\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/gu

/** Sender text escaped, cut past `max` characters (code points), the cut said after `after`. */
function escaped(text: string, max: number, after = ''): string {
  const chars = Array.from(text.slice(0, max * 2 + 2))
  const cut = chars.length > max ? chars.slice(0, max).join('') : text
  const mark = cut.length < text.length ? `...[cut, ${text.length} characters in all]` : ''
  return `${cut.replace(UNPRINTABLE, escapeChar)}${after}${mark}`
}

/** Sender text in double quotes, escaped, cut past `max` characters. */
export function quoted(text: string, max = 200): string {
  return `"${escaped(text, max, '"')}`
}

/** An id as it is when it is plain (letters, digits, `_ . : @ / + = -`), else quoted. */
export function word(text: string, max = 100): string {
  return /^[\w.:@/+=-]{1,100}$/.test(text) && text.length <= max ? text : quoted(text, max)
}

/**
 * JSON on one line with every character a terminal could act on escaped as `\uXXXX`: JSON itself
 * escapes only C0 controls, not DEL, C1 or bidi overrides. These can only be inside strings.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/gu, (char) =>
    Array.from(
      { length: char.length },
      (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`,
    ).join(''),
  )
}

/** The secret of `--secret`, `DLG_WEBHOOK_SECRET` or the mock's default, and where it came from. */
async function webhookSecret(value: string | undefined, io: CliIo): Promise<string> {
  if (value === '') throw new UsageError('--secret is empty')
  const secret = value ?? io.env['DLG_WEBHOOK_SECRET']
  if (secret !== undefined && secret !== '') return secret
  // Loaded only here: config.ts brings TypeBox.
  const { DEMO_WEBHOOK_SECRET } = await import('../config.js')
  io.err(
    "diyalog-mock: no --secret (or DLG_WEBHOOK_SECRET): checking with the docs' example app_secret, the mock's default\n",
  )
  return DEMO_WEBHOOK_SECRET
}

export async function webhookCommand(args: readonly string[], io: CliIo): Promise<number | 'running'> {
  const [action, ...rest] = args
  if (action === undefined || action === '--help' || action === '-h') {
    io.out(WEBHOOK_HELP)
    return action === undefined ? EXIT.usage : EXIT.ok
  }
  if (action === 'verify') return verifyWebhook(rest, io)
  if (action === 'verify-payload') return verifyPayload(rest, io)
  if (action === 'listen') {
    const started = await listen(rest, io)
    if (typeof started === 'number') return started
    stopOnSignal(started, io)
    return 'running'
  }
  throw new UsageError(
    `unknown webhook action ${JSON.stringify(action)}: use listen, verify or verify-payload`,
  )
}

// ---- verify ----

const VERIFY_OPTIONS = {
  file: { type: 'string' },
  signature: { type: 'string' },
  'body-file': { type: 'string' },
  secret: { type: 'string' },
} as const

async function verifyWebhook(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, VERIFY_OPTIONS)
  if (values.help) return (io.out(VERIFY_WEBHOOK_HELP), EXIT.ok)
  const secret = await webhookSecret(values.secret, io)
  const needCapture =
    values.file !== undefined || values.signature === undefined || values['body-file'] === undefined
  let headers: Readonly<Record<string, string>> = {}
  let capturedBody: Buffer | undefined
  if (needCapture) {
    const captured = parseCapturedRequest(await io.readFile(values.file ?? '-'))
    if ('problem' in captured) throw new UsageError(`--file: ${captured.problem}`)
    headers = captured.headers
    capturedBody = captured.body
  }
  const body =
    values['body-file'] !== undefined
      ? await io.readFile(values['body-file'])
      : (capturedBody ?? Buffer.alloc(0))
  const header = values.signature ?? headers['x-signature']
  const check = verifyWebhookSignature(body, header, secret)
  const bodyLine = `  body: ${body.length} bytes (${
    values['body-file'] !== undefined
      ? 'from --body-file'
      : capturedBody === undefined
        ? 'none: the capture has no empty line after its headers'
        : 'what follows the headers'
  })\n`
  if (check.ok) {
    io.out(`match: X-Signature (${check.format}) is the HMAC-SHA1 of the body with this secret\n${bodyLine}`)
    return EXIT.ok
  }
  io.out(`${check.reason}: ${check.detail}\n`)
  if (check.reason === 'missing') {
    io.out('  give the captured headers with X-Signature, or --signature SIG\n')
    return EXIT.failed
  }
  if (check.reason === 'malformed') io.out(`  X-Signature: ${quoted(header ?? '', 80)}\n`)
  io.out(bodyLine)
  if (check.reason === 'mismatch') {
    for (const hint of mismatchHints(body, header ?? '', secret)) io.out(`  ${hint}\n`)
  }
  return EXIT.failed
}

/** Why a signature may not match bytes the sender did sign: what a capture or an editor changes. */
function mismatchHints(body: Buffer, header: string, secret: string): string[] {
  const verify = verifyWebhookSignature
  const hints: string[] = []
  const trimmed = body.subarray(0, body.length - (body.subarray(-2).toString('latin1') === '\r\n' ? 2 : 1))
  if (/[\r\n]$/.test(body.subarray(-1).toString('latin1')) && verify(trimmed, header, secret).ok) {
    hints.push(
      'it matches the body without its final line ending: the file gained one after the capture (the body as sent has none)',
    )
  }
  try {
    const compact = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))), 'utf8')
    if (!compact.equals(body) && verify(compact, header, secret).ok) {
      hints.push(
        'it matches the body re-serialised as compact JSON: the capture changed its spacing; sign and check the exact bytes sent',
      )
    }
  } catch {
    // Not JSON: no such hint.
  }
  if (hints.length === 0) hints.push('another secret, or bytes changed after signing')
  return hints
}

// ---- verify-payload ----

const PAYLOAD_OPTIONS = {
  key: { type: 'string' },
  payload: { type: 'string' },
  signed: { type: 'string' },
} as const

/** The signed part of `[<messageId>]:<signed>`, or the text itself. */
function signedPart(text: string): { messageId?: string; signed: string } {
  const press = /^\[([^\]]*)\]:(.*)$/s.exec(text)
  return press === null ? { signed: text } : { messageId: press[1] ?? '', signed: press[2] ?? '' }
}

async function verifyPayload(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, PAYLOAD_OPTIONS)
  if (values.help) return (io.out(VERIFY_PAYLOAD_HELP), EXIT.ok)
  const key = values.key ?? io.env['DLG_PAYLOAD_KEY']
  if (key === undefined || key === '') throw new UsageError('--key K (or DLG_PAYLOAD_KEY) is required')
  if (values.payload === undefined) throw new UsageError('--payload P is required')
  if (values.signed === undefined) throw new UsageError('--signed S is required')
  const { messageId, signed } = signedPart(values.signed)
  const of = messageId === undefined ? '' : ` of message ${word(messageId)}`
  if (verifyHiddenPayload(values.payload, signed, key)) {
    io.out(`match: the signed payload${of} is payload ${quoted(values.payload)} signed with this key\n`)
    return EXIT.ok
  }
  if (signed === values.payload) {
    io.out(
      `mismatch: the press${of} carries the payload itself, not signed: the button has no payloadHidden\n`,
    )
  } else if (!/^[0-9a-fA-F]{64}$/.test(signed.trim())) {
    io.out(
      `malformed: the signed payload${of} is not 64 hex characters (HMAC-SHA256): ${quoted(signed, 80)}\n`,
    )
  } else {
    io.out(
      `mismatch: the signed payload${of} is not payload ${quoted(values.payload)} signed with this key: another key (the bot's payloadKey, by default its token) or another payload\n`,
    )
  }
  return EXIT.failed
}

// ---- listen ----

const LISTEN_OPTIONS = {
  port: { type: 'string', default: String(DEFAULT_LISTEN_PORT) },
  host: { type: 'string', default: '127.0.0.1' },
  path: { type: 'string', default: '/' },
  secret: { type: 'string' },
  'max-body': { type: 'string', default: '1048576' },
  json: { type: 'boolean', default: false },
} as const

function verdict(signature: SignatureCheck | undefined): string {
  if (signature === undefined) return ''
  return signature.ok
    ? `✓ X-Signature (${signature.format})`
    : `✗ X-Signature ${signature.reason}: ${signature.detail}`
}

function retryNote(delivery: WebhookDelivery): string {
  if (delivery.attempt === undefined || delivery.attempt === 0) return ''
  return ` (attempt ${delivery.attempt}${delivery.batchId === undefined ? '' : ` of batch ${word(delivery.batchId)}`})`
}

/** One line per event: time, entry id, key, mids (and text), signature verdict. */
export function eventLine(event: ReceivedEvent): string {
  const what =
    'message' in event.event
      ? `mid ${word(event.event.message.mid)} text ${quoted(event.event.message.text)}`
      : event.key === 'messageEcho'
        ? `mid ${word(event.mids[0] ?? '')}`
        : `mids ${event.mids.map((mid) => word(mid)).join(',')}`
  return [
    new Date(event.receivedAt).toISOString(),
    word(event.entryId),
    event.key,
    what,
    verdict(event.signature),
  ]
    .filter((part) => part !== '')
    .join(' ')
    .concat(retryNote(event.delivery))
}

/** A line for a POST that gave no event or had a problem. */
export function deliveryLine(delivery: WebhookDelivery, events: number): string | undefined {
  const problems = [
    ...(delivery.parsed.ok ? [] : [delivery.parsed.problem]),
    ...delivery.problems,
    ...(delivery.parsed.ok && events === 0 && delivery.problems.length === 0 ? ['no entries'] : []),
  ]
  if (problems.length === 0) return undefined
  return [
    new Date(delivery.receivedAt).toISOString(),
    `POST ${word(delivery.url)} answered ${delivery.status ?? '(pending)'}:`,
    problems.map((problem) => escaped(problem, 300)).join('; '),
    verdict(delivery.signature),
  ]
    .filter((part) => part !== '')
    .join(' ')
    .concat(retryNote(delivery))
}

function eventJson(event: ReceivedEvent): Record<string, unknown> {
  return {
    kind: 'event',
    receivedAt: new Date(event.receivedAt).toISOString(),
    delivery: event.delivery.index,
    ...(event.delivery.batchId === undefined ? {} : { batchId: event.delivery.batchId }),
    ...(event.delivery.attempt === undefined ? {} : { attempt: event.delivery.attempt }),
    entryId: event.entryId,
    entryTime: event.entryTime,
    key: event.key,
    mids: event.mids,
    ...('message' in event.event ? { text: event.event.message.text } : {}),
    ...(event.signature === undefined ? {} : { signature: event.signature }),
    event: event.event,
  }
}

function deliveryJson(delivery: WebhookDelivery): Record<string, unknown> {
  return {
    kind: 'delivery',
    receivedAt: new Date(delivery.receivedAt).toISOString(),
    delivery: delivery.index,
    url: delivery.url,
    status: delivery.status,
    bytes: delivery.bytes.length,
    ...(delivery.parsed.ok ? {} : { problem: delivery.parsed.problem }),
    problems: delivery.problems,
    ...(delivery.signature === undefined ? {} : { signature: delivery.signature }),
  }
}

/**
 * Starts the receiver and prints as it receives; resolves with it once it listens (the caller
 * stops it), or with exit code 1 when it cannot listen.
 */
export async function listen(args: readonly string[], io: CliIo): Promise<WebhookReceiver | number> {
  const { values } = parse(args, LISTEN_OPTIONS)
  if (values.help) return (io.out(LISTEN_HELP), EXIT.ok)
  const port = wholeNumber(values.port, 'port', 0)
  if (port > 65535) throw new UsageError(`--port must be at most 65535 (got ${port})`)
  const maxBodyBytes = wholeNumber(values['max-body'], 'max-body', 1)
  if (!values.path.startsWith('/'))
    throw new UsageError(`--path must start with "/" (got ${quoted(values.path)})`)
  const secret = await webhookSecret(values.secret, io)
  const { startWebhookReceiver } = await import('../webhooks/receiver.js')
  const json = values.json
  let receiver: WebhookReceiver
  try {
    receiver = await startWebhookReceiver({
      port,
      host: values.host,
      path: values.path,
      secret,
      maxBodyBytes,
      // The CLI keeps few: it has printed them.
      maxDeliveries: 100,
      clock: { now: () => io.now() },
      onDelivery: (delivery, events) => {
        for (const event of events) io.out(json ? `${safeJson(eventJson(event))}\n` : `${eventLine(event)}\n`)
        const line = deliveryLine(delivery, events.length)
        if (line !== undefined) io.out(json ? `${safeJson(deliveryJson(delivery))}\n` : `${line}\n`)
      },
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why =
      code === 'EADDRINUSE'
        ? `the port is in use (--port 0 takes a free one)`
        : `${code ?? ''} ${(error as Error).message}`.trim()
    io.err(
      `diyalog-mock webhook listen: cannot listen on ${word(values.host)} port ${port}: ${escaped(why, 300)}\n`,
    )
    return EXIT.failed
  }
  const from =
    values.secret !== undefined
      ? 'the secret of --secret'
      : io.env['DLG_WEBHOOK_SECRET']
        ? 'the secret of DLG_WEBHOOK_SECRET'
        : "the docs' example app_secret"
  if (json) io.out(`${safeJson({ kind: 'listening', url: receiver.url, checkedWith: from })}\n`)
  else {
    io.out(`listening on ${receiver.url}, X-Signature checked with ${from}; Ctrl-C stops\n`)
    io.out(`DLG_WEBHOOK_URL=${receiver.url}\n`)
  }
  return receiver
}

/** Stops the receiver on SIGINT or SIGTERM; the process then ends with exit code 0. */
function stopOnSignal(receiver: WebhookReceiver, io: CliIo): void {
  const stop = () => {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    void receiver.stop().then(() => io.err('diyalog-mock webhook listen: stopped\n'))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
