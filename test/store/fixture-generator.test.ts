import { mkdtemp, readFile, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Value } from 'typebox/value'
import { describe, expect, it, onTestFinished } from 'vitest'
import { LIST_SAMPLE_ROUTES, SAMPLED_LISTS } from '../../bench/lib.js'
import type { CliIo } from '../../src/cli/io.js'
import { main } from '../../src/cli/main.js'
import { GET_MESSAGING_DETAIL } from '../../src/routes/reporting/getmessagingdetail.js'
import { REPORTING_ROUTES } from '../../src/routes/reporting/index.js'
import { fullPath } from '../../src/routes/signed-route.js'
import {
  LIST_SAMPLE_SIZE,
  MANIFEST_FILE,
  SAMPLE_WINDOW_SIZE,
  UNTYPED_CALLS_BEFORE,
  writeFixtures,
  type Manifest,
} from '../../src/store/fixture-generator.js'
import { loadFixturesDir } from '../../src/store/fixture-loader.js'
import { CALL_STATES, CALL_TYPES, CALL_USE_TYPES, HELP_STATES } from '../../src/store/fixture-schema.js'
import { createStore, type Store } from '../../src/store/store.js'
import { testApp } from '../helpers/app.js'
import { signedRequest } from '../helpers/signing.js'

const options = { staff: 3, customers: 7, messages: 1000, seed: 42 }
const dir = () => mkdtemp(join(tmpdir(), 'fixtures-'))
const files = async (path: string) =>
  Object.fromEntries(
    await Promise.all((await readdir(path)).map(async (f) => [f, await readFile(join(path, f), 'utf8')])),
  ) as Record<string, string>
const json = async <T = Record<string, unknown>[]>(path: string, file: string) =>
  JSON.parse(await readFile(join(path, file), 'utf8')) as T

type Conversation = { staffId?: string; staffIds?: string[]; groupId?: number; messages: unknown[] }
type Call = {
  callId: string
  startedAt: string
  endedAt: string
  connectedSeconds: number
  callType: string
  state: string
  useType: number
  recording: boolean
  initiator: Record<string, string>
  receiver: Record<string, string>
}
type Session = { onlineHelpId: string; state: string } & Record<string, string>

