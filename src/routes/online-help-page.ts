import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Clock } from '../clock.js'
import { ONLINE_HELP_PATH, type LinkSigner, type SignedOnlineHelpLink } from '../links/link-signer.js'
import { NO_MESSAGES } from '../store/messages.js'
import { onlineHelpTimes, onlineHelpWindow } from '../store/online-help.js'
import type { Store } from '../store/store.js'
import { OnlineHelpDocument, onlineHelpDocument } from '../views/link-json.js'
import type { OnlineHelpViews } from '../views/online-help-page.js'
import {
  EXPIRY,
  isRefused,
  LongIdParam,
  PageParam,
  registerLinkPage,
  SignatureParam,
  TimeParam,
} from './link-page.js'

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

const OnlineHelpParams = Type.Object({
  onlineHelpId: LongIdParam("The session's `onlineHelpId`, a Java long in canonical decimal. Signed."),
})

/** The link's query, as `onlineHelpKind` writes it: the expiry and the signature; the page. */
const OnlineHelpQuery = Type.Object({
  expiresAt: TimeParam(EXPIRY),
  sig: SignatureParam('base64url'),
  page: PageParam,
})

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

  const description =
    "An online-help session of `getonlinehelplist`, as its `conversationDetailLink` opens it, without API credentials: the session's facts and state, and the messages between the customer and the agent from the help's start to its end (or to now while it runs), oldest first (D34, D36). A session that never started has no link."
  registerLinkPage<SignedOnlineHelpLink>(
    app,
    {
      page: PAGE_ROUTE,
      json: JSON_ROUTE,
      summary:
        "An online-help session's facts and messages, the page its link opens (HTML; JSON with Accept: application/json)",
      jsonSummary: 'The same session as JSON',
      description,
      params: OnlineHelpParams,
      querystring: OnlineHelpQuery,
      document: OnlineHelpDocument,
      paged: true,
    },
    {
      clock: deps.clock,
      refusals: views,
      pageSize: deps.pageSize,
      publicUrl: deps.publicUrl,
      jsonPath: (link) => onlineHelpJsonPath(link.onlineHelpId),
      verify: (request, nowMs) =>
        deps.linkSigner.verifyOnlineHelp(
          (request.params as { onlineHelpId?: unknown }).onlineHelpId,
          request.query as Record<string, unknown>,
          nowMs,
        ),
      show(link, opened) {
        const session = store.onlineHelpSession(link.onlineHelpId)
        const times = session === undefined ? undefined : onlineHelpTimes(session)
        const agentId = session?.agentId
        const window =
          times === undefined || agentId === undefined ? undefined : onlineHelpWindow(times, opened.nowMs)
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
    },
  )
}
