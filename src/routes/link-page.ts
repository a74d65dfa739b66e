import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TSchema } from 'typebox'
import type { Clock } from '../clock.js'
import { PAGE_SECURITY_HEADERS } from '../http/page-response.js'
import { SIGNATURE_PATTERN } from '../links/link-kinds.js'
import type { Expiring, LinkCheck } from '../links/link-signer.js'
import { EpochMillis } from '../schemas.js'
import type { Message } from '../store/fixture-schema.js'
import { NO_MESSAGES } from '../store/messages.js'
import { describePage, pageRange, parsePageNumber, type Page } from '../store/paging.js'
import type { MessageSlice, SliceRange } from '../store/store.js'
import { LinkRefusal, type RecordingAudioRefusal } from '../views/link-json.js'
import type { RefusalViews } from '../views/link-parts.js'

/**
 * What every page behind a link does the same way, whatever its kind (conversation, messaging
 * day, online help, recording): verify the link and refuse it (403 invalid, 410 expired with the
 * time), choose between the page and its JSON twin (a `.json` route, or `Accept` preferring
 * JSON), page the link's messages (`page` is not signed, so paging keeps the link valid; a
 * malformed number 400, one past the last 404), and send it all with the page headers and
 * `Vary: Accept`. A kind's route file says only how to verify its link and what it shows.
 */

// ---------------------------------------------------------------------------------------------
// What the link routes' schemas share: they document the routes (OpenAPI, the Postman
// collection) and serialise the JSON answers; they validate nothing (`LINK_ROUTE_OPTIONS`).

/**
 * The route options of every link route. Its query and path schemas document the link; the
 * link's verifier reads them (a part missing, malformed, repeated or changed is the link's own
 * 403, a bad page number its 400), so Fastify must not check them first: its 400 would answer
 * before the link's refusal, and coercion would change what the verifier reads. Every request
 * goes through as it came.
 */
export const LINK_ROUTE_OPTIONS = {
  validatorCompiler: () => (value: unknown) => ({ value }),
} as const

/** A time in a link's query, epoch milliseconds (in canonical decimal, like every signed part). */
export const TimeParam = (description: string) => ({ ...EpochMillis, description })

/** A link's expiry, signed. */
export const EXPIRY = 'Epoch milliseconds from which the link no longer opens (410); signed.'

/** A link's signature: `sig` (base64url) or the recording's `signature` (hex). */
export const SignatureParam = (encoding: 'base64url' | 'hex') =>
  Type.String({
    pattern: SIGNATURE_PATTERN[encoding].source,
    description: `HMAC-SHA256 of the link with the mock's link secret (DLG_LINK_SECRET), ${encoding === 'hex' ? 'lower-case hex' : 'base64url'}. Not the API's HMAC: a link opens without credentials.`,
  })

/** The one query parameter a link does not sign. */
export const PageParam = Type.Optional(
  Type.Integer({
    minimum: 1,
    description: 'Page of the messages, from 1 (default 1). Not signed: every page opens with the same link.',
  }),
)

/** A link's subject named in its path: a Java long in canonical decimal (D18). */
export const LongIdParam = (description: string) =>
  Type.Unsafe<string>({ type: 'integer', format: 'int64', description })

const HtmlPage = Type.String({
  description: 'The page: HTML, every value escaped, with its own Content-Security-Policy.',
})

/** Where a link route's answer can take two forms: the page, or JSON when `Accept` prefers it. */
export type LinkForm = 'page' | 'json'

/** An answer of a link route: as a page and as JSON (`form: 'page'`), or as JSON only. */
export function linkAnswer(description: string, form: LinkForm, json: TSchema) {
  return {
    description,
    content: {
      ...(form === 'page' ? { 'text/html': { schema: HtmlPage } } : {}),
      'application/json': { schema: json },
    },
  }
}

/** Every link's refusals (`refusalOf`), whatever its kind. */
export function linkRefusals(form: LinkForm, refusal: TSchema = LinkRefusal) {
  return {
    403: linkAnswer(
      'The link is not valid (`invalid-link`): a part missing, malformed, repeated or changed, or signed with another secret.',
      form,
      refusal,
    ),
    410: linkAnswer(
      'The link has expired (`expired-link`, with `expiredAt`): its signature is valid, its expiry past.',
      form,
      refusal,
    ),
  }
}

