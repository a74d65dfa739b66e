import { randomBytes, randomUUID } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import fastifyAccepts from '@fastify/accepts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyError } from 'fastify'
import { AuthenticationError } from './http/hmac-auth-hook.js'
import type { DiagnosisBudget } from './auth/diagnosis-budget.js'
import { createKeyring } from './auth/keyring.js'
import { controllableClock, systemClock, type Clock } from './clock.js'
import type { Config } from './config.js'
import { RequestBodyError } from './http/json-body.js'
import { AccessLogController } from './http/access-log.js'
import { sendHtml } from './http/page-response.js'
import { sendText } from './http/plain-text.js'
import { createLinkSigner } from './links/link-signer.js'
import { conversationPageRoute } from './routes/conversation-page.js'
import { healthRoute } from './routes/health.js'
import { signedApi, V1_PREFIX } from './routes/v1.js'
import { swappableStore, type MessageStore } from './store/message-store.js'
import { FixtureError } from './store/fixture-loader.js'
import { createFaults } from './admin/faults.js'
import { createFixtureControl } from './admin/fixture-control.js'
import { createJournal } from './admin/journal.js'
import { ADMIN_PREFIX, faultHook, journalHooks } from './admin/request-hooks.js'
import { dateHeaderHook } from './http/date-header.js'
import { adminRoutes } from './routes/admin.js'
import { registerOpenApi } from './openapi.js'
import { createConversationViews } from './views/conversation-page.js'
import { createPageFormat } from './views/format.js'

export interface AppOptions {
  readonly config: Config
  readonly store: MessageStore
  /** Defaults to the system clock; tests pin it. */
  readonly clock?: Clock
  /** A pino logger; without one the app does not log. */
  readonly logger?: FastifyBaseLogger
  /** What the signature diagnosis may spend; default: the process's (docs/contract.md D31). Tests set their own. */
  readonly diagnosisBudget?: DiagnosisBudget
}

/** A client-chosen request id is kept when it is short and plain, so it can be grepped in both logs. */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,64}$/

function requestId(request: IncomingMessage): string {
  const fromClient = request.headers['x-request-id']
  return typeof fromClient === 'string' && CLIENT_REQUEST_ID.test(fromClient) ? fromClient : randomUUID()
}

/**
 * The host of the links when DLG_PUBLIC_URL is not set: where the server listens, or `localhost`
 * when it listens on every interface (a client of 127.0.0.1 never meets a `localhost` that
 * resolves to ::1 first).
 */
export function linkHost(host: string): string {
  if (host === '' || host === '0.0.0.0' || host === '::') return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}

/** The port a listening server is bound to (useful with PORT=0). */
export function listeningPort(server: Server): number | undefined {
  const address = server.address()
  return typeof address === 'object' && address !== null ? address.port : undefined
}

/**
 * Builds the whole application and never listens: `server.ts` listens, tests inject.
 */
