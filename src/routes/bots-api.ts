import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import secureJson from 'secure-json-parse'
import type { Clock } from '../clock.js'
import { headerLine, nameList } from '../http/header-value.js'
import { MAX_JSON_DEPTH, mediaType, nestsDeeperThan } from '../http/json-body.js'
import { sendText } from '../http/plain-text.js'
import { BOTS_PREFIX, type Bot, type BotRegistry } from '../messaging/bots.js'
import { MAX_FILE_BYTES } from '../messaging/document.js'
import type { MessagingService } from '../messaging/messaging-service.js'
import { malformed, messagingError, quoted } from '../messaging/messaging-errors.js'
import { apiNameOf, botPathPattern, botRouteUrl, BotTokenParams, type BotRoute } from './bot-route.js'
import { BOT_ROUTES } from './bots/index.js'
import { IGNORED_FIELDS_HEADER, NOTES_HEADER } from './v1.js'

export { BOTS_PREFIX } from '../messaging/bots.js'

export interface BotsApiOptions {
  /** Asked on every request: the bots change when the fixtures are swapped. */
  readonly bots: () => BotRegistry
  readonly messaging: MessagingService
  readonly clock: Pick<Clock, 'now'>
  /** Largest body, bytes; at least a 5 MB document in base64 (about 7 MB) plus its JSON. */
  readonly bodyLimit: number
  /** Default: `BOT_ROUTES`. */
  readonly routes?: readonly BotRoute[]
}

/** An answer other than 200: a status, plain text, and the mock's own headers. */
interface Refusal {
  readonly ok: false
  readonly status: number
  readonly message: string
  readonly ignoredFields?: readonly string[]
  readonly notes?: readonly string[]
}

const JSON_MEDIA_TYPE = 'application/json'
/** Longest notes header (D30), as the signed API's. */
const MAX_NOTES = 1024

/**
 * The body's bytes as JSON (D22): a Content-Type other than `application/json` (parameters
 * allowed) is 415, as in the signed API; an empty body, JSON that does not parse, or nests deeper
 * than any body of the API, is the documented 400 malformed.
 */
export function decodeBotBody(
  contentType: string | undefined,
  raw: Buffer,
): { readonly ok: true; readonly body: unknown } | Refusal {
  if (contentType === undefined || mediaType(contentType) !== JSON_MEDIA_TYPE) {
    return {
      ok: false,
      status: 415,
      message: `Unsupported Content-Type ${contentType === undefined ? '(none)' : quoted(contentType)}: the API takes ${JSON_MEDIA_TYPE}`,
    }
  }
  if (raw.length === 0) return malformed(['the body is empty, expected a JSON object'])
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    return malformed([`arrays and objects nest deeper than ${MAX_JSON_DEPTH} levels`])
  }
  try {
    return {
      ok: true,
      body: secureJson.parse(raw.toString('utf8'), undefined, {
        protoAction: 'error',
        constructorAction: 'error',
      }),
    }
  } catch (error) {
    // The parser's message quotes a few characters of the body: escaped and cut like any client input.
    const detail = (error instanceof Error ? error.message : String(error))
      .slice(0, 200)
      .replace(
        /[\u0000-\u001f\u007f-\u009f]/gu,
        (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
      )
    return malformed([`not valid JSON (${detail})`])
  }
}

/** The ignored fields and the notes of a read body, escaped and cut (D30). */
function writeMockHeaders(reply: FastifyReply, answer: Omit<Refusal, 'ok' | 'status' | 'message'>): void {
  if (answer.ignoredFields !== undefined && answer.ignoredFields.length > 0) {
    reply.header(IGNORED_FIELDS_HEADER, nameList(answer.ignoredFields))
  }
  if (answer.notes !== undefined && answer.notes.length > 0) {
    reply.header(NOTES_HEADER, headerLine(answer.notes.join('; '), MAX_NOTES))
  }
}

function refuse(reply: FastifyReply, refusal: Refusal): FastifyReply {
  writeMockHeaders(reply, refusal)
  return sendText(reply, refusal.status, refusal.message)
}

/** The path of a request without its query. */
const pathOf = (url: string) => url.split('?')[0] ?? ''

function missingToken(route: BotRoute): string {
  return `POST ${BOTS_PREFIX}${route.path} needs the bot's access token as its last path segment: ${botPathPattern(route)}`
}

/**
 * What a path under `/v1/bots` that no route takes gets: a 404 that says what to send instead. A
 * path segment may be a token, so none is ever quoted back.
 */
