import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Clock } from '../clock.js'
import { CONVERSATION_PATH, type LinkSigner } from '../links/link-signer.js'
import type { Store } from '../store/store.js'
import { ConversationDocument, conversationDocument, LinkRefusal } from '../views/conversation-json.js'
import type { ConversationViews } from '../views/conversation-page.js'
import { isRefused, linkPageHandler } from './link-page.js'

export interface ConversationPageDeps {
  readonly store: Store
  readonly linkSigner: LinkSigner
  readonly clock: Clock
  readonly views: ConversationViews
  /** Most messages one page shows. */
  readonly pageSize: number
  /** Base of absolute links, e.g. `http://localhost:3000` (the JSON view's page links). */
  readonly publicUrl: () => string
}

/** The JSON twin of the page: same query, same signature. */
export const CONVERSATION_JSON_PATH = `${CONVERSATION_PATH}.json`

/**
 * `GET /views/messaging?…&sig=…[&page=N]`: the page a conversation link opens, no API
 * credentials needed; `GET /views/messaging.json?…` (or `Accept: application/json`) answers
 * the same content as JSON. Refusals, the JSON choice and paging: `link-page.ts`.
 */
export const conversationPageRoute: FastifyPluginAsyncTypebox<ConversationPageDeps> = async (app, deps) => {
  const { store, views } = deps

  const handler = linkPageHandler({
    clock: deps.clock,
    refusals: views,
    pageSize: deps.pageSize,
    publicUrl: deps.publicUrl,
    jsonRoutes: [CONVERSATION_JSON_PATH],
    jsonPath: () => CONVERSATION_JSON_PATH,
    verify: (request, nowMs) => deps.linkSigner.verify(request.query as Record<string, unknown>, nowMs),
    show(link, opened) {
      const paged = opened.page((range) =>
        store.messagesBetween(
          link.staffId,
          link.customerId,
          { start: link.startDate, end: link.endDate },
          range,
        ),
      )
      if (isRefused(paged)) return paged
      const view = {
        link,
        staff: store.staff(link.staffId),
        customer: store.customer(link.customerId),
        ...paged,
      }
      return { html: () => views.conversation(view), json: () => conversationDocument(view) }
    },
  })

  // The schema serialises the JSON answers; an HTML page is a string and is sent as is.
  const response = { 200: ConversationDocument, '4xx': LinkRefusal }
  app.get(
    CONVERSATION_PATH,
    {
      schema: {
        summary: 'The conversation page a link opens (HTML; JSON with Accept: application/json)',
        response,
      },
    },
    handler,
  )
  app.get(CONVERSATION_JSON_PATH, { schema: { summary: 'The same conversation as JSON', response } }, handler)
}
