import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { createHmacAuthHook, type HmacAuthOptions } from '../http/hmac-auth-hook.js'
import { headerLine, nameList } from '../http/header-value.js'
import { jsonText } from '../json-text.js'
import { bodyValidatorCompiler, decodeJsonBody } from '../http/json-body.js'
import { sendText } from '../http/plain-text.js'
import { ApiFailure, type SignedRoute, type SignedRouteDeps } from './signed-route.js'
import { SIGNED_ROUTES } from './signed-routes.js'

export { V1_PREFIX } from './signed-route.js'

export interface SignedApiOptions {
  readonly auth: HmacAuthOptions
  /** Shared by every endpoint of the table. */
  readonly deps: SignedRouteDeps
  /** Default: `SIGNED_ROUTES`. */
  readonly routes?: readonly SignedRoute[]
}

/** Response header listing body fields the endpoint does not know and ignored (docs/contract.md D30). */
export const IGNORED_FIELDS_HEADER = 'x-dlg-mock-ignored-fields'

/** Response header: what the mock chose for this request where the documentation is silent (D14, D17, D20). */
export const NOTES_HEADER = 'x-dlg-mock-notes'
/** Longest notes header (D30): the notes quote client ids, each already cut by `nameList`. */
const MAX_NOTES = 1024

/**
 * Names the fields of `body` that `route` does not know, escaped and cut (`nameList`), and says
 * what a field the documentation renamed is now called.
 */
function reportIgnoredFields(reply: FastifyReply, route: SignedRoute, body: object, notes: string[]): void {
  const known = route.body.properties
  const ignored = Object.keys(body).filter((field) => !Object.hasOwn(known, field))
  if (ignored.length === 0) return
  reply.header(IGNORED_FIELDS_HEADER, nameList(ignored))
  for (const field of ignored) {
    const now = route.oldNames?.[field]
    if (now !== undefined) notes.push(`${field} is the old name of ${now}, ignored: send ${now}`)
  }
}

/**
 * fast-json-stringify writes required fields first; the documentation's examples keep their own
 * order (getmessagingdetail's failure has `error` between the two), so answers are written in the
 * order the handlers build them, 64-bit ids as exact integers (D18).
 */
const inBuiltOrder = () => (data: unknown) => jsonText(data)

/**
 * The `/v1` scope: every route of the table registered here, and any other `/v1/...` path and
 * method (through the scope's own not-found handler), is HMAC-authenticated. The order is
 * deliberate (docs/architecture.md, "Authentication before parsing"):
 *
 * 1. `preParsing` — the auth hook reads the raw body and verifies the request; nothing
 *    has looked at the Content-Type or the body yet, so any failure is a row of the error table;
 * 2. content-type parsing — one parser for every type, which decodes the bytes the hook
 *    kept (JSON only, else 415; bad JSON is D8's 500);
 * 3. validation — TypeBox against the route's schema (D8's 500 naming the field);
 * 4. the handler: the conventions of every endpoint (the ignored-fields header, the field
 *    order), then the table entry's decision.
 */
export const signedApi: FastifyPluginAsyncTypebox<SignedApiOptions> = async (api, options) => {
  api.addHook('preParsing', createHmacAuthHook(options.auth))

  api.removeAllContentTypeParsers()
  api.addContentTypeParser('*', (request, _payload, done) => {
    try {
      if (request.rawBody === null) throw new Error('the body was not read by HMAC authentication')
      done(null, decodeJsonBody(request.headers['content-type'], request.rawBody))
    } catch (error) {
      done(error as Error, undefined)
    }
  })
  api.setValidatorCompiler(bodyValidatorCompiler)

  const { deps } = options
  for (const route of options.routes ?? SIGNED_ROUTES) {
    api.route({
      method: route.method,
      url: route.path,
      schema: {
        summary: route.summary,
        tags: [route.family],
        body: route.body,
        response: { 200: route.reply },
      },
      serializerCompiler: inBuiltOrder,
      handler: async (request, reply) => {
        const notes: string[] = []
        reportIgnoredFields(reply, route, request.body, notes)
        let answer: unknown
        try {
          answer = route.answer(request.body, deps, deps.clock.now(), (text) => notes.push(text))
        } catch (error) {
          if (error instanceof ApiFailure) return sendText(reply, 500, error.message)
          throw error
        }
        if (notes.length > 0) reply.header(NOTES_HEADER, headerLine(notes.join('; '), MAX_NOTES))
        return answer
      },
    })
  }

  // Authenticated (the scope's hooks run for its 404s too), but no such API.
  api.setNotFoundHandler((request, reply) =>
    sendText(reply, 404, `No such API in diyalog-mock: ${request.method} ${request.url.split('?')[0] ?? ''}`),
  )
}
