import { createHash, createHmac } from 'node:crypto'
import { expect, onTestFinished } from 'vitest'
import { LINK_KINDS, type LinkKind } from '../../src/links/link-kinds.js'
import { createLinkSigner, stringToSign } from '../../src/links/link-signer.js'
import { parseFixtureData } from '../../src/store/fixture-loader.js'
import { createStore, type Store } from '../../src/store/store.js'
import { DOCS_NOW, TEST_LINK_SECRET, testApp, testConfig, type TestAppOptions } from './app.js'

/**
 * A small, exact world for the tests of the pages the day, online-help and recording links open
 * (test/routes/*-page.test.ts, test/browser/link-pages.test.ts): one private day, one group day,
 * online-help sessions in every kind of state, calls with and without a recording. The clock of
 * the tests is DOCS_NOW (2021-03-09T13:28:32Z); messaging days are cut at 00:00 UTC (D15).
 */

const iso = (text: string) => new Date(text).toISOString()

/** 8 March 2021, the day of the private and the group rows. */
export const DAY = Date.UTC(2021, 2, 8)
export const DAY_END = DAY + 86_400_000 - 1

export const STAFF = {
  ayse: { staffId: '45186', name: 'Ayşe Yılmaz', userType: 4, appName: 'Agent Web App' },
  mehmet: { staffId: '45188', name: 'Mehmet Çelik', userType: 4, appName: 'Diyalog Kurumsal' },
}
export const CUSTOMERS = {
  omer: { customerId: '2337368', name: 'Ömer Faruk Şahin', userType: 5, appName: 'Diyalog iOS' },
  ipek: { customerId: '5667067', name: 'İpek Doğan', userType: 7, appName: 'Diyalog Android' },
}
export const GROUP = {
  groupId: 2128893729,
  name: 'Kredi Kartı Destek',
  staffIds: ['45186', '45188'],
  customerIds: ['5667067'],
}

export const SESSIONS = {
  ended: '-7320316471234567890',
  running: '8864021175390264113',
  requested: '4187520937',
  cancelled: '4187520938',
  /** Signed, but not in the data. */
  unknown: '77',
} as const

export const CALLS = {
  recorded: '3387307531615898478',
  /** 384 connected seconds: the synthesised recording stops at 60 (D37). */
  long: '885795427047083062',
  missed: '-1527120504243668640',
  notRecorded: '1870999722741544',
  /** Signed, but not in the data. */
  unknown: '-42',
} as const

