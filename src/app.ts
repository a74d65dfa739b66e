import { randomBytes } from 'node:crypto'
import type { Server } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger } from 'fastify'
import { createFixtureControl } from './admin/fixture-control.js'
import type { DiagnosisBudget } from './auth/diagnosis-budget.js'
import { createJournal, webhookEntry, type Journal } from './admin/journal.js'
import { controllableClock, systemClock, type Clock, type ControllableClock } from './clock.js'
import type { BotConversationSource } from './messaging/bot-conversation.js'
import { resolveRecipient } from './store/recipient-lookup.js'
import { botRegistry, messagingPlugin } from './plugins/messaging.js'
import { createSimulation } from './simulation/simulation.js'
import { createWebhooks } from './webhooks/webhooks.js'
import type { Config } from './config.js'
import { AccessLogController } from './http/access-log.js'
import { sendText } from './http/plain-text.js'
import { createLinkSigner } from './links/link-signer.js'
import { registerOpenApi } from './openapi.js'
import { adminPlugin } from './plugins/admin.js'
import type { App, AppContext } from './plugins/context.js'
import { errorHandlerPlugin } from './plugins/error-handler.js'
import { fixtureWatchPlugin } from './plugins/fixture-watch.js'
import { pagesPlugin } from './plugins/pages.js'
import { requestId, requestIdPlugin } from './plugins/request-id.js'
import { requestStatePlugin } from './plugins/request-state.js'
import { signedApiPlugin } from './plugins/signed-api.js'
import { swappableStore, type Store, type SwappableStore } from './store/store.js'

export interface AppOptions {
  readonly config: Config
  readonly store: Store
  /** Defaults to the system clock; tests pin it. */
  readonly clock?: Clock
  /** A pino logger; without one the app does not log. */
  readonly logger?: FastifyBaseLogger
  /** What the signature diagnosis may spend; default: the process's (docs/contract.md D31). Tests set their own. */
  readonly diagnosisBudget?: DiagnosisBudget
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

/** The Fastify instance, its deadlines and its framework-level answers. */
function createFastify(config: Config, logger: FastifyBaseLogger | undefined): App {
  return Fastify({
    ...(logger === undefined ? { logger: false } : { loggerInstance: logger }),
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
}

/** What the plugins share: the clock and the data the admin API may move, the link signer. */
function appContext(app: App, options: AppOptions): AppContext {
  const { config } = options
  const store = swappableStore(options.store)
  const clock = controllableClock(options.clock ?? systemClock)
  const journal = config.adminToken === undefined ? undefined : createJournal(config.journalLimit)
  let linkSecret = config.linkSecret
  if (linkSecret === undefined) {
    linkSecret = randomBytes(32).toString('base64url')
    app.log.warn(
      'DLG_LINK_SECRET is not set: links are signed with a random secret and stop opening when this process stops',
    )
  }
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
  return {
    config,
    clock,
    journal,
    ownClock: options.clock !== undefined && options.clock !== systemClock,
    store,
    fixtures: createFixtureControl(store, options.store, config.fixturesDir, {
      messagingDayZone: config.messagingDayZone,
    }),
    linkSigner: createLinkSigner({ secret: linkSecret, ttlSeconds: config.linkTtlSeconds }),
    publicUrl,
    diagnosisBudget: options.diagnosisBudget,
    ...messagingContext(app, config, clock, store, journal),
  }
}

/**
 * The Messaging API's state, made once: the bots (configured and of the fixtures), the store of
 * their conversations, the simulated users sending through it, and the webhooks their events go
 * to (each attempt journaled).
 */
function messagingContext(
  app: App,
  config: Config,
  clock: ControllableClock,
  store: SwappableStore,
  journal: Journal | undefined,
): Pick<AppContext, 'messaging' | 'botConversations'> {
  const bots = botRegistry({ config, store }, (text) => app.log.warn(text))
  const webhooks = createWebhooks({
    clock,
    ...(journal === undefined ? {} : { onAttempt: (record) => journal.record(webhookEntry(record)) }),
  })
  const simulation = createSimulation({
    clock,
    resolve: (query) => resolveRecipient(store, query),
    bots: (name) => bots().byName(name),
    emit: (bot, event) => {
      const webhook = bot.webhook ?? config.webhook
      if (webhook !== undefined) webhooks.enqueue(webhook, event)
    },
    deliveryMs: config.simDeliveryMs,
    readMs: config.simReadMs,
    onError: (error) => app.log.error({ err: error }, 'simulation task failed'),
  })
  const messages = simulation.messages
  const botConversations: BotConversationSource = {
    conversation(botName, user, range) {
      const bot = bots().byName(botName)
      const known = resolveRecipient(
        store,
        user.kind === 'customer' ? { appCustomerId: user.id } : { appStaffId: user.id },
      )
      if (bot === undefined || known === undefined) return undefined
      // The behaviour as it is now: the fixtures', with the admin API's changes.
      const recipient = { ...known, behaviour: simulation.behaviourOf(known) ?? known.behaviour }
      const slice = messages.conversation(bot.name, recipient, range === undefined ? {} : { range })
      return {
        bot: { name: bot.name, diyalogId: bot.diyalogId },
        recipient,
        total: slice.total,
        // The view's fields only: not the store's own (`bot`, `recipient`, `seq`).
        messages: slice.messages.map(({ bot: _bot, recipient: _recipient, seq: _seq, ...view }) => view),
      }
    },
  }
  return { messaging: { bots, messages, simulation, webhooks }, botConversations }
}

/**
 * Builds the whole application and never listens: `server.ts` listens, tests inject. Each step
 * is a small plugin of `src/plugins/`, in the order their hooks must run. They are plain
 * functions on the root instance, not `app.register`ed: registered, their hooks and handlers
 * would apply to their own scope only.
 */
export function buildApp(options: AppOptions) {
  const app = createFastify(options.config, options.logger)
  const context = appContext(app, options)
  requestIdPlugin(app)
  requestStatePlugin(app)
  registerOpenApi(app) // before any route, so it sees them all
  fixtureWatchPlugin(app, context)
  adminPlugin(app, context)
  errorHandlerPlugin(app)
  pagesPlugin(app, context)
  signedApiPlugin(app, context)
  messagingPlugin(app, context)
  return app
}