describe('the fixture generator', () => {
  it('writes the same files for the same options and seed, other files for another seed', async () => {
    const [a, b, c] = await Promise.all([dir(), dir(), dir()])
    writeFixtures(a, options)
    writeFixtures(b, options)
    writeFixtures(c, { ...options, seed: 43 })
    const [first, second, third] = await Promise.all([files(a), files(b), files(c)])
    expect(Object.keys(first).sort()).toEqual([
      'calls.json',
      'conversations.json',
      'customers.json',
      'groups.json',
      'manifest.json',
      'online-help.json',
      'staff.json',
    ])
    expect(second).toEqual(first)
    for (const file of ['groups.json', 'conversations.json', 'calls.json', 'online-help.json']) {
      expect(third[file], file).not.toBe(first[file])
    }
  })

  it('writes fixtures the loader accepts, with the counts asked and a 50-message sample window', async () => {
    const path = await dir()
    const asked = { ...options, groups: 4, calls: 300, sessions: 250 }
    const manifest = writeFixtures(path, asked)
    const store = createStore(await loadFixturesDir(path))
    const counts = {
      staff: 3,
      customers: 7,
      groups: 4,
      messages: 1000,
      calls: 300,
      onlineHelpSessions: 250,
      bots: 0,
    }
    expect(store.counts).toEqual(counts)
    expect(manifest.counts).toEqual(counts)
    expect(manifest.options).toEqual(asked)
    const { sample } = manifest
    expect(sample.messages).toBe(SAMPLE_WINDOW_SIZE)
    // 80 % of 1000 shared by 7 private conversations: the first two get 115, the others 114.
    expect(sample.pairMessages).toBe(115)
    const window = store.messagesBetween(sample.staffId, sample.customerId, {
      start: sample.startDate,
      end: sample.endDate,
    })
    expect(window.total).toBe(SAMPLE_WINDOW_SIZE)
    // Customers are spread over the staff round-robin; every message is in time order.
    expect(store.messagesBetween('40001', '1000001', { start: 0, end: Date.UTC(2030, 0) }).total).toBe(115)
    expect(await json<Manifest>(path, MANIFEST_FILE)).toEqual(manifest)
  })

  it.each([
    { staff: 1, customers: 1, messages: 0, groups: 0, calls: 0, sessions: 0, seed: 0 },
    { staff: 1, customers: 1, messages: 37, groups: 3, calls: 25, sessions: 25, seed: 2 ** 32 - 1 },
    { staff: 2, customers: 3, messages: 500, groups: 1, calls: 60, sessions: 60, seed: 7 },
    { staff: 9, customers: 2, messages: 90, groups: 12, calls: 400, sessions: 400, seed: 123 },
  ])('writes a set the loader accepts for small and odd options: %j', async (asked) => {
    const path = await dir()
    const manifest = writeFixtures(path, asked)
    expect(createStore(await loadFixturesDir(path)).counts).toEqual({
      staff: asked.staff,
      customers: asked.customers,
      groups: asked.groups,
      messages: asked.messages,
      calls: asked.calls,
      onlineHelpSessions: asked.sessions,
      bots: 0,
    })
    expect(manifest.counts.messages).toBe(asked.messages)
  })

  it('fills in the defaults: groups customers / 50 (at least 1), calls and sessions messages / 10', async () => {
    const path = await dir()
    const manifest = writeFixtures(path, { staff: 2, customers: 120, messages: 2005, seed: 1 })
    expect(manifest.options).toEqual({
      staff: 2,
      customers: 120,
      messages: 2005,
      groups: 2,
      calls: 200,
      sessions: 200,
      seed: 1,
    })
    expect(createStore(await loadFixturesDir(path)).counts).toEqual(manifest.counts)
    expect(
      writeFixtures(await dir(), { staff: 1, customers: 3, messages: 5, seed: 1 }).options,
    ).toMatchObject({
      groups: 1,
      calls: 0,
      sessions: 0,
    })
  })

  it('shares the messages 80 / 5 / 15 % over private, staff–staff and group conversations', async () => {
    const path = await dir()
    writeFixtures(path, { ...options, groups: 3 })
    const conversations = await json<Conversation[]>(path, 'conversations.json')
    const sum = (shape: (c: Conversation) => boolean) =>
      conversations.filter(shape).reduce((total, c) => total + c.messages.length, 0)
    expect(sum((c) => c.staffId !== undefined)).toBe(800)
    expect(sum((c) => c.staffIds !== undefined)).toBe(50)
    expect(sum((c) => c.groupId !== undefined)).toBe(150)
    // Three staff: the ring 0–1, 1–2, 2–0.
    expect(conversations.filter((c) => c.staffIds !== undefined).map((c) => c.staffIds)).toEqual([
      ['40000', '40001'],
      ['40001', '40002'],
      ['40002', '40000'],
    ])
    // One staff member: no staff–staff conversation, its share goes to the private ones.
    const alone = await dir()
    writeFixtures(alone, { staff: 1, customers: 2, messages: 100, groups: 0, seed: 1 })
    const only = await json<Conversation[]>(alone, 'conversations.json')
    expect(only.map((c) => [c.staffId, c.messages.length])).toEqual([
      ['40000', 50],
      ['40000', 50],
    ])
  })

  it('writes groups of 2–6 members, staff and customers, with distinct 32-bit ids', async () => {
    const path = await dir()
    writeFixtures(path, { staff: 10, customers: 200, messages: 100, groups: 300, seed: 5 })
    const groups = await json<{ groupId: number; name: string; staffIds: string[]; customerIds: string[] }[]>(
      path,
      'groups.json',
    )
    const sizes = new Set(groups.map((g) => g.staffIds.length + g.customerIds.length))
    expect([...sizes].sort()).toEqual([2, 3, 4, 5, 6])
    for (const group of groups) {
      expect(group.staffIds.length).toBeGreaterThan(0)
      expect(group.customerIds.length).toBeGreaterThan(0)
      expect(group.groupId).toBeLessThanOrEqual(2 ** 31 - 1)
    }
    expect(new Set(groups.map((g) => g.groupId)).size).toBe(300)
    expect(groups[0]).toMatchObject({ staffIds: expect.arrayContaining(['40000']) })
    expect(groups[0]?.customerIds).toContain('1000000')
    expect(groups.some((g) => /[çğıöşüİ]/i.test(g.name))).toBe(true)
  })

  it('writes calls of every type, state and use type, by the loader’s rules, with ids over the signed range', async () => {
    const path = await dir()
    writeFixtures(path, { ...options, calls: 2000, sessions: 0 })
    const calls = await json<Call[]>(path, 'calls.json')
    expect(new Set(calls.map((c) => c.callType))).toEqual(new Set(CALL_TYPES))
    expect(new Set(calls.map((c) => c.state))).toEqual(new Set(CALL_STATES))
    expect(new Set(calls.map((c) => c.useType))).toEqual(new Set(CALL_USE_TYPES.map((_, i) => i)))
    expect(new Set(calls.map((c) => c.recording))).toEqual(new Set([true, false]))
    for (const call of calls) {
      const duration = Date.parse(call.endedAt) - Date.parse(call.startedAt)
      expect(call.connectedSeconds * 1000).toBeLessThanOrEqual(duration)
      if (call.state !== 'ENDED') expect([call.connectedSeconds, call.recording]).toEqual([0, false])
      if (call.callType === '') expect(Date.parse(call.startedAt)).toBeLessThan(UNTYPED_CALLS_BEFORE)
    }
    expect(calls.some((c) => 'staffId' in c.initiator && 'staffId' in c.receiver)).toBe(true)
    expect(calls.some((c) => 'customerId' in c.initiator)).toBe(true)
    // In time order, with milliseconds, in Istanbul time.
    expect(calls[0]?.startedAt).toMatch(/^2020-01-01T\d\d:\d\d:\d\d\.\d{3}\+03:00$/)
    const times = calls.map((c) => Date.parse(c.startedAt))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expectSpreadIds(calls.map((c) => c.callId))
  })

  it('writes online-help sessions in every state, each with the fields its state needs', async () => {
    const path = await dir()
    writeFixtures(path, { ...options, calls: 0, sessions: 2000 })
    const sessions = await json<Session[]>(path, 'online-help.json')
    expect(new Set(sessions.map((s) => s.state))).toEqual(new Set(HELP_STATES))
    const fields = new Map(sessions.map((s) => [s.state, Object.keys(s).sort().join(',')]))
    expect(Object.fromEntries(fields)).toEqual({
      onlinehelp_requested: 'customerId,onlineHelpId,requestedAt,state',
      onlinehelp_cancelled_by_customer: 'customerId,endedAt,onlineHelpId,requestedAt,state',
      onlinehelp_started: 'agentId,customerId,onlineHelpId,requestedAt,startedAt,state',
      onlinehelp_ended_by_customer: 'agentId,customerId,endedAt,onlineHelpId,requestedAt,startedAt,state',
      onlinehelp_ended_by_agent: 'agentId,customerId,endedAt,onlineHelpId,requestedAt,startedAt,state',
      onlinehelp_ended_customer_kill_app:
        'agentId,customerId,endedAt,onlineHelpId,requestedAt,startedAt,state',
    })
    // Every state's fields the same for every session of that state (one key list each).
    for (const session of sessions)
      expect(Object.keys(session).sort().join(',')).toBe(fields.get(session.state))
    expectSpreadIds(sessions.map((s) => s.onlineHelpId))
    expect(createStore(await loadFixturesDir(path)).counts.onlineHelpSessions).toBe(2000)
  })

  it('refuses options out of range', () => {
    expect(() => writeFixtures('/nonexistent', { ...options, staff: 0 })).toThrow(
      'staff must be a whole number from 1',
    )
    expect(() => writeFixtures('/nonexistent', { ...options, messages: 1.5 })).toThrow(
      'messages must be a whole number',
    )
    expect(() => writeFixtures('/nonexistent', { ...options, groups: 100_001 })).toThrow(
      'groups must be a whole number from 0 to 100000',
    )
    expect(() => writeFixtures('/nonexistent', { ...options, calls: -1 })).toThrow(
      'calls must be a whole number',
    )
    expect(() => writeFixtures('/nonexistent', { ...options, sessions: 2.5 })).toThrow(
      'sessions must be a whole number',
    )
  })
})

