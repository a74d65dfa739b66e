import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { App } from './context.js'

/** A client-chosen request id is kept when it is short and plain, so it can be grepped in both logs. */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,64}$/

/** Fastify's `genReqId`: the client's `x-request-id` when it is plain, else a UUID. */
export function requestId(request: IncomingMessage): string {
  const fromClient = request.headers['x-request-id']
  return typeof fromClient === 'string' && CLIENT_REQUEST_ID.test(fromClient) ? fromClient : randomUUID()
}

/**
 * Every answer names its request id; a request that never completes (the client went away, or a
 * deadline closed it) gets its log line too, since the access line is only written for requests
 * that finish.
 */
export function requestIdPlugin(app: App): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
  app.addHook('onRequestAbort', (request, done) => {
    request.log.info({ req: request, keyId: request.authOutcome?.keyId }, 'request aborted')
    done()
  })
}
