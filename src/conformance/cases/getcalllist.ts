import { GET_CALL_LIST } from '../../routes/reporting/getcalllist.js'
import {
  exampleOf,
  followedBy,
  idleRequest,
  signedPost,
  type BodyFields,
  type ConformanceCase,
} from '../case.js'
import {
  apiFailure,
  emptyList,
  everyItem,
  fail,
  httpLink,
  jsonItems,
  linkOpens,
  listOf,
  longOf,
  newestFirst,
  notApplicable,
  NumberLiteral,
  openItemLink,
  PASS,
  plainTextFailure,
  shown,
  WIDE_WINDOW,
  type ItemRule,
  type ItemSpec,
} from '../checks.js'

/**
 * `POST /v1/reporting/getcalllist` (docs/contract.md §4.1, §4.5, D13, D17, D18). Requests are the
 * documentation's example (voice calls of use type 3 between 45186 and 2337368 in 1–9 April 2021,
 * which the mock's default fixtures fill beyond one page) with a field or two changed; every check
 * holds for any data, and a rule the answer cannot show (no item, no recording) is not applicable.
 */

const EXAMPLE = exampleOf(GET_CALL_LIST)

/** docs/contract.md §4.1, written out from the documentation (not the mock's constants). */
const CALL_TYPES = ['video', 'voice', ''] as const
const CALL_STATES = ['START', 'ENDED', 'MISSED'] as const
/** `UNKOWN` as the documentation spells it (the request's enum says UNKNOWN). */
const CALL_USE_TYPES = ['DIYALOG_STANDART_CALL', 'VIDEO_HELP_CALL', 'ONLINE_HELP_CALL', 'UNKOWN'] as const
/** 1 Personel … 7 AnonymousCustomer. */
const USER_TYPES = new Set(['1', '2', '3', '4', '5', '6', '7'])

const CALL_ITEM: ItemSpec = {
  callId: 'long',
  initiatorId: 'string',
  nameOfInitiator: 'string',
  initiatorUserType: 'int',
  initiatorAppName: 'string',
  receiverId: 'string',
  nameOfReceiver: 'string',
  receiverUserType: 'int',
  receiverAppName: 'string',
  callStartedAt: 'long',
  callEndedAt: 'long',
  callTime: 'int',
  callType: CALL_TYPES,
  callState: CALL_STATES,
  callViewUrl: 'string',
  callUseType: CALL_USE_TYPES,
}

/** What the field table says beyond the types. */
const CALL_RULES: readonly ItemRule[] = [
  (call) => {
    for (const field of ['initiatorUserType', 'receiverUserType']) {
      const value = call[field]
      if (value instanceof NumberLiteral && !USER_TYPES.has(value.text))
        return `${field} ${value.text} is not 1–7`
    }
    return undefined
  },
  (call) => {
    const seconds = call['callTime']
    return seconds instanceof NumberLiteral && seconds.value < 0
      ? `callTime ${seconds.text} is negative`
      : undefined
  },
  // "0 if the call never connected"; the recording is "" when the call never started.
  (call) =>
    call['callState'] === 'MISSED' && shown(call['callTime']) !== '0'
      ? `a MISSED call with callTime ${shown(call['callTime'])}, not 0`
      : call['callState'] === 'MISSED' && call['callViewUrl'] !== ''
        ? 'a MISSED call with a callViewUrl, not ""'
        : undefined,
  (call) =>
    call['callViewUrl'] !== '' && httpLink(call['callViewUrl']) === undefined
      ? `callViewUrl ${shown(call['callViewUrl'])} is neither "" nor an http(s) link`
      : undefined,
]

const [STAFF, CUSTOMER] = [String(EXAMPLE.staffId), String(EXAMPLE.customerId)]

const post = signedPost(GET_CALL_LIST)

/** A call between the example's staff member and customer, in either direction (D33). */
const betweenThePair: ItemRule = (call) => {
  const people = [call['initiatorId'], call['receiverId']]
  return people.includes(STAFF) && people.includes(CUSTOMER)
    ? undefined
    : `a call between ${shown(call['initiatorId'])} and ${shown(call['receiverId'])}, not ${STAFF} and ${CUSTOMER}`
}

/** The items' `callId` literals, or what is wrong. */
function callIds(answer: Parameters<typeof jsonItems>[0]): string[] | string {
  const items = jsonItems(answer)
  if (typeof items === 'string') return items
  const ids: string[] = []
  for (const [index, item] of items.entries()) {
    if (longOf(item['callId']) === undefined)
      return `item ${index + 1}: callId ${shown(item['callId'])} is not an integer`
    ids.push((item['callId'] as NumberLiteral).text)
  }
  return ids
}

const TWO_TO_53 = 2n ** 53n

/** D13's follow-up: the same request, the oldest item's `callStartedAt` as the next `endDate`. */
function nextPage(fields: BodyFields) {
  return followedBy(
    post(fields),
    'the same request with endDate = the oldest returned callStartedAt (D13)',
    (answer, c) => {
      const items = jsonItems(answer)
      const oldest = typeof items === 'string' ? undefined : items.at(-1)?.['callStartedAt']
      return oldest instanceof NumberLiteral
        ? c.signed({ route: GET_CALL_LIST, body: { ...fields, endDate: oldest.value } })
        : idleRequest(c.target)
    },
  )
}

