import { createHmac } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { createKeyring, DEMO_ACCESS_KEY } from '../src/auth/keyring.js'
import { stringToSign } from '../src/auth/string-to-sign.js'
import { createVerifier } from '../src/auth/verifier.js'
import { MANIFEST_FILE, writeFixtures, type Manifest } from '../src/store/fixture-generator.js'
import {
  load,
  markdownTable,
  median,
  memoryMB,
  numberOptions,
  startServer,
  type LoadRequest,
  type LoadResult,
  type ServerProcess,
} from './lib.js'
import {
  DOCS_BODY_TEXT,
  DOCS_RESOURCE,
  signedRequest,
  type SignedRequestInput,
} from '../test/helpers/signing.js'

/**
 * `npm run bench`: the production server (built, in its own process) under autocannon, next to
 * a bare Fastify process answering the same reply with no authentication — the ceiling. The
 * scenarios run interleaved in rounds (A B C … A B C …) so the machine's drift falls on all of
 * them alike; the table shows medians over the rounds and the ratios to the ceiling.
 *
 *   npm run bench                      5 s per scenario and round, 3 rounds, 10 connections
 *   npm run bench -- --duration 10 --rounds 5 --connections 10
 *   npm run bench -- --smoke           every scenario briefly: runs, no errors (CI)
 */

const options = numberOptions(process.argv.slice(2), { duration: 5, rounds: 3, connections: 10 })
const seconds = options.smoke ? 0.25 : options.duration
const rounds = options.smoke ? 1 : options.rounds
const LINK_SECRET = 'bench-link-secret-0123456789abcdef'
const PAGE_FIXTURES = join('bench', '.data', 'page-10k')

/** A signed getmessagingdetail request (dated now) as autocannon sends it. */
function signedLoad(input: SignedRequestInput = {}): LoadRequest {
  const signed = signedRequest(input)
  return { method: 'POST', path: signed.url, headers: signed.headers, body: signed.payload }
}

function pageFixtures(): Manifest {
  const manifest = join(PAGE_FIXTURES, MANIFEST_FILE)
  if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')) as Manifest
  return writeFixtures(PAGE_FIXTURES, { staff: 20, customers: 100, messages: 10_000, seed: 1 })
}

interface Scenario {
  readonly name: string
  readonly server: ServerProcess
  readonly expected: 2 | 4
  /** Built before each run, so dates stay within the skew window. */
  request(): LoadRequest | Promise<LoadRequest>
}

const common = { DLG_LINK_SECRET: LINK_SECRET, NODE_ENV: 'production' }
const bare = await startServer('bare Fastify', 'bench/bare-server.mjs', {})
const mock = await startServer('mock', 'dist/server.js', common)
const quiet = await startServer('mock, LOG_LEVEL=warn', 'dist/server.js', { ...common, LOG_LEVEL: 'warn' })
const sample = pageFixtures().sample
const pages = await startServer('mock, 10k generated messages', 'dist/server.js', {
  ...common,
  DLG_FIXTURES_DIR: PAGE_FIXTURES,
})
const idleRss = memoryMB(mock.pid).rss

async function linkPath(): Promise<string> {
  const body = JSON.stringify({
    staffId: sample.staffId,
    customerId: sample.customerId,
    startDate: sample.startDate,
    endDate: sample.endDate,
  })
  const response = await fetch(`${pages.url}${DOCS_RESOURCE}`, {
    method: 'POST',
    headers: signedRequest({ body }).headers,
    body,
  })
  const { conversationDetailLink } = (await response.json()) as { conversationDetailLink: string }
  const url = new URL(conversationDetailLink)
  return `${url.pathname}${url.search}`
}