/** Distinct canonical signed 64-bit ids, negative and positive, reaching both ends of the range. */
function expectSpreadIds(ids: readonly string[]) {
  expect(new Set(ids).size).toBe(ids.length)
  const values = ids.map((id) => {
    expect(id).toMatch(/^-?(0|[1-9][0-9]{0,18})$/)
    expect(BigInt.asIntN(64, BigInt(id))).toBe(BigInt(id))
    return BigInt(id)
  })
  expect(values.some((v) => v < -(2n ** 62n))).toBe(true)
  expect(values.some((v) => v > 2n ** 62n)).toBe(true)
  // Most beyond 2^53, as the documentation's examples (D18).
  expect(values.filter((v) => v > 2n ** 53n || v < -(2n ** 53n)).length).toBeGreaterThan(ids.length * 0.9)
}

/** What the store answers to each of the manifest's list samples, capped as the lists are and not. */
function answers(store: Store, samples: Manifest['samples'], limit: number) {
  const window = (body: { startDate: number; endDate: number }) => ({
    start: body.startDate,
    end: body.endDate,
  })
  const { calls, onlineHelp, staffMessaging, customerMessaging } = samples
  return {
    // `callType: "all"` is every type: no filter in the store.
    calls: store.calls({
      window: window(calls.body),
      staffId: calls.body.staffId,
      customerId: calls.body.customerId,
      limit,
    }).length,
    onlineHelp: store.onlineHelpSessions({ window: window(onlineHelp.body), ...onlineHelp.body, limit })
      .length,
    staffMessaging: store.messagingRows(
      { kind: 'staff', id: staffMessaging.body.staffId },
      { window: window(staffMessaging.body), offset: 0, limit },
    ).length,
    customerMessaging: store.messagingRows(
      { kind: 'customer', id: customerMessaging.body.customerId },
      { window: window(customerMessaging.body), offset: 0, limit },
    ).length,
  }
}

