import type { CallInput, CallType, Person } from './fixture-schema.js'
import { newestFirst } from './newest-first.js'
import { customerKey, pairKey, staffKey, type PersonKey } from './people.js'
import type { TimeWindow } from './time-index.js'

/** Calls, by id and newest first by start time: all of them, per person and per pair of people. */

export interface StoredCall extends CallInput {
  readonly initiatorKey: PersonKey
  readonly receiverKey: PersonKey
}

export interface CallQuery {
  readonly window: TimeWindow
  /** A staff member who made or took the call. */
  readonly staffId?: string
  /** A customer who made or took the call; with `staffId`, the calls between the two. */
  readonly customerId?: string
  /** `video` or `voice`; absent: every type, old calls without one included. */
  readonly callType?: Exclude<CallType, ''>
  /** 0–3, the request's `callUseType`. */
  readonly useType?: number
  readonly limit: number
}

export interface Calls {
  list(query: CallQuery): StoredCall[]
  byId(callId: string): StoredCall | undefined
}

type Writable<T> = { -readonly [Key in keyof T]: T[Key] }

const keyOf = (person: Person): PersonKey =>
  'staffId' in person ? staffKey(person.staffId) : customerKey(person.customerId)

export function indexCalls(records: readonly CallInput[]): Calls {
  // Completed in place, as the messages are: the fixtures are the store's, and a copy of 100 k
  // calls cost a hundred megabytes at load.
  const calls = records.map((call) => {
    const stored = call as Writable<StoredCall>
    stored.initiatorKey = keyOf(call.initiator)
    stored.receiverKey = keyOf(call.receiver)
    return stored as StoredCall
  })
  const byId = new Map(calls.map((call) => [call.callId, call]))
  const index = newestFirst(
    calls,
    (call) => call.startedAt,
    // Only for calls that started at the same millisecond.
    (call) => BigInt(call.callId),
    (call) => [call.initiatorKey, call.receiverKey, pairKey(call.initiatorKey, call.receiverKey)],
  )
  return {
    list(query) {
      const staff = query.staffId === undefined ? undefined : staffKey(query.staffId)
      const customer = query.customerId === undefined ? undefined : customerKey(query.customerId)
      const key =
        staff !== undefined && customer !== undefined ? pairKey(staff, customer) : (staff ?? customer)
      const { callType, useType } = query
      const accept =
        callType === undefined && useType === undefined
          ? undefined
          : (call: StoredCall) =>
              (callType === undefined || call.callType === callType) &&
              (useType === undefined || call.useType === useType)
      return index.list(key, query.window, query.limit, accept)
    },
    byId: (callId) => byId.get(callId),
  }
}
