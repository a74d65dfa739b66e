import type { FastifyError } from 'fastify'
import { AuthenticationError } from '../http/hmac-auth-hook.js'
import { RequestBodyError } from '../http/json-body.js'
import { sendText } from '../http/plain-text.js'
import type { App } from './context.js'

/**
 * Every error answered in plain text: the documented ones (authentication, D8's body errors) as
 * they are, other client errors with their message, anything else as a logged 500 that tells
 * the client nothing more.
 */
export function errorHandlerPlugin(app: App): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AuthenticationError || error instanceof RequestBodyError) {
      return sendText(reply, error.statusCode, error.message)
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) return sendText(reply, status, error.message)
    request.log.error({ err: error }, 'unexpected error')
    return sendText(reply, 500, 'Internal server error')
  })
}
