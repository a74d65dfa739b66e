import { Type, type Static, type TObject } from 'typebox'
import { BOTS_PREFIX, DEMO_BOT_TOKEN } from '../messaging/bots.js'
import type { BotRead } from '../messaging/send-message.js'

/**
 * An endpoint of the Messaging API (`POST /v1/bots/<api>/<bot token>`, docs/contract.md §8.3), as
 * one table entry, like `SignedRoute` for the HMAC API: its path, its one-line summary, its body
 * schema with the documentation's examples, its answer schema, and its reading of the body as a
 * plain function. The `/v1/bots` scope (bots-api.ts) registers every entry of `BOT_ROUTES`;
 * OpenAPI, the Postman collection and the conformance runner read the same entries. Nothing here
 * loads Fastify.
 *
 * The body schema describes the body for people and tools; `read` is the validation, since it
 * says more than a schema can (exactly one recipient and one content kind, D24; the v1 names,
 * D23; the documented file rows, D44) and answers in the documented words. A test keeps the two
 * agreeing on every example and every kind of valid body.
 */

/** The 200 answer of every Messaging API call, in the documentation's field order. */
export const BotSendReply = Type.Object(
  {
    recipient_id: Type.String({
      description: "The recipient's Diyalog user id (not your customer or staff number).",
    }),
    message_id: Type.String({
      description: 'Your messageId exactly as sent, or the one the mock made when you sent none.',
    }),
  },
  { examples: [{ recipient_id: '2074022437', message_id: '-7523925115459309081' }] },
)

export type BotSendAnswer = Static<typeof BotSendReply>

/** The path parameter: the bot's access token, the last segment of the path. */
export const BotTokenParams = Type.Object({
  token: Type.String({
    description:
      "The bot's access token, given by a Diyalog admin. A secret: the mock never echoes or logs it.",
    examples: [DEMO_BOT_TOKEN],
  }),
})

export interface BotRoute<Body extends TObject = TObject> {
  readonly method: 'POST'
  /** Under `/v1/bots`; the token follows as the last segment. */
  readonly path: '/sendmessage' | '/sendmok'
  /** The OpenAPI tag: the documentation's family. */
  readonly family: 'Messaging API'
  /** One line, for OpenAPI, Postman and the CLI. */
  readonly summary: string
  /** Its first `examples` entry is the documentation's example body, made valid JSON (a test reads every entry). */
  readonly body: Body
  /** The 200 answer. */
  readonly reply: typeof BotSendReply
  /** The validation, without HTTP: the parsed JSON body to what to send, or the documented refusal. */
  readonly read: (body: unknown) => BotRead
}

/** An entry of the table, typed by its own body schema. */
export function botRoute<Body extends TObject>(route: BotRoute<Body>): BotRoute<Body> {
  return route
}

/** `sendmessage`: the API name of an entry, as the path spells it. */
export function apiNameOf(route: Pick<BotRoute, 'path'>): string {
  return route.path.slice(1)
}

/** The route's URL inside the `/v1/bots` scope, for Fastify: `/sendmessage/:token`. */
export function botRouteUrl(route: Pick<BotRoute, 'path'>): string {
  return `${route.path}/:token`
}

/** The full path with a token: `/v1/bots/sendmessage/<token>` (the token percent-encoded). */
export function botPath(route: Pick<BotRoute, 'path'>, token: string): string {
  return `${BOTS_PREFIX}${route.path}/${encodeURIComponent(token)}`
}

/** The full path as OpenAPI writes it: `/v1/bots/sendmessage/{token}`. */
export function botOpenApiPath(route: Pick<BotRoute, 'path'>): string {
  return `${BOTS_PREFIX}${route.path}/{token}`
}

/** The full path as the docs write it, for messages and the README: `/v1/bots/sendmessage/<token>`. */
export function botPathPattern(route: Pick<BotRoute, 'path'>): string {
  return `${BOTS_PREFIX}${route.path}/<token>`
}

/** Path segments of a `/v1/bots/...` path a log may show: the prefix's and the API names. */
const SHOWN_SEGMENTS = new Set(['v1', 'bots', 'sendmessage', 'sendmok'])

/**
 * A URL as logs and the journal may show it: in a path under `/v1/bots`, every segment but the
 * prefix's and the API names becomes `[redacted]` (`/v1/bots/sendmessage/[redacted]`), wherever
 * the token stands — after the API name, in its place, or after a doubled prefix. The query is
 * left as it is, for `redactLinkToken` (logger.ts).
 */
export function redactBotTokens(url: string): string {
  const end = url.search(/[?#]/)
  const path = end < 0 ? url : url.slice(0, end)
  const segments = path.split('/')
  const named = segments.filter((segment) => segment !== '')
  if (named[0]?.toLowerCase() !== 'v1' || named[1]?.toLowerCase() !== 'bots') return url
  let seen = 0
  const shown = segments.map((segment) => {
    if (segment === '') return segment
    seen += 1
    return seen <= 2 || SHOWN_SEGMENTS.has(segment.toLowerCase()) ? segment : '[redacted]'
  })
  return `${shown.join('/')}${end < 0 ? '' : url.slice(end)}`
}
