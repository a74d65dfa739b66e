import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_FIXTURES_DIR } from '../../src/config.js'
import {
  FixtureError,
  loadFixturesDir,
  parseFixtures,
  type FixtureTexts,
} from '../../src/store/fixture-loader.js'
import { FIXTURE_KIND_NAMES, FIXTURE_KINDS, type FixtureKind } from '../../src/store/fixture-kinds.js'
import { createStore } from '../../src/store/store.js'

/** The bundled files (an optional kind may have none: `bots.json`, the demo bot being built in). */
const defaults: Record<FixtureKind, string> = Object.fromEntries(
  FIXTURE_KIND_NAMES.filter((kind) => existsSync(join(DEFAULT_FIXTURES_DIR, FIXTURE_KINDS[kind].file))).map(
    (kind) => [kind, readFileSync(join(DEFAULT_FIXTURES_DIR, FIXTURE_KINDS[kind].file), 'utf8')],
  ),
) as Record<FixtureKind, string>

/** The default fixtures with one file's parsed JSON changed by `edit`. */
function edited(kind: FixtureKind, edit: (data: any) => void): FixtureTexts {
  const data: unknown = JSON.parse(defaults[kind])
  edit(data)
  return { ...defaults, [kind]: JSON.stringify(data) }
}

function problems(texts: FixtureTexts): readonly string[] {
  try {
    parseFixtures(texts)
  } catch (error) {
    if (error instanceof FixtureError) return error.problems
    throw error
  }
  return []
}

describe('the default fixtures', () => {
  const fixtures = parseFixtures(defaults)
  const store = createStore(fixtures)

  it('hold the documented ids', () => {
    for (const staffId of ['45186', '45188', '45153']) expect(store.staff(staffId)).toBeDefined()
    for (const customerId of ['2337368', '5667067', '113377', '113344', '7403713']) {
      expect(store.customer(customerId)).toBeDefined()
    }
  })

  it("hold the documentation's example conversation, with messages inside and outside its window", () => {
    const all = store.messagesBetween('45188', '5667067', { start: -1e15, end: 1e15 })
    const inDocsWindow = store.messagesBetween('45188', '5667067', {
      start: 1610856400000,
      end: 1635892494000,
    })
    expect(inDocsWindow.total).toBeGreaterThanOrEqual(20)
    expect(all.total).toBeGreaterThan(inDocsWindow.total)
  })

  it('hold Turkish text, emoji, a long message, attachments and HTML for escaping tests', () => {
    const texts = fixtures.conversations.flatMap((c) => c.messages.map((m) => m.text ?? '')).join('\n')
    for (const letter of ['ç', 'ğ', 'ı', 'İ', 'ö', 'ş', 'ü']) expect(texts).toContain(letter)
    expect(texts).toMatch(/\p{Extended_Pictographic}/u)
    expect(texts).toContain('<script>alert(1)</script>')
    expect(Math.max(...texts.split('\n').map((t) => t.length))).toBeGreaterThan(500)
    const types = new Set(fixtures.conversations.flatMap((c) => c.messages.map((m) => m.attachment?.type)))
    expect(types).toEqual(new Set([undefined, 'file', 'image', 'audio', 'video', 'template']))
  })

  it('leave staff 45153 and customer 7403713 without messages, for the empty page', () => {
    expect(
      fixtures.conversations.some(
        (c) => 'customerId' in c && c.staffId === '45153' && c.customerId === '7403713',
      ),
    ).toBe(false)
  })

  it('convert times with offsets to epoch milliseconds', () => {
    const first = store.messagesBetween('45186', '2337368', { start: 0, end: 1e15 }).messages[0]
    expect(first?.sentAt).toBe(Date.parse('2021-01-08T08:12:40Z'))
  })
})

