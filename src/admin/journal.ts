import type { Diagnosis } from '../auth/diagnosis.js'

/**
 * The request journal: the last requests the mock answered, oldest dropped first, with what
 * authentication decided and why. In memory, per instance; read through the admin API.
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
  /** The body as text, when it was read; cut after `MAX_BODY` characters. */
  readonly body: string | null
  /** 0: the connection was dropped by an injected fault. */
  readonly status: number
  readonly auth: AuthVerdict
  readonly keyId?: string
  readonly diagnosis?: Diagnosis
  readonly durationMs: number
}

export interface JournalFilter {
  /** Path prefix, e.g. `/v1/reporting`. */
  readonly path?: string
  readonly keyId?: string
  readonly status?: number
  readonly auth?: AuthVerdict
  /** Only requests at or after this time (epoch milliseconds). */
  readonly since?: number
  /** Most entries returned, newest first. */
  readonly limit?: number
}

export interface Journal {
  record(entry: Omit<JournalEntry, 'id'>): void
  /** Newest first. */
  list(filter?: JournalFilter): JournalEntry[]
  clear(): void
  readonly size: number
  readonly limit: number
}

/** Bodies are cut here, so an entry stays under ~100 KB (body, headers, string-to-sign). */
export const MAX_BODY = 16 * 1024

/** A ring buffer of `limit` entries. */
export function createJournal(limit: number): Journal {
  const entries: (JournalEntry | undefined)[] = new Array<JournalEntry | undefined>(limit)
  let next = 0
  let size = 0
  let nextId = 1

  return {
    record(entry) {
      if (limit === 0) return
      entries[next] = { id: nextId++, ...entry }
      next = (next + 1) % limit
      size = Math.min(size + 1, limit)
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
        found.push(entry)
      }
      return found
    },
    clear() {
      entries.fill(undefined)
      next = 0
      size = 0
    },
    get size() {
      return size
    },
    limit,
  }
}