/** The raw data set; `linkStore()` parses a fresh copy (the store takes ownership of it). */
export function linkData(names: { staff?: string; customer?: string; group?: string } = {}) {
  return {
    staff: [{ ...STAFF.ayse, ...(names.staff === undefined ? {} : { name: names.staff }) }, STAFF.mehmet],
    customers: [
      { ...CUSTOMERS.omer, ...(names.customer === undefined ? {} : { name: names.customer }) },
      CUSTOMERS.ipek,
    ],
    groups: [{ ...GROUP, ...(names.group === undefined ? {} : { name: names.group }) }],
    conversations: [
      {
        // The private day: two messages each on 8 March, one on 9 March (another day).
        staffId: '45188',
        customerId: '5667067',
        messages: [
          {
            id: 'p-1',
            sentAt: iso('2021-03-08T08:00:00Z'),
            from: 'customer',
            text: 'Günaydın, kartım bloke oldu.',
          },
          {
            id: 'p-2',
            sentAt: iso('2021-03-08T08:05:00Z'),
            from: 'staff',
            text: 'Günaydın İpek Hanım, bakıyorum.',
          },
          { id: 'p-3', sentAt: iso('2021-03-08T08:10:00Z'), from: 'staff', text: 'Blokeyi kaldırdım.' },
          { id: 'p-4', sentAt: iso('2021-03-08T09:00:00Z'), from: 'customer', text: 'Teşekkürler!' },
          { id: 'p-5', sentAt: iso('2021-03-09T08:00:00Z'), from: 'customer', text: 'Ertesi gün.' },
        ],
      },
      {
        groupId: GROUP.groupId,
        messages: [
          {
            id: 'g-1',
            sentAt: iso('2021-03-08T10:00:00Z'),
            from: { customerId: '5667067' },
            text: 'Merhaba, ekstrem gelmedi.',
          },
          {
            id: 'g-2',
            sentAt: iso('2021-03-08T10:01:00Z'),
            from: { staffId: '45186' },
            text: 'Ayşe burada, kontrol ediyorum.',
          },
          {
            id: 'g-3',
            sentAt: iso('2021-03-08T10:02:00Z'),
            from: { staffId: '45188' },
            text: 'Mehmet: adres güncel mi?',
          },
          {
            id: 'g-4',
            sentAt: iso('2021-03-08T10:03:00Z'),
            from: { staffId: '45186' },
            attachment: {
              type: 'file',
              name: 'ekstre-subat.pdf',
              sizeBytes: 184_320,
              mimeType: 'application/pdf',
            },
          },
        ],
      },
      {
        // The online-help sessions of Ömer and Ayşe: the ended one from 11:01:30 to 11:12 on
        // 8 March, the running one from 13:10 on 9 March (now is 13:28:32).
        staffId: '45186',
        customerId: '2337368',
        messages: [
          { id: 'o-0', sentAt: iso('2021-03-08T10:59:00Z'), from: 'customer', text: 'Oturumdan önce.' },
          {
            id: 'o-1',
            sentAt: iso('2021-03-08T11:01:30Z'),
            from: 'staff',
            text: 'Canlı yardıma hoş geldiniz.',
          },
          { id: 'o-2', sentAt: iso('2021-03-08T11:03:00Z'), from: 'customer', text: 'Şifremi unuttum.' },
          {
            id: 'o-3',
            sentAt: iso('2021-03-08T11:12:00Z'),
            from: 'staff',
            text: 'Yeni şifreniz SMS ile gönderildi.',
          },
          { id: 'o-4', sentAt: iso('2021-03-08T11:20:00Z'), from: 'customer', text: 'Oturumdan sonra.' },
          { id: 'r-1', sentAt: iso('2021-03-09T13:15:00Z'), from: 'customer', text: 'Hâlâ bağlı mısınız?' },
          { id: 'r-2', sentAt: iso('2021-03-09T13:20:00Z'), from: 'staff', text: 'Evet, işleminiz sürüyor.' },
          { id: 'r-3', sentAt: iso('2021-03-09T13:40:00Z'), from: 'customer', text: 'Biraz sonra.' },
        ],
      },
    ],
    onlineHelp: [
      {
        onlineHelpId: SESSIONS.ended,
        customerId: '2337368',
        agentId: '45186',
        state: 'onlinehelp_ended_by_agent',
        requestedAt: '2021-03-08T11:00:00Z',
        startedAt: '2021-03-08T11:01:30Z',
        endedAt: '2021-03-08T11:12:00Z',
      },
      {
        onlineHelpId: SESSIONS.running,
        customerId: '2337368',
        agentId: '45186',
        state: 'onlinehelp_started',
        requestedAt: '2021-03-09T13:05:00Z',
        startedAt: '2021-03-09T13:10:00Z',
      },
      {
        onlineHelpId: SESSIONS.requested,
        customerId: '5667067',
        state: 'onlinehelp_requested',
        requestedAt: '2021-03-09T13:25:00Z',
      },
      {
        onlineHelpId: SESSIONS.cancelled,
        customerId: '5667067',
        state: 'onlinehelp_cancelled_by_customer',
        requestedAt: '2021-03-09T12:00:00Z',
        endedAt: '2021-03-09T12:03:20Z',
      },
    ],
    calls: [
      {
        callId: CALLS.recorded,
        initiator: { staffId: '45188' },
        receiver: { customerId: '5667067' },
        startedAt: '2021-03-08T16:36:03.995+03:00',
        endedAt: '2021-03-08T16:36:25.505+03:00',
        connectedSeconds: 11,
        callType: 'video',
        state: 'ENDED',
        useType: 3,
        recording: true,
        receiverAppName: 'Diyalog Web',
      },
      {
        callId: CALLS.long,
        initiator: { customerId: '2337368' },
        receiver: { staffId: '45186' },
        startedAt: '2021-03-08T14:10:05.447+03:00',
        endedAt: '2021-03-08T14:16:39.033+03:00',
        connectedSeconds: 384,
        callType: 'voice',
        state: 'ENDED',
        useType: 1,
        recording: true,
      },
      {
        callId: CALLS.missed,
        initiator: { staffId: '45188' },
        receiver: { customerId: '5667067' },
        startedAt: '2021-03-08T17:00:00+03:00',
        endedAt: '2021-03-08T17:00:30+03:00',
        connectedSeconds: 0,
        callType: 'video',
        state: 'MISSED',
        useType: 2,
        recording: false,
      },
      {
        callId: CALLS.notRecorded,
        initiator: { staffId: '45186' },
        receiver: { staffId: '45188' },
        startedAt: '2021-03-08T11:05:37.015+03:00',
        endedAt: '2021-03-08T11:08:02.627+03:00',
        connectedSeconds: 141,
        callType: '',
        state: 'ENDED',
        useType: 0,
        recording: false,
      },
    ],
  }
}

