import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../clock.js'
import { sendHtml, sendPageJson } from '../http/page-response.js'
import { CONVERSATION_PATH, type LinkSigner } from '../links/link-signer.js'
import type { Store } from '../store/store.js'
import { describePage, pageRange, parsePageNumber } from '../store/paging.js'
import { ConversationDocument, conversationDocument, LinkRefusal } from '../views/conversation-json.js'
import type { ConversationViews } from '../views/conversation-page.js'

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
 * Addresses of the other pages of the link a request opened: its query as sent, `page` set
 * (left out for page 1). The page links a relative `?…`, which keeps any path prefix a
 * proxy adds; the JSON view gives absolute URLs.
 */
function pageAddresses(url: string, base: string): (number: number) => string {
  const query = new URLSearchParams(url.slice(url.indexOf('?') + 1))
  return (number) => {
    if (number === 1) query.delete('page')
    else query.set('page', String(number))
    return `${base}?${query.toString()}`
  }
}

function wantsJson(request: FastifyRequest): boolean {
  return (
    request.routeOptions.url === CONVERSATION_JSON_PATH || request.accepts().type(['html', 'json']) === 'json'
  )
}

function refuse(
  reply: FastifyReply,
  json: boolean,
  status: number,
  refusal: LinkRefusal,
  page: () => string,
) {
  return json ? sendPageJson(reply, status, refusal) : sendHtml(reply, status, page())
}

/**
 * `GET /views/messaging?…&sig=…[&page=N]`: the page a conversation link opens, no API
 * credentials needed; `GET /views/messaging.json?…` (or `Accept: application/json`) answers
 * the same content as JSON. `page` is not signed, so paging keeps the link valid.
 */
export const conversationPageRoute: FastifyPluginAsyncTypebox<ConversationPageDeps> = async (app, deps) => {
  const { views, pageSize } = deps

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const json = wantsJson(request)
    reply.header('vary', 'Accept')
    const query = request.query as Record<string, unknown>
    const result = deps.linkSigner.verify(query, deps.clock.now())
    if (result.status === 'invalid') {
      return refuse(
        reply,
        json,
        403,
        { error: 'invalid-link', message: 'This link is not valid.' },
        views.invalidLink,
      )
    }
    if (result.status === 'expired') {
      const expiredAt = result.link.expiresAt
      return refuse(
        reply,
        json,
        410,
        { error: 'expired-link', message: 'This link has expired.', expiredAt },
        () => views.expiredLink(expiredAt),
      )
    }

    const { link } = result
    const pageHref = pageAddresses(request.url, json ? `${deps.publicUrl()}${CONVERSATION_JSON_PATH}` : '')
    const number = parsePageNumber(query['page'])
    const slice = deps.store.messagesBetween(
      link.staffId,
      link.customerId,
      { start: link.startDate, end: link.endDate },
      // Not a page number: only the count is needed, for the refusal.
      number === undefined ? { offset: 0, limit: 0 } : pageRange(number, pageSize),
    )
    const page = describePage(number ?? 1, pageSize, slice)
    if (number === undefined || number > page.count) {
      return refuse(
        reply,
        json,
        number === undefined ? 400 : 404,
        { error: 'no-such-page', message: `page must be a whole number from 1 to ${page.count}` },
        () => views.noSuchPage(page.count, pageHref(1)),
      )
    }

    const view = {
      link,
      staff: deps.store.staff(link.staffId),
      customer: deps.store.customer(link.customerId),
      messages: slice.messages,
      page,
      pageHref,
    }
    return json
      ? sendPageJson(reply, 200, conversationDocument(view))
      : sendHtml(reply, 200, views.conversation(view))
  }

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
