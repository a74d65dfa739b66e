import { Type, type Static, type TSchema } from 'typebox'
import type { ClockState } from '../clock.js'
import { FIXTURE_KIND_NAMES, FIXTURE_KINDS, type FixtureData } from '../store/fixture-kinds.js'
import type { FixtureSummary } from './fixture-control.js'
import { FaultSpecSchema, type Fault } from './faults.js'
import type { JournalEntry } from './journal.js'
import type { BotConversationView } from '../messaging/bot-conversation.js'
import type { PendingCounts } from '../simulation/simulation.js'
import type { RecipientBehaviour } from '../messaging/recipient.js'
import type { BotMessageCounts, ConversationSummary } from '../store/bot-messages.js'
import type { MessagingEvent } from '../webhooks/events.js'
import type { WebhooksState } from '../webhooks/webhooks.js'

/**
 * The admin API as data: every operation's method, path, summary and input schemas, and the
 * type of its answer. The server registers its routes from this table (`routes/admin.ts`) and
 * the admin client of `diyalog-mock/testing` sends its requests from it, so the two cannot
 * drift; OpenAPI and the Postman collection read the routes.
 */

export interface AdminOperation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Under `/__admin`; `:name` is a path parameter. */
  readonly path: string
  readonly summary: string
  readonly querystring?: TSchema
  readonly params?: TSchema
  readonly body?: TSchema
  /** The body may be left out; it is validated when it is sent. */
  readonly bodyOptional?: true
  readonly bodyLimit?: number
  /** The answer's type, for the client and the handlers (a type-only marker). */
  readonly reply: unknown
}

/** Marks the type of an operation's answer; nothing exists at run time. */
const answers = <T>() => undefined as T

const Instant = Type.Union([Type.Number(), Type.String()], {
  description: 'Epoch milliseconds or an ISO 8601 date.',
})
const SecondsBody = Type.Object(
  { seconds: Type.Number({ minimum: -1e9, maximum: 1e9, description: 'Seconds; may be negative.' }) },
  { additionalProperties: false },
)

