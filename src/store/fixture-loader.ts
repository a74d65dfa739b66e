import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Compile } from 'typebox/compile'
import { readSchemaErrors, unknownFieldsText } from '../schema-errors.js'
import {
  FIXTURE_FILES,
  type Conversation,
  type Customer,
  type Fixtures,
  type Message,
  type StaffMember,
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

type FixtureKind = keyof typeof FIXTURE_FILES
export type FixtureTexts = Readonly<Record<FixtureKind, string>>

const validators = {
  staff: Compile(FIXTURE_FILES.staff.schema),
  customers: Compile(FIXTURE_FILES.customers.schema),
  conversations: Compile(FIXTURE_FILES.conversations.schema),
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** `record 3 (staffId 45188, customerId 5667067), messages[12] (id "m12")` for an instance path. */
function describeLocation(data: unknown, segments: readonly string[]): { where: string; field: string } {
  const [recordIndex, ...rest] = segments
  if (recordIndex === undefined) return { where: 'the file', field: '' }
  const record = Array.isArray(data) ? data[Number(recordIndex)] : undefined
  const ids = isRecord(record)
    ? ['staffId', 'customerId']
        .filter((key) => typeof record[key] === 'string')
        .map((key) => `${key} ${String(record[key])}`)
    : []
  let where = `record ${recordIndex}${ids.length > 0 ? ` (${ids.join(', ')})` : ''}`
  let fieldSegments = rest
  if (
    rest[0] === 'messages' &&
    rest[1] !== undefined &&
    isRecord(record) &&
    Array.isArray(record['messages'])
  ) {
    const message: unknown = record['messages'][Number(rest[1])]
    const id =
      isRecord(message) && typeof message['id'] === 'string' ? ` (id ${JSON.stringify(message['id'])})` : ''
    where += `, messages[${rest[1]}]${id}`
    fieldSegments = rest.slice(2)
  }
  return { where, field: fieldSegments.join('.') }
}

function schemaProblems(kind: FixtureKind, data: unknown): string[] {
  const file = FIXTURE_FILES[kind].file
  const validator = validators[kind]
  if (validator.Check(data)) return []
  return readSchemaErrors(validator.Errors(data)).map((problem) => {
    const { where, field } = describeLocation(data, problem.at)
    let detail: string
    if ('unknownFields' in problem) detail = unknownFieldsText(problem.unknownFields)
    else if (problem.error.keyword === 'required') {
      const names = (problem.error.params['requiredProperties'] as string[] | undefined) ?? []
      detail = `missing required field ${names.join(', ')}`
    } else if (problem.error.keyword === 'type' && problem.at.length === 0) {
      detail = 'must be a JSON array of records'
    } else detail = problem.error.message
    return `${file}: ${where}${field === '' ? '' : `, field ${field}`}: ${detail}`
  })
}

function parseJson(
  kind: FixtureKind,
  text: string,
): { ok: true; data: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, data: JSON.parse(text) }
  } catch (error) {
    return { ok: false, problem: `${FIXTURE_FILES[kind].file}: not valid JSON (${(error as Error).message})` }
  }
}

/**
 * Validates the three fixture files (schemas, then references between them) and converts
 * them to store records. Pure: the texts come in, `Fixtures` or a `FixtureError` come out.
 */