export function notFoundText(
  method: string,
  url: string,
  routes: readonly BotRoute[],
  prefix: string = BOTS_PREFIX,
): string {
  const served = routes.map((route) => `POST ${botPathPattern(route)}`).join(' and ')
  const rest = pathOf(url).slice(prefix.length)
  const segments = rest.replace(/^\/+/, '').split('/')
  const named = (name: string | undefined) => routes.find((route) => apiNameOf(route) === name)
  if (rest === BOTS_PREFIX || rest.startsWith(`${BOTS_PREFIX}/`)) {
    const route = named(segments[2]) ?? routes[0]
    const to = route === undefined ? served : botPathPattern(route)
    return `The path repeats ${BOTS_PREFIX} (as the SendMessage page's Request URI box does, a copy error): send to ${to}`
  }
  const route = named(segments[0])
  if (route === undefined) {
    const near = routes.find((entry) => apiNameOf(entry) === segments[0]?.toLowerCase())
    if (near !== undefined)
      return `No such Messaging API (paths are case-sensitive): send to ${botPathPattern(near)}`
    return `No such Messaging API. The mock serves ${served}`
  }
  if (segments.length === 1 || (segments.length === 2 && segments[1] === '')) return missingToken(route)
  if (segments.length > 2) {
    return `The bot's access token is the last path segment of ${botPathPattern(route)}: nothing follows it`
  }
  return `${botPathPattern(route)} takes POST only (got ${quoted(method)})`
}

/** fast-json-stringify would write the answer by its schema; it is written as built, in the documented order. */
const asBuilt = () => (data: unknown) => JSON.stringify(data)

/**
 * The `/v1/bots` scope: the Messaging API (docs/contract.md §8.3, D22–D24, D42, D43, D44). The
 * order is deliberate (D22):
 *
 * 1. `onRequest` — the bot of the token, before the body is read: an unknown token is the
 *    documented 503 whatever the body, and a request without a token is a 404 that says so;
 * 2. content-type parsing — one parser for every type keeps the bytes (the scope's body limit
 *    applies: 413 past it);
 * 3. the handler — the JSON (415 for another Content-Type, 400 malformed), then the table entry's
 *    `read` (400 malformed naming the fields, then the Document Message rows), then whether the
 *    bot is alive (500), then the send, whose unknown recipient is the documented 500.
 *
 * The scope's own validator takes every value as it is (`read` validates; the schemas are for
 * OpenAPI), and its own not-found handler answers every other path under `/v1/bots`. Nothing here
 * writes a token into an answer, a header or a log line.
 */
export const botsApi: FastifyPluginAsync<BotsApiOptions> = async (api, options) => {
  const routes = options.routes ?? BOT_ROUTES
  const botOf = new WeakMap<FastifyRequest, Bot>()

  api.addHook('onRequest', async (request, reply) => {
    if (request.is404) return
    const { token } = request.params as { readonly token?: string }
    if (token === undefined || token === '') {
      const route = routes.find((entry) => request.routeOptions.url?.endsWith(botRouteUrl(entry)) === true)
      return sendText(
        reply,
        404,
        route === undefined ? 'No bot access token in the path' : missingToken(route),
      )
    }
    const bot = options.bots().byToken(token)
    if (bot === undefined) return refuse(reply, messagingError('wrongToken'))
    botOf.set(request, bot)
  })

  api.removeAllContentTypeParsers()
  api.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, done) =>
    done(null, body),
  )
  api.setValidatorCompiler(() => (value) => ({ value }))

  api.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500
    if (status === 413) {
      return sendText(
        reply,
        413,
        `Request body too large: the Messaging API takes at most ${options.bodyLimit} bytes (a document's file at most ${MAX_FILE_BYTES} bytes, decoded)`,
      )
    }
    if (status >= 400 && status < 500) return sendText(reply, status, error.message)
    request.log.error({ err: error }, 'unexpected error in the Messaging API')
    return sendText(reply, 500, 'Internal server error')
  })

  for (const route of routes) {
    api.route({
      method: route.method,
      url: botRouteUrl(route),
      bodyLimit: options.bodyLimit,
      schema: {
        summary: route.summary,
        tags: [route.family],
        params: BotTokenParams,
        body: route.body,
        response: { 200: route.reply },
      },
      serializerCompiler: asBuilt,
      handler: async (request, reply) => {
        // onRequest answered every request without a bot.
        const bot = botOf.get(request) as Bot
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
        const decoded = decodeBotBody(request.headers['content-type'], raw)
        if (!decoded.ok) return refuse(reply, decoded)
        const read = route.read(decoded.body)
        if (!read.ok) return refuse(reply, read)
        writeMockHeaders(reply, read)
        if (!bot.alive) return refuse(reply, messagingError('botNotAlive'))
        const sent = options.messaging.send(bot, read.recipient, read.message, options.clock.now())
        if (!sent.ok) return refuse(reply, messagingError('recipientNotFound'))
        return { recipient_id: sent.recipientId, message_id: sent.messageId }
      },
    })
  }

  api.setNotFoundHandler((request, reply) =>
    sendText(reply, 404, notFoundText(request.method, request.url, routes, api.prefix)),
  )
}
