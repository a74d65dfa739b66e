import { Type, type Static } from 'typebox'
import { EpochMillis, Int64 } from '../../schemas.js'
import { callParties, callUseTypeName, type StoredCall } from '../../store/calls.js'
import { CALL_STATES, CALL_TYPES, CALL_USE_TYPES } from '../../store/fixture-schema.js'
import { signedRoute, type SignedRouteDeps } from '../signed-route.js'
import { EndDate, MAX_LIST_ITEMS, noteUnknownIds, StartDate, windowOf } from './lists.js'

// `POST /v1/reporting/getcalllist` (docs/contract.md §4.1, §4.5, D8, D12, D13, D17, D18, D21, D33).

/** The request's `callType`: `all` is every call, old ones without a type (`""`) included (D33). */
export const CALL_TYPE_FILTERS = ['all', 'video', 'voice'] as const

export const GetCallListBody = Type.Object(
  {
    startDate: StartDate,
    endDate: EndDate,
    // Required: the page does not mark it "Opsiyoneldir" (§4.5).
    callType: Type.Enum(CALL_TYPE_FILTERS, {
      description: '`all` (video, voice and old calls without a type), `video` or `voice`.',
    }),
    staffId: Type.Optional(
      Type.String({ description: 'Staff number (sicil): calls this staff member made or took.' }),
    ),
    customerId: Type.Optional(
      Type.String({
        description:
          'Customer number: calls this customer made or took. With staffId: the calls between the two.',
      }),
    ),
    callUseType: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: CALL_USE_TYPES.length - 1,
        description: '0 UNKNOWN, 1 DIYALOG_STANDART_CALL, 2 VIDEO_HELP_CALL, 3 ONLINE_HELP_CALL.',
      }),
    ),
  },
  {
    // The documentation's example request (its filters match no call of the example answer).
    examples: [
      {
        startDate: 1617278400000,
        endDate: 1617969609000,
        callType: 'voice',
        staffId: '45186',
        customerId: '2337368',
        callUseType: 3,
      },
    ],
  },
)

/** 1 Personel, 2 Business, 3 Enterprise, 4 DomainUser (staff), 5 DomainCustomer, 6 Bot, 7 AnonymousCustomer. */
const UserType = Type.Integer({ minimum: 1, maximum: 7 })

/** One call, its fields in the documentation's table order (the order the mock writes them). */
export const CallListItem = Type.Object({
  callId: { ...Int64, description: 'A Java long, written as an exact JSON integer (D18).' },
  initiatorId: Type.String({ description: 'Staff or customer number of the caller.' }),
  nameOfInitiator: Type.String(),
  initiatorUserType: UserType,
  initiatorAppName: Type.String(),
  receiverId: Type.String({ description: 'Staff or customer number of the callee.' }),
  nameOfReceiver: Type.String(),
  receiverUserType: UserType,
  receiverAppName: Type.String(),
  callStartedAt: {
    ...EpochMillis,
    description: 'Puts the call in the window (D12); the paging cursor (D13).',
  },
  callEndedAt: EpochMillis,
  callTime: Type.Integer({ minimum: 0, description: 'Seconds connected; 0 when the call never connected.' }),
  callType: Type.Enum(CALL_TYPES, {
    description: '`video`, `voice`, or `""` for calls before Diyalog 1.6.2.',
  }),
  callState: Type.Enum(CALL_STATES, { description: '`START` is documented as not expected in answers.' }),
  callViewUrl: Type.String({
    description: 'A signed, expiring link to the recording (D21); `""` when the call has none.',
  }),
  callUseType: Type.Enum(CALL_USE_TYPES, {
    description: '`UNKOWN` is spelled as the documentation spells it.',
  }),
})

/**
 * The answer: the documentation's example, with the mock's recording link and the fields its second
 * item elides filled in. `callId`s here are JavaScript numbers (OpenAPI is written by
 * JSON.stringify), so they show rounded to a double; the API writes them exactly (D18).
 */
