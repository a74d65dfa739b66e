import { randomBytes } from 'node:crypto'
import type { FaultSpec } from './admin/faults.js'
import type { JournalEntry } from './admin/journal.js'
import { buildApp, listeningPort } from './app.js'
import type { ClockState as ClockReading } from './clock.js'
import { formatDlgDate } from './auth/dlg-date.js'
import { DEMO_ACCESS_KEY, type AccessKey } from './auth/keyring.js'
import { sign } from './auth/signer.js'
import { loadConfig } from './config.js'
import { loadFixturesDir, parseFixtureData } from './store/fixture-loader.js'
import { createStore } from './store/message-store.js'

/**
 * `diyalog-mock/testing`: a mock server inside a client team's own test suite. `startMock()`
 * listens on a free loopback port with the given fixtures and keys, the admin API on, and
 * returns its URL, a signer for its key, and an admin client for the journal, the clock,
 * faults and fixtures. `adminClient()` drives a mock started elsewhere (Docker, CI service).
 */

/** A data set of the same shape as the three fixture files. */
export interface FixtureData {
  readonly staff: readonly unknown[]
  readonly customers: readonly unknown[]
  readonly conversations: readonly unknown[]
}

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
export type ClockState = ClockReading & { readonly iso: string }

export interface JournalQuery {
  readonly path?: string
  readonly keyId?: string
  readonly status?: number
  readonly auth?: 'ok' | 'failed' | 'none'
  readonly since?: number | string
  readonly limit?: number
}

export interface AdminClient {
  requests(query?: JournalQuery): Promise<(JournalEntry & { at: string })[]>
  clearRequests(): Promise<void>
  clock(): Promise<ClockState>
  freezeClock(at?: number | Date | string): Promise<ClockState>
  offsetClock(seconds: number): Promise<ClockState>
  advanceClock(seconds: number): Promise<ClockState>
  resetClock(): Promise<ClockState>
  addFault(fault: FaultSpec): Promise<{ id: string }>
  clearFaults(): Promise<void>
  replaceFixtures(data: FixtureData): Promise<void>
  reloadFixtures(): Promise<void>
  resetFixtures(): Promise<void>
  /** Journal, clock, faults and fixtures back to the start: call it between tests. */
  reset(): Promise<void>
}

function instant(value: number | Date | string): number | string {
  return value instanceof Date ? value.getTime() : value
}

/** A client for the admin API of a mock at `baseUrl`. */
export function adminClient(baseUrl: string, token: string): AdminClient {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}/__admin${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`diyalog-mock admin ${method} ${path}: ${response.status} ${text}`)
    return (text === '' ? undefined : JSON.parse(text)) as T
  }
  return {
    async requests(query = {}) {
      const search = new URLSearchParams(
        Object.entries(query).map(([name, value]) => [name, String(value)] as [string, string]),
      )
      const found = await call<{ requests: (JournalEntry & { at: string })[] }>('GET', `/requests?${search}`)
      return found.requests
    },
    clearRequests: () => call('DELETE', '/requests'),
    clock: () => call('GET', '/clock'),
    freezeClock: (at) => call('POST', '/clock/freeze', at === undefined ? {} : { at: instant(at) }),
    offsetClock: (seconds) => call('POST', '/clock/offset', { seconds }),
    advanceClock: (seconds) => call('POST', '/clock/advance', { seconds }),
    resetClock: () => call('POST', '/clock/reset'),
    addFault: (fault) => call('POST', '/faults', fault),
    clearFaults: () => call('DELETE', '/faults'),
    replaceFixtures: (data) => call('PUT', '/fixtures', data),
    reloadFixtures: () => call('POST', '/fixtures/reload'),
    resetFixtures: () => call('DELETE', '/fixtures'),
    reset: () => call('POST', '/reset'),
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
  const app = buildApp({ config: { ...config, accessKeys: keys }, store: createStore(fixtures) })
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
