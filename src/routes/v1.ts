import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createHmacAuthHook, type HmacAuthOptions } from '../auth/hmac-auth-hook.js'
import { bodyValidatorCompiler, decodeJsonBody } from '../http/json-body.js'
import { sendText } from '../http/plain-text.js'
import { getMessagingDetailRoute, type GetMessagingDetailDeps } from './getmessagingdetail.js'

export interface SignedApiOptions {
  readonly auth: HmacAuthOptions
  readonly getMessagingDetail: GetMessagingDetailDeps
}

/** Where the signed API lives; `app.ts` registers this scope under it. */
export const V1_PREFIX = '/v1'

/**
 * The `/v1` scope: every route registered here, and any other `/v1/...` path and method
 * (through the scope's own not-found handler), is HMAC-authenticated. The order is deliberate (docs/architecture.md, "Authentication before parsing"):
 *
 * 1. `preParsing` — the auth hook reads the raw body and verifies the request; nothing
 *    has looked at the Content-Type or the body yet, so any failure is a row of the error table;
 * 2. content-type parsing — one parser for every type, which decodes the bytes the hook
 *    kept (JSON only, else 415; bad JSON is D8's 500);
 * 3. validation — TypeBox against the route's schema (D8's 500 naming the field);
 * 4. the handler.
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

  await api.register(getMessagingDetailRoute, options.getMessagingDetail)

  // Authenticated (the scope's hooks run for its 404s too), but no such API: the rest of the
  // Reporting API is not served yet.
  api.setNotFoundHandler((request, reply) =>
    sendText(reply, 404, `No such API in diyalog-mock: ${request.method} ${request.url.split('?')[0] ?? ''}`),
  )
}
