import { Type, type Static } from 'typebox'
import { EpochMillis, PartyId } from '../schemas.js'
import type { ConversationView } from './conversation-page.js'
import { messagesJson, MessageJson, pageLinksJson, PageJson, PageLinksJson } from './link-json.js'

export { LinkRefusal } from './link-json.js'

/**
 * The JSON form of a conversation link (`/views/messaging.json?…` or `Accept: application/json`),
 * so integration tests can assert on the content without parsing HTML. Same link, same
 * signature, same paging as the page. The shapes every kind of link shares are in `link-json.ts`.
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
  page: PageJson,
  messages: Type.Array(MessageJson),
  links: PageLinksJson,
})

export type ConversationDocument = Static<typeof ConversationDocument>

export function conversationDocument(view: ConversationView): ConversationDocument {
  const { link, page } = view
  return {
    staff: { staffId: link.staffId, name: view.staff?.name ?? null },
    customer: { customerId: link.customerId, name: view.customer?.name ?? null },
    startDate: link.startDate,
    endDate: link.endDate,
    expiresAt: link.expiresAt,
    page,
    messages: messagesJson(view.messages),
    links: pageLinksJson(page, view.pageHref),
  }
}
