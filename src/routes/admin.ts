import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifySchemaCompiler } from 'fastify'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'
import type { FixtureControl, FixtureSummary } from '../admin/fixture-control.js'
import type { Faults } from '../admin/faults.js'
import type { Journal } from '../admin/journal.js'
import {
  ADMIN_OPERATIONS,
  type AdminInput,
  type AdminOperation,
  type AdminOperationName,
  type AdminReply,
  type BotAnswer,
  type ClockAnswer,
} from '../admin/operations.js'
import { parseInstant, type ControllableClock } from '../clock.js'
import { describeSchemaErrors, jsonType } from '../http/json-body.js'
import { sendText } from '../http/plain-text.js'
import { FixtureError } from '../store/fixture-loader.js'
import type { LinkSigner } from '../links/link-signer.js'
import type { BotConversationSource } from '../messaging/bot-conversation.js'
import { DEMO_BOT, tokenHint, type Bot } from '../messaging/bots.js'
import type { MessagingContext } from '../plugins/context.js'
import type { SimulationFailure } from '../simulation/failures.js'
import type { MessageSelector } from '../simulation/simulation.js'
import type { MessagingEvent } from '../webhooks/events.js'
import { redactUrl } from '../webhooks/redact-url.js'
import type { WebhookConfig } from '../webhooks/webhook-config.js'

/**
 * `/__admin`: the request journal, clock control, fault injection, fixtures and a scenario
 * reset, for test suites (WireMock users will find it familiar). Registered only when
 * `DLG_ADMIN_TOKEN` is set; every call needs `Authorization: Bearer <token>`.
 */

export interface AdminDeps {
  readonly token: string
  readonly journal: Journal
  readonly clock: ControllableClock
  readonly faults: Faults
  readonly fixtures: FixtureControl
  readonly messaging: MessagingContext
  /** The bots of the configuration (`DLG_BOTS`, or the demo bot), to tell them from the fixtures'. */
  readonly configuredBots: readonly Bot[]
  /** `DLG_WEBHOOK_URL`'s webhook, for the bots without their own. */
  readonly webhook: WebhookConfig | undefined
  readonly botConversations: BotConversationSource
  readonly linkSigner: LinkSigner
  readonly publicUrl: () => string
}

/** `customer:70021` → `{kind: 'customer', id: '70021'}` (the operations' schema checked the pattern). */
function userOf(ref: string): { kind: 'customer' | 'staff'; id: string } {
  const colon = ref.indexOf(':')
  return { kind: ref.slice(0, colon) as 'customer' | 'staff', id: ref.slice(colon + 1) }
}

/** A message of the request (`messageId`), or what a bot or every bot sent to a user (`user`). */
function selectorOf(
  body: { messageId?: string; bot?: string; user?: string },
  reply: FastifyReply,
): MessageSelector | FastifyReply {
  if (body.messageId !== undefined) {
    return { messageId: body.messageId, ...(body.bot === undefined ? {} : { bot: body.bot }) }
  }
  if (body.user === undefined) return sendText(reply, 400, 'body: give messageId, or user (and bot)')
  return { recipient: userOf(body.user), ...(body.bot === undefined ? {} : { bot: body.bot }) }
}

/** Both sides hashed first, so the comparison takes the same time whatever the lengths. */
function sameToken(given: string, expected: Buffer): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), expected)
}

function instant(value: number | string, clock: ControllableClock): number | undefined {
  if (typeof value === 'number') return value
  return value === 'now' ? clock.now() : parseInstant(value)
}

/** The bodies an operation may leave out: validated when they are sent. */
const OPTIONAL_BODIES: ReadonlySet<unknown> = new Set(
  Object.values(ADMIN_OPERATIONS as Readonly<Record<string, AdminOperation>>).flatMap((operation) =>
    operation.bodyOptional === true ? [operation.body] : [],
  ),
)

/**
 * Strict TypeBox validation, like the signed API's: unknown fields are refused, not stripped,
 * and nothing is coerced but query strings and path parameters (which arrive as text).
 * A mistake is a 400 naming the field.
 */
const adminValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const converts = httpPart === 'querystring' || httpPart === 'params'
  const answer = (input: unknown, problem: string | undefined) =>
    problem === undefined
      ? { value: input }
      : { error: Object.assign(new Error(`${httpPart ?? 'request'}: ${problem}`), { statusCode: 400 }) }
  /** What is wrong with a value, in a sentence per field; undefined when nothing is. */
  const problemOf = (member: TSchema) => {
    const validator = Compile(member)
    return (input: unknown) =>
      validator.Check(input) ? undefined : describeSchemaErrors(validator.Errors(input), input)
  }
  const union = discriminatedUnion(schema)
  if (union === undefined) {
    const problem = problemOf(schema)
    const optional = httpPart === 'body' && OPTIONAL_BODIES.has(schema)
    return (value: unknown) => {
      // Fastify validates a request without a body as null.
      if (optional && (value === undefined || value === null)) return answer(undefined, undefined)
      const input = converts ? Value.Convert(schema, value) : value
      return answer(input, problem(input))
    }
  }
  // A fault's `kind` chooses its shape, so a mistake is told in that kind's terms.
  const members = new Map([...union.members].map(([tag, member]) => [tag, problemOf(member)]))
  const tags = [...members.keys()].join(', ')
  return (value: unknown) => {
    if (jsonType(value) !== 'object')
      return answer(value, `the body must be a JSON object (got ${jsonType(value)})`)
    const tag = (value as Record<string, unknown>)[union.key]
    const problem = members.get(tag)
    if (problem === undefined) return answer(value, `field ${union.key} must be one of ${tags}`)
    const found = problem(value)
    return answer(value, found === undefined ? undefined : `${found} (${union.key} ${String(tag)})`)
  }
}

/** A union of objects told apart by one field whose value each member fixes (`kind`). */
function discriminatedUnion(schema: TSchema): { key: string; members: Map<unknown, TSchema> } | undefined {
  const anyOf = (schema as { anyOf?: { properties?: Record<string, { const?: unknown }> }[] }).anyOf
  const first = anyOf?.[0]?.properties
  if (anyOf === undefined || first === undefined) return undefined
  const key = Object.keys(first).find((name) =>
    anyOf.every((member) => member.properties?.[name]?.const !== undefined),
  )
  if (key === undefined) return undefined
  return {
    key,
    members: new Map(anyOf.map((member) => [member.properties?.[key]?.const, member as TSchema])),
  }
}

type Handler<N extends AdminOperationName> = (
  input: AdminInput<N>,
  reply: FastifyReply,
) => Promise<AdminReply<N> | FastifyReply>

/** The schemas Fastify validates for an operation (an optional body when it is sent). */
function routeSchema(operation: AdminOperation) {
  return {
    summary: operation.summary,
    ...(operation.querystring === undefined ? {} : { querystring: operation.querystring }),
    ...(operation.params === undefined ? {} : { params: operation.params }),
    ...(operation.body === undefined ? {} : { body: operation.body }),
  }
}

