import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify'
import { pino } from 'pino'
import { redactLinkToken } from '../logger.js'

/**
 * One access line per request, written when it completes: method, URL (a link's token and
 * any credential-looking query value redacted), status, time, and — for an authenticated call
 * — who called and on whose behalf. Fastify's own "incoming request" line is dropped: two lines
 * per request cost the hot path ~5 µs each and said nothing the one line does not.
 *
 * The line of a request that completed without an error is written by a prepared serializer
 * straight to the logger's stream, in the bytes pino would write for
 * `reply.log.info({ req, res, responseTime, keyId, requesterUserId }, 'request completed')`:
 * a test keeps the two identical. Pino's generic path (the `req` serializer, redaction of
 * header paths the line never holds, a stringify per key) cost ~8 µs a line; this costs ~1.
 * A logger that is not a plain pino logger (a mixin, formatters, a multistream) gets the
 * generic path.
 */

const {
  lsCacheSym,
  timeSym,
  chindingsSym,
  streamSym,
  endSym,
  messageKeySym,
  mixinSym,
  formattersSym,
  hooksSym,
  needsMetadataGsym,
} = pino.symbols

/** The pino internals the prepared line reads, all exported as `pino.symbols`. */
type PinoInternals = { readonly levelVal?: number } & Readonly<Record<symbol, unknown>>
interface Stream {
  write(line: string): unknown
}

const INFO = 30
const COMPLETED = ',"msg":"request completed"'

/** A JSON string literal; `undefined` stays out of the line, as JSON.stringify leaves it. */
function field(name: string, value: string | number | undefined): string {
  if (value === undefined) return ''
  return typeof value === 'number'
    ? `,"${name}":${Number.isFinite(value) ? value : 'null'}`
    : `,"${name}":${JSON.stringify(value)}`
}

/** The `req` object the logger's serializer (src/logger.ts) makes, as JSON. */
function requestJson(request: FastifyRequest): string {
  const remotePort = request.socket?.remotePort
  return (
    `{"method":${JSON.stringify(request.method)},"url":${JSON.stringify(redactLinkToken(request.url))}` +
    `${field('host', request.host)}${field('remoteAddress', request.ip)}${field('remotePort', remotePort)}}`
  )
}

/**
 * Writes the completed line of `request` directly, or returns false when `log` is not a plain
 * pino logger at `info` or below (the caller then logs it the generic way).
 */
export function writeCompletedLine(
  log: FastifyBaseLogger,
  request: FastifyRequest,
  statusCode: number,
  responseTime: number,
): boolean {
  const internals = log as unknown as PinoInternals
  const stream = internals[streamSym] as (Stream & PinoInternals) | undefined
  const levels = internals[lsCacheSym] as Readonly<Record<number, string>> | undefined
  const time = internals[timeSym] as (() => string) | undefined
  if (
    stream === undefined ||
    levels === undefined ||
    typeof time !== 'function' ||
    internals[messageKeySym] !== 'msg' ||
    internals[mixinSym] ||
    (internals[formattersSym] as { log?: unknown } | undefined)?.log ||
    (internals[hooksSym] as { streamWrite?: unknown } | undefined)?.streamWrite ||
    stream[needsMetadataGsym] === true
  ) {
    return false
  }
  if ((internals.levelVal ?? Infinity) > INFO) return true
  const outcome = request.authOutcome
  stream.write(
    `${levels[INFO]}${time()}${(internals[chindingsSym] as string | undefined) ?? ''},"req":${requestJson(request)}` +
      `,"res":{"statusCode":${statusCode}}${field('responseTime', responseTime)}` +
      `${field('keyId', outcome?.keyId)}${field('requesterUserId', outcome?.requesterUserId)}` +
      `${COMPLETED}${(internals[endSym] as string | undefined) ?? '}\n'}`,
  )
  return true
}

export class AccessLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return
    if (!error && writeCompletedLine(reply.log, request, reply.statusCode, reply.elapsedTime)) return
    const outcome = request.authOutcome
    const line = {
      req: request,
      res: { statusCode: reply.statusCode },
      responseTime: reply.elapsedTime,
      ...(outcome?.keyId === undefined ? {} : { keyId: outcome.keyId }),
      ...(outcome?.requesterUserId === undefined ? {} : { requesterUserId: outcome.requesterUserId }),
    }
    if (error) reply.log.error({ ...line, err: error }, 'request errored')
    else reply.log.info(line, 'request completed')
  }
}
