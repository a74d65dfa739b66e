import { writeSync } from 'node:fs'
import { pino, type Logger, type LoggerOptions } from 'pino'
import type { Config } from './config.js'
import { redactBotTokens } from './routes/bot-route.js'

/**
 * Header values that must never reach a log line. The request serializer below does not log
 * headers; this is the second line of defence for anything that logs `headers` itself.
 */
const SECRET_HEADERS = ['["x-dlg-authorization"]', '["x-authorization"]', '.authorization', '.cookie']
/**
 * Where headers can sit in a log object. Named paths, not `*.headers…` wildcards: a wildcard
 * makes pino scan every log object and costs ~1 µs on every per-request child logger.
 */
const HEADER_HOLDERS = ['', 'req.', 'request.', 'res.', 'reply.', 'response.', 'err.', 'error.']
export const REDACTED_PATHS = HEADER_HOLDERS.flatMap((holder) =>
  SECRET_HEADERS.map((header) => `${holder}headers${header}`),
)

/** A query name or value as the query-string parser reads it: `+` is a space, then percent-decoded. */
function decoded(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text
  try {
    return decodeURIComponent(spaced)
  } catch {
    return spaced
  }
}

/** Names whose value is a credential: a link's `sig`, and what clients call tokens, keys and secrets. */
const CREDENTIAL_NAME =
  /^(?:sig|key|pass|pwd|jwt|bearer)$|token|secret|passw|signature|credential|authori[sz]|api[-_.]?key|session/i
/** Values that are credentials whatever their name. */
const CREDENTIAL_VALUE = /^\s*(?:bearer|basic|dlga)\s/i
/**
 * The admin API takes its token in a header only; its queries are the journal's filters
 * (src/admin/operations.ts, `JournalQuerySchema`; a test keeps the two equal) and a bot
 * conversation's `offset` and `limit`. On an admin path
 * every other query value is hidden, whatever it is called.
 */
export const ADMIN_QUERY_NAMES: ReadonlySet<string> = new Set([
  'path',
  'keyId',
  'status',
  'auth',
  'direction',
  'since',
  'limit',
  'offset',
])
const ADMIN_PATH = /^\/(?:_|%5f){2}admin(?:[/?#;]|%2f|$)/i
/**
 * Where a query may start, and where one of its parameters may end: the router splits path and
 * query at the first `?` or `#` (find-my-way; `;` too with `useSemicolonDelimiter`), the
 * query-string parser splits parameters at `&`; other servers and proxies split at `;`, and
 * any of them may arrive percent-encoded. Cutting at every one of them finds each parameter
 * any parser could see.
 */
const DELIMITER = /[?#;&]|%(?:3f|23|3b|26)/gi
/** A path of the Messaging API, however its slashes are doubled or its case changed. */
const BOTS_PATH = /^\/*v1\/+bots(?:[/?#]|$)/i

/**
 * The URL as it may be logged or journaled: the value of any credential-looking query parameter
 * — a conversation link's `sig` (a bearer credential), `token=`, `api_key=`, a `Bearer …`
 * value, and on an admin path anything but the journal's filters — becomes `[redacted]`,
 * however the name is spelt (`%73ig`) and whichever delimiter put it in the query.
 * A credential's value runs to the next `&`, as the query-string parser reads it.
 */
export function redactLinkToken(url: string): string {
  // A bot's token travels in the path (`/v1/bots/sendmessage/<token>`).
  if (BOTS_PATH.test(url)) url = redactBotTokens(url)
  DELIMITER.lastIndex = 0
  const first = DELIMITER.exec(url)
  if (first === null) return url
  const admin = ADMIN_PATH.test(url)
  let out = url.slice(0, first.index)
  let at = first.index
  while (at < url.length) {
    DELIMITER.lastIndex = at
    const delimiter = DELIMITER.exec(url) as RegExpExecArray
    const start = delimiter.index + delimiter[0].length
    DELIMITER.lastIndex = start
    const next = DELIMITER.exec(url)
    const end = next === null ? url.length : next.index
    const piece = url.slice(start, end)
    const equals = piece.indexOf('=')
    const name = decoded(equals === -1 ? piece : piece.slice(0, equals))
    const value = equals === -1 ? '' : piece.slice(equals + 1)
    out += delimiter[0]
    const hidden =
      CREDENTIAL_NAME.test(name) ||
      CREDENTIAL_VALUE.test(decoded(value)) ||
      (admin && name !== '' && !ADMIN_QUERY_NAMES.has(name))
    if (!hidden) {
      out += piece
      at = end
      continue
    }
    out += `${equals === -1 ? piece : piece.slice(0, equals)}=[redacted]`
    // The hidden value reaches the next `&`, past any other delimiter.
    const amp = url.indexOf('&', start)
    at = amp === -1 ? url.length : amp
  }
  return out
}

/** The request fields Fastify logs, with the link token redacted from the URL. */
interface LoggedRequest {
  readonly method: string
  readonly url: string
  readonly host?: string
  readonly ip?: string
  readonly socket?: { readonly remotePort?: number }
}

export function loggerOptions(level: Config['logLevel']): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: typeof request.url === 'string' ? redactLinkToken(request.url) : request.url,
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  }
}

/**
 * JSON lines by default; pretty output when asked, or with `auto` when a person is watching
 * (stdout is a terminal) and pino-pretty (a dev dependency) is installed.
 */
export function wantsPrettyLogs(
  format: Config['logFormat'],
  isTerminal: boolean,
  prettyAvailable: boolean,
): boolean {
  return format === 'pretty' || (format === 'auto' && isTerminal && prettyAvailable)
}

/** How long a log line may wait for others to go out with it. */
export const LOG_BATCH_MS = 10

/**
 * A pino destination that gathers the lines of up to `batchMs` and hands them to `sink` as one
 * chunk: under load one write (one system call, one wake-up of the reader) carries tens of
 * lines instead of one, and no line waits longer than `batchMs`. Lines still pending when the
 * process exits are written synchronously to `fd`, after what the sink flushes at exit.
 */
export function batchedDestination(
  sink: { write(chunk: string): unknown },
  fd: number,
  batchMs = LOG_BATCH_MS,
) {
  let pending = ''
  let timer: NodeJS.Timeout | undefined
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (pending === '') return
    const chunk = pending
    pending = ''
    sink.write(chunk)
  }
  process.on('exit', () => {
    if (pending === '') return
    try {
      writeSync(fd, pending)
    } catch {
      // Nothing more can be done for a log at exit.
    }
    pending = ''
  })
  return {
    write(line: string): boolean {
      pending += line
      timer ??= setTimeout(flush, batchMs).unref()
      return true
    },
    /** Hands what is pending to the sink now. */
    flush(done?: (error?: Error) => void) {
      flush()
      done?.()
    },
  }
}

export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
  prettyAvailable: boolean,
): Logger {
  const options = loggerOptions(config.logLevel)
  if (!wantsPrettyLogs(config.logFormat, process.stdout.isTTY, prettyAvailable)) {
    // Asynchronous writes: a request never waits for its log line to reach stdout; lines are
    // gathered for up to LOG_BATCH_MS and go out together; what is left is flushed at exit.
    return pino(options, batchedDestination(pino.destination({ dest: 1, sync: false }), 1))
  }
  return pino({
    ...options,
    transport: {
      target: 'pino-pretty',
      options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
    },
  })
}