export function buildApp(options: AppOptions) {
  const { config } = options
  // The admin API may move the clock and swap the data; everything reads these two.
  const clock = controllableClock(options.clock ?? systemClock)
  const store = swappableStore(options.store)
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    bodyLimit: config.bodyLimit,
    // Slow or idle clients cannot pin the server: headers, the whole request and an idle
    // kept-alive connection each have a deadline (408 and close for the first two). Node checks
    // the first two every second rather than its default 30.
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
    },
    genReqId: requestId,
    // During a graceful stop a request on a connection still open is served, with
    // `Connection: close` (serve.ts), rather than refused with Fastify's JSON 503.
    return503OnClosing: false,
    // One access line per request instead of Fastify's two.
    logController: new AccessLogController(),
    // Requests Fastify cannot route (e.g. a malformed URL) get plain text like everything else.
    frameworkErrors: (error, _request, reply) => sendText(reply, error.statusCode ?? 400, error.message),
  }).withTypeProvider<TypeBoxTypeProvider>()

  let linkSecret = config.linkSecret
  if (linkSecret === undefined) {
    linkSecret = randomBytes(32).toString('base64url')
    app.log.warn(
      'DLG_LINK_SECRET is not set: links are signed with a random secret and stop opening when this process stops',
    )
  }
  const linkSigner = createLinkSigner({ secret: linkSecret, ttlSeconds: config.linkTtlSeconds })
  // Asked on every link minted: the listening port is read once the server listens.
  let listeningUrl: string | undefined
  const publicUrl = () => {
    if (config.publicUrl !== undefined) return config.publicUrl
    if (listeningUrl !== undefined) return listeningUrl
    const port = listeningPort(app.server)
    const url = `http://${linkHost(config.host)}:${port ?? config.port}`
    if (port !== undefined) listeningUrl = url
    return url
  }

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
  // A request that never completes (the client went away, or a deadline closed it) gets its
  // line too: the access line is only written for requests that finish.
  app.addHook('onRequestAbort', (request, done) => {
    request.log.info({ req: request, keyId: request.authOutcome?.keyId }, 'request aborted')
    done()
  })
  app.decorateRequest('rawBody', null)
  app.decorateRequest('authOutcome', null)
  registerOpenApi(app)

  const fixtures = createFixtureControl(store, options.store, config.fixturesDir)
  if (config.fixturesWatch) {
    let stopWatching = () => {}
    app.addHook('onReady', async () => {
      stopWatching = fixtures.watch((result) => {
        if (result instanceof FixtureError) {
          app.log.error(`fixture reload failed, still serving the previous data: ${result.message}`)
        } else app.log.info({ fixtures: result.counts }, 'fixtures reloaded')
      })
    })
    app.addHook('onClose', async () => stopWatching())
  }
  // The `Date` header tells clients the time the skew check uses (the conformance runner reads
  // it): it follows an injected clock, and the admin API's moves of the clock.
  const ownClock = options.clock !== undefined && options.clock !== systemClock
  if (ownClock || config.adminToken !== undefined) app.addHook('onSend', dateHeaderHook(clock, ownClock))
  if (config.adminToken !== undefined) {
    const journal = createJournal(config.journalLimit)
    const faults = createFaults(clock)
    const { markArrival, recordRequest, recordDropped } = journalHooks(journal, clock)
    const { injectFault, cancelDelays } = faultHook(faults, recordDropped)
    app.decorateRequest('arrivedAt', 0)
    app.addHook('onRequest', markArrival)
    app.addHook('onRequest', injectFault)
    app.addHook('onResponse', recordRequest)
    app.addHook('preClose', async () => cancelDelays())
    app.register(adminRoutes, {
      prefix: ADMIN_PREFIX,
      token: config.adminToken,
      journal,
      clock,
      faults,
      fixtures,
    })
  }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AuthenticationError || error instanceof RequestBodyError) {
      return sendText(reply, error.statusCode, error.message)
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) return sendText(reply, status, error.message)
    request.log.error({ err: error }, 'unexpected error')
    return sendText(reply, 500, 'Internal server error')
  })
  const views = createConversationViews(createPageFormat(config.pageTimeZone))
  app.register(fastifyAccepts)
  // A browser gets a page, an HTTP client plain text (the `/v1` API has its own answer).
  app.setNotFoundHandler((request, reply) => {
    reply.header('vary', 'Accept')
    return request.accepts().type(['text/plain', 'html']) === 'html'
      ? sendHtml(reply, 404, views.notFound())
      : sendText(reply, 404, `Not found: ${request.method} ${request.url.split('?')[0] ?? ''}`)
  })

  app.register(healthRoute, { store })
  app.register(conversationPageRoute, {
    store,
    linkSigner,
    clock,
    views,
    pageSize: config.pageSize,
    publicUrl,
  })
  app.register(signedApi, {
    prefix: V1_PREFIX,
    auth: {
      keyring: createKeyring(config.accessKeys, config.retiredAccessKeys),
      diagnostics: config.diagnostics,
      maxSkewSeconds: config.maxSkewSeconds,
      acceptHeaderAliases: config.acceptHeaderAliases,
      acceptNewlineBeforeResource: config.acceptNewlineBeforeResource,
      bodyLimit: config.bodyLimit,
      clock,
      ...(options.diagnosisBudget === undefined ? {} : { diagnosisBudget: options.diagnosisBudget }),
    },
    deps: { store, linkSigner, clock, publicUrl },
  })
  return app
}
