import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { once } from 'node:events'
import autocannon from 'autocannon'
import { GET_CALL_LIST } from '../src/routes/reporting/getcalllist.js'
import { GET_CUSTOMER_MESSAGING_LIST } from '../src/routes/reporting/getcustomermessaginglist.js'
import { GET_ONLINE_HELP_LIST } from '../src/routes/reporting/getonlinehelplist.js'
import { GET_STAFF_MESSAGING_LIST } from '../src/routes/reporting/getstaffmessaginglist.js'
import { REPORTING_ROUTES } from '../src/routes/reporting/index.js'
import { fullPath, type SignedRoute } from '../src/routes/signed-route.js'
import {
  MANIFEST_FILE,
  MANIFEST_VERSION,
  writeFixtures,
  type GeneratorOptions,
  type ListSampleKind,
  type Manifest,
} from '../src/store/fixture-generator.js'

/**
 * What the benchmarks share: server processes started and watched from outside (CPU time and
 * peak RSS from /proc), one autocannon run measured against one of them, and the markdown
 * table. The client runs in this process; the servers each in their own.
 */

export interface ServerProcess {
  readonly name: string
  readonly url: string
  readonly pid: number
  /**
   * The `ready` log line, when the server logs at info. Lines are written in batches, so it may
   * come a little after the first answer: `startServer` waits for it up to a second.
   */
  readonly ready: Record<string, unknown> | undefined
  /** Milliseconds from spawn to a 200 from /health. */
  readonly startMs: number
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  return typeof address === 'object' && address !== null ? address.port : 0
}

/**
 * The Node.js flags `npm start` runs the server with (package.json's `start` script; the
 * Dockerfile's CMD has the same, a test checks it): every bench measures the server as it runs.
 */
export function serverNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
  const match = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/server\.js/.exec(scripts.start)
  if (match === null) throw new Error('package.json: the start script does not run node dist/server.js')
  return (match[1] ?? '').trim().split(/\s+/).filter(Boolean)
}

/** Starts `node [nodeArgs] <script>` with `env` on a free port and waits for `GET /health` to answer 200. */
export async function startServer(
  name: string,
  script: string,
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const port = await freePort()
  const started = performance.now()
  const flags = script === 'dist/server.js' ? [...serverNodeFlags(), ...nodeArgs] : nodeArgs
  const child: ChildProcess = spawn(process.execPath, [...flags, script], {
    env: { ...process.env, LOG_FORMAT: 'json', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let ready: Record<string, unknown> | undefined
  let stderr = ''
  let pending = ''
  // Logs are read to the end (a full pipe would stall the server), the ready line kept.
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    if (ready !== undefined) return
    pending += chunk
    const lines = pending.split('\n')
    // The last piece is a line still being written.
    pending = lines.pop() ?? ''
    for (const line of lines) {
      if (line.includes('"diyalog-mock ready')) ready = JSON.parse(line) as Record<string, unknown>
    }
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk))
  const url = `http://127.0.0.1:${port}`
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`)
    try {
      if ((await fetch(`${url}/health`)).status === 200) break
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 50))
  }
  const startMs = performance.now() - started
  const logsReady =
    script === 'dist/server.js' && !['warn', 'error', 'fatal', 'silent'].includes(env['LOG_LEVEL'] ?? '')
  for (let waited = 0; ready === undefined && logsReady && waited < 1000; waited += 20) {
    await new Promise((done) => setTimeout(done, 20))
  }
  return {
    name,
    url,
    pid: child.pid ?? 0,
    get ready() {
      return ready
    },
    startMs,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

/** CPU time (user + system) of a process in microseconds, from /proc (Linux); NaN elsewhere. */
export function cpuMicros(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) * 10_000
  } catch {
    return NaN
  }
}

/** Resident set size now and at its peak, in MB, from /proc/<pid>/status; NaN elsewhere. */
export function memoryMB(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
  } catch {
    return { rss: NaN, peak: NaN }
  }
}

export interface LoadRequest {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly headers?: Record<string, string>
  readonly body?: string
  /** Rebuilds the request before each send (e.g. a fresh signature). */
  readonly setupRequest?: (request: { headers?: Record<string, string>; body?: string }) => {
    headers?: Record<string, string>
    body?: string
  }
}

export interface LoadResult {
  readonly requests: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
  /** Connection errors and timeouts. */
  readonly errors: number
  /** Answers outside the expected status class. */
  readonly unexpected: number
  /** Server CPU per request, microseconds. */
  readonly cpuUsPerRequest: number
}

/**
 * CPU time of a process once it has stopped spending any: a request still being answered when
 * the client stops (a slow one) is billed to the run that sent it, not to the next.
 */
async function settledCpuMicros(pid: number): Promise<number> {
  let last = cpuMicros(pid)
  for (let waited = 0; waited < 3000; waited += 30) {
    await new Promise((done) => setTimeout(done, 30))
    const now = cpuMicros(pid)
    if (!(now > last)) return now
    last = now
  }
  return last
}

/** One autocannon run against `server`; `expected` is the status class every answer must have. */
export async function load(
  server: ServerProcess,
  request: LoadRequest,
  options: { seconds: number; connections: number; expected: 2 | 4 },
): Promise<LoadResult> {
  const cpuBefore = cpuMicros(server.pid)
  const result = await autocannon({
    url: `${server.url}${request.path}`,
    method: request.method,
    connections: options.connections,
    duration: options.seconds,
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.setupRequest === undefined
      ? {}
      : { requests: [{ setupRequest: request.setupRequest as never }] }),
  })
  const cpu = (await settledCpuMicros(server.pid)) - cpuBefore
  const answered = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx']
  const expectedCount = options.expected === 2 ? result['2xx'] : result['4xx']
  return {
    requests: answered,
    rps: answered / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    unexpected: answered - expectedCount,
    cpuUsPerRequest: answered > 0 ? cpu / answered : NaN,
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2
}

/** A markdown table; numbers already formatted by the caller. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/** The value after `--name` on the command line, if any. */
export function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`)
  return index < 0 ? undefined : process.argv[index + 1]
}