export const JournalQuerySchema = Type.Object(
  {
    path: Type.Optional(Type.String({ description: 'Path prefix, e.g. /v1/reporting' })),
    keyId: Type.Optional(Type.String()),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    auth: Type.Optional(Type.Enum(['ok', 'failed', 'none'] as const)),
    direction: Type.Optional(
      Type.Enum(['in', 'out'] as const, {
        description: '`in`: requests the mock answered; `out`: the webhook POSTs it made',
      }),
    ),
    since: Type.Optional(Type.String({ description: 'Epoch milliseconds or an ISO 8601 date.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
)

export type { FixtureData } from '../store/fixture-kinds.js'
const FixtureDataBody = Type.Unsafe<FixtureData>({
  description: `{${FIXTURE_KIND_NAMES.join(', ')}}, each an array of the records of its fixture file (docs/data-model.md); ${FIXTURE_KIND_NAMES.filter((kind) => FIXTURE_KINDS[kind].optional).join(', ')} may be left out`,
})

const BotName = Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: "A bot's name" })
const BotParams = Type.Object({ bot: BotName })
/** A user as the admin API names one: `customer:<customer number>` or `staff:<staff number>`. */
export const UserRef = Type.String({
  pattern: '^(customer|staff):[0-9A-Za-z._-]{1,64}$',
  description: 'customer:<customer number> or staff:<staff number>',
  examples: ['customer:1231232'],
})
const Mid = Type.String({ minLength: 1, maxLength: 256, description: 'The message id (your messageId)' })
const PRESENCE = ['online', 'offline'] as const
const READING = ['delayed', 'at-once', 'never'] as const
/** One message (`messageId`, optionally of one bot) or what a bot (or every bot) sent to a user. */
const MessageTarget = Type.Object(
  { messageId: Type.Optional(Mid), bot: Type.Optional(BotName), user: Type.Optional(UserRef) },
  { description: 'messageId, or user (and bot)' },
)

/** A bot as the admin API lists it: never its token, only the token's last four characters. */
export interface BotAnswer {
  readonly name: string
  readonly diyalogId: string
  readonly alive: boolean
  readonly tokenHint: string
  readonly source: 'demo' | 'DLG_BOTS' | 'fixtures'
  /** The webhook its events go to (its own or DLG_WEBHOOK_URL's), the URL redacted; null: none. */
  readonly webhook: { readonly id: string; readonly url: string; readonly events: readonly string[] } | null
}

/** The simulation as the admin API reports it. */
export interface SimulationAnswer {
  readonly deliveryMs: number
  readonly readMs: number
  readonly pending: PendingCounts
  readonly messages: BotMessageCounts
  /** The users whose behaviour the admin API changed, as it is now. */
  readonly users: readonly { readonly user: string; readonly behaviour: RecipientBehaviour }[]
}

/** What a simulation action did: the events it sent to the webhook. */
export interface SimulationActionAnswer {
  readonly events: readonly MessagingEvent[]
  readonly note?: string
}

/** The clock as the admin API reports it. */
export type ClockAnswer = ClockState & { readonly iso: string }
/** A journal entry as the admin API lists it. */
export type JournalAnswer = JournalEntry & { readonly at: string }

/**
 * The largest data set `PUT /__admin/fixtures` takes: parsed and validated it costs about seven
 * times its size in memory. Larger sets belong in files (`DLG_FIXTURES_DIR`).
 */
export const MAX_FIXTURE_UPLOAD = 16 * 1024 * 1024

export const ADMIN_OPERATIONS = {
  listRequests: {
    method: 'GET',
    path: '/requests',
    summary: 'The request journal, newest first, with auth verdicts and diagnoses',
    querystring: JournalQuerySchema,
    reply: answers<{
      size: number
      limit: number
      bytes: number
      maxBytes: number
      requests: JournalAnswer[]
    }>(),
  },
  clearRequests: {
    method: 'DELETE',
    path: '/requests',
    summary: 'Empties the journal',
    reply: answers<{ size: 0 }>(),
  },
  clock: { method: 'GET', path: '/clock', summary: "The server's clock", reply: answers<ClockAnswer>() },
  freezeClock: {
    method: 'POST',
    path: '/clock/freeze',
    summary: 'Stops the clock, at {"at": epoch ms or ISO} or now',
    body: Type.Object({ at: Type.Optional(Instant) }, { additionalProperties: false }),
    bodyOptional: true,
    reply: answers<ClockAnswer>(),
  },
  offsetClock: {
    method: 'POST',
    path: '/clock/offset',
    summary: 'Runs the clock {"seconds": N} ahead of (negative: behind) real time',
    body: SecondsBody,
    reply: answers<ClockAnswer>(),
  },
  advanceClock: {
    method: 'POST',
    path: '/clock/advance',
    summary: 'Moves the clock {"seconds": N}',
    body: SecondsBody,
    reply: answers<ClockAnswer>(),
  },
  resetClock: {
    method: 'POST',
    path: '/clock/reset',
    summary: 'Back to real time',
    reply: answers<ClockAnswer>(),
  },
  faults: {
    method: 'GET',
    path: '/faults',
    summary: 'The injected faults still active',
    reply: answers<{ faults: Fault[] }>(),
  },
  addFault: {
    method: 'POST',
    path: '/faults',
    summary: 'Injects a fault: delay, auth-error, api-error or drop',
    body: FaultSpecSchema,
    reply: answers<Fault>(),
  },
  clearFaults: {
    method: 'DELETE',
    path: '/faults',
    summary: 'Removes every fault',
    reply: answers<{ faults: [] }>(),
  },
  removeFault: {
    method: 'DELETE',
    path: '/faults/:id',
    summary: 'Removes one fault',
    params: Type.Object({ id: Type.String() }),
    reply: answers<void>(),
  },
  fixtures: {
    method: 'GET',
    path: '/fixtures',
    summary: 'Where the served data came from, and its counts',
    reply: answers<FixtureSummary>(),
  },
  reloadFixtures: {
    method: 'POST',
    path: '/fixtures/reload',
    summary: 'Reads the fixtures directory again (422 and no change if it does not validate)',
    reply: answers<FixtureSummary>(),
  },
  replaceFixtures: {
    method: 'PUT',
    path: '/fixtures',
    summary: 'Serves the posted data set, validated like the files (422 and no change if it does not)',
    body: FixtureDataBody,
    bodyLimit: MAX_FIXTURE_UPLOAD,
    reply: answers<FixtureSummary>(),
  },
  resetFixtures: {
    method: 'DELETE',
    path: '/fixtures',
    summary: 'Back to the data the server started with',
    reply: answers<FixtureSummary>(),
  },
  // Messaging: bots, their conversations, the simulated users, the webhooks
  bots: {
    method: 'GET',
    path: '/bots',
    summary: 'The bots: configured and of the fixtures (tokens shown by their last four characters)',
    reply: answers<{ bots: BotAnswer[] }>(),
  },
  botConversations: {
    method: 'GET',
    path: '/bots/:bot/conversations',
    summary: "A bot's conversations, the most recently active first",
    params: BotParams,
    reply: answers<{ bot: string; conversations: ConversationSummary[] }>(),
  },
  botConversation: {
    method: 'GET',
    path: '/bots/:bot/conversations/:user',
    summary:
      "One conversation of a bot (user: customer:<id> or staff:<id>), oldest first, with each message's state",
    params: Type.Object({ bot: BotName, user: UserRef }),
    querystring: Type.Object(
      {
        offset: Type.Optional(Type.Integer({ minimum: 0 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
      },
      { additionalProperties: false },
    ),
    reply: answers<BotConversationView>(),
  },
  botLink: {
    method: 'POST',
    path: '/bots/:bot/links',
    summary: 'Mints a signed, expiring link to a bot\'s conversation with a user, {"user": "customer:<id>"}',
    params: BotParams,
    body: Type.Object({ user: UserRef }, { additionalProperties: false }),
    reply: answers<{ link: string; expiresAt: number }>(),
  },
  simulation: {
    method: 'GET',
    path: '/simulation',
    summary: 'The simulated users: delays, what is scheduled, behaviours set at run time',
    reply: answers<SimulationAnswer>(),
  },
  setUserBehaviour: {
    method: 'PUT',
    path: '/simulation/users/:user',
    summary:
      'How a simulated user behaves from now on: {"presence": "online"|"offline", "reading": "delayed"|"at-once"|"never"}',
    params: Type.Object({ user: UserRef }),
    body: Type.Object(
      { presence: Type.Optional(Type.Enum(PRESENCE)), reading: Type.Optional(Type.Enum(READING)) },
      { additionalProperties: false },
    ),
    reply: answers<SimulationActionAnswer>(),
  },
  deliver: {
    method: 'POST',
    path: '/simulation/deliver',
    summary: 'Delivers now: one message {"messageId"}, or everything pending to a user {"user", "bot"?}',
    body: MessageTarget,
    reply: answers<SimulationActionAnswer>(),
  },
  read: {
    method: 'POST',
    path: '/simulation/read',
    summary: 'The user reads now (delivering first): {"messageId"} or {"user", "bot"?}',
    body: MessageTarget,
    reply: answers<SimulationActionAnswer>(),
  },
  reply: {
    method: 'POST',
    path: '/simulation/reply',
    summary: 'The user writes back: {"messageId" or "user" and "bot", "text"} (a Messages event)',
    body: Type.Intersect(
      [MessageTarget, Type.Object({ text: Type.String({ minLength: 1, maxLength: 65_536 }) })],
      {
        unevaluatedProperties: false,
      },
    ),
    reply: answers<SimulationActionAnswer>(),
  },
  press: {
    method: 'POST',
    path: '/simulation/press',
    summary:
      'The user presses a quick reply or a button of a message: {"messageId", "button": title, payload or index, "element"?} (a Messages event)',
    body: Type.Object(
      {
        messageId: Mid,
        bot: Type.Optional(BotName),
        button: Type.Union(
          [Type.String({ minLength: 1, maxLength: 8192 }), Type.Integer({ minimum: 0, maximum: 99 })],
          {
            description: "The button's title or payload, or its position (0 = first)",
          },
        ),
        element: Type.Optional(
          Type.Integer({ minimum: 0, maximum: 99, description: "A generic template's element (0 = first)" }),
        ),
      },
      { additionalProperties: false },
    ),
    reply: answers<SimulationActionAnswer>(),
  },
  otp: {
    method: 'POST',
    path: '/simulation/otp',
    summary:
      'The user approves or dismisses a one-time password: {"messageId", "action": "approve"|"dismiss"}',
    body: Type.Object(
      { messageId: Mid, bot: Type.Optional(BotName), action: Type.Enum(['approve', 'dismiss'] as const) },
      { additionalProperties: false },
    ),
    reply: answers<SimulationActionAnswer>(),
  },
  webhooks: {
    method: 'GET',
    path: '/webhooks',
    summary: 'The webhooks: pending events, the batch in flight, the last batches sent or dropped, counters',
    reply: answers<WebhooksState>(),
  },
  reset: {
    method: 'POST',
    path: '/reset',
    summary:
      'Journal, clock, faults, fixtures, bot conversations, simulation and webhook queues back to the start',
    reply: answers<{ clock: ClockAnswer; fixtures: FixtureSummary; journal: { size: number }; faults: [] }>(),
  },
} as const satisfies Readonly<Record<string, AdminOperation>>

export type AdminOperations = typeof ADMIN_OPERATIONS
export type AdminOperationName = keyof AdminOperations

type StaticOf<Schema> = Schema extends TSchema ? Static<Schema> : undefined

/** What a call of operation `N` sends: its body, query and path parameters, as typed. */
export interface AdminInput<N extends AdminOperationName> {
  readonly body: AdminOperations[N] extends { bodyOptional: true }
    ? StaticOf<AdminOperations[N]['body' & keyof AdminOperations[N]]> | undefined
    : StaticOf<AdminOperations[N]['body' & keyof AdminOperations[N]]>
  readonly query: StaticOf<AdminOperations[N]['querystring' & keyof AdminOperations[N]]>
  readonly params: StaticOf<AdminOperations[N]['params' & keyof AdminOperations[N]]>
}

/** What operation `N` answers on success. */
export type AdminReply<N extends AdminOperationName> = AdminOperations[N]['reply']

/** The URL path of an operation under `/__admin`, with its parameters filled in. */
export function adminPath(operation: AdminOperation, params: Readonly<Record<string, string>> = {}): string {
  return operation.path.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''))
}
