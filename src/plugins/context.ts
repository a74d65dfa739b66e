import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { FixtureControl } from '../admin/fixture-control.js'
import type { DiagnosisBudget } from '../auth/diagnosis-budget.js'
import type { ControllableClock } from '../clock.js'
import type { Config } from '../config.js'
import type { LinkSigner } from '../links/link-signer.js'
import type { Journal } from '../admin/journal.js'
import type { BotConversationSource } from '../messaging/bot-conversation.js'
import type { BotRegistry } from '../messaging/bots.js'
import type { Simulation } from '../simulation/simulation.js'
import type { BotMessageReader } from '../store/bot-messages.js'
import type { Webhooks } from '../webhooks/webhooks.js'
import type { SwappableStore } from '../store/store.js'

/** The Fastify instance `buildApp` makes: TypeBox schemas, Node's HTTP server. */
export type App = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

/** What the plugins of the app share, made once by `buildApp`. */
export interface AppContext {
  readonly config: Config
  /** The clock the admin API may move; everything reads it. */
  readonly clock: ControllableClock
  /** Whether a test or the CLI injected its own clock (the `Date` header then follows it). */
  readonly ownClock: boolean
  /** The data every route reads; the admin API may swap it whole. */
  readonly store: SwappableStore
  readonly fixtures: FixtureControl
  readonly linkSigner: LinkSigner
  /** Base of the minted links. */
  readonly publicUrl: () => string
  readonly diagnosisBudget?: DiagnosisBudget | undefined
  /** The bots' conversations, for the pages their links open. */
  readonly botConversations: BotConversationSource
  /** The request journal, when the admin API is on; webhook attempts are journaled in it too. */
  readonly journal: Journal | undefined
  /** The Messaging API's state: its bots, the simulated users and their messages, the webhooks. */
  readonly messaging: MessagingContext
}

export interface MessagingContext {
  /** The bots of the configuration and of the fixtures served now. */
  readonly bots: () => BotRegistry
  readonly messages: BotMessageReader
  readonly simulation: Simulation
  readonly webhooks: Webhooks
}