/** Reads `--name value` options of a bench script (numbers), with defaults. */
export function numberOptions<T extends Record<string, number>>(
  argv: readonly string[],
  defaults: T,
): T & { smoke: boolean } {
  const values: Record<string, number> = { ...defaults }
  let smoke = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--smoke') smoke = true
    else if (arg.startsWith('--') && arg.slice(2) in defaults) {
      const value = Number(argv[++i])
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${arg} needs a positive number`)
      values[arg.slice(2)] = value
    } else
      throw new Error(
        `unknown option ${arg}; options: --smoke ${Object.keys(defaults)
          .map((k) => `--${k} N`)
          .join(' ')}`,
      )
  }
  return { ...(values as T), smoke }
}

/**
 * Starts any server program (`command args`, e.g. a JVM or another Node.js tool) on `port` and
 * waits for `GET <readyPath>` to answer 200. The child is the server itself, so its /proc CPU
 * time and RSS are the server's; it is killed if it does not get ready in time and when this
 * process exits.
 */
export async function startCommand(
  name: string,
  command: string,
  args: readonly string[],
  options: { port: number; readyPath: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<ServerProcess> {
  const started = performance.now()
  const child: ChildProcess = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const running = () => child.exitCode === null && child.signalCode === null
  const kill = () => void (running() && child.kill('SIGKILL'))
  process.once('exit', kill)
  let output = ''
  child.on('error', (error) => void (output += `\n${error.message}`))
  // Read to the end (a full pipe would stall the server); the last 4 KB kept for errors.
  const keep = (chunk: string) => void (output = (output + chunk).slice(-4096))
  child.stdout?.setEncoding('utf8').on('data', keep)
  child.stderr?.setEncoding('utf8').on('data', keep)
  const url = `http://127.0.0.1:${options.port}`
  const deadline = started + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (!running() || child.pid === undefined) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode ?? 'not started'}): ${output}`)
    }
    if (performance.now() > deadline) {
      kill()
      throw new Error(`${name} not ready after ${options.timeoutMs ?? 60_000} ms: ${output}`)
    }
    try {
      if ((await fetch(`${url}${options.readyPath}`)).status === 200) break
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100))
  }
  return {
    name,
    url,
    pid: child.pid ?? 0,
    ready: undefined,
    startMs: performance.now() - started,
    async stop() {
      process.off('exit', kill)
      if (!running()) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(kill, 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** The machine a run was measured on, as every bench prints it. */
export function machineDescription(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${process.platform}`
}

