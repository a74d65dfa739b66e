import { mkdtemp, readFile, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CliIo } from '../../src/cli/io.js'
import { main } from '../../src/cli/main.js'
import { SAMPLE_WINDOW_SIZE, writeFixtures } from '../../src/store/fixture-generator.js'
import { loadFixturesDir } from '../../src/store/fixture-loader.js'
import { createStore } from '../../src/store/store.js'

const options = { staff: 3, customers: 7, messages: 1000, seed: 42 }
const dir = () => mkdtemp(join(tmpdir(), 'fixtures-'))
const files = async (path: string) =>
  Object.fromEntries(
    await Promise.all((await readdir(path)).map(async (f) => [f, await readFile(join(path, f), 'utf8')])),
  )

describe('the fixture generator', () => {
  it('writes the same files for the same options and seed, other files for another seed', async () => {
    const [a, b, c] = await Promise.all([dir(), dir(), dir()])
    writeFixtures(a, options)
    writeFixtures(b, options)
    writeFixtures(c, { ...options, seed: 43 })
    const [first, second, third] = await Promise.all([files(a), files(b), files(c)])
    expect(Object.keys(first).sort()).toEqual([
      'conversations.json',
      'customers.json',
      'manifest.json',
      'staff.json',
    ])
    expect(second).toEqual(first)
    expect(third['conversations.json']).not.toBe(first['conversations.json'])
  })

  it('writes fixtures the loader accepts, with the counts asked and a 50-message sample window', async () => {
    const path = await dir()
    const manifest = writeFixtures(path, options)
    const store = createStore(await loadFixturesDir(path))
    expect(store.counts).toEqual({ staff: 3, customers: 7, messages: 1000 })
    const { sample } = manifest
    expect(sample.messages).toBe(SAMPLE_WINDOW_SIZE)
    expect(sample.pairMessages).toBe(143) // 1000 shared by 7: the first six get 143, the last 142
    const window = store.messagesBetween(sample.staffId, sample.customerId, {
      start: sample.startDate,
      end: sample.endDate,
    })
    expect(window.total).toBe(SAMPLE_WINDOW_SIZE)
    // Customers are spread over the staff round-robin; every message is in time order.
    expect(store.messagesBetween('40001', '1000001', { start: 0, end: Date.UTC(2030, 0) }).total).toBe(143)
  })

  it('refuses options out of range', () => {
    expect(() => writeFixtures('/nonexistent', { ...options, staff: 0 })).toThrow(
      'staff must be a whole number from 1',
    )
    expect(() => writeFixtures('/nonexistent', { ...options, messages: 1.5 })).toThrow(
      'messages must be a whole number',
    )
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
      /^wrote 2 staff, 4 customers, 400 messages to .+\nsample window: staff 40000, customer 1000000, 50 messages from \d+ to \d+\n$/,
    )
    expect(createStore(await loadFixturesDir(path)).counts.messages).toBe(400)
  })

  it.each([
    [['generate'], '--out DIR is required'],
    [['make', '--out', '/tmp/x'], 'the fixtures command is "fixtures generate"'],
    [['generate', '--messages', 'many', '--out', '/tmp/x'], '--messages must be a whole number'],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const { code, err } = await cli(args)
    expect(code).toBe(2)
    expect(err).toContain(message)
  })
})
