import { createHmac, randomBytes } from 'node:crypto'
import { UNLIMITED_BUDGET } from '../src/auth/diagnosis-budget.js'
import { createKeyring, DEMO_ACCESS_KEY } from '../src/auth/keyring.js'
import { searchMistakes } from '../src/auth/signature-mistakes.js'
import { stringToSign } from '../src/auth/string-to-sign.js'
import { createVerifier } from '../src/auth/verifier.js'
import { REPORTING_ROUTES } from '../src/routes/reporting/index.js'
import { exampleBodyOf, fullPath, type SignedRoute } from '../src/routes/signed-route.js'
import {
  generatedFixtures,
  load,
  machineDescription,
  markdownTable,
  median,
  memoryMB,
  numberOptions,
  startServer,
  writeResults,
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
 * `npm run bench`: the production server (built, in its own process) under autocannon, between
 * two other Fastify processes answering the same request: the ceiling (bench/bare-server.mjs, a
 * fixed reply, no authentication) and the floor (bench/floor-server.mjs, the contract's checks
 * and the same work — lookups, index, links — and nothing more). The scenarios run interleaved in
 * rounds (A B C … A B C …) so the machine's drift falls on all of them alike; each row shows
 * medians over the rounds, req/s as a ratio to the ceiling and server CPU per request as a ratio
 * to the floor answering the same endpoint (getmessagingdetail's success path for the rows that
 * are not a list), both taken round by round. Each Reporting list has a row with the
 * documentation's example request (its body schema's first example) against the default
 * fixtures, beside the floor's answer to the same request.
 *
 *   npm run bench                      4 s per scenario and round, 3 rounds, 10 connections
 *   npm run bench -- --duration 10 --rounds 5 --connections 10
 *   npm run bench -- --smoke           every scenario briefly: runs, no errors (CI)
 */

const options = numberOptions(process.argv.slice(2), { duration: 4, rounds: 3, connections: 10 })
const seconds = options.smoke ? 0.25 : options.duration
const rounds = options.smoke ? 1 : options.rounds
const LINK_SECRET = 'bench-link-secret-0123456789abcdef'
/** The hostile rows: few connections, and long enough for a slow answer even in a smoke run. */
const HOSTILE_CONNECTIONS = 2
const HOSTILE_SECONDS = Math.max(seconds, 1.5)

/** A signed request (dated now; getmessagingdetail unless `input.url` says) as autocannon sends it. */
function signedLoad(input: SignedRequestInput = {}): LoadRequest {
  const signed = signedRequest(input)
  return { method: 'POST', path: signed.url, headers: signed.headers, body: signed.payload }
}

/** The Reporting lists: every entry of the table but getmessagingdetail, with its example body. */
const LISTS = (REPORTING_ROUTES as readonly SignedRoute[])
  .filter((route) => route.path !== DOCS_RESOURCE.slice('/v1'.length))
  .map((route) => {
    const example = exampleBodyOf(route)
    if (example === undefined) throw new Error(`${route.path}: no example body`)
    return {
      name: route.path.split('/').at(-1) ?? route.path,
      url: fullPath(route),
      body: JSON.stringify(example),
    }
  })

/**
 * The demo key id, a valid date and a wrong signature that changes on every request, so no
 * memo of a past diagnosis can answer: each request asks for a mistake search over `body`, and the
 * process's diagnosis budget (100 ms a second) decides how many run — the row is the cost of a flood.
 */
function wrongSignatureEachTime(body: string): LoadRequest {
  const headers = () => ({
    ...signedRequest({ body }).headers,
    'x-dlg-authorization': `DLGA ${DEMO_ACCESS_KEY.keyId}:${randomBytes(32).toString('base64')}`,
  })
  return {
    method: 'POST',
    path: DOCS_RESOURCE,
    headers: headers(),
    body,
    setupRequest: (request) => ({ ...request, headers: headers(), body }),
  }
}

/** `[[[…]]]`, 3,000 levels: 5.9 KiB, far past any nesting limit. */
const DEEP_BODY = `${'['.repeat(3000)}${']'.repeat(3000)}`
/** The documentation's body and unknown fields up to 60 KiB, one level deep. */
const FLAT_BODY = (() => {
  const fields: string[] = [DOCS_BODY_TEXT.slice(1, -1)]
  for (let i = 0, size = 0; size < 60 * 1024; i++) {
    fields.push(`"field${i}":${i}`)
    size += (fields.at(-1)?.length ?? 0) + 1
  }
  return `{${fields.join(',')}}`
})()