/**
 * The answers of a link's page (`form: 'page'`: HTML, or JSON when `Accept` prefers it) or of
 * its JSON twin, `document` being the JSON; `paged` when its messages come in pages.
 */
export function linkPageResponses(document: TSchema, form: LinkForm, paged: boolean) {
  return {
    200: linkAnswer(
      form === 'page'
        ? 'The page; JSON (the same content as the `.json` twin) when `Accept` prefers application/json.'
        : 'The same content as the page, as JSON.',
      form,
      document,
    ),
    ...(paged
      ? {
          400: linkAnswer(
            '`page` is not a whole number (`no-such-page`, naming the page count).',
            form,
            LinkRefusal,
          ),
          404: linkAnswer(
            '`page` is past the last page (`no-such-page`, naming the page count).',
            form,
            LinkRefusal,
          ),
        }
      : {}),
    ...linkRefusals(form),
  }
}

/** A refusal, as JSON and as a page. */
export interface Refusal {
  readonly status: number
  readonly body: LinkRefusal | RecordingAudioRefusal
  readonly page: () => string
}

export interface Refused {
  readonly refused: Refusal
}

/** A page of a link's messages. */
export interface PagedMessages {
  readonly page: Page
  /** This page's messages, oldest first. */
  readonly messages: readonly Message[]
  /** The address of another page of the same link (same signature): relative for the page, absolute for JSON. */
  readonly pageHref: (number: number) => string
}

/** What a valid link shows, built only in the form asked for. */
export interface Shown {
  html(): string
  json(): object
}

export interface OpenedLink {
  readonly nowMs: number
  /** The request's query, as parsed. */
  readonly query: Readonly<Record<string, unknown>>
  /** Reads the `page` parameter and pages `slice` (the link's messages by position); refuses a bad number. */
  page(slice: (range: SliceRange) => MessageSlice): PagedMessages | Refused
  /** Page 1 of nothing, whatever `page` says: a link that covers no messages by its nature (a recording). */
  noMessages(): PagedMessages
}

export interface LinkPageOptions<L extends Expiring> {
  readonly clock: Clock
  readonly refusals: RefusalViews
  /** Most messages one page shows. */
  readonly pageSize: number
  /** Base of absolute links, e.g. `http://localhost:3000` (the JSON view's page links). */
  readonly publicUrl: () => string
  /** The route URLs, as registered, that answer JSON whatever the `Accept` header. */
  readonly jsonRoutes: readonly string[]
  /** The path of the JSON twin of `link`, where its page links point; default: the path requested. */
  jsonPath?(link: L): string
  verify(request: FastifyRequest, nowMs: number): LinkCheck<L>
  show(link: L, opened: OpenedLink): Shown | Refused
  /** Headers that replace the page headers' (the recording page's policy allows its audio). */
  readonly headers?: Readonly<Record<string, string>>
}

export function wantsJson(request: FastifyRequest, jsonRoutes: readonly string[]): boolean {
  return (
    jsonRoutes.includes(request.routeOptions.url ?? '') || request.accepts().type(['html', 'json']) === 'json'
  )
}

/**
 * Addresses of the other pages of the link a request opened: its query as sent, `page` set
 * (left out for page 1). The page links a relative `?…`, which keeps any path prefix a proxy
 * adds; the JSON view gives absolute URLs.
 */
export function pageAddresses(url: string, base: string): (number: number) => string {
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '')
  return (number) => {
    if (number === 1) query.delete('page')
    else query.set('page', String(number))
    return `${base}?${query.toString()}`
  }
}

/** A link that did not verify. */
export type FailedCheck<L> = Exclude<LinkCheck<L>, { readonly status: 'valid' }>

/** The refusal of a link that did not verify: 403 invalid, 410 expired (with the time). */
export function refusalOf<L extends Expiring>(check: FailedCheck<L>, views: RefusalViews): Refusal {
  if (check.status === 'invalid') {
    return {
      status: 403,
      body: { error: 'invalid-link', message: 'This link is not valid.' },
      page: views.invalidLink,
    }
  }
  const expiredAt = check.link.expiresAt
  return {
    status: 410,
    body: { error: 'expired-link', message: 'This link has expired.', expiredAt },
    page: () => views.expiredLink(expiredAt),
  }
}