export function parseFixtures(texts: FixtureTexts, source = 'fixtures'): Fixtures {
  const problems: string[] = []
  const data: Partial<Record<FixtureKind, unknown>> = {}
  for (const kind of Object.keys(FIXTURE_FILES) as FixtureKind[]) {
    const parsed = parseJson(kind, texts[kind])
    if (!parsed.ok) {
      problems.push(parsed.problem)
      continue
    }
    const found = schemaProblems(kind, parsed.data)
    problems.push(...found)
    if (found.length === 0) data[kind] = parsed.data
  }
  if (problems.length > 0) throw new FixtureError(source, problems)

  const staff = data.staff as StaffMember[]
  const customers = data.customers as Customer[]
  const conversationRecords = data.conversations as {
    staffId: string
    customerId: string
    messages: (Omit<Message, 'sentAt'> & { sentAt: string })[]
  }[]

  const seen = (
    kind: FixtureKind,
    key: 'staffId' | 'customerId',
    records: readonly Record<string, unknown>[],
  ) => {
    const first = new Map<unknown, number>()
    records.forEach((record, index) => {
      const id = record[key]
      const earlier = first.get(id)
      if (earlier === undefined) first.set(id, index)
      else
        problems.push(
          `${FIXTURE_FILES[kind].file}: record ${index}: duplicate ${key} ${String(id)} (also record ${earlier})`,
        )
    })
    return new Set(first.keys())
  }
  const staffIds = seen('staff', 'staffId', staff)
  const customerIds = seen('customers', 'customerId', customers)

  const file = FIXTURE_FILES.conversations.file
  const messageIds = new Map<string, Set<string>>()
  const conversations: Conversation[] = conversationRecords.map((record, index) => {
    const where = `${file}: record ${index} (staffId ${record.staffId}, customerId ${record.customerId})`
    if (!staffIds.has(record.staffId)) problems.push(`${where}, field staffId: no such staff in staff.json`)
    if (!customerIds.has(record.customerId)) {
      problems.push(`${where}, field customerId: no such customer in customers.json`)
    }
    const pair = `${record.staffId}\u0000${record.customerId}`
    const ids = messageIds.get(pair) ?? new Set<string>()
    messageIds.set(pair, ids)
    const messages = record.messages.map((message, m): Message => {
      const at = `${where}, messages[${m}] (id ${JSON.stringify(message.id)})`
      if (ids.has(message.id)) problems.push(`${at}, field id: duplicate message id in this conversation`)
      ids.add(message.id)
      if (message.text === undefined && message.attachment === undefined) {
        problems.push(`${at}: a message needs text, attachment or both`)
      }
      const sentAt = Date.parse(message.sentAt)
      // RFC 3339 allows a leap second (…T23:59:60Z); a JavaScript time does not.
      if (!Number.isFinite(sentAt)) problems.push(`${at}, field sentAt: not a representable time`)
      // In place: the parsed record is ours, and a copy per message doubled the peak memory of
      // a large load (1 M messages: ~150 MB more).
      const record = message as unknown as { sentAt: number }
      record.sentAt = sentAt
      return record as unknown as Message
    })
    return { staffId: record.staffId, customerId: record.customerId, messages }
  })
  if (problems.length > 0) throw new FixtureError(source, problems)
  return { staff, customers, conversations }
}

/**
 * Validates a data set of the same shape as the three files (`{staff, customers,
 * conversations}`, as the admin API and the test helper take it) exactly as the files are.
 */
export function parseFixtureData(data: unknown, source: string): Fixtures {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new FixtureError(source, [
      'the data set must be an object {"staff": [...], "customers": [...], "conversations": [...]}',
    ])
  }
  const record = data as Record<string, unknown>
  const unknown = Object.keys(record).filter((key) => !Object.hasOwn(FIXTURE_FILES, key))
  if (unknown.length > 0) {
    throw new FixtureError(source, [
      `unknown field(s) ${unknown.join(', ')}: expected staff, customers, conversations`,
    ])
  }
  const texts = Object.fromEntries(
    (Object.keys(FIXTURE_FILES) as FixtureKind[]).map((kind) => [kind, JSON.stringify(record[kind] ?? null)]),
  ) as FixtureTexts
  return parseFixtures(texts, source)
}

/** Reads and validates `staff.json`, `customers.json` and `conversations.json` from a directory. */
export async function loadFixturesDir(dir: string): Promise<Fixtures> {
  const texts: Partial<Record<FixtureKind, string>> = {}
  for (const kind of Object.keys(FIXTURE_FILES) as FixtureKind[]) {
    const path = join(dir, FIXTURE_FILES[kind].file)
    try {
      texts[kind] = await readFile(path, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const why =
        code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : String(code)
      throw new FixtureError(dir, [`${FIXTURE_FILES[kind].file}: cannot read ${path} (${why})`])
    }
  }
  return parseFixtures(texts as FixtureTexts, dir)
}
