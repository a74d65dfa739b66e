import type { Diagnosis } from '../auth/diagnosis.js'
import type { AttemptRecord } from '../webhooks/dispatcher.js'

/**
 * The request journal: the last requests the mock answered, oldest dropped first, with what
 * authentication decided and why, and the webhook POSTs the mock made (each attempt: where,
 * what, the answer, the retry number; never the secret). In memory, per instance; read through
 * the admin API.
 */

export type AuthVerdict = 'ok' | 'failed' | 'none'

export interface JournalEntry {
  readonly id: number
  /** When the request arrived, by the server's clock (epoch milliseconds). */
  readonly time: number
  readonly method: string
  /** Path and query as sent (a link's `sig` redacted). */
  readonly url: string
  /** Lower-case names; the signature of an authorization header redacted. */
  readonly headers: Readonly<Record<string, string>>
  /** The body as text, when it was read; cut after `MAX_BODY` bytes. */
  readonly body: string | null
  /** 0: the connection was dropped by an injected fault. */
  readonly status: number
  readonly auth: AuthVerdict
  readonly keyId?: string
  readonly diagnosis?: Diagnosis
  readonly durationMs: number
  /** Set on the mock's own webhook POSTs (`direction=out`): which batch, which attempt, what became of it. */
  readonly webhook?: WebhookAttempt
}

/** A webhook attempt as the journal keeps it. */
export type WebhookAttempt = Pick<
  AttemptRecord,
  'webhookId' | 'batchId' | 'size' | 'mids' | 'attempt' | 'outcome' | 'error'
>

/** The journal entry of a webhook attempt: a POST the mock made, status 0 when no answer came. */
export function webhookEntry(record: AttemptRecord): Omit<JournalEntry, 'id'> {
  const { webhookId, batchId, size, mids, attempt, outcome, error } = record
  return {
    time: record.at,
    method: 'POST',
    url: record.url,
    headers: {},
    body: null,
    status: record.status ?? 0,
    auth: 'none',
    durationMs: record.durationMs,
    webhook: { webhookId, batchId, size, mids, attempt, outcome, ...(error === undefined ? {} : { error }) },
  }
}

export interface JournalFilter {
  /** Path prefix, e.g. `/v1/reporting`. */
  readonly path?: string
  readonly keyId?: string
  readonly status?: number
  readonly auth?: AuthVerdict
  /** Only requests at or after this time (epoch milliseconds). */
  readonly since?: number
  /** `in`: requests the mock answered; `out`: webhook POSTs it made. Default: both. */
  readonly direction?: 'in' | 'out'
  /** Most entries returned, newest first. */
  readonly limit?: number
}

export interface Journal {
  record(entry: Omit<JournalEntry, 'id'>): void
  /** Newest first. */
  list(filter?: JournalFilter): JournalEntry[]
  clear(): void
  readonly size: number
  /** What the entries kept are counted as (`entrySize`). */
  readonly bytes: number
  readonly limit: number
  readonly maxBytes: number
}

/** Bodies are kept up to this many bytes (UTF-8, as sent), the rest cut. */
export const MAX_BODY = 16 * 1024
/**
 * What the whole journal may hold: its strings (body, URL, headers, diagnosis) counted at two
 * bytes a character (the most V8 spends on one), plus a fixed overhead per entry. Past it, the
 * oldest entries go first, so a journal of large requests keeps fewer of them.
 */
export const DEFAULT_JOURNAL_MAX_BYTES = 32 * 1024 * 1024
const ENTRY_OVERHEAD = 1024

/** The size an entry is counted as (`DEFAULT_JOURNAL_MAX_BYTES`). */
export function entrySize(entry: Omit<JournalEntry, 'id'>): number {
  let characters = entry.url.length + (entry.body?.length ?? 0)
  for (const mid of entry.webhook?.mids ?? []) characters += mid.length
  for (const name in entry.headers) characters += name.length + (entry.headers[name] as string).length
  const { diagnosis } = entry
  if (diagnosis !== undefined) {
    characters += diagnosis.detail.length + diagnosis.hint.length + (diagnosis.stringToSign?.length ?? 0)
    for (const line of diagnosis.diff ?? []) characters += line.length
  }
  return ENTRY_OVERHEAD + 2 * characters
}

/** A ring buffer of at most `limit` entries and `maxBytes` (see `entrySize`). */
export function createJournal(limit: number, maxBytes = DEFAULT_JOURNAL_MAX_BYTES): Journal {
  const entries: (JournalEntry | undefined)[] = new Array<JournalEntry | undefined>(limit)
  const sizes = new Array<number>(limit).fill(0)
  let next = 0
  let size = 0
  let bytes = 0
  let nextId = 1
  const dropOldest = () => {
    const oldest = (next - size + limit) % limit
    bytes -= sizes[oldest] as number
    entries[oldest] = undefined
    size--
  }

  return {
    record(entry) {
      if (limit === 0) return
      const entryBytes = entrySize(entry)
      if (size === limit) dropOldest()
      while (size > 0 && bytes + entryBytes > maxBytes) dropOldest()
      entries[next] = { id: nextId++, ...entry }
      sizes[next] = entryBytes
      bytes += entryBytes
      next = (next + 1) % limit
      size++
    },
    list(filter = {}) {
      const found: JournalEntry[] = []
      for (let i = 1; i <= size && found.length < (filter.limit ?? Infinity); i++) {
        const entry = entries[(next - i + limit) % limit] as JournalEntry
        const path = entry.url.split('?', 1)[0] ?? ''
        if (filter.path !== undefined && !path.startsWith(filter.path)) continue
        if (filter.keyId !== undefined && entry.keyId !== filter.keyId) continue
        if (filter.status !== undefined && entry.status !== filter.status) continue
        if (filter.auth !== undefined && entry.auth !== filter.auth) continue
        if (filter.since !== undefined && entry.time < filter.since) continue
        if (filter.direction !== undefined && (entry.webhook === undefined) !== (filter.direction === 'in'))
          continue
        found.push(entry)
      }
      return found
    },
    clear() {
      entries.fill(undefined)
      sizes.fill(0)
      next = 0
      size = 0
      bytes = 0
    },
    get size() {
      return size
    },
    get bytes() {
      return bytes
    },
    limit,
    maxBytes,
  }
}
