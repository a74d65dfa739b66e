import { Type, type Static, type TSchema } from 'typebox'
import {
  BotRecord,
  CallRecord,
  ConversationRecord,
  CustomerRecord,
  GroupRecord,
  OnlineHelpRecord,
  StaffRecord,
  type Fixtures,
} from './fixture-schema.js'

/**
 * The kinds of fixture record, in load order (a kind may refer to the ones before it): the
 * one table the loader, the validation, the counts, the generator, `/health`, the admin API
 * and the test helper read (docs/data-model.md). A new kind is a schema, a row here, a resolver
 * in the loader and a module in the store.
 */
export interface FixtureKindInfo {
  /** Its file in a fixtures directory. */
  readonly file: string
  /** One record. */
  readonly record: TSchema
  /** For a union: which alternative a record means to be, so errors speak of that one. */
  readonly shapeOf?: (record: Readonly<Record<string, unknown>>) => number
  /** A directory without this file still loads (as an empty list). */
  readonly optional: boolean
  /** Fields that name a record in an error message (`record 3 (staffId 45188)`). */
  readonly naming: readonly string[]
  /** What `/health` and the admin API count for this kind, and how. */
  readonly counts: string
  readonly count: (records: readonly unknown[]) => number
}

const length = (records: readonly unknown[]) => records.length

export const FIXTURE_KINDS = {
  staff: {
    file: 'staff.json',
    record: StaffRecord,
    optional: false,
    naming: ['staffId'],
    counts: 'staff',
    count: length,
  },
  customers: {
    file: 'customers.json',
    record: CustomerRecord,
    optional: false,
    naming: ['customerId'],
    counts: 'customers',
    count: length,
  },
  groups: {
    file: 'groups.json',
    record: GroupRecord,
    optional: true,
    naming: ['groupId'],
    counts: 'groups',
    count: length,
  },
  conversations: {
    file: 'conversations.json',
    record: ConversationRecord,
    shapeOf: (record) => ('groupId' in record ? 2 : 'staffIds' in record ? 1 : 0),
    optional: false,
    naming: ['staffId', 'customerId', 'staffIds', 'groupId'],
    counts: 'messages',
    count: (records) =>
      records.reduce<number>(
        (sum, record) => sum + (record as { messages: readonly unknown[] }).messages.length,
        0,
      ),
  },
  calls: {
    file: 'calls.json',
    record: CallRecord,
    optional: true,
    naming: ['callId'],
    counts: 'calls',
    count: length,
  },
  onlineHelp: {
    file: 'online-help.json',
    record: OnlineHelpRecord,
    optional: true,
    naming: ['onlineHelpId'],
    counts: 'onlineHelpSessions',
    count: length,
  },
  bots: {
    file: 'bots.json',
    record: BotRecord,
    optional: true,
    // Never `token`: an error names a bot by its name only.
    naming: ['name'],
    counts: 'bots',
    count: length,
  },
} as const satisfies Readonly<Record<keyof Fixtures, FixtureKindInfo>>

export type FixtureKind = keyof typeof FIXTURE_KINDS
/** The kinds in load order. */
export const FIXTURE_KIND_NAMES = Object.keys(FIXTURE_KINDS) as FixtureKind[]

/** What the store serves, counted per kind: `{staff, customers, groups, messages, calls, onlineHelpSessions, bots}`. */
export type FixtureCounts = {
  readonly [Kind in FixtureKind as (typeof FIXTURE_KINDS)[Kind]['counts']]: number
}

export function fixtureCounts(fixtures: Fixtures): FixtureCounts {
  return Object.fromEntries(
    FIXTURE_KIND_NAMES.map((kind) => [
      FIXTURE_KINDS[kind].counts,
      FIXTURE_KINDS[kind].count(fixtures[kind] ?? []),
    ]),
  ) as FixtureCounts
}

/** The counts as a schema, for `/health` and the admin API. */
export const FixtureCountsSchema = Type.Object(
  Object.fromEntries(
    FIXTURE_KIND_NAMES.map((kind) => [FIXTURE_KINDS[kind].counts, Type.Integer({ minimum: 0 })]),
  ),
)

type RecordOf<Kind extends FixtureKind> = Static<(typeof FIXTURE_KINDS)[Kind]['record']>
type Optional<Kind extends FixtureKind> = (typeof FIXTURE_KINDS)[Kind]['optional']

/** A whole data set as the admin API and the test helper take it: each kind an array of its file's records. */
export type FixtureData = {
  readonly [Kind in FixtureKind as Optional<Kind> extends true ? never : Kind]: readonly RecordOf<Kind>[]
} & {
  readonly [Kind in FixtureKind as Optional<Kind> extends true ? Kind : never]?: readonly RecordOf<Kind>[]
}
