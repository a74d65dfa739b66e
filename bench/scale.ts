import { readdirSync, statSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { GET_MESSAGING_DETAIL } from '../src/routes/reporting/getmessagingdetail.js'
import { fullPath } from '../src/routes/signed-route.js'
import type { ListSample, Manifest } from '../src/store/fixture-generator.js'
import {
  argument,
  generatedFixtures,
  machineDescription,
  markdownTable,
  memoryMB,
  SAMPLED_LISTS,
  startServer,
  writeResults,
  type ServerProcess,
} from './lib.js'
import { signedRequest } from '../test/helpers/signing.js'

/**
 * `npm run bench:scale`: the store at 10 k, 100 k and 1 M messages with every kind — groups,
 * staff–customer, staff–staff and group conversations, and calls and online-help sessions at a
 * tenth of the messages each (generated, deterministic, cached in bench/.data). For each size:
 * generation time (when not cached), fixture load time, RSS after loading and at peak, and the
 * latency of every Reporting endpoint and of a 50-message link page, each request sent alone
 * over one kept-alive connection per server, so the store's lookup is what varies.
 *
 * Every query is the generator's sample for its endpoint (the manifest's `sample` and
 * `samples`): the same people (staff 0, customer 0) and a window chosen so that the answer has
 * the same length at every size — 50 messages for the page, 20 items for each list — while the
 * store around it grows a hundredfold. An index lookup must not notice: each endpoint's p50 at
 * the largest size is checked within 1.2 × its p50 at the smallest.
 *
 * The servers of all sizes are started one after the other (so their load times are their own)
 * and then measured together, round-robin request by request (size A's six routes, size B's,
 * …), so the machine's drift falls on every size alike and the ratio compares like with like.
 *
 *   npm run bench:scale
 *   npm run bench:scale -- --sizes 10000,100000,1000000 --requests 2000
 *   npm run bench:scale -- --smoke
 */

const smoke = process.argv.includes('--smoke')
const sizes = (argument('sizes') ?? (smoke ? '5000,10000' : '10000,100000,1000000')).split(',').map(Number)
const requests = Number(argument('requests') ?? (smoke ? 200 : 2000))
const WARM_UP = smoke ? 50 : 200
if (sizes.some((size) => !Number.isSafeInteger(size) || size < 100) || !(requests > 0)) {
  throw new Error('--sizes takes whole numbers ≥ 100 separated by commas; --requests a positive number')
}
/** The most a route's p50 may grow from the smallest size to the largest. */
const WITHIN = 1.2

/** The generator's options at one size: the calls and sessions at a tenth of the messages. */
const optionsAt = (size: number) => ({
  staff: 20,
  customers: 100,
  messages: size,
  calls: Math.floor(size / 10),
  sessions: Math.floor(size / 10),
  seed: 1,
})

/** One request over `agent`'s kept-alive connection; resolves with its latency in microseconds. */
function timed(
  agent: Agent,
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

/** getmessagingdetail: the manifest's `sample` window, and the link its answer gives. */
const DETAIL = {
  name: GET_MESSAGING_DETAIL.path.split('/').at(-1) ?? '',
  url: fullPath(GET_MESSAGING_DETAIL),
}
const PAGE = 'link page (HTML)'
/** The routes measured: the detail, its page, then the lists in the table's order (bench/lib.ts). */
const ROUTES = [DETAIL.name, PAGE, ...SAMPLED_LISTS.map((list) => list.name)]
type RouteName = string

/** A route's request at one size, and what its answer must hold. */
interface Probe {
  readonly route: RouteName
  /** Built before each send: the signature is dated. */
  send(agent: Agent): Promise<{ us: number; body: string }>
  /** The answer's length: messages on the page, items in a list. */
  readonly items: number
}

interface Measured {
  readonly size: number
  readonly manifest: Manifest
  readonly server: ServerProcess
  readonly agent: Agent
  readonly probes: Probe[]
  readonly samples: Map<RouteName, number[]>
  readonly generatedMs: number | undefined
  readonly fileMB: number
  readonly rssAfterLoadMB: number
}

function signedPost(server: ServerProcess, resource: string, body: string) {
  return (agent: Agent) =>
    timed(agent, `${server.url}${resource}`, {
      method: 'POST',
      headers: signedRequest({ url: resource, body }).headers,
      body,
    })
}

/** The probes of one size; getmessagingdetail is asked once for the link the page probe opens. */
async function probesOf(server: ServerProcess, agent: Agent, manifest: Manifest): Promise<Probe[]> {
  const { sample } = manifest
  const detailBody = JSON.stringify({
    staffId: sample.staffId,
    customerId: sample.customerId,
    startDate: sample.startDate,
    endDate: sample.endDate,
  })
  const detail = signedPost(server, DETAIL.url, detailBody)
  const first = await detail(agent)
  const link = (JSON.parse(first.body) as { conversationDetailLink?: string }).conversationDetailLink
  if (link === undefined || link === '') throw new Error(`getmessagingdetail answered no link: ${first.body}`)
  const page = link.replace(/^https?:\/\/[^/]+/, server.url)
  const lists = SAMPLED_LISTS.map(({ name: route, kind, url }): Probe => {
    const listSample: ListSample<unknown> = manifest.samples[kind]
    const send = signedPost(server, url, JSON.stringify(listSample.body))
    return {
      route,
      items: listSample.items,
      async send(a) {
        const answer = await send(a)
        if (answer.status !== 200) throw new Error(`${route} answered ${answer.status}: ${answer.body}`)
        return answer
      },
    }
  })
  return [
    {
      route: DETAIL.name,
      items: sample.messages,
      async send(a) {
        const answer = await detail(a)
        if (answer.status !== 200)
          throw new Error(`getmessagingdetail answered ${answer.status}: ${answer.body}`)
        return answer
      },
    },
    {
      route: PAGE,
      items: sample.messages,
      async send(a) {
        const answer = await timed(a, page, { method: 'GET', headers: { accept: 'text/html' } })
        if (answer.status !== 200) throw new Error(`the link page answered ${answer.status}`)
        return answer
      },
    },
    ...lists,
  ]
}

/** Checks once per size that each answer has the sample's length (else the sizes compare unlike work). */
async function checkAnswers(measured: Measured): Promise<void> {
  for (const probe of measured.probes) {
    const { body } = await probe.send(measured.agent)
    if (probe.route === DETAIL.name) continue
    if (probe.route === PAGE) {
      if (!body.includes(`${probe.items} mesaj`)) {
        process.stderr.write(
          `bench: warning: ${measured.size} messages: the page does not say it shows ${probe.items} messages\n`,
        )
      }
      continue
    }
    const length = (JSON.parse(body) as unknown[]).length
    if (length !== probe.items || length === 0) {
      throw new Error(
        `${measured.size} messages: ${probe.route} answered ${length} items, the manifest's sample says ${probe.items}`,
      )
    }
  }
}

/** Every data file's size (the manifest aside), in MB. */
function filesMB(dir: string): number {
  return (
    readdirSync(dir)
      .filter((name) => name.endsWith('.json') && name !== 'manifest.json')
      .reduce((sum, name) => sum + statSync(join(dir, name)).size, 0) /
    2 ** 20
  )
}

const measured: Measured[] = []
const peaks = new Map<number, number>()
try {
  for (const size of sizes) {
    const { dir, manifest, generatedMs } = generatedFixtures(`scale-${size}`, optionsAt(size))
    if (generatedMs !== undefined) {
      process.stdout.write(`${size} messages: generated in ${(generatedMs / 1000).toFixed(1)} s\n`)
    }
    const server = await startServer(`mock, ${size} messages`, 'dist/server.js', {
      DLG_FIXTURES_DIR: dir,
      DLG_LINK_SECRET: 'bench-link-secret-0123456789abcdef',
    })
    const rssAfterLoadMB = memoryMB(server.pid).rss
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const entry: Measured = {
      size,
      manifest,
      server,
      agent,
      probes: await probesOf(server, agent, manifest),
      samples: new Map(ROUTES.map((route) => [route, []])),
      generatedMs,
      fileMB: filesMB(dir),
      rssAfterLoadMB,
    }
    measured.push(entry)
    await checkAnswers(entry)
    process.stdout.write(`${size} messages: loaded\n`)
  }
  // Warm-up, then the measured requests: size by size, route by route, one request each.
  for (let i = 0; i < requests + WARM_UP; i++) {
    for (const entry of measured) {
      for (const probe of entry.probes) {
        const { us } = await probe.send(entry.agent)
        if (i >= WARM_UP) entry.samples.get(probe.route)?.push(us)
      }
    }
  }
} finally {
  for (const entry of measured) {
    entry.agent.destroy()
    peaks.set(entry.size, memoryMB(entry.server.pid).peak)
  }
  await Promise.all(measured.map((entry) => entry.server.stop()))
}

const fixed = (value: number | undefined, digits = 0) =>
  value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '–'
const en = (value: number) => value.toLocaleString('en')
const latency = (entry: Measured, route: RouteName) => {
  const samples = entry.samples.get(route) ?? []
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) }
}
const rows = measured.map((entry) => {
  const { counts } = entry.manifest
  return {
    messages: entry.size,
    counts,
    pairMessages: entry.manifest.sample.pairMessages,
    fileMB: entry.fileMB,
    generatedMs: entry.generatedMs,
    loadMs: Number(entry.server.ready?.['fixturesLoadMs'] ?? NaN),
    startMs: entry.server.startMs,
    rssAfterLoadMB: entry.rssAfterLoadMB,
    peakRssMB: peaks.get(entry.size) ?? NaN,
    routes: Object.fromEntries(
      entry.probes.map((probe) => [probe.route, { items: probe.items, ...latency(entry, probe.route) }]),
    ),
  }
})
const first = measured[0]
const last = measured.at(-1)
const ratio = (route: RouteName) =>
  first === undefined || last === undefined ? NaN : latency(last, route).p50 / latency(first, route).p50

