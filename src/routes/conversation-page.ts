import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import type { Clock } from '../clock.js'
import { CONVERSATION_PATH, type LinkSigner } from '../links/link-signer.js'
import type { MessageStore } from '../store/message-store.js'
import {
  PAGE_STYLE_HASH,
  renderConversationPage,
  renderExpiredLinkPage,
  renderInvalidLinkPage,
} from '../views/conversation-page.js'

export interface ConversationPageDeps {
  readonly store: MessageStore
  readonly linkSigner: LinkSigner
  readonly clock: Clock
}

/** Most messages one page shows; the conversation-page issue replaces this cut with paging. */
export const MAX_MESSAGES_SHOWN = 500

/** The token is in the URL: no referrer, no caching, no script, nothing from elsewhere. */
function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src ${PAGE_STYLE_HASH}; base-uri 'none'; form-action 'none'`,
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    .send(body)
}

/** `GET /views/messaging?…&sig=…`: the page a conversation link opens, no API credentials needed. */
export const conversationPageRoute: FastifyPluginAsyncTypebox<ConversationPageDeps> = async (app, deps) => {
  app.get(CONVERSATION_PATH, async (request, reply) => {
    const result = deps.linkSigner.verify(request.query as Record<string, unknown>, deps.clock.now())
    if (result.status === 'invalid') return sendPage(reply, 403, renderInvalidLinkPage())
    if (result.status === 'expired') return sendPage(reply, 410, renderExpiredLinkPage(result.link.expiresAt))
    const { link } = result
    const messages = deps.store.messagesBetween(link.staffId, link.customerId, {
      start: link.startDate,
      end: link.endDate,
    })
    return sendPage(
      reply,
      200,
      renderConversationPage({
        staffId: link.staffId,
        customerId: link.customerId,
        staff: deps.store.staff(link.staffId),
        customer: deps.store.customer(link.customerId),
        startDate: link.startDate,
        endDate: link.endDate,
        messages: messages.slice(0, MAX_MESSAGES_SHOWN),
        total: messages.length,
      }),
    )
  })
}
