import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import type { Clock } from '../clock.js'
import { nameList } from '../http/header-value.js'
import type { LinkSigner } from '../links/link-signer.js'
import { EpochMillis } from '../schemas.js'
import type { MessageStore } from '../store/message-store.js'

/** `POST /v1/reporting/getmessagingdetail` (docs/contract.md §3, D1, D8–D10), registered under the `/v1` prefix. */
export const ROUTE = '/reporting/getmessagingdetail'

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

export const GetMessagingDetailResponse = Type.Object({
  conversationDetailLink: Type.String(),
  error: Type.Optional(Type.String()),
  isSuccess: Type.Boolean(),
})

export type GetMessagingDetailRequest = Static<typeof GetMessagingDetailBody>
export type GetMessagingDetailResult = Static<typeof GetMessagingDetailResponse>

/** The body schema's example, typed (a test checks it against the schema). */
export const GET_MESSAGING_DETAIL_EXAMPLE = (
  GetMessagingDetailBody as unknown as { readonly examples: readonly [GetMessagingDetailRequest] }
).examples[0]

export const STAFF_NOT_FOUND = 'Staff not found in the system'
export const CUSTOMER_NOT_FOUND = 'Customer not found in the system'
export const REVERSED_WINDOW = 'Invalid date range: startDate is after endDate'

/** Response header listing body fields the endpoint does not know and ignored (escaped and cut: `nameList`). */
export const IGNORED_FIELDS_HEADER = 'x-dlg-mock-ignored-fields'
const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(GetMessagingDetailBody.properties))

export interface GetMessagingDetailDeps {
  readonly store: MessageStore
  readonly linkSigner: LinkSigner
  readonly clock: Clock
  /** Base of the minted links, e.g. `http://localhost:3000`. */
  readonly publicUrl: () => string
}

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
  deps: Omit<GetMessagingDetailDeps, 'clock'>,
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

export const getMessagingDetailRoute: FastifyPluginAsyncTypebox<GetMessagingDetailDeps> = async (
  app,
  deps,
) => {
  app.post(
    ROUTE,
    {
      schema: { body: GetMessagingDetailBody, response: { 200: GetMessagingDetailResponse } },
      // fast-json-stringify writes required fields first; the documentation's failure example
      // has `error` between the two, so keep the order the objects are built in.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request, reply) => {
      const ignored = Object.keys(request.body).filter((field) => !KNOWN_FIELDS.has(field))
      if (ignored.length > 0) reply.header(IGNORED_FIELDS_HEADER, nameList(ignored))
      return getMessagingDetail(request.body, deps, deps.clock.now())
    },
  )
}
