import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Compile, type Validator } from 'typebox/compile'
import { Type, type TSchema } from 'typebox'
import { readSchemaErrors, unknownFieldsText } from '../schema-errors.js'
import { botDiyalogId } from './bots.js'
import { helpStateFields } from './online-help.js'
import { FIXTURE_KIND_NAMES, FIXTURE_KINDS, type FixtureKind, type FixtureKindInfo } from './fixture-kinds.js'
import { webhookUrlProblem } from '../webhooks/webhook-config.js'
import type {
  BotRecord,
  CallInput,
  ConversationInput,
  Customer,
  Fixtures,
  Group,
  HelpState,
  OnlineHelpInput,
  Person,
  StaffMember,
} from './fixture-schema.js'

/** A fixture set that cannot be served; each problem names the file, the record and the field. */
export class FixtureError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    const shown = problems.slice(0, 20)
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : ''
    super(`invalid fixtures in ${source}:\n  ${shown.join('\n  ')}${more}`)
    this.name = 'FixtureError'
  }
}

/** The text of each file; an optional kind may be left out (an empty list). */
export type FixtureTexts = {
  readonly [
    Kind in FixtureKind as (typeof FIXTURE_KINDS)[Kind]['optional'] extends true ? never : Kind
  ]: string
} & {
  readonly [
    Kind in FixtureKind as (typeof FIXTURE_KINDS)[Kind]['optional'] extends true ? Kind : never
  ]?: string
}

interface KindValidators {
  readonly all: Validator
  /** One per alternative of a union record, to explain a record that fails. */
  readonly shapes: readonly Validator[]
}

let compiled: Readonly<Record<FixtureKind, KindValidators>> | undefined
/** Compiled on first use: a process that never loads fixtures never pays for it. */
function validators(): Readonly<Record<FixtureKind, KindValidators>> {
  compiled ??= Object.fromEntries(
    FIXTURE_KIND_NAMES.map((kind) => {
      const info = FIXTURE_KINDS[kind]
      const record = info.record as TSchema & { anyOf?: readonly TSchema[] }
      const shapes =
        'shapeOf' in info && record.anyOf !== undefined ? record.anyOf.map((shape) => Compile(shape)) : []
      return [kind, { all: Compile(Type.Array(info.record)), shapes }]
    }),
  ) as unknown as Record<FixtureKind, KindValidators>
  return compiled
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** `record 3 (staffId 45188, customerId 5667067)`: the record, named by the kind's id fields. */
function recordName(kind: FixtureKind, index: number | string, record: unknown): string {
  const ids = isRecord(record)
    ? FIXTURE_KINDS[kind].naming
        .filter(
          (key) =>
            typeof record[key] === 'string' || typeof record[key] === 'number' || Array.isArray(record[key]),
        )
        .map(
          (key) =>
            `${key} ${Array.isArray(record[key]) ? (record[key] as unknown[]).join('+') : String(record[key])}`,
        )
    : []
  return `record ${index}${ids.length > 0 ? ` (${ids.join(', ')})` : ''}`
}

/** `record 3 (…), messages[12] (id "m12")` and the field, for a path inside a record. */
function describeLocation(
  kind: FixtureKind,
  record: unknown,
  index: string,
  segments: readonly string[],
): { where: string; field: string } {
  let where = recordName(kind, index, record)
  let fieldSegments = segments
  if (
    segments[0] === 'messages' &&
    segments[1] !== undefined &&
    isRecord(record) &&
    Array.isArray(record['messages'])
  ) {
    const message: unknown = record['messages'][Number(segments[1])]
    const id =
      isRecord(message) && typeof message['id'] === 'string' ? ` (id ${JSON.stringify(message['id'])})` : ''
    where += `, messages[${segments[1]}]${id}`
    fieldSegments = segments.slice(2)
  }
  return { where, field: fieldSegments.join('.') }
}

function problemTexts(
  kind: FixtureKind,
  validator: Validator,
  value: unknown,
  locate: (at: readonly string[]) => { where: string; field: string },
): string[] {
  const file = FIXTURE_KINDS[kind].file
  return readSchemaErrors(validator.Errors(value)).map((problem) => {
    const { where, field } = locate(problem.at)
    let detail: string
    if ('unknownFields' in problem) detail = unknownFieldsText(problem.unknownFields)
    else if (problem.error.keyword === 'required') {
      const names = (problem.error.params['requiredProperties'] as string[] | undefined) ?? []
      detail = `missing required field ${names.join(', ')}`
    } else if (problem.error.keyword === 'enum' && Array.isArray(problem.error.params['allowedValues'])) {
      const allowed = problem.error.params['allowedValues'] as unknown[]
      detail = `must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`
    } else detail = problem.error.message
    return `${file}: ${where}${field === '' ? '' : `, field ${field}`}: ${detail}`
  })
}

function schemaProblems(kind: FixtureKind, data: unknown): string[] {
  const { all, shapes } = validators()[kind]
  // Not a type guard here: a failing check must not narrow `data` away.
  const check: (value: unknown) => boolean = (value) => all.Check(value)
  if (check(data)) return []
  const file = FIXTURE_KINDS[kind].file
  if (!Array.isArray(data)) return [`${file}: the file: must be a JSON array of records`]
  const info: FixtureKindInfo = FIXTURE_KINDS[kind]
  if (info.shapeOf === undefined) {
    return problemTexts(kind, all, data, ([index = '', ...rest]) =>
      describeLocation(kind, data[Number(index)], index, rest),
    )
  }
  // A union: each failing record is checked against the shape it means to be.
  const problems: string[] = []
  data.forEach((record: unknown, index) => {
    const shape = isRecord(record) ? shapes[info.shapeOf?.(record) ?? 0] : undefined
    if (shape === undefined) problems.push(`${file}: ${recordName(kind, index, record)}: must be an object`)
    else if (!(shape.Check as (value: unknown) => boolean)(record)) {
      problems.push(
        ...problemTexts(kind, shape, record, (at) => describeLocation(kind, record, String(index), at)),
      )
    }
  })
  return problems
}

function parseJson(
  kind: FixtureKind,
  text: string,
): { ok: true; data: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, data: JSON.parse(text) }
  } catch (error) {
    return { ok: false, problem: `${FIXTURE_KINDS[kind].file}: not valid JSON (${(error as Error).message})` }
  }
}