interface Scenario {
  readonly name: string
  readonly server: ServerProcess
  readonly expected: 2 | 4
  /** The row whose CPU per request `× floor` divides by; default the floor's getmessagingdetail. */
  readonly floor?: string
  readonly connections?: number
  readonly seconds?: number
  /** Built before each run, so dates stay within the skew window. */
  request(): LoadRequest | Promise<LoadRequest>
}

const common = { DLG_LINK_SECRET: LINK_SECRET, NODE_ENV: 'production' }
const bare = await startServer('bare Fastify', 'bench/bare-server.mjs', {})
const floor = await startServer('floor', 'bench/floor-server.mjs', common)
const mock = await startServer('mock', 'dist/server.js', common)
const quiet = await startServer('mock, LOG_LEVEL=warn', 'dist/server.js', { ...common, LOG_LEVEL: 'warn' })
// The hostile rows get their own process: what they cost must not show as the default server's RSS.
const hostile = await startServer('mock, hostile requests', 'dist/server.js', common)
const generated = generatedFixtures('page-10k', { staff: 20, customers: 100, messages: 10_000, seed: 1 })
const { sample } = generated.manifest
const pages = await startServer('mock, 10k generated messages', 'dist/server.js', {
  ...common,
  DLG_FIXTURES_DIR: generated.dir,
})
const servers = [bare, floor, mock, quiet, hostile, pages]
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

const CEILING = 'bare Fastify, same reply, no auth (ceiling)'
const FLOOR = 'floor: minimal Fastify, same checks and link, no logging'
const SIGNED = 'signed getmessagingdetail'
const QUIET = 'signed getmessagingdetail, LOG_LEVEL=warn'
const FRESH = 'signed, a fresh signature per request'
const WRONG = '401: wrong signature'
const BAD_DATE = '400: date not valid'
const DEEP = `worst: 401, new wrong signature each time, 5.9 KiB nested 3,000 deep (${HOSTILE_CONNECTIONS} conn.)`
const FLAT = `worst: 401, new wrong signature each time, 60 KiB flat JSON (${HOSTILE_CONNECTIONS} conn.)`

const listName = (name: string) => `signed ${name}, the documentation's example`
const listFloor = (name: string) => `floor: ${name}, same checks, lookups, index and links`

