import type { FastifyReply, FastifyRequest } from 'fastify'
import { AUTH_ERRORS } from '../auth/auth-errors.js'
import type { Diagnosis } from '../auth/diagnosis.js'
import { parseAuthorization } from '../auth/verifier.js'
import type { ControllableClock } from '../clock.js'
import { sendText } from '../http/plain-text.js'
import { redactLinkToken } from '../logger.js'
import { DEFAULT_API_ERROR_MESSAGE, type Faults } from './faults.js'
import { MAX_BODY, type AuthVerdict, type Journal } from './journal.js'

/**
 * The Fastify side of the admin features: what every request passes through when the admin
 * API is on. Each hook returns at once when it has nothing to do.
 */

/** What HMAC authentication decided about a request; set by the auth hook. */
export interface AuthOutcome {
  readonly verdict: Exclude<AuthVerdict, 'none'>
  readonly keyId?: string
  /** On whose behalf an authenticated request was made (`x-dlg-requester-userid`). */
  readonly requesterUserId?: string
  readonly diagnosis?: Diagnosis
}

declare module 'fastify' {
  interface FastifyRequest {
    authOutcome: AuthOutcome | null
    /** When the request arrived, by the server's clock; set for the journal. */
    arrivedAt: number
  }
}

export const ADMIN_PREFIX = '/__admin'

/** Headers whose values are credentials: a DLGA value keeps its key id, anything else is hidden. */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'x-dlg-authorization',
  'x-authorization',
  'authorization',
  'proxy-authorization',
  'cookie',
])

/** Admin API routes, matched by pattern, so `/%5F%5Fadmin/…` counts as what it is. */
function isAdminRoute(request: FastifyRequest): boolean {
  return request.routeOptions.url?.startsWith(ADMIN_PREFIX) === true
}

/** The admin API and the health check are left alone by faults (`/health?x=1` included). */
function isInfrastructure(request: FastifyRequest): boolean {
  return isAdminRoute(request) || request.routeOptions.url === '/health'
}

/** Keeps the key id of a `DLGA key:signature` value, never the signature or a bearer token. */
function redactAuthorization(value: string): string {
  const parsed = parseAuthorization(value)
  return parsed.ok ? `DLGA ${parsed.keyId}:[redacted]` : '[redacted]'
}

function journalHeaders(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, raw] of Object.entries(request.headers)) {
    if (raw === undefined) continue
    const value = Array.isArray(raw) ? raw.join(', ') : raw
    headers[name] = SECRET_HEADERS.has(name) ? redactAuthorization(value) : value
  }
  return headers
}

/**
 * The body as the journal keeps it: only the first `MAX_BODY` bytes are decoded. (Decoding all of
 * a 1 MiB body and slicing the string would keep the whole of it alive: V8 slices share their
 * parent.)
 */
export function journalBody(raw: Buffer | null): string | null {
  if (raw === null) return null
  if (raw.length <= MAX_BODY) return raw.toString('utf8')
  // Back to the start of a UTF-8 character (at most 3 bytes back), so the cut never leaves half
  // of one; bytes that are not UTF-8 are cut where they are.
  let end = MAX_BODY
  while (end > MAX_BODY - 3 && ((raw[end] as number) & 0xc0) === 0x80) end--
  return `${raw.toString('utf8', 0, end)}...[cut, ${raw.length} bytes in all]`
}

/** `onRequest` and `onResponse`: records every request but the admin API's own. */
export function journalHooks(journal: Journal, clock: ControllableClock) {
  const markArrival = async (request: FastifyRequest) => {
    request.arrivedAt = clock.now()
  }
  const record = (request: FastifyRequest, status: number, elapsedMs: number) => {
    const outcome = request.authOutcome
    journal.record({
      time: request.arrivedAt,
      method: request.method,
      url: redactLinkToken(request.url),
      headers: journalHeaders(request),
      body: journalBody(request.rawBody),
      status,
      auth: outcome?.verdict ?? 'none',
      ...(outcome?.keyId === undefined ? {} : { keyId: outcome.keyId }),
      ...(outcome?.diagnosis === undefined ? {} : { diagnosis: outcome.diagnosis }),
      durationMs: Math.round(elapsedMs * 1000) / 1000,
    })
  }
  const recordRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isAdminRoute(request)) record(request, reply.statusCode, reply.elapsedTime)
  }
  /** A dropped connection never reaches `onResponse`: recorded with status 0. */
  const recordDropped = (request: FastifyRequest, reply: FastifyReply) =>
    record(request, 0, reply.elapsedTime)
  return { markArrival, recordRequest, recordDropped }
}

function keyIdOf(request: FastifyRequest): string | undefined {
  const value = request.headers['x-dlg-authorization']
  const parsed = typeof value === 'string' ? parseAuthorization(value) : undefined
  return parsed?.ok === true ? parsed.keyId : undefined
}

/**
 * `onRequest`: applies the first matching injected fault, if any. Pending delays end when the
 * server closes (`cancelDelays`), so a delayed request never holds up a shutdown.
 */
export function faultHook(faults: Faults, onDropped: (request: FastifyRequest, reply: FastifyReply) => void) {
  const pending = new Set<() => void>()
  const cancelDelays = () => {
    for (const finish of pending) finish()
  }
  const injectFault = async (request: FastifyRequest, reply: FastifyReply) => {
    if (faults.empty || isInfrastructure(request)) return
    const fault = faults.take(request.url.split('?', 1)[0] ?? '', keyIdOf(request))
    if (fault === undefined) return
    reply.header('x-dlg-mock-fault', `${fault.kind}; id=${fault.id}`)
    request.log.info({ fault: { id: fault.id, kind: fault.kind } }, 'injected fault')
    switch (fault.kind) {
      case 'delay':
        await new Promise<void>((resolve) => {
          const finish = () => {
            clearTimeout(timer)
            pending.delete(finish)
            resolve()
          }
          const timer = setTimeout(finish, fault.delayMs)
          pending.add(finish)
        })
        return
      case 'auth-error': {
        const error = AUTH_ERRORS[fault.reason]
        return sendText(reply, error.status, error.message)
      }
      case 'api-error':
        return sendText(reply, 500, fault.message ?? DEFAULT_API_ERROR_MESSAGE)
      case 'drop':
        reply.hijack()
        request.raw.socket.destroy()
        onDropped(request, reply)
        return reply
    }
  }
  return { injectFault, cancelDelays }
}
