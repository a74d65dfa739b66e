import { DEFAULT_CUSTOMER_APP_NAME, DEFAULT_CUSTOMER_USER_TYPE } from './customers.js'
import { CALL_USE_TYPES, type CallInput, type CallType, type Person } from './fixture-schema.js'
import { newestFirst } from './newest-first.js'
import {
  customerKey,
  pairKey,
  personKey,
  personOfRecord,
  queryKey,
  staffKey,
  type PersonKey,
  type PersonRef,
} from './people.js'
import { DEFAULT_STAFF_APP_NAME, DEFAULT_STAFF_USER_TYPE } from './staff.js'
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

/**
 * A call's use type (0–3) as the API names it, `UNKOWN` spelled as the documentation spells it;
 * a number outside the list (the loader refuses one, a store built by hand may hold one) is `UNKOWN`.
 */
export function callUseTypeName(useType: number): (typeof CALL_USE_TYPES)[number] {
  return CALL_USE_TYPES[useType] ?? 'UNKOWN'
}

type Writable<T> = { -readonly [Key in keyof T]: T[Key] }

const keyOf = (person: Person): PersonKey => personKey(personOfRecord(person))

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
      const key = queryKey(staff, customer)
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

/** What a call's side takes from the person the store knows (the store's `person`). */
export interface KnownPerson {
  readonly name: string
  readonly userType: number
  readonly appName: string
}

/** One side of a call as the list, the recording page and its JSON name it. */
export interface CallParty {
  readonly ref: PersonRef
  /** Undefined when the store does not know the person. */
  readonly name: string | undefined
  readonly userType: number
  readonly appName: string
}

/**
 * A side of a call: the person's name and user type from the store (`known`), else the side's
 * defaults (the loader refuses a call with an unknown person; a store built by hand may still
 * hold one). The call's own app name (the client used for this call) wins over the person's.
 */
export function callParty(
  ref: PersonRef,
  known: KnownPerson | undefined,
  callAppName: string | undefined,
): CallParty {
  const staff = ref.kind === 'staff'
  return {
    ref,
    name: known?.name,
    userType: known?.userType ?? (staff ? DEFAULT_STAFF_USER_TYPE : DEFAULT_CUSTOMER_USER_TYPE),
    appName: callAppName ?? known?.appName ?? (staff ? DEFAULT_STAFF_APP_NAME : DEFAULT_CUSTOMER_APP_NAME),
  }
}

/** Both sides of a call (`callParty`), each person looked up with `person` (the store's). */
export function callParties(
  call: CallInput,
  person: (ref: PersonRef) => KnownPerson | undefined,
): { readonly initiator: CallParty; readonly receiver: CallParty } {
  const side = (party: Person, appName: string | undefined) => {
    const ref = personOfRecord(party)
    return callParty(ref, person(ref), appName)
  }
  return {
    initiator: side(call.initiator, call.initiatorAppName),
    receiver: side(call.receiver, call.receiverAppName),
  }
}