export function linkStore(names?: Parameters<typeof linkData>[0]): Store {
  return createStore(parseFixtureData(linkData(names), 'link pages test'))
}

/** A signer with the test app's secret and lifetime: its links open on `testApp()`. */
/**
 * One app for the test over `linkStore()` unless `options.store` is given, closed after it;
 * `open` sends a GET (or HEAD) with `headers` to a link page.
 */
export function linkPageApp(options: TestAppOptions = {}) {
  const store = options.store ?? linkStore()
  const built = testApp({ ...options, store })
  onTestFinished(() => built.app.close())
  const open = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') =>
    built.app.inject({ method, url, headers })
  return { ...built, store, open }
}

export function testSigner(secret = TEST_LINK_SECRET) {
  return createLinkSigner({ secret, ttlSeconds: testConfig().linkTtlSeconds })
}

export const EXPIRES_AT = DOCS_NOW + testConfig().linkTtlSeconds * 1000

/** A signature of `kind` over `params`, made by hand with the test secret (to present it on another kind's path). */
export function signatureAs<P>(kind: LinkKind<P>, params: P, expiresAt: number): string {
  return createHmac('sha256', TEST_LINK_SECRET)
    .update(stringToSign(kind, params, expiresAt))
    .digest(kind.encoding)
}

export { LINK_KINDS }

export const HTML = 'text/html; charset=utf-8'
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

/**
 * The headers of every link page and its JSON: no referrer, no caching, nosniff, and the strict
 * policy — only the page's own inline style (its hash is the hash of the one `<style>`), and for
 * the recording page its audio from its own origin. No script, no inline handler, no other
 * resource in the markup.
 */
export function expectLinkPageHeaders(
  headers: Record<string, unknown>,
  body: string,
  { media = false }: { media?: boolean } = {},
) {
  expect(headers['referrer-policy']).toBe('no-referrer')
  expect(headers['cache-control']).toBe('no-store')
  expect(headers['x-content-type-options']).toBe('nosniff')
  expect(headers['vary']).toBe('Accept')
  const csp = String(headers['content-security-policy'])
  expect(csp).toMatch(
    media
      ? /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'; media-src 'self'$/
      : /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'$/,
  )
  if (String(headers['content-type']).startsWith('text/html')) {
    const styles = [...body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '')
    expect(styles).toHaveLength(1)
    expect(csp).toContain(
      `'sha256-${createHash('sha256')
        .update(styles[0] ?? '')
        .digest('base64')}'`,
    )
    expect(body).not.toMatch(/<(script|link|img|iframe|object|embed|video|source)\b|<[^>]*\son[a-z]+=|url\(/i)
    // The only element that loads anything is the recording's audio, from a relative address.
    const sources = [...body.matchAll(/<([a-z]+)[^>]*\ssrc="([^"]*)"/g)].map((m) => `${m[1]} ${m[2]}`)
    for (const source of sources)
      expect(source).toMatch(/^audio [^/:][^:]*\/audio\.wav\?signature=[0-9a-f]{64}&amp;expires=\d+$/)
  }
}

/** Message texts in the order the page shows them. */
export const textsOf = (body: string) => [...body.matchAll(/<p class="text">([^<]*)<\/p>/g)].map((m) => m[1])

/** The senders the bubbles name, in order. */
export const sendersOf = (body: string) =>
  [
    ...body.matchAll(
      /<li class="msg ([a-z ]+)">\n<p class="who">([^<]*) <span class="role">· ([^<]+)<\/span><\/p>/g,
    ),
  ].map((m) => `${m[1]}: ${m[2]} (${m[3]})`)

/** A query with one field changed (or removed with `undefined`). */
export function withParam(url: string, field: string, value: string | undefined): string {
  const parsed = new URL(url, 'http://x')
  if (value === undefined) parsed.searchParams.delete(field)
  else parsed.searchParams.set(field, value)
  return `${parsed.pathname}${parsed.search}`
}
