import autocannon from 'autocannon'
import { DEMO_ACCESS_KEY } from '../src/auth/keyring.js'
import { median, memoryMB, numberOptions, startServer } from './lib.js'
import { DOCS_BODY_TEXT, DOCS_RESOURCE, signedRequest } from '../test/helpers/signing.js'

/**
 * `npm run soak -- --seconds 60`: the built server, on loopback only, under a steady mix of
 * valid, invalid and link-page requests (autocannon, 10 connections) for a bounded time, then a
 * hostile phase (1 MiB bodies, deep bodies with new wrong signatures) for a third of it.
 * Reports the requests, the share of each status, any answer outside the documented ones
 * (must be 0), RSS after warm-up, half-way and at the end (growth must stay under 10 %), and
 * the admin journal's size and bytes against their bounds, and the peak RSS. Exit 1 when any of
 * these fails.
 */

const { seconds, connections } = numberOptions(process.argv.slice(2), { seconds: 60, connections: 10 })
if (seconds > 3600) throw new Error('--seconds is at most 3600: a soak is bounded')
const JOURNAL_LIMIT = 1000
const LARGE_BODY = JSON.stringify({ padding: 'x'.repeat(1024 * 1024 - 20) })
const DEEP_BODY = `${'['.repeat(3000)}${']'.repeat(3000)}`
const TOKEN = 'soak-admin-token-0123456789'
/** Every answer the mix may get: the API's 200, the error table's 400/401, a refused link's 403, an unknown API's 404. */
const DOCUMENTED = new Set([200, 400, 401, 403, 404])

/** Headers of a request signed now (or with `date`), with another secret, or for another API. */
function headers(date?: string, secret = DEMO_ACCESS_KEY.secret, url = DOCS_RESOURCE, body = DOCS_BODY_TEXT) {
  return signedRequest({
    ...(date === undefined ? {} : { date }),
    credentials: { ...DEMO_ACCESS_KEY, secret },
    url,
    body,
  }).headers
}