describe('fixture validation names the file, the record and the field', () => {
  it.each<[string, FixtureTexts, string]>([
    ['invalid JSON', { ...defaults, staff: '[{"staffId": ' }, 'staff.json: not valid JSON'],
    [
      'not an array',
      { ...defaults, customers: '{}' },
      'customers.json: the file: must be a JSON array of records',
    ],
    [
      'a missing field',
      edited('staff', (d) => delete d[1].name),
      'staff.json: record 1 (staffId 45188): missing required field name',
    ],
    [
      'an unknown field',
      edited('customers', (d) => (d[0].nmae = 'x')),
      'customers.json: record 0 (customerId 2337368): unknown field nmae',
    ],
    [
      'a bad id',
      edited('staff', (d) => (d[0].staffId = '45 186')),
      'staff.json: record 0 (staffId 45 186), field staffId: must match pattern',
    ],
    [
      'a date without zone',
      edited('conversations', (d) => (d[1].messages[2].sentAt = '2021-03-09T16:03:22')),
      'conversations.json: record 1 (staffId 45186, customerId 2337368), messages[2] (id "a-003"), field sentAt: must match format "date-time"',
    ],
    [
      'an impossible date',
      edited('conversations', (d) => (d[0].messages[0].sentAt = '2021-02-30T10:00:00Z')),
      'messages[0] (id "m-001"), field sentAt: must match format "date-time"',
    ],
    [
      'a leap second, which RFC 3339 allows and JavaScript cannot hold',
      edited('conversations', (d) => (d[0].messages[0].sentAt = '2016-12-31T23:59:60Z')),
      'messages[0] (id "m-001"), field sentAt: not a representable time',
    ],
    [
      'an unknown attachment type',
      edited('conversations', (d) => (d[0].messages[4].attachment.type = 'pdf')),
      'messages[4] (id "m-005"), field attachment.type:',
    ],
    [
      'a wrong sender',
      edited('conversations', (d) => (d[2].messages[0].from = 'agent')),
      'record 2 (staffId 45153, customerId 113377), messages[0] (id "z-001"), field from:',
    ],
    [
      'an unknown staff reference',
      edited('conversations', (d) => (d[0].staffId = '99999')),
      'conversations.json: record 0 (staffId 99999, customerId 5667067), field staffId: no such staff in staff.json',
    ],
    [
      'an unknown customer reference',
      edited('conversations', (d) => (d[0].customerId = '1')),
      'record 0 (staffId 45188, customerId 1), field customerId: no such customer in customers.json',
    ],
    [
      'a duplicate staff id',
      edited('staff', (d) => (d[2].staffId = '45186')),
      'staff.json: record 2: duplicate staffId 45186 (also record 0)',
    ],
    [
      'a duplicate message id',
      edited('conversations', (d) => (d[0].messages[1].id = 'm-001')),
      'messages[1] (id "m-001"), field id: duplicate message id in this conversation',
    ],
    [
      'an empty message',
      edited('conversations', (d) => delete d[0].messages[0].text),
      'messages[0] (id "m-001"): a message needs text, attachment or both',
    ],
  ])('%s', (_label, texts, expected) => {
    expect(problems(texts).join('\n')).toContain(expected)
  })

  it.each([
    [
      'a __proto__ key',
      {
        ...defaults,
        staff: defaults.staff.replace(
          '"staffId": "45186",',
          '"__proto__": {"polluted": true}, "staffId": "45186",',
        ),
      },
      'staff.json: record 0 (staffId 45186): unknown field __proto__',
    ],
    [
      'a constructor key',
      edited('customers', (d) => (d[0].constructor = { prototype: { isAdmin: true } })),
      'customers.json: record 0 (customerId 2337368): unknown field constructor',
    ],
    [
      'deeply nested arrays for a text',
      {
        ...defaults,
        conversations: defaults.conversations.replace(
          '"Merhaba, kartımın ekstre kesim tarihini öğrenebilir miyim?"',
          `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
        ),
      },
      'messages[0] (id "m-001"), field text:',
    ],
    [
      'a text over 20,000 characters',
      edited('conversations', (d) => (d[0].messages[0].text = 'x'.repeat(20_001))),
      'messages[0] (id "m-001"), field text:',
    ],
    [
      'a name with markup beyond 200 characters',
      edited('staff', (d) => (d[0].name = '<script>'.repeat(30))),
      'staff.json: record 0 (staffId 45186), field name:',
    ],
  ])('refuses hostile content: %s', (_label, texts, expected) => {
    expect(problems(texts).join('\n')).toContain(expected)
    expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined()
  })

  it.each<[string, FixtureTexts, string[]]>([
    [
      'an unknown field in a message',
      edited('conversations', (d) => (d[0].messages[0].colour = 'red')),
      [
        'conversations.json: record 0 (staffId 45188, customerId 5667067), messages[0] (id "m-001"): unknown field colour',
      ],
    ],
    [
      'an unknown field in an attachment',
      edited('conversations', (d) => (d[0].messages[4].attachment.pages = 3)),
      [
        'conversations.json: record 0 (staffId 45188, customerId 5667067), messages[4] (id "m-005"), field attachment: unknown field pages',
      ],
    ],
    [
      'two unknown fields in one record, one in another',
      edited('staff', (d) => {
        d[0].nmae = 'x'
        d[0].role = 'y'
        d[1]['a/b~c'] = 'z'
      }),
      [
        'staff.json: record 0 (staffId 45186): unknown fields nmae, role',
        'staff.json: record 1 (staffId 45188): unknown field a/b~c',
      ],
    ],
    [
      'more unknown fields than TypeBox reports errors',
      edited('customers', (d) => {
        for (let i = 0; i < 12; i++) d[0][`extra${i}`] = i
      }),
      [
        'customers.json: record 0 (customerId 2337368): unknown fields extra0, extra1, extra2, extra3, extra4, extra5, extra6, extra7',
      ],
    ],
  ])('names an unknown field, once, never as "schema is false": %s', (_label, texts, expected) => {
    expect(problems(texts)).toEqual(expected)
  })

  it('reports every broken file at once', () => {
    const found = problems({ staff: 'nope', customers: 'nope', conversations: '[]' })
    expect(found).toHaveLength(2)
  })

  it('cuts a long list of problems short in the message', () => {
    const texts = edited('conversations', (d) => {
      for (const m of d[0].messages) m.id = 'same'
    })
    expect(() => parseFixtures(texts)).toThrow(/… and \d+ more/)
  })
})

describe('loadFixturesDir', () => {
  it('loads the bundled fixtures: every kind but bots (the demo bot is built in)', async () => {
    const fixtures = await loadFixturesDir(DEFAULT_FIXTURES_DIR)
    for (const kind of FIXTURE_KIND_NAMES.filter((kind) => kind !== 'bots')) {
      expect(fixtures[kind]?.length, kind).toBeGreaterThan(0)
    }
    expect(fixtures.bots).toEqual([])
  })

  it('names the missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlg-fixtures-'))
    writeFileSync(join(dir, 'staff.json'), defaults.staff)
    await expect(loadFixturesDir(dir)).rejects.toThrow(
      `customers.json: cannot read ${join(dir, 'customers.json')} (file not found)`,
    )
  })

  it('names a file it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlg-fixtures-'))
    mkdirSync(join(dir, 'staff.json'))
    await expect(loadFixturesDir(dir)).rejects.toThrow('staff.json: cannot read')
  })
})