/** Writes a run's results to `bench/results/<kind>-<time>[-smoke].json` and says where. */
export function writeResults(kind: string, smoke: boolean, results: unknown): string {
  mkdirSync(join('bench', 'results'), { recursive: true })
  const stamp = new Date().toISOString().replaceAll(':', '-')
  const file = join('bench', 'results', `${kind}-${stamp}${smoke ? '-smoke' : ''}.json`)
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`results: ${file}\n`)
  return file
}

/** Where the benches keep generated fixtures between runs (git-ignored). */
export const DATA_DIR = join('bench', '.data')
const GENERATOR_SOURCE = join('src', 'store', 'fixture-generator.ts')

export interface GeneratedFixtures {
  readonly dir: string
  readonly manifest: Manifest
  /** Milliseconds the generator took; undefined when the cache answered. */
  readonly generatedMs: number | undefined
}

/**
 * A generated fixture set in `bench/.data/<name>-v<manifest version>-<key>`, made once and reused.
 * The key is a hash of the options and of the generator's source, so a cache written by another
 * version of the generator (another format, other data) is never read: it is removed, with any
 * other cache of the same name, and the set generated again. The manifest is the generator's
 * last file, so a run stopped half-way leaves no cache that looks complete.
 */
export function generatedFixtures(name: string, options: GeneratorOptions): GeneratedFixtures {
  const key = createHash('sha256')
    .update(JSON.stringify(options))
    .update(readFileSync(GENERATOR_SOURCE))
    .digest('hex')
    .slice(0, 12)
  const base = `${name}-v${MANIFEST_VERSION}-${key}`
  const dir = join(DATA_DIR, base)
  const file = join(dir, MANIFEST_FILE)
  if (existsSync(file)) {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest
    if (manifest.version === MANIFEST_VERSION) return { dir, manifest, generatedMs: undefined }
  }
  // Older caches of this name (the unversioned `<name>` of earlier benches included) take
  // hundreds of MB at the largest sizes.
  const same = new RegExp(`^${name}(-v\\d+-[0-9a-f]+)?$`)
  if (existsSync(DATA_DIR)) {
    for (const entry of readdirSync(DATA_DIR)) {
      if (same.test(entry)) rmSync(join(DATA_DIR, entry), { recursive: true, force: true })
    }
  }
  const started = performance.now()
  const manifest = writeFixtures(dir, options)
  return { dir, manifest, generatedMs: performance.now() - started }
}

/**
 * The route table's entry each of the manifest's list samples queries: the one place a sample's
 * kind meets an endpoint (the store, which writes the manifest, knows no HTTP path).
 * test/store/fixture-generator.test.ts checks that it names every list of `REPORTING_ROUTES`
 * once and that each sample, sent to its entry's path, answers its `items`.
 */
export const LIST_SAMPLE_ROUTES: Readonly<Record<ListSampleKind, SignedRoute>> = {
  calls: GET_CALL_LIST,
  onlineHelp: GET_ONLINE_HELP_LIST,
  staffMessaging: GET_STAFF_MESSAGING_LIST,
  customerMessaging: GET_CUSTOMER_MESSAGING_LIST,
}

/** A Reporting list the manifest has a sample for. */
export interface SampledList {
  readonly kind: ListSampleKind
  readonly route: SignedRoute
  /** The path's last segment, e.g. `getcalllist`. */
  readonly name: string
  /** `fullPath(route)`: what to POST to and sign. */
  readonly url: string
}

/** The sampled lists in the route table's order (an entry with no sample, getmessagingdetail, left out). */
export const SAMPLED_LISTS: readonly SampledList[] = (REPORTING_ROUTES as readonly SignedRoute[]).flatMap(
  (route) =>
    (Object.keys(LIST_SAMPLE_ROUTES) as ListSampleKind[])
      .filter((kind) => LIST_SAMPLE_ROUTES[kind] === route)
      .map((kind) => ({
        kind,
        route,
        name: route.path.split('/').at(-1) ?? route.path,
        url: fullPath(route),
      })),
)
