import fastifyAccepts from '@fastify/accepts'
import { sendHtml } from '../http/page-response.js'
import { sendText } from '../http/plain-text.js'
import { conversationPageRoute } from '../routes/conversation-page.js'
import { healthRoute } from '../routes/health.js'
import { createConversationViews } from '../views/conversation-page.js'
import { createPageFormat } from '../views/format.js'
import type { App, AppContext } from './context.js'

/**
 * What a browser opens, and the health check: the pages links open, a not-found that answers a
 * browser with a page and an HTTP client with plain text (the `/v1` API has its own answer), and
 * `GET /health`.
 */
export function pagesPlugin(app: App, { config, store, linkSigner, clock, publicUrl }: AppContext): void {
  const views = createConversationViews(createPageFormat(config.pageTimeZone))
  app.register(fastifyAccepts)
  app.setNotFoundHandler((request, reply) => {
    reply.header('vary', 'Accept')
    return request.accepts().type(['text/plain', 'html']) === 'html'
      ? sendHtml(reply, 404, views.notFound())
      : sendText(reply, 404, `Not found: ${request.method} ${request.url.split('?')[0] ?? ''}`)
  })
  app.register(healthRoute, { store })
  app.register(conversationPageRoute, {
    store,
    linkSigner,
    clock,
    views,
    pageSize: config.pageSize,
    publicUrl,
  })
}