const scenarios: Scenario[] = [
  {
    name: 'bare Fastify, same reply, no auth (ceiling)',
    server: bare,
    expected: 2,
    request: () => ({
      method: 'POST',
      path: DOCS_RESOURCE,
      headers: { 'content-type': 'application/json' },
      body: DOCS_BODY_TEXT,
    }),
  },
  {
    name: 'signed getmessagingdetail',
    server: mock,
    expected: 2,
    request: () => signedLoad(),
  },
  {
    name: 'signed getmessagingdetail, LOG_LEVEL=warn',
    server: quiet,
    expected: 2,
    request: () => signedLoad(),
  },
  {
    name: 'signed, a fresh signature per request',
    server: mock,
    expected: 2,
    request: () => ({
      method: 'POST',
      path: DOCS_RESOURCE,
      body: DOCS_BODY_TEXT,
      setupRequest: (request) => ({ ...request, headers: signedRequest().headers, body: DOCS_BODY_TEXT }),
    }),
  },
  {
    name: '401: wrong signature',
    server: mock,
    expected: 4,
    request: () => signedLoad({ credentials: { ...DEMO_ACCESS_KEY, secret: 'not-the-secret' } }),
  },
  {
    name: '400: date not valid',
    server: mock,
    expected: 4,
    request: () => signedLoad({ date: 'yesterday' }),
  },
  {
    name: `conversation page (HTML), ${sample.messages} messages`,
    server: pages,
    expected: 2,
    request: async () => ({ method: 'GET', path: await linkPath(), headers: { accept: 'text/html' } }),
  },
]

/** Operations per second of `fn` on this thread, over `ms` milliseconds. */
function opsPerSecond(fn: () => unknown, ms: number): number {
  for (let i = 0; i < 20_000; i++) fn()
  let count = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < ms) {
    for (let i = 0; i < 1000; i++) fn()
    count += 1000
    elapsed = performance.now() - start
  }
  return (count / elapsed) * 1000
}

function verifyThroughput() {
  const verifier = createVerifier({ keyring: createKeyring([DEMO_ACCESS_KEY]), maxSkewSeconds: 900 })
  const now = Date.now()
  const signed = signedRequest({ now })
  const request = {
    method: signed.method,
    resource: signed.url,
    body: Buffer.from(signed.payload),
    headers: signed.headers,
  }
  if (!verifier.verify(request, now).ok) throw new Error('the bench request does not verify')
  const bytes = stringToSign({
    ...request,
    contentType: 'application/json',
    date: signed.headers['x-dlg-date'],
  })
  const ms = options.smoke ? 100 : 1500
  return {
    fullVerify: opsPerSecond(() => verifier.verify(request, now), ms),
    hmacFloor: opsPerSecond(
      () => createHmac('sha256', DEMO_ACCESS_KEY.secret).update(bytes).digest('base64'),
      ms,
    ),
  }
}

