import { Type, type Static } from 'typebox'
import { EpochMillis, PartyId } from '../schemas.js'
import { MessageFields } from '../store/fixture-schema.js'
import { pageLinks } from '../store/paging.js'
import type { ConversationView } from './conversation-page.js'

/**
 * The JSON form of a conversation link (`/views/messaging.json?…` or `Accept: application/json`),
 * so integration tests can assert on the content without parsing HTML. Same link, same
 * signature, same paging as the page.
 */

const Party = (idField: 'staffId' | 'customerId') =>
  Type.Object({
    [idField]: PartyId,
    name: Type.Union([Type.String(), Type.Null()], {
      description: 'null when the fixtures do not know the id.',
    }),
  })

export const ConversationDocument = Type.Object({
  staff: Party('staffId'),
  customer: Party('customerId'),
  startDate: EpochMillis,
  endDate: EpochMillis,
  expiresAt: EpochMillis,
  page: Type.Object({
    number: Type.Integer({ minimum: 1 }),
    size: Type.Integer({ minimum: 1 }),
    count: Type.Integer({ minimum: 1, description: 'How many pages the window fills.' }),
    total: Type.Integer({ minimum: 0, description: 'How many messages the window holds.' }),
    first: Type.Integer({
      minimum: 0,
      description: '1-based position of the first message on this page; 0 if none.',
    }),
    last: Type.Integer({ minimum: 0 }),
  }),
  messages: Type.Array(Type.Object({ ...MessageFields, sentAt: EpochMillis })),
  links: Type.Object({
    first: Type.String(),
    prev: Type.Union([Type.String(), Type.Null()]),
    next: Type.Union([Type.String(), Type.Null()]),
    last: Type.String(),
  }),
})

export type ConversationDocument = Static<typeof ConversationDocument>

/** Refusals in JSON: the same statuses as the pages (403, 410, 400/404 for the page number). */
export const LinkRefusal = Type.Object({
  error: Type.Enum(['invalid-link', 'expired-link', 'no-such-page'] as const),
  message: Type.String(),
  expiredAt: Type.Optional(EpochMillis),
})

export type LinkRefusal = Static<typeof LinkRefusal>

export function conversationDocument(view: ConversationView): ConversationDocument {
  const { link, page } = view
  const links = pageLinks(page)
  return {
    staff: { staffId: link.staffId, name: view.staff?.name ?? null },
    customer: { customerId: link.customerId, name: view.customer?.name ?? null },
    startDate: link.startDate,
    endDate: link.endDate,
    expiresAt: link.expiresAt,
    page,
    messages: [...view.messages],
    links: {
      first: view.pageHref(links.first),
      prev: links.prev === null ? null : view.pageHref(links.prev),
      next: links.next === null ? null : view.pageHref(links.next),
      last: view.pageHref(links.last),
    },
  }
}