const scenarios: Scenario[] = [
  {
    name: CEILING,
    server: bare,
    expected: 2,
    request: () => ({
      method: 'POST',
      path: DOCS_RESOURCE,
      headers: { 'content-type': 'application/json' },
      body: DOCS_BODY_TEXT,
    }),
  },
  { name: FLOOR, server: floor, expected: 2, request: () => signedLoad() },
  { name: SIGNED, server: mock, expected: 2, request: () => signedLoad() },
  { name: QUIET, server: quiet, expected: 2, request: () => signedLoad() },
  {
    name: FRESH,
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
    name: WRONG,
    server: mock,
    expected: 4,
    request: () => signedLoad({ credentials: { ...DEMO_ACCESS_KEY, secret: 'not-the-secret' } }),
  },
  { name: BAD_DATE, server: mock, expected: 4, request: () => signedLoad({ date: 'yesterday' }) },
  ...LISTS.flatMap((list): Scenario[] => [
    {
      name: listFloor(list.name),
      server: floor,
      expected: 2,
      floor: listFloor(list.name),
      request: () => signedLoad({ url: list.url, body: list.body }),
    },
    {
      name: listName(list.name),
      server: mock,
      expected: 2,
      floor: listFloor(list.name),
      request: () => signedLoad({ url: list.url, body: list.body }),
    },
  ]),
  {
    name: `conversation page (HTML), ${sample.messages} messages`,
    server: pages,
    expected: 2,
    request: async () => ({ method: 'GET', path: await linkPath(), headers: { accept: 'text/html' } }),
  },
  {
    name: DEEP,
    server: hostile,
    expected: 4,
    connections: HOSTILE_CONNECTIONS,
    seconds: HOSTILE_SECONDS,
    request: () => wrongSignatureEachTime(DEEP_BODY),
  },
  {
    name: FLAT,
    server: hostile,
    expected: 4,
    connections: HOSTILE_CONNECTIONS,
    seconds: HOSTILE_SECONDS,
    request: () => wrongSignatureEachTime(FLAT_BODY),
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

/**
 * The mistake search alone, in this process and without the process budget that caps it under a
 * flood (the worst-case rows above show that cap): median milliseconds of one search with a new
 * wrong signature, per body shape. A regression like finding H1 shows here in full.
 */
function searchCost(): Record<string, number> {
  const keyring = createKeyring([DEMO_ACCESS_KEY])
  const shapes: Record<string, string> = {
    'the documented body': DOCS_BODY_TEXT,
    '5.9 KiB nested 3,000 deep': DEEP_BODY,
    '60 KiB flat JSON': FLAT_BODY,
  }
  const cost: Record<string, number> = {}
  for (const [name, text] of Object.entries(shapes)) {
    const parts = {
      method: 'POST',
      contentType: 'application/json',
      date: new Date().toUTCString(),
      body: Buffer.from(text),
      resource: DOCS_RESOURCE,
    }
    const times: number[] = []
    for (let i = 0; i < (options.smoke ? 5 : 40); i++) {
      const start = performance.now()
      searchMistakes(
        {
          secrets: keyring.secretsFor(DEMO_ACCESS_KEY.keyId) ?? [],
          retiredSecrets: [],
          parts,
          host: 'localhost',
        },
        randomBytes(32).toString('base64'),
        UNLIMITED_BUDGET,
      )
      times.push(performance.now() - start)
    }
    cost[name] = median(times)
  }
  return cost
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

/**
 * Before measuring: each list's example request answers a non-empty list from the mock (else its
 * row would measure an empty answer), and the floor answers the same items — the same fields and
 * values, links aside (their hosts, expiries and signatures differ) — so it does the same work.
 */
async function checkLists(): Promise<{ name: string; items: number }[]> {
  const answer = async (server: ServerProcess, list: (typeof LISTS)[number]) => {
    const signed = signedRequest({ url: list.url, body: list.body })
    const response = await fetch(`${server.url}${list.url}`, {
      method: 'POST',
      headers: signed.headers,
      body: list.body,
    })
    const text = await response.text()
    if (response.status !== 200)
      throw new Error(`${server.name}: ${list.name} answered ${response.status}: ${text}`)
    // Links keep only whether there is one; 64-bit ids are compared as the text's digits.
    const items = JSON.parse(
      text.replace(/("(?:callId|onlineHelpId)":)(-?\d+)/g, '$1"$2"'),
      (key, value: unknown) =>
        key === 'conversationDetailLink' || key === 'callViewUrl' ? value !== '' : value,
    ) as unknown
    if (!Array.isArray(items)) throw new Error(`${server.name}: ${list.name} answered no list: ${text}`)
    return items
  }
  const answers: { name: string; items: number }[] = []
  for (const list of LISTS) {
    const mine = await answer(mock, list)
    const floors = await answer(floor, list)
    if (mine.length === 0) {
      throw new Error(
        `${list.name}: the documentation's example request answers [] with the default fixtures`,
      )
    }
    if (JSON.stringify(mine) !== JSON.stringify(floors)) {
      process.stderr.write(
        `bench: warning: the floor's ${list.name} answer differs from the mock's (${floors.length} items against ${mine.length}): its ratio compares different work\n`,
      )
    }
    answers.push({ name: list.name, items: mine.length })
  }
  return answers
}

const runs = new Map<string, LoadResult[]>(scenarios.map((s) => [s.name, []]))
const run = async (scenario: Scenario, runSeconds: number) =>
  load(scenario.server, await scenario.request(), {
    seconds: runSeconds,
    connections: scenario.connections ?? options.connections,
    expected: scenario.expected,
  })
try {
  const answers = await checkLists()
  if (!options.smoke) {
    process.stdout.write('warming up…\n')
    for (const scenario of scenarios) await run(scenario, 1)
  }
  for (let round = 1; round <= rounds; round++) {
    process.stdout.write(`round ${round}/${rounds}\n`)
    for (const scenario of scenarios) {
      runs.get(scenario.name)?.push(await run(scenario, scenario.seconds ?? seconds))
    }
  }
  const micro = verifyThroughput()
  const search = searchCost()
  const peaks = Object.fromEntries(servers.map((server) => [server.name, memoryMB(server.pid).peak]))

  const resultsOf = (name: string) => runs.get(name) ?? []
  /** Round by round `value(row) / value(reference)`, then the median: both ran minutes apart at most. */
  const perRound = (name: string, reference: string, value: (r: LoadResult) => number) =>
    median(resultsOf(name).map((r, i) => value(r) / value(resultsOf(reference)[i] as LoadResult)))
  const summary = scenarios.map((scenario) => {
    const results = resultsOf(scenario.name)
    return {
      name: scenario.name,
      server: scenario.server.name,
      connections: scenario.connections ?? options.connections,
      rps: median(results.map((r) => r.rps)),
      xCeiling: perRound(scenario.name, CEILING, (r) => r.rps),
      p50: median(results.map((r) => r.p50)),
      p99: median(results.map((r) => r.p99)),
      cpuUsPerRequest: median(results.map((r) => r.cpuUsPerRequest)),
      xFloor: perRound(scenario.name, scenario.floor ?? FLOOR, (r) => r.cpuUsPerRequest),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      unexpected: results.reduce((sum, r) => sum + r.unexpected, 0),
      requests: results.reduce((sum, r) => sum + r.requests, 0),
      rounds: results.map((r) => ({
        rps: Math.round(r.rps),
        cpuUsPerRequest: Math.round(r.cpuUsPerRequest * 10) / 10,
      })),
    }
  })
  const row = (name: string) => summary.find((s) => s.name === name)
  const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–')

  const table = markdownTable(
    [
      'scenario',
      'req/s',
      '× ceiling',
      'p50 ms',
      'p99 ms',
      'server CPU µs/req',
      '× floor',
      'errors',
      'peak RSS MB',
    ],
    summary.map((s) => [
      s.name,
      fixed(s.rps),
      fixed(s.xCeiling, 2),
      fixed(s.p50, 2),
      fixed(s.p99, 2),
      fixed(s.cpuUsPerRequest, 1),
      fixed(s.xFloor, 2),
      String(s.errors + s.unexpected),
      fixed(peaks[s.server] ?? NaN, 0),
    ]),
  )
  const xFloor = (name: string) => row(name)?.xFloor ?? NaN
  const atMost = (name: string, value: number, limit: number) => [name, value, value <= limit] as const
  const targets = [
    atMost('signed getmessagingdetail, default settings: CPU/req ≤ 1.25 × floor', xFloor(SIGNED), 1.25),
    atMost('signed getmessagingdetail, LOG_LEVEL=warn: CPU/req ≤ 1.10 × floor', xFloor(QUIET), 1.1),
    atMost('401 (wrong signature): CPU/req ≤ 1.5 × floor', xFloor(WRONG), 1.5),
    atMost('400 (date not valid): CPU/req ≤ 1.5 × floor', xFloor(BAD_DATE), 1.5),
    atMost('a fresh signature per request: CPU/req ≤ 1.30 × floor', xFloor(FRESH), 1.3),
    atMost(
      `signed getmessagingdetail p99 ≤ 2 ms at ${options.connections} connections`,
      row(SIGNED)?.p99 ?? NaN,
      2,
    ),
    atMost('peak RSS ≤ 100 MB, default fixtures', peaks[mock.name] ?? NaN, 100),
    [
      '0 errors, every answer of the expected class',
      summary.reduce((n, s) => n + s.errors + s.unexpected, 0),
      summary.every((s) => s.errors + s.unexpected === 0),
    ] as const,
  ]
  const machine = machineDescription()
  const text = [
    '',
    `${rounds} round(s) × ${seconds} s per scenario (the worst-case rows ${HOSTILE_SECONDS} s), ${options.connections} connections unless said, client and servers on this machine (${machine})`,
    "× ceiling: req/s over the ceiling's; × floor: server CPU per request over the floor's for the same endpoint — a list's row over the floor's row of that list, every other row over the floor's getmessagingdetail (both round by round, then the median)",
    `lists (the documentation's example request, default fixtures): ${answers.map((a) => `${a.name} ${a.items} item(s)`).join(', ')}`,
    '',
    table,
    '',
    `full verify (headers, date, skew, key, HMAC-SHA256, constant-time compare): ${fixed(micro.fullVerify)} ops/s; raw createHmac floor: ${fixed(micro.hmacFloor)} ops/s`,
    `mistake search alone (median ms, new wrong signature, no budget): ${Object.entries(search)
      .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
      .join('; ')}`,
    `mock RSS when idle after start-up: ${fixed(idleRss, 1)} MB`,
    '',
    ...targets.map(
      ([name, value, ok]) =>
        `${ok ? '✓' : '✗'} ${name}: ${typeof value === 'number' && value < 10 ? value.toFixed(2) : fixed(value)}`,
    ),
    '',
  ].join('\n')
  process.stdout.write(text)
  writeResults('bench', Boolean(options.smoke), {
    machine,
    seconds,
    rounds,
    connections: options.connections,
    summary,
    micro,
    searchMs: search,
    peaksMB: peaks,
    idleRssMB: idleRss,
    lists: answers,
    targets: targets.map(([name, value, ok]) => ({ name, value, ok })),
  })
  const broken = summary.filter((s) => s.errors + s.unexpected > 0 || s.requests === 0)
  if (broken.length > 0) {
    process.stderr.write(`bench: errors or unexpected statuses in: ${broken.map((s) => s.name).join(', ')}\n`)
    process.exitCode = 1
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()))
}
