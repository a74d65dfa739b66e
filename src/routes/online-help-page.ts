import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Clock } from '../clock.js'
import { ONLINE_HELP_PATH, type LinkSigner, type SignedOnlineHelpLink } from '../links/link-signer.js'
import { NO_MESSAGES } from '../store/messages.js'
import type { Store, TimeWindow } from '../store/store.js'
import { LinkRefusal, OnlineHelpDocument, onlineHelpDocument } from '../views/link-json.js'
import type { OnlineHelpViews } from '../views/online-help-page.js'
import { sessionTimes } from './reporting/getonlinehelplist.js'
import { isRefused, linkPageHandler, NOT_IN_OPENAPI } from './link-page.js'

export interface OnlineHelpPageDeps {
  readonly store: Store
  readonly linkSigner: LinkSigner
  readonly clock: Clock
  readonly views: OnlineHelpViews
  /** Most messages one page shows. */
  readonly pageSize: number
  readonly publicUrl: () => string
}

const PAGE_ROUTE = `${ONLINE_HELP_PATH}/:onlineHelpId`
const JSON_ROUTE = `${ONLINE_HELP_PATH}/:onlineHelpId.json`

/** The JSON twin of a session's page: `/views/onlinehelp/<onlineHelpId>.json`, same query. */
export const onlineHelpJsonPath = (onlineHelpId: string) =>
  `${ONLINE_HELP_PATH}/${encodeURIComponent(onlineHelpId)}.json`

/**
 * `GET /views/onlinehelp/<onlineHelpId>?expiresAt=…&sig=…[&page=N]`: an online-help session of
 * `getonlinehelplist`, its facts and its messages (D34, D36); `GET …/<onlineHelpId>.json` (or
 * `Accept: application/json`) as JSON. The messages are the private ones of the customer and the
 * agent from the start to the end, or to the clock's now while the session runs.
 */
export const onlineHelpPageRoute: FastifyPluginAsyncTypebox<OnlineHelpPageDeps> = async (app, deps) => {
  const { store, views } = deps

  const handler = linkPageHandler<SignedOnlineHelpLink>({
    clock: deps.clock,
    refusals: views,
    pageSize: deps.pageSize,
    publicUrl: deps.publicUrl,
    jsonRoutes: [JSON_ROUTE],
    jsonPath: (link) => onlineHelpJsonPath(link.onlineHelpId),
    verify: (request, nowMs) =>
      deps.linkSigner.verifyOnlineHelp(
        (request.params as { onlineHelpId?: unknown }).onlineHelpId,
        request.query as Record<string, unknown>,
        nowMs,
      ),
    show(link, opened) {
      const session = store.onlineHelpSession(link.onlineHelpId)
      const times = session === undefined ? undefined : sessionTimes(session)
      const agentId = session?.agentId
      const window: TimeWindow | undefined =
        times?.startedAt === undefined || agentId === undefined
          ? undefined
          : { start: times.startedAt, end: times.endedAt ?? opened.nowMs }
      const paged = opened.page((range) =>
        session === undefined || agentId === undefined || window === undefined
          ? NO_MESSAGES
          : store.conversation(
              { kind: 'customer', id: session.customerId },
              { kind: 'staff', id: agentId },
              window,
              range,
            ),
      )
      if (isRefused(paged)) return paged
      const view = {
        link,
        session,
        times,
        customerName: session === undefined ? undefined : store.customer(session.customerId)?.name,
        agentName: window === undefined || agentId === undefined ? undefined : store.staff(agentId)?.name,
        window,
        nowMs: opened.nowMs,
        ...paged,
      }
      return { html: () => views.onlineHelp(view), json: () => onlineHelpDocument(view) }
    },
  })

  const response = { 200: OnlineHelpDocument, '4xx': LinkRefusal }
  app.get(
    PAGE_ROUTE,
    {
      schema: {
        ...NOT_IN_OPENAPI,
        summary:
          "An online-help session's facts and messages, the page its link opens (HTML; JSON with Accept: application/json)",
        response,
      },
    },
    handler,
  )
  app.get(
    JSON_ROUTE,
    { schema: { ...NOT_IN_OPENAPI, summary: 'The same session as JSON', response } },
    handler,
  )
}
