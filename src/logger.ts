import { pino, type Logger, type LoggerOptions } from 'pino'
import type { Config } from './config.js'

/**
 * Header values that must never reach a log line. The request serializer below does not log
 * headers; this is the second line of defence for anything that logs `headers` itself.
 */
const SECRET_HEADERS = ['["x-dlg-authorization"]', '["x-authorization"]', '.authorization', '.cookie']
export const REDACTED_PATHS = SECRET_HEADERS.flatMap((header) => [`headers${header}`, `*.headers${header}`])

/** A conversation link's `sig` is a bearer credential: it stays out of the logs. */
export function redactLinkToken(url: string): string {
  return url.replace(/([?&]sig=)[^&]*/g, '$1[redacted]')
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
  if (!wantsPrettyLogs(config.logFormat, process.stdout.isTTY, prettyAvailable)) return pino(options)
  return pino({
    ...options,
    transport: {
      target: 'pino-pretty',
      options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
    },
  })
}