export const GetCallListResponse = Type.Array(CallListItem, {
  maxItems: MAX_LIST_ITEMS,
  examples: [
    [
      {
        // Rounded to a double here (see above); the API writes -1527120504243668640 exactly.
        callId: -1527120504243668640,
        initiatorId: '45188',
        nameOfInitiator: 'Agent 45153',
        initiatorUserType: 4,
        initiatorAppName: 'Agent Web App',
        receiverId: '5667067',
        nameOfReceiver: 'android 5667067',
        receiverUserType: 7,
        receiverAppName: 'Diyalog Android',
        callStartedAt: 1617111449440,
        callEndedAt: 1617111451686,
        callTime: 0,
        callType: 'video',
        callState: 'MISSED',
        callViewUrl: '',
        callUseType: 'VIDEO_HELP_CALL',
      },
      {
        // Rounded to a double here (see above); the API writes 3387307531615898478 exactly.
        callId: 3387307531615898478,
        initiatorId: '45188',
        nameOfInitiator: 'Agent 45153',
        initiatorUserType: 4,
        initiatorAppName: 'Agent Web App',
        receiverId: '5667067',
        nameOfReceiver: 'android 5667067',
        receiverUserType: 7,
        receiverAppName: 'Diyalog Android',
        callStartedAt: 1617111363995,
        callEndedAt: 1617111385505,
        callTime: 11,
        callType: 'video',
        callState: 'ENDED',
        callViewUrl:
          'http://localhost:3000/v1/playrecords/3387307531615898478?signature=44cda6ea7b14892d36d7f1a01c9224c2fec8ec844e8a088045704ff26f1fc58d&expires=1617974113645',
        callUseType: 'ONLINE_HELP_CALL',
      },
    ],
  ],
})

export type GetCallListRequest = Static<typeof GetCallListBody>
export type CallListEntry = Static<typeof CallListItem>
export type GetCallListResult = Static<typeof GetCallListResponse>

type ListDeps = Omit<SignedRouteDeps, 'clock'>

/** One call as the list writes it, in the documented field order. */
export function callListItem(call: StoredCall, deps: ListDeps, nowMs: number): CallListEntry {
  const { initiator, receiver } = callParties(call, (ref) => deps.store.person(ref))
  return {
    callId: BigInt(call.callId),
    initiatorId: initiator.ref.id,
    nameOfInitiator: initiator.name ?? '',
    initiatorUserType: initiator.userType,
    initiatorAppName: initiator.appName,
    receiverId: receiver.ref.id,
    nameOfReceiver: receiver.name ?? '',
    receiverUserType: receiver.userType,
    receiverAppName: receiver.appName,
    callStartedAt: call.startedAt,
    callEndedAt: call.endedAt,
    callTime: call.connectedSeconds,
    callType: call.callType,
    callState: call.state,
    // Only an ENDED call can have a recording (the loader refuses any other), so a call that
    // never connected gets "" too (§4.5).
    callViewUrl: call.recording
      ? `${deps.publicUrl()}${deps.linkSigner.mintRecording({ callId: call.callId }, nowMs)}`
      : '',
    callUseType: callUseTypeName(call.useType),
  }
}

/**
 * The endpoint's decision, without HTTP: a reversed window is D8's 500 (D17); an unknown staff
 * or customer number answers `[]` and says so in a note (D17, each unknown id named); otherwise
 * at most 20 calls started in the window, both ends inclusive (D12), newest first, ties by
 * `callId` descending (D13). `staffId` alone matches the calls the staff member made or took,
 * `customerId` alone the customer's; both: the calls between the two, either way (D33). The
 * window is checked before the ids: a malformed request fails whatever the data.
 */
export function getCallList(
  request: GetCallListRequest,
  deps: ListDeps,
  nowMs: number,
  note: (text: string) => void,
): GetCallListResult {
  const window = windowOf(request)
  const { staffId, customerId } = request
  const staff = staffId === undefined ? undefined : ({ kind: 'staff', id: staffId } as const)
  const customer = customerId === undefined ? undefined : ({ kind: 'customer', id: customerId } as const)
  if (
    noteUnknownIds(
      deps.store,
      [
        ['staffId', staff],
        ['customerId', customer],
      ],
      note,
    )
  )
    return []
  const calls = deps.store.calls({
    window,
    ...(staffId === undefined ? {} : { staffId }),
    ...(customerId === undefined ? {} : { customerId }),
    ...(request.callType === 'all' ? {} : { callType: request.callType }),
    ...(request.callUseType === undefined ? {} : { useType: request.callUseType }),
    limit: MAX_LIST_ITEMS,
  })
  return calls.map((call) => callListItem(call, deps, nowMs))
}

export const GET_CALL_LIST = signedRoute({
  method: 'POST',
  path: '/reporting/getcalllist',
  family: 'Reporting API',
  summary:
    'Voice and video calls started in a date window, newest first, at most 20, with links to recordings',
  body: GetCallListBody,
  reply: GetCallListResponse,
  answer: getCallList,
})