const server = await startServer('mock (soak)', 'dist/server.js', {
  LOG_LEVEL: 'warn',
  DLG_LINK_SECRET: 'soak-link-secret-0123456789abcdef',
  DLG_ADMIN_TOKEN: TOKEN,
  DLG_JOURNAL_LIMIT: String(JOURNAL_LIMIT),
  // The link minted at the start must still open at the end.
  DLG_LINK_TTL_SECONDS: String(Math.ceil(seconds) + 600),
})
let failed = false
try {
  const minted = await fetch(`${server.url}${DOCS_RESOURCE}`, {
    method: 'POST',
    headers: headers(),
    body: DOCS_BODY_TEXT,
  })
  const link = new URL(((await minted.json()) as { conversationDetailLink: string }).conversationDetailLink)
  const page = `${link.pathname}${link.search}`
  const tampered = page.replace('staffId=45188', 'staffId=45186')
  const mix = [
    // Valid, signed afresh for each request.
    {
      method: 'POST',
      path: DOCS_RESOURCE,
      body: DOCS_BODY_TEXT,
      setupRequest: (r: object) => ({ ...r, headers: headers(), body: DOCS_BODY_TEXT }),
    },
    {
      method: 'POST',
      path: DOCS_RESOURCE,
      body: DOCS_BODY_TEXT,
      setupRequest: (r: object) => ({
        ...r,
        headers: headers(undefined, 'wrong-secret'),
        body: DOCS_BODY_TEXT,
      }),
    },
    { method: 'POST', path: DOCS_RESOURCE, body: DOCS_BODY_TEXT, headers: headers('yesterday') },
    {
      method: 'POST',
      path: DOCS_RESOURCE,
      body: DOCS_BODY_TEXT,
      headers: { 'content-type': 'application/json' },
    },
    { method: 'GET', path: page, headers: { accept: 'text/html' } },
    { method: 'GET', path: tampered, headers: { accept: 'text/html' } },
    {
      method: 'POST',
      path: '/v1/reporting/getnosuchlist',
      body: '{}',
      setupRequest: (r: object) => ({
        ...r,
        headers: headers(undefined, DEMO_ACCESS_KEY.secret, '/v1/reporting/getnosuchlist', '{}'),
        body: '{}',
      }),
    },
  ]
  // The hostile phase, after the steady one: H2, a 1 MiB body from anyone with a well-shaped
  // authorization header (the journal keeps a cut of it, within its byte bound), and H1, a body
  // nested 3,000 deep with a new wrong signature each time (no memo answers it).
  const hostile = [
    {
      method: 'POST',
      path: DOCS_RESOURCE,
      body: LARGE_BODY,
      // Dated when sent: a stale date would be refused before the body is read.
      setupRequest: (r: object) => ({
        ...r,
        headers: {
          'content-type': 'application/json',
          'x-dlg-date': new Date().toUTCString(),
          'x-dlg-requester-userid': '45186',
          'x-dlg-authorization': `DLGA anyone:${'A'.repeat(43)}=`,
        },
        body: LARGE_BODY,
      }),
    },
    {
      method: 'POST',
      path: DOCS_RESOURCE,
      body: DEEP_BODY,
      setupRequest: (r: object) => ({
        ...r,
        headers: headers(undefined, `wrong-${Math.random()}`, DOCS_RESOURCE, DEEP_BODY),
        body: DEEP_BODY,
      }),
    },
  ]
  const samples: { at: number; rss: number }[] = []
  const started = performance.now()
  const sampler = setInterval(
    () => samples.push({ at: (performance.now() - started) / 1000, rss: memoryMB(server.pid).rss }),
    250,
  )
  const result = await autocannon({ url: server.url, connections, duration: seconds, requests: mix as never })
  clearInterval(sampler)
  // Large allocations make the heap's size swing: the hostile phase is bounded by its peak, not
  // by growth. A third of the steady phase's time, 4 connections.
  const beforeHostile = memoryMB(server.pid).rss
  const hostileResult = await autocannon({
    url: server.url,
    connections: 4,
    duration: Math.max(2, Math.round(seconds / 3)),
    requests: hostile as never,
  })
  const hostileStatuses = Object.entries(hostileResult.statusCodeStats ?? {}).map(
    ([code, stats]) => [Number(code), stats.count ?? 0] as const,
  )
  const hostileAnswered = hostileStatuses.reduce((sum, [, count]) => sum + count, 0)
  const hostileUndocumented = hostileStatuses
    .filter(([code]) => code !== 401)
    .reduce((sum, [, count]) => sum + count, 0)
  const peak = memoryMB(server.pid).peak

  const statuses = Object.entries(result.statusCodeStats ?? {}).map(
    ([code, stats]) => [Number(code), stats.count ?? 0] as const,
  )
  const answered = statuses.reduce((sum, [, count]) => sum + count, 0)
  const undocumented = statuses
    .filter(([code]) => !DOCUMENTED.has(code))
    .reduce((sum, [, count]) => sum + count, 0)
  const at = (fraction: number) =>
    samples[Math.min(samples.length - 1, Math.floor(samples.length * fraction))]?.rss ?? NaN
  /** The RSS of the samples between two fractions of the run. */
  const window = (from: number, to: number) =>
    samples
      .slice(
        Math.floor(samples.length * from),
        Math.max(Math.floor(samples.length * to), Math.floor(samples.length * from) + 1),
      )
      .map((sample) => sample.rss)
  const [warm, middle, end] = [median(window(0.1, 0.3)), median(window(0.4, 0.6)), median(window(0.8, 1))]
  // Warm-up: the first tenth (JIT, heap growing to its working size). A garbage-collected heap
  // climbs by tens of megabytes until the next full collection, whenever that falls: a leak is
  // what raises the troughs, so growth compares the lowest RSS of the last 30 % with the lowest
  // of 10–40 %.
  const [earlyTrough, lateTrough] = [Math.min(...window(0.1, 0.4)), Math.min(...window(0.7, 1))]
  const growth = (lateTrough - earlyTrough) / earlyTrough
  const journal = (await (
    await fetch(`${server.url}/__admin/requests?limit=1`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).json()) as { size: number; limit: number; bytes: number; maxBytes: number }

  const share = statuses
    .sort((a, b) => a[0] - b[0])
    .map(([code, count]) => `${code}: ${count} (${((count / answered) * 100).toFixed(1)} %)`)
    .join(', ')
  const checks = [
    ['answers outside the documented statuses', undocumented, undocumented === 0],
    [
      'connection errors and timeouts',
      result.errors + result.timeouts,
      result.errors + result.timeouts === 0,
    ],
    [
      'RSS growth after warm-up, trough to trough (< 10 %)',
      `${(growth * 100).toFixed(1)} % (${earlyTrough.toFixed(0)} → ${lateTrough.toFixed(0)} MB)`,
      growth < 0.1,
    ],
    [`journal entries (bound ${journal.limit})`, journal.size, journal.size <= JOURNAL_LIMIT],
    [`journal bytes (bound ${journal.maxBytes})`, journal.bytes, journal.bytes <= journal.maxBytes],
    [
      'hostile phase: answers other than 401, connection errors and timeouts',
      hostileUndocumented + hostileResult.errors + hostileResult.timeouts,
      hostileUndocumented + hostileResult.errors + hostileResult.timeouts === 0 && hostileAnswered > 0,
    ],
    ['peak RSS over both phases (≤ 400 MB)', `${peak.toFixed(0)} MB`, peak <= 400],
  ] as const
  process.stdout.write(
    [
      `soak: ${seconds} s, ${connections} connections, a mix of ${mix.length} requests (valid, wrong signature, bad date, missing headers, link page, tampered link, unknown API)`,
      `requests answered: ${answered} (${Math.round(answered / seconds)} req/s); ${share}`,
      `RSS MB every tenth: ${[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.999].map((f) => at(f).toFixed(0)).join(' ')}`,
      `RSS MB (medians of 10–30 %, 40–60 %, 80–100 % of the run): ${warm.toFixed(1)}, ${middle.toFixed(1)}, ${end.toFixed(1)}`,
      `hostile phase: ${hostileAnswered} requests (1 MiB bodies from anyone, 3,000-deep bodies with a new wrong signature), RSS ${beforeHostile.toFixed(0)} MB before, ${memoryMB(server.pid).rss.toFixed(0)} MB after`,
      ...checks.map(([name, value, ok]) => `${ok ? '✓' : '✗'} ${name}: ${value}`),
      '',
    ].join('\n'),
  )
  failed = checks.some(([, , ok]) => !ok) || answered === 0
} finally {
  await server.stop()
}
process.exitCode = failed ? 1 : 0