export function sendLinkHtml(
  reply: FastifyReply,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): FastifyReply {
  return reply
    .code(status)
    .headers({ ...PAGE_SECURITY_HEADERS, ...headers })
    .type('text/html; charset=utf-8')
    .send(body)
}

/** JSON through the route's response schema, with the page headers. */
export function sendLinkJson(
  reply: FastifyReply,
  status: number,
  body: object,
  headers: Readonly<Record<string, string>> = {},
): FastifyReply {
  return reply
    .code(status)
    .headers({ ...PAGE_SECURITY_HEADERS, ...headers })
    .send(body)
}

export function sendRefusal(
  reply: FastifyReply,
  json: boolean,
  refusal: Refusal,
  headers?: Readonly<Record<string, string>>,
): FastifyReply {
  return json
    ? sendLinkJson(reply, refusal.status, refusal.body, headers)
    : sendLinkHtml(reply, refusal.status, refusal.page(), headers)
}

/** The handler of a link page and its JSON twin. */
export function linkPageHandler<L extends Expiring>(options: LinkPageOptions<L>) {
  const { refusals, pageSize, headers } = options
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const json = wantsJson(request, options.jsonRoutes)
    reply.header('vary', 'Accept')
    const nowMs = options.clock.now()
    const check = options.verify(request, nowMs)
    if (check.status !== 'valid') return sendRefusal(reply, json, refusalOf(check, refusals), headers)

    const { link } = check
    const jsonPath = options.jsonPath?.(link) ?? (request.url.split('?')[0] as string)
    const pageHref = pageAddresses(request.url, json ? `${options.publicUrl()}${jsonPath}` : '')
    const query = request.query as Record<string, unknown>
    const opened: OpenedLink = {
      nowMs,
      query,
      page(slice) {
        const number = parsePageNumber(query['page'])
        // Not a page number: only the count is needed, for the refusal.
        const found = slice(number === undefined ? { offset: 0, limit: 0 } : pageRange(number, pageSize))
        const page = describePage(number ?? 1, pageSize, found)
        if (number === undefined || number > page.count) {
          return {
            refused: {
              status: number === undefined ? 400 : 404,
              body: { error: 'no-such-page', message: `page must be a whole number from 1 to ${page.count}` },
              page: () => refusals.noSuchPage(page.count, pageHref(1)),
            },
          }
        }
        return { page, messages: found.messages, pageHref }
      },
      noMessages: () => ({ page: describePage(1, pageSize, NO_MESSAGES), messages: [], pageHref }),
    }
    const shown = options.show(link, opened)
    if ('refused' in shown) return sendRefusal(reply, json, shown.refused, headers)
    return json
      ? sendLinkJson(reply, 200, shown.json(), headers)
      : sendLinkHtml(reply, 200, shown.html(), headers)
  }
}

/** Whether a paging result is a refusal. */
export const isRefused = (result: PagedMessages | Refused): result is Refused => 'refused' in result

/** A link page and its JSON twin, as documented: the two routes share all but the summary. */
export interface LinkPageRoutes {
  /** The page's route, as registered. */
  readonly page: string
  /** Its JSON twin's route, which answers JSON whatever the `Accept` header. */
  readonly json: string
  readonly summary: string
  readonly jsonSummary: string
  readonly description: string
  readonly params?: TSchema
  readonly querystring: TSchema
  /** The JSON answer. */
  readonly document: TSchema
  /** Whether its messages come in pages. */
  readonly paged: boolean
}

/** Registers a link page and its JSON twin, both answered by one `linkPageHandler`. */
export function registerLinkPage<L extends Expiring>(
  app: Parameters<FastifyPluginAsyncTypebox>[0],
  routes: LinkPageRoutes,
  options: Omit<LinkPageOptions<L>, 'jsonRoutes'>,
): void {
  const handler = linkPageHandler({ ...options, jsonRoutes: [routes.json] })
  const { description, params, querystring, document, paged } = routes
  for (const [url, form, summary] of [
    [routes.page, 'page', routes.summary],
    [routes.json, 'json', routes.jsonSummary],
  ] as const) {
    app.get(
      url,
      {
        ...LINK_ROUTE_OPTIONS,
        schema: {
          summary,
          description,
          ...(params === undefined ? {} : { params }),
          querystring,
          response: linkPageResponses(document, form, paged),
        },
      },
      handler,
    )
  }
}
