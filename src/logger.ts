import { pino, type Logger, type LoggerOptions } from 'pino'
import type { Config } from './config.js'

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

function decodedKey(key: string): string {
  try {
    return decodeURIComponent(key)
  } catch {
    return key
  }
}

/**
 * A conversation link's `sig` is a bearer credential: it stays out of the logs, however its
 * name is spelt (`sig=`, `%73ig=`: the query parser decodes both to `sig`).
 */
export function redactLinkToken(url: string): string {
  const start = url.indexOf('?')
  if (start === -1) return url
  const pairs = url.slice(start + 1).split('&')
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as string
    const end = pair.indexOf('=')
    const key = end === -1 ? pair : pair.slice(0, end)
    if (decodedKey(key) === 'sig') pairs[i] = `${key}=[redacted]`
  }
  return `${url.slice(0, start + 1)}${pairs.join('&')}`
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

export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
  prettyAvailable: boolean,
): Logger {
  const options = loggerOptions(config.logLevel)
  if (!wantsPrettyLogs(config.logFormat, process.stdout.isTTY, prettyAvailable)) {
    // Asynchronous writes: a request never waits for its log line to reach stdout, and lines
    // written while one write is in flight go out together. Node.js flushes them at exit.
    return pino(options, pino.destination({ dest: 1, sync: false }))
  }
  return pino({
    ...options,
    transport: {
      target: 'pino-pretty',
      options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
    },
  })
}
