import fastifyAccepts from '@fastify/accepts'
import { sendHtml } from '../http/page-response.js'
import { sendText } from '../http/plain-text.js'
import { botConversationPageRoute } from '../routes/bot-conversation-page.js'
import { conversationPageRoute } from '../routes/conversation-page.js'
import { dayPageRoute } from '../routes/day-page.js'
import { healthRoute } from '../routes/health.js'
import { onlineHelpPageRoute } from '../routes/online-help-page.js'
import { recordingPageRoute } from '../routes/recording-page.js'
import { createBotConversationViews } from '../views/bot-conversation-page.js'
import { createConversationViews } from '../views/conversation-page.js'
import { createDayViews } from '../views/day-page.js'
import { createPageFormat } from '../views/format.js'
import { createOnlineHelpViews } from '../views/online-help-page.js'
import { createRecordingViews } from '../views/recording-page.js'
import type { App, AppContext } from './context.js'

/**
 * What a browser opens, and the health check: the pages links open (a conversation, a
 * messaging-list day, an online-help session, a call recording, a bot's conversation with a
 * user), a not-found that answers a browser with a page and an HTTP client with plain text (the
 * `/v1` API has its own answer), and `GET /health`. The recording's routes have full
 * `/v1/playrecords/...` paths but are registered here, outside the HMAC scope: a route is matched
 * before the scope's not-found handler, so they open without credentials and every other `/v1`
 * path still needs them.
 */
export function pagesPlugin(
  app: App,
  { config, store, linkSigner, clock, publicUrl, botConversations }: AppContext,
): void {
  const format = createPageFormat(config.pageTimeZone)
  const views = createConversationViews(format)
  app.register(fastifyAccepts)
  app.setNotFoundHandler((request, reply) => {
    reply.header('vary', 'Accept')
    return request.accepts().type(['text/plain', 'html']) === 'html'
      ? sendHtml(reply, 404, views.notFound())
      : sendText(reply, 404, `Not found: ${request.method} ${request.url.split('?')[0] ?? ''}`)
  })
  app.register(healthRoute, { store })
  const links = { store, linkSigner, clock, pageSize: config.pageSize, publicUrl }
  app.register(conversationPageRoute, { ...links, views })
  app.register(dayPageRoute, { ...links, views: createDayViews(format) })
  app.register(onlineHelpPageRoute, { ...links, views: createOnlineHelpViews(format) })
  app.register(recordingPageRoute, { ...links, views: createRecordingViews(format) })
  app.register(botConversationPageRoute, {
    ...links,
    botConversations,
    views: createBotConversationViews(format),
  })
}
