import { randomBytes } from 'node:crypto'
import type { Static } from 'typebox'
import type { Fault, FaultSpec } from './admin/faults.js'
import type { FixtureSummary } from './admin/fixture-control.js'
import {
  ADMIN_OPERATIONS,
  adminPath,
  type AdminOperation,
  type AdminInput,
  type AdminOperationName,
  type AdminReply,
  type BotAnswer,
  type ClockAnswer,
  type FixtureData,
  type JournalAnswer,
  type JournalQuerySchema,
  type SimulationActionAnswer,
  type SimulationAnswer,
} from './admin/operations.js'
import { ADMIN_PREFIX } from './admin/request-hooks.js'
import { buildApp, listeningPort } from './app.js'
import { formatDlgDate } from './auth/dlg-date.js'
import { DEMO_ACCESS_KEY, type AccessKey } from './auth/keyring.js'
import { sign } from './auth/signer.js'
import { loadConfig } from './config.js'
import type { BotConversationView } from './messaging/bot-conversation.js'
import type { ConversationSummary } from './store/bot-messages.js'
import { loadFixturesDir, parseFixtureData } from './store/fixture-loader.js'
import { createStore } from './store/store.js'
import type { WebhooksState } from './webhooks/webhooks.js'

export type { AuthVerdict, JournalEntry } from './admin/journal.js'
export type { Fault, FaultKind, FaultSpec } from './admin/faults.js'
export type { FixtureSummary } from './admin/fixture-control.js'
export type {
  BotAnswer,
  FixtureData,
  JournalAnswer,
  SimulationActionAnswer,
  SimulationAnswer,
} from './admin/operations.js'
export type { Diagnosis } from './auth/diagnosis.js'
export type { AccessKey } from './auth/keyring.js'
export {
  startWebhookReceiver,
  type EventMatch,
  type ReceivedEvent,
  type WebhookDelivery,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './webhooks/receiver.js'
export { verifyWebhookSignature, type SignatureCheck } from './webhooks/signature.js'
export { verifyHiddenPayload } from './messaging/hidden-payload.js'
export type { BotConversationView, BotMessageView } from './messaging/bot-conversation.js'
export type { RecipientBehaviour } from './messaging/recipient.js'
export type { BotMessageCounts, ConversationSummary } from './store/bot-messages.js'
export type { MessagingEvent } from './webhooks/events.js'
export type { WebhooksState } from './webhooks/webhooks.js'

/**
 * `diyalog-mock/testing`: a mock server inside a client team's own test suite. `startMock()`
 * listens on a free loopback port with the given fixtures and keys, the admin API on, and
 * returns its URL, a signer for its key, and an admin client for the journal, the clock,
 * faults and fixtures, and the Messaging API's side: the bots, their conversations and links,
 * the simulated users and the webhooks. `adminClient()` drives a mock started elsewhere
 * (Docker, CI service).
 */

export interface StartMockOptions {
  /** A fixtures directory, or a data set; default: the bundled fixtures. */
  readonly fixtures?: string | FixtureData
  /** Access keys the mock accepts; the first is the one `sign` uses. Default: the demo pair. */
  readonly accessKeys?: readonly AccessKey[]
  /** Freeze the mock's clock at this instant (epoch ms, Date or ISO string); default: the real clock. */
  readonly now?: number | Date | string
  /** Any other configuration variable, e.g. `{ DLG_LINK_TTL_SECONDS: '60' }`. */
  readonly env?: Readonly<Record<string, string>>
}

export interface SignedRequestInit {
  readonly method?: string
  readonly body?: string
  readonly contentType?: string
  /** `x-dlg-date`; default: the mock's current time. */
  readonly date?: string
  readonly requesterUserId?: string
}

export interface RunningMock {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly keyId: string
  readonly secret: string
  readonly admin: AdminClient
  /** Headers that sign a request to `resource` (path and query) with the mock's first key. */
  signedHeaders(resource: string, init?: SignedRequestInit): Promise<Record<string, string>>
  /** Sends a signed request; the body is sent exactly as signed. */
  fetchSigned(resource: string, init?: SignedRequestInit): Promise<Response>
  stop(): Promise<void>
}

/** The mock's clock as the admin API reports it. */
export type ClockState = ClockAnswer

/**
 * Which journal entries to list, newest first: by path prefix, key id, status, auth verdict,
 * `direction` (`in`: the requests the mock answered; `out`: the webhook POSTs it made; default
 * both), time and count.
 */
export type JournalQuery = Omit<Static<typeof JournalQuerySchema>, 'since'> & {
  /** Only requests at or after this time: epoch milliseconds, a Date or an ISO 8601 date. */
  readonly since?: number | Date | string
}

/** A user as the admin API names one: `customer:<customer number>` or `staff:<staff number>`. */
export type UserRef = `customer:${string}` | `staff:${string}`

/**
 * What a simulation action acts on: one message (the `messageId` your request gave; `bot` tells
 * apart two bots that used the same id), or everything a bot (default: every bot) sent to a user.
 */
export type MessageTarget =
  { readonly messageId: string; readonly bot?: string } | { readonly user: UserRef; readonly bot?: string }

/** The user writes back: answering one message, or the newest a bot delivered to them. */
export type ReplyRequest =
  | { readonly messageId: string; readonly bot?: string; readonly text: string }
  | { readonly user: UserRef; readonly bot: string; readonly text: string }

/** The user presses a quick reply or a button: by its title, payload or position (0 = first). */
export type PressRequest = AdminInput<'press'>['body']
/** The user approves (the OTP's first postback button) or dismisses (its second) a one-time password. */
export type OtpRequest = AdminInput<'otp'>['body']
/** How a simulated user behaves from now on; a field left out stays as it is. */
export type BehaviourChange = AdminInput<'setUserBehaviour'>['body']
/** Which messages of a conversation, oldest first (default: all). */
export interface ConversationRange {
  readonly offset?: number
  readonly limit?: number
}
/** A signed, expiring link to a bot's conversation with a user (`/views/bot/<name>?with=…`). */
export type BotLink = AdminReply<'botLink'>

/**
 * The admin API of a running mock, one method per operation of its table. A call the mock
 * refuses rejects with an Error naming the call, the status and the mock's explanation.
 */
export interface AdminClient {
  /**
   * The journal, newest first; a failed request's `diagnosis` says why. `direction: 'out'`
   * lists the webhook POSTs the mock made (each entry's `webhook` says which batch and attempt).
   */
  requests(query?: JournalQuery): Promise<JournalAnswer[]>
  clearRequests(): Promise<void>
  clock(): Promise<ClockState>
  /** Stops the clock at `at` (default: now). */
  freezeClock(at?: number | Date | string): Promise<ClockState>
  /** Runs the clock `seconds` ahead of the real one (negative: behind). */
  offsetClock(seconds: number): Promise<ClockState>
  /** Moves the clock `seconds`, frozen or running. */
  advanceClock(seconds: number): Promise<ClockState>
  resetClock(): Promise<ClockState>
  /** The injected faults still active. */
  faults(): Promise<Fault[]>
  /** Injects a fault; its answer carries the fault's `id`. */
  addFault(fault: FaultSpec): Promise<Fault>
  removeFault(id: string): Promise<void>
  clearFaults(): Promise<void>
  /** Where the served data came from, and its counts. */
  fixtures(): Promise<FixtureSummary>
  /** Serves this data set, validated like the fixture files; refused when it does not validate. */
  replaceFixtures(data: FixtureData): Promise<FixtureSummary>
  /** Reads the fixtures directory again. */
  reloadFixtures(): Promise<FixtureSummary>
  /** Back to the data the mock started with. */
  resetFixtures(): Promise<FixtureSummary>
  /** The bots: configured and of the fixtures; a token only by its last four characters. */
  bots(): Promise<BotAnswer[]>
  /** A bot's conversations, the most recently active first. */
  botConversations(bot: string): Promise<ConversationSummary[]>
  /** One conversation of a bot, oldest first, each message with its state (delivered, read). */
  botConversation(bot: string, user: UserRef, range?: ConversationRange): Promise<BotConversationView>
  /** Mints a signed, expiring link to the page of a bot's conversation with `user`. */
  botLink(bot: string, user: UserRef): Promise<BotLink>
  /** The simulated users: the delays, what is scheduled, the behaviours set at run time. */
  simulation(): Promise<SimulationAnswer>
  /** How `user` behaves from now on: online or offline, reading delayed, at once or never. */
  setUserBehaviour(user: UserRef, change: BehaviourChange): Promise<SimulationActionAnswer>
  /** Delivers now what `target` names; the answer lists the events it made for the webhook. */
  deliver(target: MessageTarget): Promise<SimulationActionAnswer>
  /** The user reads now what `target` names, delivering first what was not delivered. */
  read(target: MessageTarget): Promise<SimulationActionAnswer>
  /** The user writes back (a Messages event). */
  reply(request: ReplyRequest): Promise<SimulationActionAnswer>
  /** The user presses a quick reply or a button (a Messages event; a web_url button makes none). */
  press(request: PressRequest): Promise<SimulationActionAnswer>
  /** The user approves or dismisses a one-time password (sendmok). */
  otp(request: OtpRequest): Promise<SimulationActionAnswer>
  /** The webhooks: pending events, the batch in flight, the last batches sent or dropped, counters. */
  webhooks(): Promise<WebhooksState>
  /**
   * Journal, clock, faults, fixtures, bot conversations, simulation and webhook queues back to
   * the start: call it between tests.
   */
  reset(): Promise<void>
}

function instant(value: number | Date | string): number | string {
  return value instanceof Date ? value.getTime() : value
}

/** A client for the admin API of a mock at `baseUrl` (Docker, a CI service, `startMock`). */
export function adminClient(baseUrl: string, token: string): AdminClient {
  const base = baseUrl.replace(/\/+$/, '')
  /** Sends operation `name` of the table with its inputs, typed by the table's schemas. */
  async function call<N extends AdminOperationName>(
    name: N,
    input: Partial<AdminInput<N>> = {},
  ): Promise<AdminReply<N>> {
    const operation: AdminOperation = ADMIN_OPERATIONS[name]
    const query = new URLSearchParams(
      Object.entries(input.query ?? {}).flatMap(([key, value]) =>
        value === undefined ? [] : [[key, String(value)] as [string, string]],
      ),
    ).toString()
    const path = `${ADMIN_PREFIX}${adminPath(operation, input.params ?? {})}${query === '' ? '' : `?${query}`}`
    const called = `diyalog-mock admin ${operation.method} ${path}`
    let response: Response
    try {
      response = await fetch(`${base}${path}`, {
        method: operation.method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
      })
    } catch (error) {
      throw new Error(`${called}: no answer from ${baseUrl}`, { cause: error })
    }
    const text = await response.text()
    if (!response.ok) throw new Error(`${called}: ${response.status} ${text}`)
    try {
      return (text === '' ? undefined : JSON.parse(text)) as AdminReply<N>
    } catch (error) {
      throw new Error(`${called}: ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, {
        cause: error,
      })
    }
  }
  return {
    async requests(query = {}) {
      const { since, ...filter } = query
      const found = await call('listRequests', {
        query: { ...filter, ...(since === undefined ? {} : { since: String(instant(since)) }) },
      })
      return found.requests
    },
    clearRequests: async () => void (await call('clearRequests')),
    clock: () => call('clock'),
    freezeClock: (at) => call('freezeClock', { body: at === undefined ? {} : { at: instant(at) } }),
    offsetClock: (seconds) => call('offsetClock', { body: { seconds } }),
    advanceClock: (seconds) => call('advanceClock', { body: { seconds } }),
    resetClock: () => call('resetClock'),
    faults: async () => (await call('faults')).faults,
    addFault: (fault) => call('addFault', { body: fault }),
    removeFault: (id) => call('removeFault', { params: { id } }),
    clearFaults: async () => void (await call('clearFaults')),
    fixtures: () => call('fixtures'),
    replaceFixtures: (data) => call('replaceFixtures', { body: data }),
    reloadFixtures: () => call('reloadFixtures'),
    resetFixtures: () => call('resetFixtures'),
    bots: async () => (await call('bots')).bots,
    botConversations: async (bot) => (await call('botConversations', { params: { bot } })).conversations,
    botConversation: (bot, user, range = {}) =>
      call('botConversation', { params: { bot, user }, query: range }),
    botLink: (bot, user) => call('botLink', { params: { bot }, body: { user } }),
    simulation: () => call('simulation'),
    setUserBehaviour: (user, change) => call('setUserBehaviour', { params: { user }, body: change }),
    deliver: (target) => call('deliver', { body: target }),
    read: (target) => call('read', { body: target }),
    reply: (request) => call('reply', { body: request }),
    press: (request) => call('press', { body: request }),
    otp: (request) => call('otp', { body: request }),
    webhooks: () => call('webhooks'),
    reset: async () => void (await call('reset')),
  }
}

export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  const keys = options.accessKeys ?? [DEMO_ACCESS_KEY]
  const key = keys[0]
  if (key === undefined) throw new Error('startMock: accessKeys must hold at least one key')
  const token = randomBytes(24).toString('base64url')
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DLG_LINK_SECRET: randomBytes(24).toString('base64url'),
    ...options.env,
    HOST: '127.0.0.1',
    PORT: '0',
    DLG_ADMIN_TOKEN: token,
    ...(typeof options.fixtures === 'string' ? { DLG_FIXTURES_DIR: options.fixtures } : {}),
  })
  const fixtures =
    options.fixtures === undefined || typeof options.fixtures === 'string'
      ? await loadFixturesDir(config.fixturesDir)
      : parseFixtureData(options.fixtures, 'startMock fixtures')
  // The keys go in as given: through the DLG_ACCESS_KEYS text a secret could not end in a space.
  const app = buildApp({
    config: { ...config, accessKeys: keys },
    store: createStore(fixtures, { messagingDayZone: config.messagingDayZone }),
  })
  await app.listen({ host: config.host, port: 0 })
  const url = `http://127.0.0.1:${listeningPort(app.server)}`
  const admin = adminClient(url, token)
  if (options.now !== undefined) {
    try {
      await admin.freezeClock(options.now)
    } catch (error) {
      await app.close()
      throw error
    }
  }

  async function signedHeaders(resource: string, init: SignedRequestInit = {}) {
    const contentType = init.contentType ?? 'application/json'
    const date = init.date ?? formatDlgDate((await admin.clock()).now)
    const { authorization } = sign(
      { method: init.method ?? 'POST', contentType, date, body: init.body ?? '', resource },
      key as AccessKey,
    )
    return {
      'content-type': contentType,
      'x-dlg-date': date,
      'x-dlg-requester-userid': init.requesterUserId ?? '45186',
      'x-dlg-authorization': authorization,
    }
  }

  return {
    url,
    keyId: key.keyId,
    secret: key.secret,
    admin,
    signedHeaders,
    async fetchSigned(resource, init = {}) {
      return fetch(`${url}${resource}`, {
        method: init.method ?? 'POST',
        headers: await signedHeaders(resource, init),
        ...(init.body === undefined ? {} : { body: init.body }),
      })
    },
    stop: () => app.close(),
  }
}
