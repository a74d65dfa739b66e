import { randomUUID } from 'node:crypto'
import type { AuthFailureReason } from '../auth/auth-errors.js'
import type { Clock } from '../clock.js'

/**
 * Faults a test can inject through the admin API: for the next N matching requests or for a
 * time span, a delay, a documented authentication error, the documented API error (HTTP 500
 * with a plain-text message), or a dropped connection.
 */

export type FaultKind = 'delay' | 'auth-error' | 'api-error' | 'drop'

export interface FaultSpec {
  readonly kind: FaultKind
  /** Path prefix the request must have, e.g. `/v1/reporting/getmessagingdetail`. */
  readonly path?: string
  /** AccessKeyId the request must be signed with. */
  readonly keyId?: string
  /** `delay`: milliseconds to wait before the request goes on as usual. */
  readonly delayMs?: number
  /** `auth-error`: the row of the error table to answer. */
  readonly reason?: AuthFailureReason
  /** `api-error`: the plain-text message of the 500. */
  readonly message?: string
  /** For the next N matching requests (default: until removed or expired). */
  readonly times?: number
  /** For this many seconds from now, by the server's clock. */
  readonly forSeconds?: number
}

export interface Fault extends FaultSpec {
  readonly id: string
  /** Matching requests it still applies to; undefined: no count. */
  readonly remaining?: number
  /** When it stops applying, epoch milliseconds; undefined: never. */
  readonly until?: number
  readonly hits: number
}

export interface Faults {
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
      const fault: Fault = {
        ...spec,
        id: randomUUID(),
        hits: 0,
        ...(spec.times === undefined ? {} : { remaining: spec.times }),
        ...(spec.forSeconds === undefined ? {} : { until: clock.now() + spec.forSeconds * 1000 }),
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
