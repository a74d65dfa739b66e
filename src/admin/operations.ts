import { Type, type Static, type TSchema } from 'typebox'
import type { ClockState } from '../clock.js'
import { FIXTURE_KIND_NAMES, FIXTURE_KINDS, type FixtureData } from '../store/fixture-kinds.js'
import type { FixtureSummary } from './fixture-control.js'
import { FaultSpecSchema, type Fault } from './faults.js'
import type { JournalEntry } from './journal.js'

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
    since: Type.Optional(Type.String({ description: 'Epoch milliseconds or an ISO 8601 date.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
)

export type { FixtureData } from '../store/fixture-kinds.js'
const FixtureDataBody = Type.Unsafe<FixtureData>({
  description: `{${FIXTURE_KIND_NAMES.join(', ')}}, each an array of the records of its fixture file (docs/data-model.md); ${FIXTURE_KIND_NAMES.filter((kind) => FIXTURE_KINDS[kind].optional).join(', ')} may be left out`,
})

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
  reset: {
    method: 'POST',
    path: '/reset',
    summary: 'Journal, clock, faults and fixtures back to the start',
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