export const getCallListCases: readonly ConformanceCase[] = [
  {
    id: 'getcalllist.answer',
    level: 'MUST',
    ref: '§4.1, §4.5',
    description: "the documentation's example request: every call has the documented fields and types",
    request: post(),
    ...listOf(
      'calls (callId an integer literal, enums as documented, "UNKOWN" included)',
      CALL_ITEM,
      CALL_RULES,
    ),
  },
  {
    id: 'getcalllist.newest-first',
    level: 'MUST',
    ref: '§4.1',
    description: 'every call of a wide window (callType "all", no filter): at most 20, newest first',
    request: post({
      ...WIDE_WINDOW,
      callType: 'all',
      staffId: undefined,
      customerId: undefined,
      callUseType: undefined,
    }),
    ...newestFirst('callStartedAt', 20),
  },
  {
    id: 'getcalllist.missing-call-type',
    level: 'MUST',
    ref: '§4.5, §1',
    description: 'the example without callType, which the page does not mark optional',
    request: post({ callType: undefined }),
    ...apiFailure,
  },
  {
    id: 'getcalllist.video-only',
    level: 'MUST',
    ref: '§4.1',
    description: `callType "video" for ${STAFF} and ${CUSTOMER}, a wide window: only video calls between the two`,
    request: post({ ...WIDE_WINDOW, callType: 'video', callUseType: undefined }),
    ...everyItem(`every call "video" and between ${STAFF} and ${CUSTOMER}`, (call) =>
      call['callType'] !== 'video'
        ? `callType ${shown(call['callType'])}, not "video"`
        : betweenThePair(call),
    ),
  },
  {
    id: 'getcalllist.recording-opens',
    level: 'MUST',
    ref: '§4.1',
    description: 'the first non-empty callViewUrl of the example answer opens in a plain GET',
    ...followedBy(
      post(),
      'GET the first non-empty callViewUrl (Accept: text/html, no credentials)',
      openItemLink('callViewUrl', 'text/html'),
    ),
    ...linkOpens('callViewUrl', 'the first call with a recording'),
  },
  {
    id: 'getcalllist.D13.boundary-again',
    level: 'DECISION',
    ref: 'D13',
    description: "the oldest call's callStartedAt sent as the next endDate: that call comes back again",
    ...nextPage({}),
    expected: "200 JSON arrays; the second holds the callId of the first one's oldest call",
    check: ([firstPage, secondPage]) => {
      const before = callIds(firstPage)
      if (typeof before === 'string') return fail(before)
      const boundary = before.at(-1)
      if (boundary === undefined) return notApplicable('the example window holds no call: no page to follow')
      const after = callIds(secondPage)
      if (typeof after === 'string') return fail(`the next page: ${after}`)
      return after.includes(boundary)
        ? PASS
        : fail(`the next page (${after.length} calls) does not hold the boundary call ${boundary}`)
    },
  },
  {
    id: 'getcalllist.D17.unknown-staff',
    level: 'DECISION',
    ref: 'D17',
    description: 'the example with a staffId the server does not know (--unknown-staff)',
    request: (c) => c.signed({ route: GET_CALL_LIST, body: { staffId: c.target.unknownStaffId } }),
    ...emptyList,
  },
  {
    id: 'getcalllist.D17.reversed-window',
    level: 'DECISION',
    ref: 'D17',
    description: 'the example with startDate and endDate swapped',
    request: post({ startDate: EXAMPLE.endDate, endDate: EXAMPLE.startDate }),
    ...plainTextFailure(),
  },
  {
    id: 'getcalllist.D18.exact-ids',
    level: 'DECISION',
    ref: 'D18',
    description:
      'callIds beyond 2^53 written exactly: each the same digits as its recording link (/playrecords/<callId>)',
    request: post(),
    expected: '200 JSON array; every callId beyond 2^53 with a recording equals the id in its callViewUrl',
    check: ([answer]) => {
      const items = jsonItems(answer)
      if (typeof items === 'string') return fail(items)
      let judged = 0
      for (const [index, call] of items.entries()) {
        const id = longOf(call['callId'])
        if (id === undefined)
          return fail(`item ${index + 1}: callId ${shown(call['callId'])} is not an integer`)
        const linked = /\/playrecords\/(-?[0-9]+)(?:[/?#]|$)/.exec(
          httpLink(call['callViewUrl'])?.href ?? '',
        )?.[1]
        if (linked === undefined || (id < TWO_TO_53 && id > -TWO_TO_53)) continue
        judged++
        if (linked !== String(id))
          return fail(`item ${index + 1}: callId ${String(id)}, its recording ${linked}`)
      }
      return judged === 0 ? notApplicable('no callId beyond 2^53 with a recording link to compare') : PASS
    },
  },
]
