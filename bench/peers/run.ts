import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DOCS_RESOURCE, signedRequest } from '../../test/helpers/signing.js'
import {
  freePort,
  load,
  machineDescription,
  markdownTable,
  median,
  memoryMB,
  numberOptions,
  startCommand,
  startServer,
  writeResults,
  type LoadRequest,
  type LoadResult,
  type ServerProcess,
} from '../lib.js'

/**
 * `npm run bench:peers`: the mock next to other mock servers a team might use instead — WireMock
 * standalone (tuned and default) and Prism on the mock's own OpenAPI document — and the bare
 * Fastify ceiling. Every server runs in its own process and gets the same signed
 * getmessagingdetail request from the same client, in interleaved rounds (A B C … A B C …);
 * the peers answer the mock's own 200 reply, byte for byte. The peers are installed apart:
 * `npm --prefix bench/peers ci`.
 *
 *   npm run bench:peers                      5 s per server and round, 3 rounds, 10 connections
 *   npm run bench:peers -- --duration 10 --rounds 5 --connections 10 --warmup 20
 *   npm run bench:peers -- --smoke           every server briefly: runs, no errors
 */

const INSTALL = 'npm --prefix bench/peers ci'
const here = fileURLToPath(new URL('.', import.meta.url))
const modules = join(here, 'node_modules')
if (!existsSync(modules)) {
  process.stderr.write(`bench:peers: the peers are not installed; run: ${INSTALL}\n`)
  process.exit(1)
}
const WIREMOCK_JAR = join(modules, 'wiremock', 'build', 'wiremock-standalone-3.13.2.jar')
const PRISM_CLI = join(modules, '@stoplight', 'prism-cli', 'dist', 'index.js')
for (const file of [WIREMOCK_JAR, PRISM_CLI]) {
  if (!existsSync(file)) {
    process.stderr.write(`bench:peers: ${file} is missing; run: ${INSTALL}\n`)
    process.exit(1)
  }
}
try {
  execFileSync('java', ['-version'], { stdio: 'ignore' })
} catch {
  process.stderr.write('bench:peers: WireMock needs Java 11 or newer on the PATH (java not found)\n')
  process.exit(1)
}

// Seconds of load before the rounds: the JVMs get `warmup` (JIT), the Node.js servers 2 s.
const options = numberOptions(process.argv.slice(2), { duration: 5, rounds: 3, connections: 10, warmup: 15 })
const seconds = options.smoke ? 0.5 : options.duration
const rounds = options.smoke ? 1 : options.rounds
const jvmWarmup = options.smoke ? 0.5 : options.warmup
const nodeWarmup = options.smoke ? 0.5 : 2
const LINK_SECRET = 'bench-link-secret-0123456789abcdef'

/**
 * WireMock for load (its docs and `--help`): no request journal, no per-request notifier, no
 * templating, and `Content-Length` answers as the Node.js servers send (default: chunked).
 * Container threads stay at the default 25 (10 is no faster on 2 cores; 4 is too few for Jetty).
 */
const WIREMOCK_TUNED = [
  '--no-request-journal',
  '--disable-request-logging',
  '--disable-banner',
  '--disable-response-templating',
  '--use-chunked-encoding',
  'never',
]

interface Scenario {
  readonly name: string
  readonly server: ServerProcess
  readonly warmupSeconds: number
}

const work = mkdtempSync(join(tmpdir(), 'diyalog-peers-'))
const servers: ServerProcess[] = []
async function started(server: Promise<ServerProcess>): Promise<ServerProcess> {
  const running = await server
  servers.push(running)
  process.stdout.write(`${running.name}: ready in ${Math.round(running.startMs)} ms\n`)
  return running
}
async function stopAll(): Promise<void> {
  await Promise.all(servers.splice(0).map((server) => server.stop()))
  rmSync(work, { recursive: true, force: true })
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stopAll().finally(() => process.exit(130)))
}

/** The signed request every server gets, dated now. */
function signedLoad(): LoadRequest {
  const signed = signedRequest()
  return { method: 'POST', path: signed.url, headers: signed.headers, body: signed.payload }
}