const sizesTable = markdownTable(
  [
    'messages',
    'calls',
    'sessions',
    'groups',
    'in the pair',
    'files MB',
    'generated s',
    'load s',
    'RSS after load MB',
    'peak RSS MB',
  ],
  rows.map((r) => [
    en(r.messages),
    en(r.counts.calls),
    en(r.counts.onlineHelpSessions),
    en(r.counts.groups),
    en(r.pairMessages),
    fixed(r.fileMB, 1),
    r.generatedMs === undefined ? 'cached' : fixed(r.generatedMs / 1000, 1),
    fixed(r.loadMs / 1000, 2),
    fixed(r.rssAfterLoadMB),
    fixed(r.peakRssMB),
  ]),
)
const short = (size: number) => (size >= 1e6 && size % 1e6 === 0 ? `${size / 1e6} M` : `${size / 1e3} k`)
const latencyTable = markdownTable(
  [
    'route',
    'answer',
    ...measured.flatMap((entry) => [`${short(entry.size)} p50 µs`, `${short(entry.size)} p99 µs`]),
    `p50 ${last === undefined ? '' : short(last.size)} ÷ ${first === undefined ? '' : short(first.size)}`,
  ],
  ROUTES.map((route) => {
    const items = first?.probes.find((probe) => probe.route === route)?.items ?? NaN
    return [
      route,
      SAMPLED_LISTS.some((list) => list.name === route) ? `${items} items` : `${items} messages`,
      ...measured.flatMap((entry) => {
        const { p50, p99 } = latency(entry, route)
        return [fixed(p50), fixed(p99)]
      }),
      fixed(ratio(route), 2),
    ]
  }),
)
const largest = rows.at(-1)
const checks =
  largest === undefined || measured.length < 2
    ? []
    : ([
        [`${en(largest.messages)} messages load in ≤ 10 s`, largest.loadMs / 1000, largest.loadMs <= 10_000],
        [`${en(largest.messages)} messages: peak RSS ≤ 1 GB`, largest.peakRssMB, largest.peakRssMB <= 1024],
        ...ROUTES.map(
          (route) =>
            [
              `${route} p50 at ${en(largest.messages)} within ${WITHIN} × at ${en(rows[0]?.messages ?? NaN)}`,
              ratio(route),
              ratio(route) <= WITHIN,
            ] as const,
        ),
      ] as const)
const machine = machineDescription()
process.stdout.write(
  [
    '',
    `${requests} requests per route and size, one at a time over one kept-alive connection per server, sizes and routes round-robin (${machine})`,
    '',
    sizesTable,
    '',
    latencyTable,
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
