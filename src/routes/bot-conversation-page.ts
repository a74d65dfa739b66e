import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Clock } from '../clock.js'
import { BOT_CONVERSATION_PATH, type LinkSigner, type SignedBotLink } from '../links/link-signer.js'
import type { BotConversationSource, BotConversationView } from '../messaging/bot-conversation.js'
import type { Message } from '../store/fixture-schema.js'
import type { BotConversationViews } from '../views/bot-conversation-page.js'
import { BotConversationDocument, botConversationDocument } from '../views/link-json.js'
import { EXPIRY, isRefused, PageParam, registerLinkPage, SignatureParam, TimeParam } from './link-page.js'

export interface BotConversationPageDeps {
  readonly botConversations: BotConversationSource
  readonly linkSigner: LinkSigner
  readonly clock: Clock
  readonly views: BotConversationViews
  /** Most messages one page shows. */
  readonly pageSize: number
  readonly publicUrl: () => string
}

const PAGE_ROUTE = `${BOT_CONVERSATION_PATH}/:botName`
const JSON_ROUTE = `${BOT_CONVERSATION_PATH}/:botName.json`

const BotParams = Type.Object({
  botName: Type.String({
    pattern: '^[A-Za-z0-9._-]{1,64}$',
    description:
      "The bot's name (`DLG_BOTS`, `bots.json`). Signed. A name ending in `.json`, or `.` and `..`, has no link.",
    examples: ['demo_bot'],
  }),
})

/** The link's query, as `botKind` writes it: the user, signed; the expiry and the signature; the page. */
const BotQuery = Type.Object({
  with: Type.String({
    description: 'The user the bot writes to: `customer:<customerId>` or `staff:<staffId>`. Signed.',
    examples: ['customer:70021', 'staff:45186'],
  }),
  expiresAt: TimeParam(EXPIRY),
  sig: SignatureParam('base64url'),
  page: PageParam,
})

/** The JSON twin of a bot's conversation page: `/views/bot/<botName>.json`, same query. */
export const botConversationJsonPath = (botName: string) =>
  `${BOT_CONVERSATION_PATH}/${encodeURIComponent(botName)}.json`

/**
 * `GET /views/bot/<botName>?with=…&expiresAt=…&sig=…[&page=N]`: one bot's conversation with one
 * user, as the link the admin API mints opens it; `GET /views/bot/<botName>.json?…` (or
 * `Accept: application/json`) as JSON. The link has no window: every opening asks the source for
 * the conversation as it stands, one page of it (`page`). An unknown bot or user is a valid link
 * to a page that says so.
 */
export const botConversationPageRoute: FastifyPluginAsyncTypebox<BotConversationPageDeps> = async (
  app,
  deps,
) => {
  const { botConversations, views } = deps

  registerLinkPage<SignedBotLink>(
    app,
    {
      page: PAGE_ROUTE,
      json: JSON_ROUTE,
      summary:
        "A bot's conversation with one user, the page its link opens (HTML; JSON with Accept: application/json)",
      jsonSummary: 'The same conversation as JSON',
      description:
        "A bot's conversation with one customer or staff member (Messaging API), as the link the admin API mints opens it, without credentials: the bot and the user with their Diyalog ids, then every message oldest first — what the bot sent, per content kind, with its simulated state (sent, delivered, read, D28), and what the user wrote or pressed back. No window: the page shows the conversation as it stands when opened.",
      params: BotParams,
      querystring: BotQuery,
      document: BotConversationDocument,
      paged: true,
    },
    {
      clock: deps.clock,
      refusals: views,
      pageSize: deps.pageSize,
      publicUrl: deps.publicUrl,
      jsonPath: (link) => botConversationJsonPath(link.botName),
      verify: (request, nowMs) =>
        deps.linkSigner.verifyBot(
          (request.params as { botName?: unknown }).botName,
          request.query as Record<string, unknown>,
          nowMs,
        ),
      show(link, opened) {
        let conversation: BotConversationView | undefined
        const paged = opened.page((range) => {
          conversation = botConversations.conversation(link.botName, link.recipient, range)
          // The pager counts the messages; the page shows the bot's own (`conversation.messages`),
          // which `OpenedLink.page` cannot carry: it is typed for the store's messages.
          return {
            total: conversation?.total ?? 0,
            messages: (conversation?.messages ?? []) as unknown as readonly Message[],
          }
        })
        if (isRefused(paged)) return paged
        const view = {
          link,
          conversation,
          messages: conversation?.messages ?? [],
          page: paged.page,
          pageHref: paged.pageHref,
        }
        return { html: () => views.botConversation(view), json: () => botConversationDocument(view) }
      },
    },
  )
}
