import { Type, type Static } from 'typebox'
import { EpochMillis } from '../../schemas.js'
import { signedRoute, type SignedRouteDeps } from '../signed-route.js'

// `POST /v1/reporting/getmessagingdetail` (docs/contract.md §3, D1, D8–D10).

/**
 * The request body. Its one example is the documentation's (docs/contract.md §3): OpenAPI shows it, and
 * the CLI, the Postman collection and the conformance cases read it from here.
 */
export const GetMessagingDetailBody = Type.Object(
  {
    staffId: Type.String({ description: 'Staff number (sicil).' }),
    customerId: Type.String({ description: 'Customer number.' }),
    startDate: { ...EpochMillis, description: 'Start of the window, Unix epoch milliseconds, inclusive.' },
    endDate: { ...EpochMillis, description: 'End of the window, Unix epoch milliseconds, inclusive.' },
  },
  {
    examples: [{ staffId: '45188', customerId: '5667067', startDate: 1610856400000, endDate: 1635892494000 }],
  },
)

export const GetMessagingDetailResponse = Type.Object(
  {
    conversationDetailLink: Type.String(),
    error: Type.Optional(Type.String()),
    isSuccess: Type.Boolean(),
  },
  {
    // The documentation's two examples (the link is the mock's, not the real web client's).
    examples: [
      {
        conversationDetailLink:
          'http://localhost:3000/views/messaging?staffId=45188&customerId=5667067&startDate=1610856400000&endDate=1635892494000&expiresAt=1615299212000&sig=…',
        isSuccess: true,
      },
      { conversationDetailLink: '', error: 'Staff not found in the system', isSuccess: false },
    ],
  },
)

export type GetMessagingDetailRequest = Static<typeof GetMessagingDetailBody>
export type GetMessagingDetailResult = Static<typeof GetMessagingDetailResponse>

export const STAFF_NOT_FOUND = 'Staff not found in the system'
export const CUSTOMER_NOT_FOUND = 'Customer not found in the system'
export const REVERSED_WINDOW = 'Invalid date range: startDate is after endDate'

function failure(error: string): GetMessagingDetailResult {
  return { conversationDetailLink: '', error, isSuccess: false }
}

/**
 * The endpoint's decision, without HTTP: unknown staff, then unknown customer, then a
 * reversed window answer `isSuccess: false`; otherwise a link, whether or not the two ever
 * exchanged a message.
 */
export function getMessagingDetail(
  request: GetMessagingDetailRequest,
  deps: Omit<SignedRouteDeps, 'clock'>,
  nowMs: number,
): GetMessagingDetailResult {
  if (deps.store.staff(request.staffId) === undefined) return failure(STAFF_NOT_FOUND)
  if (deps.store.customer(request.customerId) === undefined) return failure(CUSTOMER_NOT_FOUND)
  if (request.startDate > request.endDate) return failure(REVERSED_WINDOW)
  const link = deps.linkSigner.mint(
    {
      staffId: request.staffId,
      customerId: request.customerId,
      startDate: request.startDate,
      endDate: request.endDate,
    },
    nowMs,
  )
  return { conversationDetailLink: `${deps.publicUrl()}${link}`, isSuccess: true }
}

export const GET_MESSAGING_DETAIL = signedRoute({
  method: 'POST',
  path: '/reporting/getmessagingdetail',
  family: 'Reporting API',
  summary: 'A signed, expiring link to the messages of one staff member and one customer in a date window',
  body: GetMessagingDetailBody,
  reply: GetMessagingDetailResponse,
  answer: getMessagingDetail,
})

/** The body schema's example, typed (a test checks it against the schema). */
export const GET_MESSAGING_DETAIL_EXAMPLE = (
  GetMessagingDetailBody as unknown as { readonly examples: readonly [GetMessagingDetailRequest] }
).examples[0]
