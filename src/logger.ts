import { pino, type Logger, type LoggerOptions } from 'pino'
import type { Config } from './config.js'

/**
 * Header values that must never reach a log line. Fastify's request serializer does not log
 * headers, so this is the second line of defence for anything that logs `req.headers`.
 */
export const REDACTED_PATHS = [
  'req.headers["x-dlg-authorization"]',
  'req.headers["x-authorization"]',
  'req.headers.authorization',
  'req.headers.cookie',
]

export function loggerOptions(level: Config['logLevel']): LoggerOptions {
  return { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }
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
