import { randomUUID } from 'node:crypto'
import { Type, type Static, type TProperties } from 'typebox'
import { AUTH_ERRORS, type AuthFailureReason } from '../auth/auth-errors.js'
import type { Clock } from '../clock.js'

/**
 * Faults a test can inject through the admin API: for the next N matching requests or for a
 * time span, a delay, a documented authentication error, the documented API error (HTTP 500
 * with a plain-text message), or a dropped connection.
 */

/** The message of an `api-error` fault that gives none. */
export const DEFAULT_API_ERROR_MESSAGE = 'Internal server error'

/** What every fault may say about the requests it applies to, and for how long. */
const FaultScope = {
  /** Path prefix the request must have, e.g. `/v1/reporting/getmessagingdetail`. */
  path: Type.Optional(
    Type.String({ minLength: 1, description: 'Path prefix the request must have, e.g. /v1/reporting' }),
  ),
  /** AccessKeyId the request must be signed with. */
  keyId: Type.Optional(
    Type.String({ minLength: 1, description: 'AccessKeyId the request must be signed with' }),
  ),
  /** For the next N matching requests (default: until removed or expired). */
  times: Type.Optional(Type.Integer({ minimum: 1, description: 'For the next N matching requests' })),
  /** For this many seconds from now, by the server's clock. */
  forSeconds: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, description: "For this many seconds, by the server's clock" }),
  ),
}

const fault = <Kind extends string, Fields extends TProperties>(
  kind: Kind,
  description: string,
  fields: Fields,
) =>
  Type.Object(
    { kind: Type.Literal(kind), ...fields, ...FaultScope },
    { additionalProperties: false, description },
  )

/**
 * A fault as the admin API takes it, one shape per kind: a `delay` without `delayMs` is not a
 * fault (nor, for TypeScript, a `FaultSpec`).
 */
export const FaultSpecSchema = Type.Union([
  fault('delay', 'The usual answer, delayMs later', {
    delayMs: Type.Integer({ minimum: 0, maximum: 600_000, description: 'Milliseconds to wait' }),
  }),
  fault('auth-error', 'The documented authentication error of that row of the error table', {
    reason: Type.Enum(Object.keys(AUTH_ERRORS) as AuthFailureReason[]),
  }),
  fault('api-error', 'HTTP 500 with the message as plain text, the documented API error', {
    message: Type.Optional(
      Type.String({ minLength: 1, maxLength: 10_000, default: DEFAULT_API_ERROR_MESSAGE }),
    ),
  }),
  fault('drop', 'No answer: the connection is closed', {}),
])

export type FaultSpec = Static<typeof FaultSpecSchema>
export type FaultKind = FaultSpec['kind']

/** An injected fault, as listed. */
export type Fault = FaultSpec & {
  readonly id: string
  /** Matching requests it still applies to; undefined: no count. */
  readonly remaining?: number
  /** When it stops applying, epoch milliseconds; undefined: never. */
  readonly until?: number
  readonly hits: number
}

/**
 * Most faults active at once. Every request outside the admin API is matched against the list:
 * a few suffice for any test, and 20,000 would slow every request ~8 times.
 */
export const MAX_FAULTS = 100

/** Thrown when one more fault would pass `MAX_FAULTS`; nothing is added. */
export class FaultLimitError extends Error {
  /** A client error: the caller asked for too many. */
  readonly statusCode = 409
  constructor() {
    super(
      `${MAX_FAULTS} faults are active, the most the mock keeps: remove one (DELETE /__admin/faults/<id>) or all (DELETE /__admin/faults) first`,
    )
  }
}

export interface Faults {
  /** Throws `FaultLimitError` when `MAX_FAULTS` are active. */
  add(spec: FaultSpec): Fault
  list(): Fault[]
  remove(id: string): boolean
  clear(): void
  /** The first active fault for this request, counted as used; undefined when none. */
  take(path: string, keyId: string | undefined): Fault | undefined
  /** No fault at all: the request path skips the check. */
  readonly empty: boolean
}

export function createFaults(clock: Clock): Faults {
  let faults: Fault[] = []

  const expired = (fault: Fault, now: number) =>
    (fault.until !== undefined && now >= fault.until) || fault.remaining === 0

  return {
    add(spec) {
      const now = clock.now()
      faults = faults.filter((fault) => !expired(fault, now))
      if (faults.length >= MAX_FAULTS) throw new FaultLimitError()
      const fault: Fault = {
        ...spec,
        id: randomUUID(),
        hits: 0,
        ...(spec.times === undefined ? {} : { remaining: spec.times }),
        ...(spec.forSeconds === undefined ? {} : { until: now + Math.round(spec.forSeconds * 1000) }),
      }
      faults.push(fault)
      return fault
    },
    list() {
      const now = clock.now()
      faults = faults.filter((fault) => !expired(fault, now))
      return [...faults]
    },
    remove(id) {
      const before = faults.length
      faults = faults.filter((fault) => fault.id !== id)
      return faults.length < before
    },
    clear() {
      faults = []
    },
    take(path, keyId) {
      const now = clock.now()
      const index = faults.findIndex(
        (fault) =>
          !expired(fault, now) &&
          (fault.path === undefined || path.startsWith(fault.path)) &&
          (fault.keyId === undefined || fault.keyId === keyId),
      )
      const fault = faults[index]
      if (fault === undefined) return undefined
      const used: Fault = {
        ...fault,
        hits: fault.hits + 1,
        ...(fault.remaining === undefined ? {} : { remaining: fault.remaining - 1 }),
      }
      faults[index] = used
      if (used.remaining === 0) faults.splice(index, 1)
      return used
    },
    get empty() {
      return faults.length === 0
    },
  }
}
