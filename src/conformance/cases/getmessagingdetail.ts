import { messagingBody, type ConformanceCase, type RequestContext } from '../case.js'
import { describeAnswer, fail, first, jsonObject, linkOf, answerType, PASS, refusal } from '../checks.js'

/**
 * `POST /v1/reporting/getmessagingdetail` (docs/contract.md §3, D1, D8–D10): the answer's shape on
 * success and for an unknown staff member, a link for a window without messages, and the
 * mock's decisions for an unknown customer, a reversed window and a malformed body.
 */

/** Ids no directory would hold (the defaults of --unknown-staff and --unknown-customer). */
export const UNKNOWN_STAFF_ID = 'conformance-no-such-staff'
export const UNKNOWN_CUSTOMER_ID = 'conformance-no-such-customer'
/** 1–2 January 2000: a window in which the example pair exchanged nothing. */
export const EMPTY_WINDOW = { startDate: 946684800000, endDate: 946771199999 } as const

function post(body: (context: RequestContext) => string) {
  return (context: RequestContext) => context.signed({ body: body(context) })
}

/** A success: 200 JSON, `isSuccess: true`, an http(s) link, no `error`. */
const success = {
  expected: '200 JSON {"conversationDetailLink":"<http(s) link>","isSuccess":true}',
  check: (answers: Parameters<ConformanceCase['check']>[0]) => {
    const link = linkOf(first(answers))
    if (typeof link === 'string') return fail(link)
    const body = jsonObject(first(answers)) as Record<string, unknown>
    const error = body['error']
    return error === undefined || error === null || error === ''
      ? PASS
      : fail(`a success with error ${JSON.stringify(error)}`)
  },
} as const

/** D8: HTTP 500, a plain-text message that names `word`. */
function bodyError(word: string) {
  return {
    expected: `500, text/plain, a message naming ${word}`,
    check: (answers: Parameters<ConformanceCase['check']>[0]) => {
      const answer = first(answers)
      if (answer.status !== 500 || answerType(answer) !== 'text/plain') return fail(describeAnswer(answer))
      return answer.body.includes(word)
        ? PASS
        : fail(`the message does not name ${word}: ${describeAnswer(answer)}`)
    },
  }
}

export const getMessagingDetailCases: readonly ConformanceCase[] = [
  {
    id: 'getmessagingdetail.success',
    level: 'MUST',
    ref: '§3, D1',
    description: 'the documented request for the target pair and the example window',
    request: post((c) => messagingBody(c.target)),
    ...success,
  },
  {
    id: 'getmessagingdetail.unknown-staff',
    level: 'MUST',
    ref: '§3',
    description: 'a staffId the server does not know (--unknown-staff)',
    request: post((c) => messagingBody(c.target, { staffId: c.target.unknownStaffId })),
    ...refusal(
      '200 JSON {"conversationDetailLink":"","error":"Staff not found in the system","isSuccess":false}',
      (error) => error === 'Staff not found in the system',
      'is not "Staff not found in the system"',
    ),
  },
  {
    id: 'getmessagingdetail.empty-window',
    level: 'MUST',
    ref: '§3',
    description: 'a window in which the pair exchanged no message still gets a link',
    request: post((c) => messagingBody(c.target, EMPTY_WINDOW)),
    ...success,
  },
  {
    id: 'getmessagingdetail.D8.not-json',
    level: 'DECISION',
    ref: 'D8',
    description: 'a signed body that is not JSON (staffId=45188&customerId=…)',
    request: post((c) => `staffId=${c.target.staffId}&customerId=${c.target.customerId}`),
    ...bodyError('JSON'),
  },
  {
    id: 'getmessagingdetail.D8.missing-field',
    level: 'DECISION',
    ref: 'D8',
    description: 'a signed body without customerId',
    request: post((c) => JSON.stringify({ staffId: c.target.staffId, startDate: 0, endDate: 1 })),
    ...bodyError('customerId'),
  },
  {
    id: 'getmessagingdetail.D8.wrong-type',
    level: 'DECISION',
    ref: 'D8',
    description: 'a signed body with startDate as a date string instead of epoch milliseconds',
    request: post((c) => messagingBody(c.target).replace(/"startDate":\d+/, '"startDate":"2021-01-17"')),
    ...bodyError('startDate'),
  },
  {
    id: 'getmessagingdetail.D9.unknown-customer',
    level: 'DECISION',
    ref: 'D9',
    description: 'a customerId the server does not know (--unknown-customer)',
    request: post((c) => messagingBody(c.target, { customerId: c.target.unknownCustomerId })),
    ...refusal(
      '200 JSON {"conversationDetailLink":"","error":"Customer not found in the system","isSuccess":false}',
      (error) => error === 'Customer not found in the system',
      'is not "Customer not found in the system"',
    ),
  },
  {
    id: 'getmessagingdetail.D10.reversed-window',
    level: 'DECISION',
    ref: 'D10',
    description: 'startDate after endDate',
    request: post((c) =>
      messagingBody(c.target, { startDate: EMPTY_WINDOW.endDate, endDate: EMPTY_WINDOW.startDate }),
    ),
    ...refusal(
      '200 JSON {"conversationDetailLink":"","error":"<the window is reversed>","isSuccess":false}',
      (error) => error !== '',
      'is empty',
    ),
  },
]