const runs = new Map<string, LoadResult[]>(scenarios.map((s) => [s.name, []]))
try {
  if (!options.smoke) {
    process.stdout.write('warming up…\n')
    for (const scenario of scenarios) {
      await load(scenario.server, await scenario.request(), {
        seconds: 1,
        connections: options.connections,
        expected: scenario.expected,
      })
    }
  }
  for (let round = 1; round <= rounds; round++) {
    process.stdout.write(`round ${round}/${rounds}\n`)
    for (const scenario of scenarios) {
      const result = await load(scenario.server, await scenario.request(), {
        seconds,
        connections: options.connections,
        expected: scenario.expected,
      })
      runs.get(scenario.name)?.push(result)
    }
  }
  const micro = verifyThroughput()
  const servers = [bare, mock, quiet, pages]
  const peaks = Object.fromEntries(servers.map((server) => [server.name, memoryMB(server.pid).peak]))

  const summary = scenarios.map((scenario) => {
    const results = runs.get(scenario.name) ?? []
    return {
      name: scenario.name,
      server: scenario.server.name,
      rps: median(results.map((r) => r.rps)),
      p50: median(results.map((r) => r.p50)),
      p99: median(results.map((r) => r.p99)),
      cpuUsPerRequest: median(results.map((r) => r.cpuUsPerRequest)),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      unexpected: results.reduce((sum, r) => sum + r.unexpected, 0),
      requests: results.reduce((sum, r) => sum + r.requests, 0),
      rounds: results.map((r) => Math.round(r.rps)),
    }
  })
  const ceiling = summary[0]?.rps ?? NaN
  const row = (name: string) => summary.find((s) => s.name === name)
  const ratio = (name: string) => (row(name)?.rps ?? NaN) / ceiling
  const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–')

  const table = markdownTable(
    ['scenario', 'req/s', '× ceiling', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'errors', 'peak RSS MB'],
    summary.map((s) => [
      s.name,
      fixed(s.rps),
      fixed(s.rps / ceiling, 2),
      fixed(s.p50, 2),
      fixed(s.p99, 2),
      fixed(s.cpuUsPerRequest, 1),
      String(s.errors + s.unexpected),
      fixed(peaks[s.server] ?? NaN, 0),
    ]),
  )
  const headline = row('signed getmessagingdetail')
  const targets = [
    [
      'signed getmessagingdetail ≥ 0.85 × ceiling',
      ratio('signed getmessagingdetail'),
      ratio('signed getmessagingdetail') >= 0.85,
    ],
    ['signed p99 ≤ 1 ms at 10 connections', headline?.p99 ?? NaN, (headline?.p99 ?? Infinity) <= 1],
    [
      'fresh signature per request ≥ 0.80 ×',
      ratio('signed, a fresh signature per request'),
      ratio('signed, a fresh signature per request') >= 0.8,
    ],
    ['401 path ≥ 0.85 ×', ratio('401: wrong signature'), ratio('401: wrong signature') >= 0.85],
    ['full verify ≥ 300,000 ops/s on one thread', micro.fullVerify, micro.fullVerify >= 300_000],
    ['peak RSS ≤ 100 MB, default fixtures', peaks[mock.name] ?? NaN, (peaks[mock.name] ?? Infinity) <= 100],
    [
      '0 errors, every answer of the expected class',
      summary.reduce((n, s) => n + s.errors + s.unexpected, 0),
      summary.every((s) => s.errors + s.unexpected === 0),
    ],
  ] as const
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${process.platform}`
  const text = [
    '',
    `${rounds} round(s) × ${seconds} s per scenario, ${options.connections} connections, client and servers on this machine (${machine})`,
    '',
    table,
    '',
    `full verify (headers, date, skew, key, HMAC-SHA256, constant-time compare): ${fixed(micro.fullVerify)} ops/s; raw createHmac floor: ${fixed(micro.hmacFloor)} ops/s`,
    `mock RSS when idle after start-up: ${fixed(idleRss, 1)} MB`,
    '',
    ...targets.map(
      ([name, value, ok]) =>
        `${ok ? '✓' : '✗'} ${name}: ${typeof value === 'number' && value < 10 ? value.toFixed(2) : fixed(value)}`,
    ),
    '',
  ].join('\n')
  process.stdout.write(text)
  mkdirSync(join('bench', 'results'), { recursive: true })
  const file = join(
    'bench',
    'results',
    `bench-${new Date().toISOString().replaceAll(':', '-')}${options.smoke ? '-smoke' : ''}.json`,
  )
  writeFileSync(
    file,
    `${JSON.stringify({ machine, seconds, rounds, connections: options.connections, summary, micro, peaksMB: peaks, idleRssMB: idleRss, targets: targets.map(([name, value, ok]) => ({ name, value, ok })) }, null, 2)}\n`,
  )
  process.stdout.write(`results: ${file}\n`)
  const broken = summary.filter((s) => s.errors + s.unexpected > 0 || s.requests === 0)
  if (broken.length > 0) {
    process.stderr.write(`bench: errors or unexpected statuses in: ${broken.map((s) => s.name).join(', ')}\n`)
    process.exitCode = 1
  }
} finally {
  await Promise.all([bare, mock, quiet, pages].map((server) => server.stop()))
}