describe('the manifest’s sample queries', () => {
  // The scale benchmark's shape (20 staff, 100 customers) at two sizes: the same answers.
  it.each([10_000, 40_000])(
    'answer 20 items for each Reporting list at %i messages',
    async (messages) => {
      const path = await dir()
      const manifest = writeFixtures(path, { staff: 20, customers: 100, messages, seed: 1 })
      const store = createStore(await loadFixturesDir(path))
      const twenty = { calls: 20, onlineHelp: 20, staffMessaging: 20, customerMessaging: 20 }
      expect(
        Object.fromEntries(Object.entries(manifest.samples).map(([name, sample]) => [name, sample.items])),
      ).toEqual(twenty)
      expect(answers(store, manifest.samples, LIST_SAMPLE_SIZE)).toEqual(twenty)
      // `inWindow` is what the window holds beyond the cap.
      expect(answers(store, manifest.samples, 1e9)).toEqual(
        Object.fromEntries(Object.entries(manifest.samples).map(([name, sample]) => [name, sample.inWindow])),
      )
      const all = { start: 0, end: Date.UTC(2030, 0) }
      expect(manifest.samples.calls.total).toBe(
        store.calls({ window: all, staffId: '40000', customerId: '1000000', limit: 1e9 }).length,
      )
      expect(manifest.samples.staffMessaging.total).toBe(
        store.messagingRows({ kind: 'staff', id: '40000' }, { window: all, offset: 0, limit: 1e9 }).length,
      )
      expect(manifest.samples.calls.body).toMatchObject({
        callType: 'all',
        staffId: '40000',
        customerId: '1000000',
      })
      expect(manifest.samples.staffMessaging.body).toMatchObject({ pageNumber: 1, pageSize: 20 })
      expect(manifest.sample).toMatchObject({ staffId: '40000', customerId: '1000000', messages: 50 })
    },
    20_000,
  )

  it('name fewer items when the data set is too small for 20', async () => {
    const manifest = writeFixtures(await dir(), {
      staff: 1,
      customers: 1,
      messages: 10,
      calls: 3,
      sessions: 0,
      seed: 1,
    })
    expect(manifest.samples.onlineHelp).toMatchObject({ inWindow: 0, items: 0, total: 0 })
    expect(manifest.samples.calls.items).toBe(3)
  })
})