export const adminRoutes: FastifyPluginAsync<AdminDeps> = async (app, deps) => {
  const { journal, clock, faults, fixtures, messaging } = deps
  const { simulation, webhooks } = messaging
  /** A simulation action's answer: what it emitted, or its failure as plain text. */
  const acted = <R extends { ok: true; events: readonly MessagingEvent[] }>(
    result: R | SimulationFailure,
    reply: FastifyReply,
    note?: (done: R) => string | undefined,
  ) => {
    if (!result.ok) return sendText(reply, result.status, result.message)
    const text = note?.(result)
    return { events: result.events, ...(text === undefined ? {} : { note: text }) }
  }
  const botNamed = (name: string, reply: FastifyReply) =>
    messaging.bots().byName(name) ?? sendText(reply, 404, `no bot ${JSON.stringify(name)}`)
  const botAnswer = (bot: Bot): BotAnswer => {
    const webhook = bot.webhook ?? deps.webhook
    return {
      name: bot.name,
      diyalogId: bot.diyalogId,
      alive: bot.alive,
      tokenHint: tokenHint(bot.token),
      source: bot === DEMO_BOT ? 'demo' : deps.configuredBots.includes(bot) ? 'DLG_BOTS' : 'fixtures',
      webhook:
        webhook === undefined
          ? null
          : { id: webhook.id, url: redactUrl(webhook.url), events: webhook.events },
    }
  }
  app.setValidatorCompiler(adminValidatorCompiler)
  const expected = createHash('sha256').update(deps.token).digest()

  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization ?? ''
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : ''
    if (!sameToken(token, expected)) {
      reply.header('www-authenticate', 'Bearer realm="diyalog-mock admin"')
      return sendText(reply, 401, 'Admin API: send Authorization: Bearer <DLG_ADMIN_TOKEN>')
    }
  })

  // A body over an operation's limit is named with the limit (the rest goes to the app's handler).
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error
    const limit = request.routeOptions.bodyLimit
    const fixturesHint =
      request.method === ADMIN_OPERATIONS.replaceFixtures.method &&
      request.routeOptions.url?.endsWith(ADMIN_OPERATIONS.replaceFixtures.path) === true
        ? ': put a larger data set in the fixtures directory (DLG_FIXTURES_DIR) and reload it'
        : ''
    return sendText(
      reply,
      413,
      `the body is larger than ${limit} bytes, the most ${request.method} ${request.routeOptions.url} takes${fixturesHint}`,
    )
  })

  const clockState = (): ClockAnswer => {
    const state = clock.state()
    return { ...state, iso: new Date(state.now).toISOString() }
  }
  const fixtureAnswer = async (reply: FastifyReply, change: () => Promise<FixtureSummary>) => {
    try {
      return await change()
    } catch (error) {
      if (error instanceof FixtureError)
        return sendText(reply, 422, `${error.message}\n(the previous data is still served)`)
      throw error
    }
  }

  const handlers: { readonly [N in AdminOperationName]: Handler<N> } = {
    // Request journal
    async listRequests({ query }, reply) {
      const { since, ...filter } = query
      const sinceMs = since === undefined ? undefined : instant(since, clock)
      if (since !== undefined && sinceMs === undefined) {
        return sendText(reply, 400, 'since must be epoch milliseconds or an ISO 8601 date')
      }
      const entries = journal.list({ ...filter, ...(sinceMs === undefined ? {} : { since: sinceMs }) })
      return {
        size: journal.size,
        limit: journal.limit,
        bytes: journal.bytes,
        maxBytes: journal.maxBytes,
        requests: entries.map((entry) => ({ ...entry, at: new Date(entry.time).toISOString() })),
      }
    },
    async clearRequests() {
      journal.clear()
      return { size: 0 }
    },

    // Clock control
    clock: async () => clockState(),
    // The body is optional ({"at": …}); without one the clock stops where it is.
    async freezeClock({ body }, reply) {
      const at = body?.at === undefined ? clock.now() : instant(body.at, clock)
      if (at === undefined) return sendText(reply, 400, 'at must be epoch milliseconds or an ISO 8601 date')
      clock.freeze(at)
      return clockState()
    },
    async offsetClock({ body }) {
      clock.offset(body.seconds)
      return clockState()
    },
    async advanceClock({ body }) {
      clock.advance(body.seconds)
      return clockState()
    },
    async resetClock() {
      clock.reset()
      return clockState()
    },

    // Fault injection
    faults: async () => ({ faults: faults.list() }),
    async addFault({ body: spec }, reply) {
      const path = spec.path
      if (
        path !== undefined &&
        (!path.startsWith('/') || path.startsWith('/__admin') || path.startsWith('/health'))
      ) {
        return sendText(
          reply,
          400,
          'path must start with / and name an API or page path: the admin API and /health get no faults',
        )
      }
      reply.code(201)
      return faults.add(spec)
    },
    async clearFaults() {
      faults.clear()
      return { faults: [] }
    },
    removeFault: async ({ params }, reply) =>
      faults.remove(params.id) ? reply.code(204).send() : sendText(reply, 404, `no fault ${params.id}`),

    // Fixtures
    fixtures: async () => fixtures.summary(),
    reloadFixtures: (_input, reply) => fixtureAnswer(reply, () => fixtures.reload()),
    replaceFixtures: ({ body }, reply) => fixtureAnswer(reply, () => fixtures.replace(body)),
    resetFixtures: () => fixtures.reset(),

    // Messaging: the bots, their conversations, the simulated users, the webhooks
    bots: async () => ({ bots: messaging.bots().bots.map(botAnswer) }),
    async botConversations({ params }, reply) {
      const bot = botNamed(params.bot, reply)
      if (!('token' in bot)) return bot
      return { bot: bot.name, conversations: messaging.messages.conversations(bot.name) }
    },
    async botConversation({ params, query }, reply) {
      const bot = botNamed(params.bot, reply)
      if (!('token' in bot)) return bot
      const range =
        query.offset === undefined && query.limit === undefined
          ? undefined
          : { offset: query.offset ?? 0, limit: query.limit ?? 10_000 }
      const view = deps.botConversations.conversation(bot.name, userOf(params.user), range)
      return view ?? sendText(reply, 404, `no user ${params.user}`)
    },
    async botLink({ params, body }, reply) {
      const bot = botNamed(params.bot, reply)
      if (!('token' in bot)) return bot
      const user = userOf(body.user)
      if (deps.botConversations.conversation(bot.name, user, { offset: 0, limit: 0 }) === undefined) {
        return sendText(reply, 404, `no user ${body.user}`)
      }
      reply.code(201)
      const path = deps.linkSigner.mintBot({ botName: bot.name, recipient: user }, clock.now())
      const link = `${deps.publicUrl()}${path}`
      return { link, expiresAt: Number(new URL(link).searchParams.get('expiresAt')) }
    },
    simulation: async () => ({
      deliveryMs: simulation.deliveryMs,
      readMs: simulation.readMs,
      users: simulation.behaviours(),
      pending: simulation.pending(),
      messages: messaging.messages.counts(),
    }),
    setUserBehaviour: async ({ params, body }, reply) =>
      acted(simulation.setBehaviour(params.user, body), reply),
    async deliver({ body }, reply) {
      const selector = selectorOf(body, reply)
      return 'sent' in selector ? selector : acted(simulation.deliver(selector as MessageSelector), reply)
    },
    async read({ body }, reply) {
      const selector = selectorOf(body, reply)
      return 'sent' in selector ? selector : acted(simulation.read(selector as MessageSelector), reply)
    },
    async reply({ body }, reply) {
      if (body.messageId !== undefined) {
        return acted(
          simulation.reply({
            messageId: body.messageId,
            text: body.text,
            ...(body.bot === undefined ? {} : { bot: body.bot }),
          }),
          reply,
        )
      }
      if (body.user === undefined || body.bot === undefined) {
        return sendText(reply, 400, 'body: give messageId, or user and bot, with the text')
      }
      return acted(simulation.reply({ bot: body.bot, recipient: userOf(body.user), text: body.text }), reply)
    },
    press: async ({ body }, reply) =>
      acted(simulation.press(body), reply, (done) =>
        done.opened === undefined
          ? undefined
          : `a web_url button: the device opened ${done.opened}; no Messages event`,
      ),
    otp: async ({ body }, reply) => acted(simulation.otp(body), reply),
    webhooks: async () => webhooks.state(),

    // Everything back to the start, between two tests
    async reset() {
      // The simulation first: the clock's reset would run what fell due by then.
      simulation.reset()
      webhooks.reset()
      journal.clear()
      clock.reset()
      faults.clear()
      return {
        clock: clockState(),
        fixtures: await fixtures.reset(),
        journal: { size: journal.size },
        faults: [],
      }
    },
  }

  for (const name of Object.keys(ADMIN_OPERATIONS) as AdminOperationName[]) {
    const operation: AdminOperation = ADMIN_OPERATIONS[name]
    const handler = handlers[name] as Handler<AdminOperationName>
    app.route({
      method: operation.method,
      url: operation.path,
      schema: routeSchema(operation),
      ...(operation.bodyLimit === undefined ? {} : { bodyLimit: operation.bodyLimit }),
      handler: (request, reply) =>
        handler({ body: request.body, query: request.query, params: request.params } as never, reply),
    })
  }
}
