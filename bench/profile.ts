import { readdirSync, readFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { DEMO_ACCESS_KEY } from '../src/auth/keyring.js'
import { argument, load, startServer } from './lib.js'
import { signedRequest } from '../test/helpers/signing.js'

/**
 * `npm run bench:profile -- [--scenario signed|401|400] [--seconds 10] [--log-level warn] [--server mock|floor]`:
 * the production server (or the bench's floor, bench/floor-server.mjs) under autocannon with
 * `--cpu-prof`, then the functions that took the time — by self time and including what they
 * called. The profile file stays in bench/results/profiles for Chrome DevTools or speedscope.
 */

const scenario = argument('scenario') ?? 'signed'
const seconds = Number(argument('seconds') ?? '10')
const logLevel = argument('log-level') ?? 'warn'
const target = argument('server') ?? 'mock'
if (!['signed', '401', '400'].includes(scenario) || !(seconds > 0) || !['mock', 'floor'].includes(target)) {
  throw new Error('--scenario is signed, 401 or 400; --seconds a positive number; --server mock or floor')
}

const dir = join('bench', 'results', 'profiles')
mkdirSync(dir, { recursive: true })
const before = new Set(readdirSync(dir))
const server = await startServer(
  target,
  target === 'floor' ? 'bench/floor-server.mjs' : 'dist/server.js',
  { LOG_LEVEL: logLevel, DLG_LINK_SECRET: 'bench-link-secret-0123456789abcdef', NODE_ENV: 'production' },
  ['--cpu-prof', `--cpu-prof-dir=${dir}`],
)
const signed = signedRequest({
  ...(scenario === '400' ? { date: 'yesterday' } : {}),
  ...(scenario === '401' ? { credentials: { ...DEMO_ACCESS_KEY, secret: 'not-the-secret' } } : {}),
})
const result = await load(
  server,
  { method: 'POST', path: signed.url, body: signed.payload, headers: signed.headers },
  { seconds, connections: 10, expected: scenario === 'signed' ? 2 : 4 },
)
await server.stop()

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
const file = readdirSync(dir).find((name) => !before.has(name) && name.endsWith('.cpuprofile'))
if (file === undefined) throw new Error('the server wrote no profile')
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}
const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
const parent = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
const name = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame
  return `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`
}
const self = new Map<string, number>()
const inclusive = new Map<string, number>()
let total = 0
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0
  total += delta
  const node = nodes.get(id)
  if (node === undefined) return
  self.set(name(node), (self.get(name(node)) ?? 0) + delta)
  const seen = new Set<string>()
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = name(nodes.get(at) as ProfileNode)
    if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + delta)
    seen.add(key)
  }
})
const top = (map: Map<string, number>, count: number) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([key, us]) =>
        `${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / result.requests).toFixed(1).padStart(6)} µs/req  ${key}`,
    )
process.stdout.write(
  [
    `${target}, ${scenario}${target === 'mock' ? `, LOG_LEVEL=${logLevel}` : ''}: ${result.requests} requests in ${seconds} s (${Math.round(result.rps)} req/s), server CPU ${result.cpuUsPerRequest.toFixed(1)} µs/request`,
    `profile: ${join(dir, file)} (sampled wall time of the main thread, start-up included)`,
    '',
    'self time:',
    ...top(self, 25),
    '',
    'including callees (our code and the framework):',
    ...top(
      new Map([...inclusive].filter(([key]) => /dist\/|bench\/|node_modules\/(fastify|pino)/.test(key))),
      30,
    ),
    '',
  ].join('\n'),
)