/** Sends the request once; the answer must be a 200 with the reply's JSON shape. */
async function answer(server: ServerProcess): Promise<{ body: string; contentType: string }> {
  const request = signedLoad()
  const response = await fetch(`${server.url}${request.path}`, {
    method: 'POST',
    headers: request.headers ?? {},
    body: request.body ?? null,
  })
  const body = await response.text()
  const parsed = response.status === 200 ? (JSON.parse(body) as Record<string, unknown>) : {}
  if (typeof parsed.conversationDetailLink !== 'string' || parsed.isSuccess !== true) {
    throw new Error(`${server.name} answered ${response.status}: ${body.slice(0, 300)}`)
  }
  return { body, contentType: response.headers.get('content-type') ?? 'application/json' }
}

const runs = new Map<string, LoadResult[]>()
try {
  const common = { DLG_LINK_SECRET: LINK_SECRET, NODE_ENV: 'production' }
  const bare = await started(startServer('bare Fastify (ceiling)', 'bench/bare-server.mjs', {}))
  // The least Node.js server doing the same checks and link (bench/floor-server.mjs): what any
  // signature-checking Fastify server costs here, next to peers that check none.
  const floor = await started(
    startServer('floor: minimal Fastify, same checks and link', 'bench/floor-server.mjs', common),
  )
  const mock = await started(startServer('diyalog-mock, defaults', 'dist/server.js', common))
  const quiet = await started(
    startServer('diyalog-mock, LOG_LEVEL=warn', 'dist/server.js', { ...common, LOG_LEVEL: 'warn' }),
  )
  // The peers answer what the mock answers (a freshly minted link), with its content type.
  const reply = await answer(mock)

  // WireMock: one stub, method and path matched, the reply as a fixed string body.
  mkdirSync(join(work, 'mappings'))
  writeFileSync(
    join(work, 'mappings', 'getmessagingdetail.json'),
    JSON.stringify({
      request: { method: 'POST', url: DOCS_RESOURCE },
      response: { status: 200, headers: { 'Content-Type': reply.contentType }, body: reply.body },
    }),
  )
  const wiremock = async (name: string, flags: readonly string[]) => {
    const port = await freePort()
    return started(
      startCommand(
        name,
        'java',
        [
          '-jar',
          WIREMOCK_JAR,
          '--port',
          String(port),
          '--bind-address',
          '127.0.0.1',
          '--root-dir',
          work,
          ...flags,
        ],
        { port, readyPath: '/__admin/health' },
      ),
    )
  }
  const wiremockTuned = await wiremock('WireMock, tuned', WIREMOCK_TUNED)
  const wiremockDefault = await wiremock('WireMock, default', [])

  // Prism: the mock's OpenAPI document, its 200 answer given the reply as its example (the
  // document has a schema only, from which Prism would answer "string" for the link).
  const openapi = JSON.parse(
    execFileSync(process.execPath, ['bin/diyalog-mock.js', 'openapi'], { encoding: 'utf8' }),
  ) as {
    paths: Record<
      string,
      { post?: { responses: Record<string, { content: Record<string, { example?: unknown }> }> } }
    >
  }
  const ok = openapi.paths[DOCS_RESOURCE]?.post?.responses['200']?.content['application/json']
  if (ok === undefined) throw new Error(`the OpenAPI document has no JSON 200 answer for ${DOCS_RESOURCE}`)
  ok.example = JSON.parse(reply.body)
  const document = join(work, 'openapi.json')
  writeFileSync(document, JSON.stringify(openapi))
  const prism = async (name: string, flags: readonly string[]) => {
    const port = await freePort()
    return started(
      startCommand(
        name,
        process.execPath,
        [PRISM_CLI, 'mock', document, '--port', String(port), '--host', '127.0.0.1', ...flags],
        { port, readyPath: '/health' },
      ),
    )
  }
  const prismDefault = await prism('Prism, defaults', [])
  const prismQuiet = await prism('Prism, --verboseLevel warn', ['--verboseLevel', 'warn'])

  const scenarios: Scenario[] = [
    { name: bare.name, server: bare, warmupSeconds: nodeWarmup },
    { name: floor.name, server: floor, warmupSeconds: nodeWarmup },
    { name: mock.name, server: mock, warmupSeconds: nodeWarmup },
    { name: quiet.name, server: quiet, warmupSeconds: nodeWarmup },
    { name: wiremockTuned.name, server: wiremockTuned, warmupSeconds: jvmWarmup },
    { name: wiremockDefault.name, server: wiremockDefault, warmupSeconds: jvmWarmup },
    { name: prismDefault.name, server: prismDefault, warmupSeconds: nodeWarmup },
    { name: prismQuiet.name, server: prismQuiet, warmupSeconds: nodeWarmup },
  ]
  // Checked before any load: every server answers 200 with the reply's shape (bytes recorded).
  const replyBytes = new Map<string, number>()
  for (const scenario of scenarios) {
    replyBytes.set(scenario.name, Buffer.byteLength((await answer(scenario.server)).body))
    runs.set(scenario.name, [])
  }

  process.stdout.write(`warming up (JVMs ${jvmWarmup} s each)…\n`)
  for (const scenario of scenarios) {
    await load(scenario.server, signedLoad(), {
      seconds: scenario.warmupSeconds,
      connections: options.connections,
      expected: 2,
    })
  }
  for (let round = 1; round <= rounds; round++) {
    process.stdout.write(`round ${round}/${rounds}\n`)
    for (const scenario of scenarios) {
      const result = await load(scenario.server, signedLoad(), {
        seconds,
        connections: options.connections,
        expected: 2,
      })
      runs.get(scenario.name)?.push(result)
    }
  }

  const summary = scenarios.map((scenario) => {
    const results = runs.get(scenario.name) ?? []
    return {
      name: scenario.name,
      rps: median(results.map((r) => r.rps)),
      p50: median(results.map((r) => r.p50)),
      p99: median(results.map((r) => r.p99)),
      cpuUsPerRequest: median(results.map((r) => r.cpuUsPerRequest)),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      unexpected: results.reduce((sum, r) => sum + r.unexpected, 0),
      requests: results.reduce((sum, r) => sum + r.requests, 0),
      peakRssMB: memoryMB(scenario.server.pid).peak,
      startMs: scenario.server.startMs,
      replyBytes: replyBytes.get(scenario.name) ?? NaN,
      rounds: results.map((r) => Math.round(r.rps)),
    }
  })
  const ceiling = summary[0]?.rps ?? NaN
  const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–')
  const table = markdownTable(
    ['server', 'req/s', '× ceiling', 'CPU µs/req', 'p99 ms', 'errors', 'peak RSS MB', 'start s'],
    summary.map((s) => [
      s.name,
      fixed(s.rps),
      fixed(s.rps / ceiling, 2),
      fixed(s.cpuUsPerRequest, 1),
      fixed(s.p99, 2),
      String(s.errors + s.unexpected),
      fixed(s.peakRssMB),
      fixed(s.startMs / 1000, 1),
    ]),
  )
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0]?.trim() ?? 'java'
  const machine = machineDescription()
  const note =
    'None of the peers checks a signature: WireMock matches the method and path; Prism checks ' +
    'that the three x-dlg headers are there (any value) and the body fits the schema; the mock ' +
    'verifies the date, skew, key and HMAC-SHA256 signature of every request.'
  const text = [
    '',
    `${rounds} round(s) × ${seconds} s per server, ${options.connections} connections, JVM warm-up ${jvmWarmup} s, client and servers on this machine (${machine}; ${java})`,
    '',
    table,
    '',
    note,
    `WireMock tuned: ${WIREMOCK_TUNED.join(' ')}; default: no flags. Both: JVM defaults.`,
    '',
  ].join('\n')
  process.stdout.write(text)
  writeResults('peers', Boolean(options.smoke), {
    machine,
    java,
    seconds,
    rounds,
    connections: options.connections,
    jvmWarmupSeconds: jvmWarmup,
    wiremockTuned: WIREMOCK_TUNED,
    summary,
    note,
  })
  const broken = summary.filter((s) => s.errors + s.unexpected > 0 || s.requests === 0)
  if (broken.length > 0) {
    process.stderr.write(
      `bench:peers: errors or unexpected statuses in: ${broken.map((s) => s.name).join(', ')}\n`,
    )
    process.exitCode = 1
  }
} finally {
  await stopAll()
}