describe('the endpoint each sample is sent to (bench/lib.ts, from the route table)', () => {
  it('is a list of REPORTING_ROUTES, every list once, in the table’s order', async () => {
    const lists = REPORTING_ROUTES.filter((route) => route !== GET_MESSAGING_DETAIL)
    expect(SAMPLED_LISTS.map((list) => fullPath(list.route))).toEqual(lists.map(fullPath))
    expect(SAMPLED_LISTS.map((list) => list.url)).toEqual(lists.map(fullPath))
    // Every kind of sample the manifest has, and no other.
    const manifest = writeFixtures(await dir(), { staff: 1, customers: 1, messages: 10, seed: 1 })
    expect(Object.keys(LIST_SAMPLE_ROUTES).sort()).toEqual(Object.keys(manifest.samples).sort())
    expect(SAMPLED_LISTS.map((list) => list.kind).sort()).toEqual(Object.keys(manifest.samples).sort())
  })

  it('answers each sample with its items, the body being one its schema accepts', async () => {
    const path = await dir()
    const manifest = writeFixtures(path, { staff: 20, customers: 100, messages: 10_000, seed: 1 })
    // After the samples' windows (2020–2021), as the benchmarks run.
    const now = Date.UTC(2026, 0, 15, 12)
    const { app } = testApp({ store: createStore(await loadFixturesDir(path)), now })
    onTestFinished(() => app.close())
    for (const { kind, route, url } of SAMPLED_LISTS) {
      const { body, items } = manifest.samples[kind]
      expect(Value.Errors(route.body, body), kind).toEqual([])
      const answer = await app.inject(signedRequest({ now, url, body: JSON.stringify(body) }))
      expect(answer.statusCode, `${kind} → ${url}: ${answer.body}`).toBe(200)
      expect(answer.headers['x-dlg-mock-notes'], kind).toBeUndefined()
      expect((answer.json() as unknown[]).length, kind).toBe(items)
      expect(items, kind).toBe(LIST_SAMPLE_SIZE)
    }
  })
})

describe('diyalog-mock fixtures generate', () => {
  async function cli(args: string[]) {
    let out = ''
    let err = ''
    const io: CliIo = {
      env: {},
      now: () => 0,
      out: (text) => void (out += text),
      err: (text) => void (err += text),
      readFile: () => Promise.reject(new Error('unused')),
      writeFile: () => Promise.reject(new Error('unused')),
    }
    return { code: await main(['fixtures', ...args], io), out, err }
  }

  it('generates a fixture set and says where its sample window is', async () => {
    const path = await dir()
    const { code, out } = await cli([
      'generate',
      '--staff',
      '2',
      '--customers',
      '4',
      '--messages',
      '400',
      '--out',
      path,
    ])
    expect(code).toBe(0)
    expect(out).toMatch(
      /^wrote 2 staff, 4 customers, 1 groups, 400 messages, 40 calls, 40 online-help sessions to .+\nsample window: staff 40000, customer 1000000, 50 messages from \d+ to \d+\nsample queries \(manifest.json samples\): calls \d+, online help \d+, staff messaging \d+, customer messaging \d+ items\n$/,
    )
    expect(createStore(await loadFixturesDir(path)).counts).toEqual({
      staff: 2,
      customers: 4,
      groups: 1,
      messages: 400,
      calls: 40,
      onlineHelpSessions: 40,
      bots: 0,
    })
  })

  it('takes --groups, --calls and --sessions', async () => {
    const path = await dir()
    const args = ['generate', '--messages', '300', '--groups', '3', '--calls', '7', '--sessions', '0']
    const { code } = await cli([...args, '--seed', '9', '--out', path])
    expect(code).toBe(0)
    const manifest = await json<Manifest>(path, MANIFEST_FILE)
    expect(manifest.options).toEqual({
      staff: 20,
      customers: 100,
      messages: 300,
      groups: 3,
      calls: 7,
      sessions: 0,
      seed: 9,
    })
    expect(createStore(await loadFixturesDir(path)).counts).toEqual(manifest.counts)
  })

  it.each([
    [['generate'], '--out DIR is required'],
    [['make', '--out', '/tmp/x'], 'the fixtures command is "fixtures generate"'],
    [['generate', '--messages', 'many', '--out', '/tmp/x'], '--messages must be a whole number'],
    [['generate', '--calls', '-1', '--out', '/tmp/x'], '--calls'],
    [
      ['generate', '--groups', '100001', '--out', '/tmp/x'],
      '--groups must be a whole number from 0 to 100000',
    ],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const { code, err } = await cli(args)
    expect(code).toBe(2)
    expect(err).toContain(message)
  })
})
