/**
 * Why an admin action on the simulated users did nothing (docs/contract.md D28): one reason per
 * case, each with the HTTP status the admin API answers with and a plain-text message. Ids from
 * the request are quoted as JSON strings (escaped, cut), never raw.
 */

export const SIMULATION_FAILURES = {
  'bot-not-found': 404,
  'recipient-not-found': 404,
  'message-not-found': 404,
  'element-not-found': 404,
  'button-not-found': 404,
  'already-delivered': 409,
  'already-read': 409,
  'nothing-to-deliver': 409,
  'nothing-to-read': 409,
  'nothing-to-answer': 409,
  'no-buttons': 409,
  'not-an-otp': 409,
  'no-otp-button': 409,
  'empty-text': 400,
} as const

export type SimulationFailureReason = keyof typeof SIMULATION_FAILURES

export interface SimulationFailure {
  readonly ok: false
  readonly reason: SimulationFailureReason
  readonly status: (typeof SIMULATION_FAILURES)[SimulationFailureReason]
  readonly message: string
}

export function failure(reason: SimulationFailureReason, message: string): SimulationFailure {
  return { ok: false, reason, status: SIMULATION_FAILURES[reason], message }
}

/** An id from a request, for a message: JSON-quoted (control characters escaped) and cut, as the Messaging API quotes one. */
export { quoted } from '../messaging/messaging-errors.js'
