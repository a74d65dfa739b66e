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
  type ClockAnswer,
  type FixtureData,
  type JournalAnswer,
  type JournalQuerySchema,
} from './admin/operations.js'
import { ADMIN_PREFIX } from './admin/request-hooks.js'
import { buildApp, listeningPort } from './app.js'
import { formatDlgDate } from './auth/dlg-date.js'
import { DEMO_ACCESS_KEY, type AccessKey } from './auth/keyring.js'
import { sign } from './auth/signer.js'
import { loadConfig } from './config.js'
import { loadFixturesDir, parseFixtureData } from './store/fixture-loader.js'
import { createStore } from './store/store.js'

export type { AuthVerdict, JournalEntry } from './admin/journal.js'
export type { Fault, FaultKind, FaultSpec } from './admin/faults.js'
export type { FixtureSummary } from './admin/fixture-control.js'
export type { FixtureData, JournalAnswer } from './admin/operations.js'
export type { Diagnosis } from './auth/diagnosis.js'
export type { AccessKey } from './auth/keyring.js'

/**
 * `diyalog-mock/testing`: a mock server inside a client team's own test suite. `startMock()`
 * listens on a free loopback port with the given fixtures and keys, the admin API on, and
 * returns its URL, a signer for its key, and an admin client for the journal, the clock,
 * faults and fixtures. `adminClient()` drives a mock started elsewhere (Docker, CI service).
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

/** Which journal entries to list, newest first. */
export type JournalQuery = Omit<Static<typeof JournalQuerySchema>, 'since'> & {
  /** Only requests at or after this time: epoch milliseconds, a Date or an ISO 8601 date. */
  readonly since?: number | Date | string
}

/**
 * The admin API of a running mock, one method per operation of its table. A call the mock
 * refuses rejects with an Error naming the call, the status and the mock's explanation.
 */
export interface AdminClient {
  /** The journal, newest first; a failed request's `diagnosis` says why. */
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
  /** Journal, clock, faults and fixtures back to the start: call it between tests. */
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
