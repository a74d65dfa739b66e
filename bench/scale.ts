import { existsSync, readFileSync, statSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { MANIFEST_FILE, writeFixtures, type Manifest } from '../src/store/fixture-generator.js'
import {
  argument,
  machineDescription,
  markdownTable,
  memoryMB,
  startServer,
  writeResults,
  type ServerProcess,
} from './lib.js'
import { DOCS_RESOURCE, signedRequest } from '../test/helpers/signing.js'

/**
 * `npm run bench:scale`: the store at 10 k, 100 k and 1 M messages (generated, deterministic,
 * cached in bench/.data). For each size: fixture load time, RSS after loading and at peak, and
 * the latency of getmessagingdetail and of a 50-message link page, measured one request at a
 * time so the store's lookup is what varies. The 100 staff–customer pairs stay the same, so
 * the pair queried holds 100, 1 000 and 10 000 messages: an index lookup must not notice.
 *
 *   npm run bench:scale
 *   npm run bench:scale -- --sizes 10000,100000,1000000 --requests 2000
 *   npm run bench:scale -- --smoke
 */

const smoke = process.argv.includes('--smoke')
const sizes = (argument('sizes') ?? (smoke ? '5000,10000' : '10000,100000,1000000')).split(',').map(Number)
const requests = Number(argument('requests') ?? (smoke ? 200 : 2000))
if (sizes.some((size) => !Number.isSafeInteger(size) || size < 100) || !(requests > 0)) {
  throw new Error('--sizes takes whole numbers ≥ 100 separated by commas; --requests a positive number')
}
const agent = new Agent({ keepAlive: true, maxSockets: 1 })

function fixtures(size: number): { dir: string; manifest: Manifest; generatedMs: number | undefined } {
  const dir = join('bench', '.data', `scale-${size}`)
  const file = join(dir, MANIFEST_FILE)
  if (existsSync(file))
    return { dir, manifest: JSON.parse(readFileSync(file, 'utf8')) as Manifest, generatedMs: undefined }
  const started = performance.now()
  const manifest = writeFixtures(dir, { staff: 20, customers: 100, messages: size, seed: 1 })
  return { dir, manifest, generatedMs: performance.now() - started }
}

/** One request over a kept-alive connection; resolves with its latency in microseconds. */
function timed(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
): Promise<{ us: number; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const outgoing = httpRequest(url, { method: init.method, headers: init.headers, agent }, (incoming) => {
      const chunks: Buffer[] = []
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
      incoming.on('end', () =>
        resolve({
          us: Number(process.hrtime.bigint() - started) / 1000,
          status: incoming.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      )
    })
    outgoing.on('error', reject)
    outgoing.end(init.body)
  })
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

async function latencies(server: ServerProcess, manifest: Manifest) {
  const { sample } = manifest
  const body = JSON.stringify({
    staffId: sample.staffId,
    customerId: sample.customerId,
    startDate: sample.startDate,
    endDate: sample.endDate,
  })
  const headers = signedRequest({ body }).headers
  const api: number[] = []
  const page: number[] = []
  let link = ''
  // Warm-up, then measured requests; both routes alternate so drift falls on both.
  for (let i = 0; i < requests + 200; i++) {
    const answer = await timed(`${server.url}${DOCS_RESOURCE}`, { method: 'POST', headers, body })
    if (answer.status !== 200) throw new Error(`getmessagingdetail answered ${answer.status}: ${answer.body}`)
    if (link === '')
      link = (JSON.parse(answer.body) as { conversationDetailLink: string }).conversationDetailLink
    const opened = await timed(link.replace(/^https?:\/\/[^/]+/, server.url), {
      method: 'GET',
      headers: { accept: 'text/html' },
    })
    if (opened.status !== 200) throw new Error(`the link page answered ${opened.status}`)
    if (i === 0 && !opened.body.includes(`${sample.messages} mesaj`)) {
      process.stderr.write(`bench: warning: the page does not say it shows ${sample.messages} messages\n`)
    }
    if (i >= 200) {
      api.push(answer.us)
      page.push(opened.us)
    }
  }
  return {
    api: { p50: percentile(api, 50), p99: percentile(api, 99) },
    page: { p50: percentile(page, 50), p99: percentile(page, 99) },
  }
}

const rows: Record<string, unknown>[] = []
for (const size of sizes) {
  const { dir, manifest, generatedMs } = fixtures(size)
  const server = await startServer(`mock, ${size} messages`, 'dist/server.js', {
    DLG_FIXTURES_DIR: dir,
    DLG_LINK_SECRET: 'bench-link-secret-0123456789abcdef',
  })
  try {
    const loaded = memoryMB(server.pid)
    const measured = await latencies(server, manifest)
    const peak = memoryMB(server.pid).peak
    rows.push({
      messages: size,
      pairMessages: manifest.sample.pairMessages,
      fileMB: statSync(join(dir, 'conversations.json')).size / 2 ** 20,
      generatedMs,
      loadMs: Number(server.ready?.['fixturesLoadMs'] ?? NaN),
      startMs: server.startMs,
      rssAfterLoadMB: loaded.rss,
      peakRssMB: peak,
      ...measured,
    })
    process.stdout.write(`${size} messages: done\n`)
  } finally {
    await server.stop()
  }
}
agent.destroy()

const fixed = (value: unknown, digits = 0) =>
  typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–'
const first = rows[0] as { api: { p50: number }; page: { p50: number } } | undefined
const table = markdownTable(
  [
    'messages',
    'in the pair',
    'file MB',
    'load s',
    'RSS after load MB',
    'peak RSS MB',
    'API p50 µs',
    'API p99 µs',
    'page p50 µs',
    'page p99 µs',
    'API p50 × smallest',
    'page p50 × smallest',
  ],
  rows.map((row) => {
    const r = row as {
      messages: number
      pairMessages: number
      fileMB: number
      loadMs: number
      rssAfterLoadMB: number
      peakRssMB: number
      api: { p50: number; p99: number }
      page: { p50: number; p99: number }
    }
    return [
      r.messages.toLocaleString('en'),
      r.pairMessages.toLocaleString('en'),
      fixed(r.fileMB, 1),
      fixed(r.loadMs / 1000, 2),
      fixed(r.rssAfterLoadMB),
      fixed(r.peakRssMB),
      fixed(r.api.p50),
      fixed(r.api.p99),
      fixed(r.page.p50),
      fixed(r.page.p99),
      fixed(r.api.p50 / (first?.api.p50 ?? NaN), 2),
      fixed(r.page.p50 / (first?.page.p50 ?? NaN), 2),
    ]
  }),
)
const machine = machineDescription()
const largest = rows.at(-1) as
  | { messages: number; loadMs: number; peakRssMB: number; api: { p50: number }; page: { p50: number } }
  | undefined
const checks =
  largest === undefined || first === undefined
    ? []
    : ([
        [
          `${largest.messages.toLocaleString('en')} messages load in ≤ 10 s`,
          largest.loadMs / 1000,
          largest.loadMs <= 10_000,
        ],
        [
          `${largest.messages.toLocaleString('en')} messages: peak RSS ≤ 1 GB`,
          largest.peakRssMB,
          largest.peakRssMB <= 1024,
        ],
        [
          'getmessagingdetail p50 at the largest size within 1.2 × the smallest',
          largest.api.p50 / first.api.p50,
          largest.api.p50 / first.api.p50 <= 1.2,
        ],
        [
          'link page p50 at the largest size within 1.2 × the smallest',
          largest.page.p50 / first.page.p50,
          largest.page.p50 / first.page.p50 <= 1.2,
        ],
      ] as const)
process.stdout.write(
  [
    '',
    `${requests} requests per route and size, one at a time over one kept-alive connection (${machine})`,
    '',
    table,
    '',
    ...checks.map(([name, value, ok]) => `${ok ? '✓' : '✗'} ${name}: ${fixed(value, 2)}`),
    '',
  ].join('\n'),
)
writeResults('scale', smoke, {
  machine,
  requests,
  rows,
  checks: checks.map(([name, value, ok]) => ({ name, value, ok })),
})