/** What the kinds loaded so far hold, for the references of the next ones. */
interface Known {
  readonly staff: ReadonlySet<string>
  readonly customers: ReadonlySet<string>
  readonly groups: ReadonlyMap<number, Group>
  /** The users' own Diyalog ids so far, each with the record that holds it (`staff.json record 0 (staffId 45186)`). */
  readonly diyalogIds: Map<string, string>
}

type Report = (problem: string) => void

const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/

/**
 * Epoch milliseconds of an RFC 3339 date-time with a zone, or undefined when it is not one (a day
 * the month does not have included: `Date.parse` would roll 30 February into March), or NaN for a
 * leap second, which RFC 3339 allows and a JavaScript time cannot hold.
 */
export function readTime(text: string): number | undefined {
  const match = RFC_3339.exec(text)
  if (match === null) return undefined
  const [, year, month, day, hour, minute, second, , , offsetHours, offsetMinutes] = match.map(
    Number,
  ) as number[]
  const days = month === 2 && isLeap(year as number) ? 29 : (DAYS_IN_MONTH[(month as number) - 1] ?? 0)
  if (
    (month as number) < 1 ||
    (month as number) > 12 ||
    (day as number) < 1 ||
    (day as number) > days ||
    (hour as number) > 23 ||
    (minute as number) > 59 ||
    (second as number) > 60 ||
    (match[8] !== undefined && ((offsetHours as number) > 23 || (offsetMinutes as number) > 59))
  ) {
    return undefined
  }
  return second === 60 ? Number.NaN : Date.parse(text)
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/** Epoch milliseconds of a fixture time, or a problem naming it. */
function timeOf(text: string, at: () => string, report: Report): number {
  const ms = readTime(text)
  if (ms === undefined) report(`${at()}: must match format "date-time" (RFC 3339 with a zone)`)
  // RFC 3339 allows a leap second (…T23:59:60Z); a JavaScript time does not.
  else if (!Number.isFinite(ms)) report(`${at()}: not a representable time`)
  return ms ?? Number.NaN
}

function duplicates<T>(
  kind: FixtureKind,
  records: readonly T[],
  key: (record: T) => string | number,
  report: Report,
) {
  const first = new Map<string | number, number>()
  records.forEach((record, index) => {
    const id = key(record)
    const earlier = first.get(id)
    if (earlier === undefined) first.set(id, index)
    else {
      report(
        `${FIXTURE_KINDS[kind].file}: record ${index}: duplicate ${FIXTURE_KINDS[kind].naming[0]} ${String(id)} (also record ${earlier})`,
      )
    }
  })
  return new Set(first.keys())
}

/**
 * The users' own Diyalog ids (D54): within a signed 64-bit integer, and no two users with the same
 * one (a derived id is never checked here: that would hash every user at load time).
 */
function checkUserDiyalogIds(
  kind: 'staff' | 'customers',
  records: readonly (StaffMember | Customer)[],
  known: Known,
  report: Report,
): void {
  const file = FIXTURE_KINDS[kind].file
  for (const [index, record] of records.entries()) {
    const diyalogId = record.diyalogId
    if (diyalogId === undefined) continue
    const holder = `${file} ${recordName(kind, index, record)}`
    const at = () => `${file}: ${recordName(kind, index, record)}, field diyalogId`
    if (diyalogId.length === 19 && BigInt(diyalogId) > INT64_MAX) {
      report(`${at()}: not a signed 64-bit integer`)
      continue
    }
    const earlier = known.diyalogIds.get(diyalogId)
    if (earlier === undefined) known.diyalogIds.set(diyalogId, holder)
    else report(`${at()}: duplicate Diyalog id ${diyalogId} (also ${earlier})`)
  }
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
function checkInt64(id: string, at: () => string, report: Report): void {
  // Up to 18 digits always fits; only longer ids need the BigInt.
  if (id === '-0' || (id.length > 18 && (BigInt(id) < INT64_MIN || BigInt(id) > INT64_MAX))) {
    report(`${at()}: not a signed 64-bit integer in canonical form`)
  }
}

function personKnown(person: Person, known: Known): boolean {
  return 'staffId' in person ? known.staff.has(person.staffId) : known.customers.has(person.customerId)
}
const personText = (person: Person) =>
  'staffId' in person ? `staff ${person.staffId}` : `customer ${person.customerId}`

/**
 * Per kind, in load order: the references and rules a schema cannot say, and the conversion of
 * times to epoch milliseconds. Records arrive schema-valid.
 */
const RESOLVERS: { readonly [Kind in FixtureKind]: (records: any[], known: Known, report: Report) => void } =
  {
    staff: (records: StaffMember[], known, report) => checkUserDiyalogIds('staff', records, known, report),
    customers: (records: Customer[], known, report) =>
      checkUserDiyalogIds('customers', records, known, report),
    groups(records: Group[], known, report) {
      const file = FIXTURE_KINDS.groups.file
      for (const [index, group] of records.entries()) {
        const at = () => `${file}: ${recordName('groups', index, group)}`
        for (const staffId of group.staffIds)
          if (!known.staff.has(staffId))
            report(`${at()}, field staffIds: no such staff ${staffId} in staff.json`)
        for (const customerId of group.customerIds) {
          if (!known.customers.has(customerId))
            report(`${at()}, field customerIds: no such customer ${customerId} in customers.json`)
        }
        const members = group.staffIds.length + group.customerIds.length
        if (
          new Set(group.staffIds).size !== group.staffIds.length ||
          new Set(group.customerIds).size !== group.customerIds.length
        ) {
          report(`${at()}: a member is listed twice`)
        }
        if (members < 2) report(`${at()}: a group needs at least two members`)
      }
    },
    conversations(records: any[], known, report) {
      const file = FIXTURE_KINDS.conversations.file
      const messageIds = new Map<string, Set<string>>()
      for (const [index, record] of records.entries()) {
        const where = () => `${file}: ${recordName('conversations', index, record)}`
        let key: string
        let sender: (from: unknown, at: () => string) => void
        if ('groupId' in record) {
          const group = known.groups.get(record.groupId as number)
          if (group === undefined) report(`${where()}, field groupId: no such group in groups.json`)
          key = `g\u0000${record.groupId}`
          // Sets: a group may have thousands of members, and every message is checked.
          const staffMembers = new Set(group?.staffIds)
          const customerMembers = new Set(group?.customerIds)
          sender = (from, at) => {
            const person = from as Person
            const member =
              group === undefined ||
              ('staffId' in person
                ? staffMembers.has(person.staffId)
                : customerMembers.has(person.customerId))
            if (!member)
              report(`${at()}, field from: ${personText(person)} is not a member of group ${record.groupId}`)
          }
        } else if ('staffIds' in record) {
          const pair = record.staffIds as string[]
          for (const staffId of pair)
            if (!known.staff.has(staffId))
              report(`${where()}, field staffIds: no such staff ${staffId} in staff.json`)
          if (pair[0] === pair[1])
            report(`${where()}, field staffIds: two different staff members are needed`)
          key = `s\u0000${[...pair].sort().join('\u0000')}`
          sender = (from, at) => {
            const person = from as Person
            if (!('staffId' in person) || !pair.includes(person.staffId)) {
              report(
                `${at()}, field from: must be one of the two staff members, staffId ${pair.join(' or ')}`,
              )
            }
          }
        } else {
          if (!known.staff.has(record.staffId))
            report(`${where()}, field staffId: no such staff in staff.json`)
          if (!known.customers.has(record.customerId))
            report(`${where()}, field customerId: no such customer in customers.json`)
          key = `p\u0000${record.staffId}\u0000${record.customerId}`
          sender = () => undefined
        }
        const ids = messageIds.get(key) ?? new Set<string>()
        messageIds.set(key, ids)
        for (const [m, message] of (record.messages as Record<string, unknown>[]).entries()) {
          const at = () => `${where()}, messages[${m}] (id ${JSON.stringify(message['id'])})`
          const id = message['id'] as string
          if (ids.has(id)) report(`${at()}, field id: duplicate message id in this conversation`)
          ids.add(id)
          if (message['text'] === undefined && message['attachment'] === undefined) {
            report(`${at()}: a message needs text, attachment or both`)
          }
          sender(message['from'], at)
          // In place: the parsed record is ours, and a copy per message doubled the peak memory of
          // a large load (1 M messages: ~150 MB more).
          message['sentAt'] = timeOf(message['sentAt'] as string, () => `${at()}, field sentAt`, report)
        }
      }
    },
    calls(records: any[], known, report) {
      const file = FIXTURE_KINDS.calls.file
      duplicates('calls', records, (call: { callId: string }) => call.callId, report)
      for (const [index, call] of records.entries()) {
        const at = () => `${file}: ${recordName('calls', index, call)}`
        checkInt64(call.callId, () => `${at()}, field callId`, report)
        for (const side of ['initiator', 'receiver'] as const) {
          if (!personKnown(call[side], known))
            report(`${at()}, field ${side}: no such ${personText(call[side])}`)
        }
        if (personText(call.initiator) === personText(call.receiver))
          report(`${at()}: a call needs two different people`)
        call.startedAt = timeOf(call.startedAt, () => `${at()}, field startedAt`, report)
        call.endedAt = timeOf(call.endedAt, () => `${at()}, field endedAt`, report)
        if (call.endedAt < call.startedAt) report(`${at()}, field endedAt: before startedAt`)
        else if (call.connectedSeconds * 1000 > call.endedAt - call.startedAt) {
          report(`${at()}, field connectedSeconds: longer than the call (endedAt − startedAt)`)
        }
        if (call.state !== 'ENDED' && (call.connectedSeconds !== 0 || call.recording)) {
          report(`${at()}: a ${call.state} call never connected: connectedSeconds 0 and recording false`)
        }
      }
    },
    onlineHelp(records: any[], known, report) {
      const file = FIXTURE_KINDS.onlineHelp.file
      duplicates('onlineHelp', records, (session: { onlineHelpId: string }) => session.onlineHelpId, report)
      for (const [index, session] of records.entries()) {
        const at = () => `${file}: ${recordName('onlineHelp', index, session)}`
        checkInt64(session.onlineHelpId, () => `${at()}, field onlineHelpId`, report)
        if (!known.customers.has(session.customerId))
          report(`${at()}, field customerId: no such customer in customers.json`)
        if (session.agentId !== undefined && !known.staff.has(session.agentId)) {
          report(`${at()}, field agentId: no such staff in staff.json`)
        }
        const state = session.state as HelpState
        // The fields each state has (D34), as the list and the page read them.
        for (const [field, wanted] of Object.entries(helpStateFields(state))) {
          if (wanted && session[field] === undefined)
            report(`${at()}: a session in state ${state} needs ${field}`)
          if (!wanted && session[field] !== undefined)
            report(`${at()}, field ${field}: a session in state ${state} has none`)
        }
        for (const field of ['requestedAt', 'startedAt', 'endedAt'] as const) {
          if (session[field] !== undefined)
            session[field] = timeOf(session[field], () => `${at()}, field ${field}`, report)
        }
        const times = [session.requestedAt, session.startedAt, session.endedAt].filter((t) => t !== undefined)
        if (times.some((time, i) => i > 0 && time < times[i - 1])) {
          report(`${at()}: requestedAt, startedAt and endedAt must come in that order`)
        }
      }
    },
    // Never a token, a payload key or an app secret in a problem: a bot is named by its name.
    bots(records: BotRecord[], known, report) {
      const file = FIXTURE_KINDS.bots.file
      duplicates('bots', records, (record) => record.name, report)
      const tokens = new Map<string, number>()
      const diyalogIds = new Map<string, number>()
      for (const [index, record] of records.entries()) {
        const where = recordName('bots', index, record)
        const at = () => `${file}: ${where}`
        const other = (earlier: number) => recordName('bots', earlier, records[earlier])
        const sameToken = tokens.get(record.token)
        if (sameToken === undefined) tokens.set(record.token, index)
        else report(`${at()}, field token: the same token as ${other(sameToken)}`)

        const diyalogId = botDiyalogId(record)
        const field = record.diyalogId === undefined ? '' : ', field diyalogId'
        const whose =
          record.diyalogId === undefined
            ? `its Diyalog id ${diyalogId} (derived from its name)`
            : `Diyalog id ${diyalogId}`
        const fix = record.diyalogId === undefined ? '; give it a diyalogId' : ''
        if (record.diyalogId !== undefined && diyalogId.length === 19 && BigInt(diyalogId) > INT64_MAX) {
          report(`${at()}${field}: not a signed 64-bit integer`)
        }
        const sameId = diyalogIds.get(diyalogId)
        const user = known.diyalogIds.get(diyalogId)
        if (sameId !== undefined) report(`${at()}${field}: ${whose} is also ${other(sameId)}'s${fix}`)
        else if (user !== undefined) report(`${at()}${field}: ${whose} is also ${user}'s${fix}`)
        else diyalogIds.set(diyalogId, index)

        if (record.webhook !== undefined) {
          const problem = webhookUrlProblem(record.webhook.url)
          if (problem !== undefined) report(`${at()}, field webhook.url: ${problem}`)
        }
      }
    },
  }

/**
 * Validates the fixture files (schemas, then references between them, kind by kind in the
 * order of `FIXTURE_KINDS`) and converts them to store records. Pure: the texts come in,
 * `Fixtures` or a `FixtureError` come out.
 */
export function parseFixtures(texts: FixtureTexts, source = 'fixtures'): Fixtures {
  const files: Partial<Record<FixtureKind, ParsedFile>> = {}
  for (const kind of FIXTURE_KIND_NAMES) {
    const text = (texts as Partial<Record<FixtureKind, string>>)[kind]
    if (text !== undefined) files[kind] = parseJson(kind, text)
  }
  return checkFixtures(files, source)
}

type ParsedFile = ReturnType<typeof parseJson>

/** The checks and conversions of `parseFixtures`, on files already parsed (an absent optional one is empty). */
function checkFixtures(files: Partial<Record<FixtureKind, ParsedFile>>, source: string): Fixtures {
  const problems: string[] = []
  const report: Report = (problem) => problems.push(problem)
  const data: Partial<Record<FixtureKind, unknown[]>> = {}
  for (const kind of FIXTURE_KIND_NAMES) {
    const parsed: ParsedFile | undefined =
      files[kind] ?? (FIXTURE_KINDS[kind].optional ? { ok: true, data: [] } : undefined)
    if (parsed === undefined) {
      report(`${FIXTURE_KINDS[kind].file}: missing`)
      continue
    }
    if (!parsed.ok) {
      report(parsed.problem)
      continue
    }
    const found = schemaProblems(kind, parsed.data)
    problems.push(...found)
    if (found.length === 0) data[kind] = parsed.data as unknown[]
  }
  if (problems.length > 0) throw new FixtureError(source, problems)

  const staff = data.staff as StaffMember[]
  const customers = data.customers as Customer[]
  const groups = data.groups as Group[]
  const known: Known = {
    staff: duplicates('staff', staff, (member) => member.staffId, report) as Set<string>,
    customers: duplicates('customers', customers, (customer) => customer.customerId, report) as Set<string>,
    groups: new Map(groups.map((group) => [group.groupId, group])),
    diyalogIds: new Map(),
  }
  duplicates('groups', groups, (group) => group.groupId, report)
  for (const kind of FIXTURE_KIND_NAMES) RESOLVERS[kind](data[kind] as unknown[], known, report)
  if (problems.length > 0) throw new FixtureError(source, problems)
  return {
    staff,
    customers,
    groups,
    conversations: data.conversations as ConversationInput[],
    calls: data.calls as CallInput[],
    onlineHelp: data.onlineHelp as OnlineHelpInput[],
    bots: data.bots as BotRecord[],
  }
}

/**
 * Validates a data set of the same shape as the files (`{staff, customers, conversations, …}`,
 * as the admin API and the test helper take it) exactly as the files are.
 */
export function parseFixtureData(data: unknown, source: string): Fixtures {
  const expected = FIXTURE_KIND_NAMES.join(', ')
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new FixtureError(source, [
      `the data set must be an object with the fields ${expected}, each an array`,
    ])
  }
  const record = data as Record<string, unknown>
  const unknown = Object.keys(record).filter((key) => !Object.hasOwn(FIXTURE_KINDS, key))
  if (unknown.length > 0) {
    throw new FixtureError(source, [`unknown field(s) ${unknown.join(', ')}: expected ${expected}`])
  }
  const texts = Object.fromEntries(
    FIXTURE_KIND_NAMES.filter((kind) => !(FIXTURE_KINDS[kind].optional && record[kind] === undefined)).map(
      (kind) => [kind, JSON.stringify(record[kind] ?? null)],
    ),
  ) as FixtureTexts
  return parseFixtures(texts, source)
}

/** Reads and validates the fixture files of a directory (an optional kind's file may be absent). */
export async function loadFixturesDir(dir: string): Promise<Fixtures> {
  // Each file parsed as soon as it is read, so its text (for 1 M messages, 135 MB of UTF-8 and
  // twice that as a string) can go before the next file is read.
  const files: Partial<Record<FixtureKind, ParsedFile>> = {}
  for (const kind of FIXTURE_KIND_NAMES) {
    const { file, optional } = FIXTURE_KINDS[kind]
    const path = join(dir, file)
    try {
      files[kind] = parseJson(kind, await readFile(path, 'utf8'))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' && optional) continue
      const why =
        code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : String(code)
      throw new FixtureError(dir, [`${file}: cannot read ${path} (${why})`])
    }
  }
  return checkFixtures(files, dir)
}
