import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { FIXTURE_KINDS, type FixtureCounts } from './fixture-kinds.js'
import { HELP_STATES, type CallState, type CallType, type HelpState } from './fixture-schema.js'
import { dayCutter, DEFAULT_MESSAGING_DAY_ZONE } from './messaging-day.js'

/**
 * A deterministic fixture generator for load tests and the scale benchmark: the same options
 * and seed always give the same files, byte for byte. It writes every kind of
 * `fixture-kinds.ts` but the optional `bots` (the demo bot and `DLG_BOTS` serve a generated
 * world), each a file the loader accepts; users carry no Diyalog id of their own (each gets its
 * derived one) and the default behaviour:
 *
 * - staff and customers; customer `i` belongs to staff member `i mod staff` (round-robin);
 * - groups of 2–6 members, staff and customers; group `g` holds staff `g mod staff` and
 *   customer `5g mod customers`, so group 0 holds staff 0 and customer 0;
 * - conversations: the `messages` are shared out 80 / 5 / 15 % over the private staff–customer
 *   conversations (one per customer), the staff–staff ones (staff `j` and `j + 1`, round the
 *   ring) and the group ones (one per group); a share with no conversation to go to goes to the
 *   private ones. Inside a kind the share is even, and each conversation's messages are spread
 *   over 2020–2021 in time order;
 * - calls and online-help sessions spread over 2020–2021 in time order. Their customer is drawn
 *   log-uniformly (customer 0 the busiest: ln 2 / ln(customers + 1) of them, 15 % at 100
 *   customers), so the manifest's sample pair (staff 0, customer 0) holds 20 of them at 10 k
 *   messages as at 1 M.
 *
 * Every file is written record by record through a small buffer (a conversation message by
 * message), so a million messages never sit in memory as one string. The manifest names, for
 * the benchmarks, a 50-message window of one pair and a query for each Reporting list whose
 * answer has the same length at every scale (docs/cli.md). A list's sample is keyed by what it
 * lists (`calls`, `onlineHelp`, …), never by an HTTP path: the store does not know the route
 * table, and the benchmarks resolve each kind to its table entry (bench/lib.ts).
 */

export interface GeneratorOptions {
  readonly staff: number
  readonly customers: number
  /** Messages in all, shared out over the three shapes of conversation. */
  readonly messages: number
  /** Default `max(1, floor(customers / 50))`. */
  readonly groups?: number
  /** Default `floor(messages / 10)`. */
  readonly calls?: number
  /** Online-help sessions; default `floor(messages / 10)`. */
  readonly sessions?: number
  readonly seed: number
}

/** The options with their defaults filled in, as the manifest records them. */
export type ResolvedOptions = Required<GeneratorOptions>

/** A window of `size` consecutive messages from the middle of the first conversation. */
export interface SampleWindow {
  readonly staffId: string
  readonly customerId: string
  readonly startDate: number
  readonly endDate: number
  readonly messages: number
  /** Messages the pair has in all. */
  readonly pairMessages: number
}

/**
 * A ready query of one Reporting list: the body to sign and send, and what it answers. Which
 * list it queries is its key in `ListSamples`; the path to POST it to is the route table's.
 */
export interface ListSample<Body> {
  readonly body: Body
  /** Items of the query's subject inside the window (calls, sessions or daily rows). */
  readonly inWindow: number
  /** The answer's length: `min(inWindow, 20)` — 20 whenever the data set is large enough. */
  readonly items: number
  /** Items of the query's subject in all, whatever the window. */
  readonly total: number
}

interface Window {
  readonly startDate: number
  readonly endDate: number
}

/** One sample per Reporting list, keyed by what the list lists. */
export interface ListSamples {
  readonly calls: ListSample<
    Window & { readonly callType: 'all'; readonly staffId: string; readonly customerId: string }
  >
  readonly onlineHelp: ListSample<Window & { readonly customerId: string; readonly agentId: string }>
  readonly staffMessaging: ListSample<
    Window & { readonly staffId: string; readonly pageNumber: 1; readonly pageSize: number }
  >
  readonly customerMessaging: ListSample<
    Window & { readonly customerId: string; readonly pageNumber: 1; readonly pageSize: number }
  >
}

/** What a list sample queries: `calls`, `onlineHelp`, `staffMessaging` or `customerMessaging`. */
export type ListSampleKind = keyof ListSamples

export interface Manifest {
  /**
   * 3 since a list sample is keyed by its kind alone, without a `resource` path; 2 when the
   * generator began writing every kind and `samples`.
   */
  readonly version: typeof MANIFEST_VERSION
  readonly options: ResolvedOptions
  /** What the store counts once the directory is loaded (`/health`'s `fixtures`). */
  readonly counts: FixtureCounts
  readonly sample: SampleWindow
  readonly samples: ListSamples
}

export const MANIFEST_FILE = 'manifest.json'
export const MANIFEST_VERSION = 3
export const SAMPLE_WINDOW_SIZE = 50
/** The lists' cap ("at most 20"), and the page size of the messaging samples. */
export const LIST_SAMPLE_SIZE = 20
/** Percentages of the messages in private staff–customer, staff–staff and group conversations. */
export const MESSAGE_SHARES = { private: 80, staffStaff: 5, group: 15 } as const
/**
 * Calls with `callType ""` (made before Diyalog 1.6.2, which did not record the type) only
 * before this instant, 2020-11-15 00:00 Istanbul: the generator's stand-in for the release date.
 */
export const UNTYPED_CALLS_BEFORE = Date.UTC(2020, 10, 15) - 3 * 3_600_000

/** The default number of groups, calls and sessions for the rest of the options. */
export function defaultCounts(options: Pick<GeneratorOptions, 'customers' | 'messages'>) {
  return {
    groups: Math.max(1, Math.floor(options.customers / 50)),
    calls: Math.floor(options.messages / 10),
    sessions: Math.floor(options.messages / 10),
  }
}

const START = Date.UTC(2020, 0, 1)
const SPAN = Date.UTC(2022, 0, 1) - START
const ISTANBUL_MS = 3 * 3_600_000

const FIRST = ['Ayşe', 'Mehmet', 'Zeynep', 'Ömer', 'İpek', 'Gülşen', 'Çağrı', 'Hüseyin', 'Elif', 'Burak']
const LAST = ['Yılmaz', 'Çelik', 'Güneş', 'Şahin', 'Doğan', 'Aydın', 'Öztürk', 'Kılıç', 'Arslan', 'Koç']
const TEXTS = [
  'Merhaba, hesap ekstremi görebilir miyim?',
  'Tabii, size hemen yardımcı oluyorum.',
  'Kartımın limitini artırmak istiyorum.',
  'Başvurunuz alındı, sonucu SMS ile ileteceğiz.',
  'Teşekkür ederim, iyi günler 🙂',
  'Havale işlemim hâlâ görünmüyor.',
  'İşleminiz 15 dakika içinde tamamlanacak.',
  'Şifremi unuttum, nasıl yenileyebilirim?',
  'Mobil uygulamadan "Şifremi unuttum" adımını izleyebilirsiniz.',
  'Kredi taksitlerim hakkında bilgi alabilir miyim?',
]
const COLLEAGUE_TEXTS = [
  'Günaydın, müşterinin talebini sana yönlendiriyorum.',
  'Şube onayı geldi mi?',
  'Evet, sistemde görünüyor; ben ilgileniyorum.',
  'Toplantı 14:00’te, ikinci katta.',
  'Kredi komitesine dosyayı bugün iletiyorum.',
]
const GROUP_TEXTS = [
  'Herkese merhaba, başvurunun son durumu nedir?',
  'Belgeleriniz eksiksiz, onaya gönderildi.',
  'Ekspertiz raporu yarın paylaşılacak.',
  'Sorunuz için teşekkürler, ekip olarak bakıyoruz.',
  'Sözleşme imzaya hazır 🙂',
]
const GROUP_NAMES = [
  'Kredi Kartı Destek',
  'Konut Kredisi',
  'Yatırım Danışmanlığı',
  'Ticari Krediler',
  'Dijital Bankacılık',
  'Müşteri Şikâyetleri',
  'Şube Operasyon',
]
const ATTACHMENTS = [
  ['file', 'pdf', 'application/pdf'],
  ['image', 'jpg', 'image/jpeg'],
  ['audio', 'm4a', 'audio/mp4'],
  ['video', 'mp4', 'video/mp4'],
] as const
const STAFF_APPS = ['Agent Web App', 'Diyalog Kurumsal', 'Diyalog Çağrı Merkezi']
const CUSTOMER_APPS = ['Diyalog Android', 'Diyalog iOS', 'Diyalog Web']

/** mulberry32: a small, fast, well-distributed 32-bit generator; enough for fixtures. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** The seed of one stream (a kind, a record) from the options' seed: FNV-1a steps, each through murmur3's finaliser. */
function mix(...parts: number[]): number {
  let h = 0x811c9dc5
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193)
    h ^= h >>> 16
    h = Math.imul(h, 0x85ebca6b)
    h ^= h >>> 13
    h = Math.imul(h, 0xc2b2ae35)
    h ^= h >>> 16
  }
  return h >>> 0
}

const STREAM = { groups: 1, private: 2, staffStaff: 3, group: 4, calls: 5, sessions: 6 } as const

const MASK64 = (1n << 64n) - 1n
/**
 * A distinct signed 64-bit id for record `index` of one kind: splitmix64's finaliser, a
 * bijection of 64-bit words, over (seed, kind, index), so ids never repeat within a file and
 * spread over the whole signed range, negative ones included (D18).
 */
function int64Id(seed: number, kind: 0 | 1, index: number): string {
  let z = ((BigInt(seed) << 33n) | (BigInt(kind) << 32n) | BigInt(index)) & MASK64
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64
  return BigInt.asIntN(64, z ^ (z >> 31n)).toString()
}

export const staffId = (index: number) => String(40_000 + index)
export const customerId = (index: number) => String(1_000_000 + index)
/** The pair the samples query: staff 0 and customer 0, the busiest by construction. */
const pairIds = { staffId: staffId(0), customerId: customerId(0) } as const

function name(index: number): string {
  return `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`
}

const pick = <T>(items: readonly T[], next: () => number): T => items[Math.floor(next() * items.length)] as T

/** `2021-03-09T16:28:32+03:00`: RFC 3339 in Istanbul time (with milliseconds when asked). */
function istanbulTime(epochMs: number, milliseconds = false): string {
  return `${new Date(epochMs + ISTANBUL_MS).toISOString().slice(0, milliseconds ? 23 : 19)}+03:00`
}

/** Part `index` of `total` shared evenly over `parts`: the first `total mod parts` get one more. */
function evenShare(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0)
}

/** A customer drawn log-uniformly: customer 0 the busiest, each next one a little less busy. */
function busyCustomer(options: ResolvedOptions, next: () => number): number {
  return Math.min(options.customers - 1, Math.floor(Math.exp(next() * Math.log(options.customers + 1))) - 1)
}

/** The customer's own staff member mostly (80 %), anyone else sometimes. */
function staffFor(options: ResolvedOptions, customer: number, next: () => number): number {
  return next() < 0.8 ? customer % options.staff : Math.floor(next() * options.staff)
}

/** Staff–staff pairs (j, j + 1 mod staff): none for one staff member, one for two. */
function staffPairs(staff: number): number {
  return staff === 1 ? 0 : staff === 2 ? 1 : staff
}

function messageShares(options: ResolvedOptions) {
  const staffStaff =
    staffPairs(options.staff) > 0 ? Math.floor((options.messages * MESSAGE_SHARES.staffStaff) / 100) : 0
  const group = options.groups > 0 ? Math.floor((options.messages * MESSAGE_SHARES.group) / 100) : 0
  return { private: options.messages - staffStaff - group, staffStaff, group }
}

function resolved(options: GeneratorOptions): ResolvedOptions {
  const whole = (value: number, min: number, max: number, field: string) => {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new RangeError(`${field} must be a whole number from ${min} to ${max} (got ${value})`)
    }
  }
  whole(options.staff, 1, 100_000, 'staff')
  whole(options.customers, 1, 1_000_000, 'customers')
  whole(options.messages, 0, 50_000_000, 'messages')
  whole(options.seed, 0, 2 ** 32 - 1, 'seed')
  const defaults = defaultCounts(options)
  const full: ResolvedOptions = {
    staff: options.staff,
    customers: options.customers,
    messages: options.messages,
    groups: options.groups ?? defaults.groups,
    calls: options.calls ?? defaults.calls,
    sessions: options.sessions ?? defaults.sessions,
    seed: options.seed,
  }
  whole(full.groups, 0, 100_000, 'groups')
  whole(full.calls, 0, 10_000_000, 'calls')
  whole(full.sessions, 0, 10_000_000, 'sessions')
  return full
}

/** A JSON array written record by record through a 64 KiB buffer. */
class ArrayFile {
  private readonly fd: number
  private chunks: string[] = []
  private size = 0
  private count = 0

  constructor(path: string) {
    this.fd = openSync(path, 'w')
    this.write('[')
  }

  write(text: string): void {
    this.chunks.push(text)
    this.size += text.length
    if (this.size >= 65_536) this.flush()
  }

  /** Starts the next record (its text may follow in several writes). */
  record(text: string): void {
    this.write(this.count++ === 0 ? `\n${text}` : `,\n${text}`)
  }

  private flush(): void {
    writeSync(this.fd, this.chunks.join(''))
    this.chunks = []
    this.size = 0
  }

  close(): void {
    this.write(this.count === 0 ? ']\n' : '\n]\n')
    this.flush()
    closeSync(this.fd)
  }
}

function writeArray(path: string, body: (file: ArrayFile) => void): void {
  const file = new ArrayFile(path)
  try {
    body(file)
  } finally {
    file.close()
  }
}

interface GeneratedGroup {
  readonly groupId: number
  readonly name: string
  readonly staff: readonly number[]
  readonly customers: readonly number[]
}

function generateGroups(options: ResolvedOptions): GeneratedGroup[] {
  const next = random(mix(options.seed, STREAM.groups))
  return Array.from({ length: options.groups }, (_, g) => {
    const size = 2 + Math.floor(next() * 5)
    const staffCount = Math.min(options.staff, size <= 3 ? 1 : 2)
    const customerCount = Math.min(options.customers, size - staffCount)
    return {
      // Distinct: each group its own block of 10 000 (at most 100 000 groups stay below 2^31).
      groupId: 1_000_000_000 + g * 10_000 + Math.floor(next() * 10_000),
      name: `${pick(GROUP_NAMES, next)} ${g + 1}`,
      staff: Array.from({ length: staffCount }, (_, j) => (g + j) % options.staff),
      customers: Array.from({ length: customerCount }, (_, j) => (g * 5 + j) % options.customers),
    }
  })
}

/**
 * The daily rows one sender has in the messaging lists (D15, D16): per conversation, the days
 * it sent on, times the receivers each message reaches (one, or every other group member).
 */
class RowCounter {
  private readonly dayOf = dayCutter(DEFAULT_MESSAGING_DAY_ZONE)
  private readonly rows = new Map<number, number>()
  private days = new Set<number>()

  sent(ms: number): void {
    this.days.add(this.dayOf(ms).start)
  }

  /** Ends a conversation whose messages reach `receivers` people. */
  endConversation(receivers: number): void {
    for (const day of this.days) this.rows.set(day, (this.rows.get(day) ?? 0) + receivers)
    this.days = new Set()
  }

  /** Whole days from the middle of the sender's days on, until they hold `size` rows. */
  window(size: number): Window & { readonly inWindow: number; readonly total: number } {
    const days = [...this.rows.keys()].sort((a, b) => a - b)
    const rowsOn = (i: number) => this.rows.get(days[i] as number) ?? 0
    const total = days.reduce((sum, _, i) => sum + rowsOn(i), 0)
    if (days.length === 0) return { startDate: START, endDate: START, inWindow: 0, total }
    let low = Math.floor(days.length / 2)
    let high = low
    let inWindow = rowsOn(low)
    while (inWindow < size && (high + 1 < days.length || low > 0)) {
      inWindow += high + 1 < days.length ? rowsOn(++high) : rowsOn(--low)
    }
    const last = days[high] as number
    return { startDate: days[low] as number, endDate: this.dayOf(last).end, inWindow, total }
  }
}

/** `size` consecutive times from the middle of ascending `times`, and how many the window holds. */
function middleWindow(times: readonly number[], size: number): Window & { readonly inWindow: number } {
  if (times.length === 0) return { startDate: START, endDate: START, inWindow: 0 }
  const count = Math.min(size, times.length)
  const from = Math.floor((times.length - count) / 2)
  const startDate = times[from] as number
  const endDate = times[from + count - 1] as number
  return { startDate, endDate, inWindow: times.filter((t) => t >= startDate && t <= endDate).length }
}

type Sender = { readonly staffId: string } | { readonly customerId: string }

/** Who sends the next message, and the row counter that follows that sender, if any. */
interface NextSender {
  readonly from: 'staff' | 'customer' | Sender
  readonly rows?: RowCounter | undefined
}

/**
 * The messages of one conversation, written one by one: `count` of them spread over 2020–2021,
 * strictly increasing whole seconds (a jitter inside each message's own slot).
 */
function writeMessages(
  file: ArrayFile,
  count: number,
  next: () => number,
  shape: {
    readonly idPrefix: string
    readonly attachmentName: string
    readonly texts: readonly string[]
    readonly sender: () => NextSender
    readonly sent?: ((ms: number) => void) | undefined
  },
): void {
  const step = SPAN / Math.max(count, 1)
  for (let m = 0; m < count; m++) {
    const time = START + Math.floor(((m + next() * 0.9) * step) / 1000) * 1000
    const { from, rows } = shape.sender()
    const message: Record<string, unknown> = {
      id: `${shape.idPrefix}${m + 1}`,
      sentAt: istanbulTime(time),
      from,
    }
    // One message in 25 is an attachment.
    if (next() < 0.96) message['text'] = `${pick(shape.texts, next)} (#${m + 1})`
    else {
      const [type, extension, mimeType] = ATTACHMENTS[m % ATTACHMENTS.length] ?? ATTACHMENTS[0]
      message['attachment'] = {
        type,
        name: `${shape.attachmentName}-${m + 1}.${extension}`,
        sizeBytes: 1024 + Math.floor(next() * 5_000_000),
        mimeType,
      }
    }
    file.write(`${m === 0 ? '' : ','}${JSON.stringify(message)}`)
    rows?.sent(time)
    shape.sent?.(time)
  }
  file.write(']}')
}

/** Row counters of the messaging samples: staff 0 and customer 0 as senders. */
interface Followed {
  readonly staff: RowCounter
  readonly customer: RowCounter
}

/** Writes the conversations (private, staff–staff, group); returns the first pair's sent times. */
function writeConversations(
  path: string,
  options: ResolvedOptions,
  groups: readonly GeneratedGroup[],
  followed: Followed,
): number[] {
  const shares = messageShares(options)
  const pairs = shares.staffStaff > 0 ? staffPairs(options.staff) : 0
  const firstTimes: number[] = []
  const staffRows = (staff: number) => (staff === 0 ? followed.staff : undefined)
  writeArray(path, (file) => {
    for (let i = 0; i < options.customers; i++) {
      const next = random(mix(options.seed, STREAM.private, i))
      const staff = i % options.staff
      const customerRows = i === 0 ? followed.customer : undefined
      file.record(
        `${JSON.stringify({ staffId: staffId(staff), customerId: customerId(i) }).slice(0, -1)},"messages":[`,
      )
      writeMessages(file, evenShare(shares.private, options.customers, i), next, {
        idPrefix: 'm-',
        attachmentName: `belge-${i + 1}`,
        texts: TEXTS,
        sender: () =>
          next() < 0.5 ? { from: 'staff', rows: staffRows(staff) } : { from: 'customer', rows: customerRows },
        sent: i === 0 ? (ms) => void firstTimes.push(ms) : undefined,
      })
      staffRows(staff)?.endConversation(1)
      customerRows?.endConversation(1)
    }
    for (let j = 0; j < pairs; j++) {
      const next = random(mix(options.seed, STREAM.staffStaff, j))
      const pair = [j, (j + 1) % options.staff] as const
      file.record(`{"staffIds":${JSON.stringify(pair.map(staffId))},"messages":[`)
      writeMessages(file, evenShare(shares.staffStaff, pairs, j), next, {
        idPrefix: 's-',
        attachmentName: `not-${j + 1}`,
        texts: COLLEAGUE_TEXTS,
        sender: () => {
          const sender = pair[next() < 0.5 ? 0 : 1]
          return { from: { staffId: staffId(sender) }, rows: staffRows(sender) }
        },
      })
      if (pair.includes(0)) followed.staff.endConversation(1)
    }
    for (const [g, group] of (shares.group > 0 ? groups : []).entries()) {
      const next = random(mix(options.seed, STREAM.group, g))
      const members: NextSender[] = [
        ...group.staff.map((s) => ({ from: { staffId: staffId(s) }, rows: staffRows(s) })),
        ...group.customers.map((c) => ({
          from: { customerId: customerId(c) },
          rows: c === 0 ? followed.customer : undefined,
        })),
      ]
      file.record(`{"groupId":${group.groupId},"messages":[`)
      writeMessages(file, evenShare(shares.group, groups.length, g), next, {
        idPrefix: 'g-',
        attachmentName: `grup-${g + 1}`,
        texts: GROUP_TEXTS,
        sender: () => members[Math.floor(next() * members.length)] as NextSender,
      })
      // A group message reaches every other member: one row each.
      if (group.staff.includes(0)) followed.staff.endConversation(members.length - 1)
      if (group.customers.includes(0)) followed.customer.endConversation(members.length - 1)
    }
  })
  return firstTimes
}

/**
 * Writes the calls in time order; returns the start times of the sample pair's calls (staff 0
 * with customer 0, either way round). 85 % are staff–customer (15 % staff–staff, when there
 * are two staff members); states, types, use types and recordings as the loader's rules allow.
 */
function writeCalls(path: string, options: ResolvedOptions): number[] {
  const next = random(mix(options.seed, STREAM.calls))
  const step = SPAN / Math.max(options.calls, 1)
  const pairTimes: number[] = []
  writeArray(path, (file) => {
    for (let k = 0; k < options.calls; k++) {
      const startedAt = START + Math.floor((k + next() * 0.9) * step)
      let a: Sender
      let b: Sender
      let useType: number
      if (options.staff >= 2 && next() < 0.15) {
        const first = Math.floor(next() * options.staff)
        const second = (first + 1 + Math.floor(next() * (options.staff - 1))) % options.staff
        a = { staffId: staffId(first) }
        b = { staffId: staffId(second) }
        useType = next() < 0.9 ? 1 : 0
      } else {
        const customer = busyCustomer(options, next)
        const staff = staffFor(options, customer, next)
        a = { staffId: staffId(staff) }
        b = { customerId: customerId(customer) }
        const u = next()
        useType = u < 0.05 ? 0 : u < 0.5 ? 1 : u < 0.75 ? 2 : 3
        if (staff === 0 && customer === 0) pairTimes.push(startedAt)
      }
      const [initiator, receiver] = next() < 0.5 ? [a, b] : [b, a]
      const s = next()
      const state: CallState = s < 0.72 ? 'ENDED' : s < 0.95 ? 'MISSED' : 'START'
      let durationMs: number
      let connectedSeconds = 0
      let recording = false
      if (state === 'ENDED') {
        durationMs = 5_000 + Math.floor(next() * 1_800_000)
        // Ringing first, then connected: never longer than the call (the loader's rule).
        const ringingMs = Math.floor(next() * Math.min(15_000, durationMs / 2))
        connectedSeconds = Math.floor((durationMs - ringingMs) / 1000)
        recording = next() < 0.5
      } else if (state === 'MISSED') durationMs = 3_000 + Math.floor(next() * 42_000)
      else durationMs = 500 + Math.floor(next() * 5_000)
      const callType: CallType =
        startedAt < UNTYPED_CALLS_BEFORE && next() < 0.5 ? '' : next() < 0.6 ? 'voice' : 'video'
      const call: Record<string, unknown> = {
        callId: int64Id(options.seed, 0, k),
        initiator,
        receiver,
        startedAt: istanbulTime(startedAt, true),
        endedAt: istanbulTime(startedAt + durationMs, true),
        connectedSeconds,
        callType,
        state,
        useType,
        recording,
      }
      // One call in ten was made from another client than the person's usual one.
      if (next() < 0.1) {
        call['initiatorAppName'] = pick('staffId' in initiator ? STAFF_APPS : CUSTOMER_APPS, next)
      }
      file.record(JSON.stringify(call))
    }
  })
  return pairTimes
}

/** `helpState` weights: mostly ended sessions, a few still open or given up. */
const STATE_WEIGHTS: Readonly<Record<HelpState, number>> = {
  onlinehelp_requested: 0.03,
  onlinehelp_cancelled_by_customer: 0.12,
  onlinehelp_started: 0.05,
  onlinehelp_ended_by_customer: 0.3,
  onlinehelp_ended_by_agent: 0.35,
  onlinehelp_ended_customer_kill_app: 0.15,
}

function helpState(next: () => number): HelpState {
  let r = next()
  for (const state of HELP_STATES) {
    r -= STATE_WEIGHTS[state]
    if (r < 0) return state
  }
  return 'onlinehelp_ended_by_agent'
}

/**
 * Writes the online-help sessions in request order, each state with the fields it needs;
 * returns the request times of the sample pair's sessions (customer 0 with agent staff 0).
 */
function writeSessions(path: string, options: ResolvedOptions): number[] {
  const next = random(mix(options.seed, STREAM.sessions))
  const step = SPAN / Math.max(options.sessions, 1)
  const pairTimes: number[] = []
  writeArray(path, (file) => {
    for (let k = 0; k < options.sessions; k++) {
      const requestedAt = START + Math.floor(((k + next() * 0.9) * step) / 1000) * 1000
      const customer = busyCustomer(options, next)
      const state = helpState(next)
      const waitMs = (5 + Math.floor(next() * 600)) * 1000
      const session: Record<string, unknown> = {
        onlineHelpId: int64Id(options.seed, 1, k),
        customerId: customerId(customer),
      }
      if (state !== 'onlinehelp_requested' && state !== 'onlinehelp_cancelled_by_customer') {
        const agent = staffFor(options, customer, next)
        session['agentId'] = staffId(agent)
        if (agent === 0 && customer === 0) pairTimes.push(requestedAt)
      }
      session['state'] = state
      session['requestedAt'] = istanbulTime(requestedAt)
      if (state === 'onlinehelp_cancelled_by_customer')
        session['endedAt'] = istanbulTime(requestedAt + waitMs)
      else if (state !== 'onlinehelp_requested') {
        session['startedAt'] = istanbulTime(requestedAt + waitMs)
        if (state !== 'onlinehelp_started') {
          session['endedAt'] = istanbulTime(requestedAt + waitMs + (60 + Math.floor(next() * 2_400)) * 1000)
        }
      }
      file.record(JSON.stringify(session))
    }
  })
  return pairTimes
}

/**
 * Writes every kind's file but `bots.json` (`staff.json`, `customers.json`, `groups.json`,
 * `conversations.json`, `calls.json`, `online-help.json`) and `manifest.json` into `dir`.
 */
export function writeFixtures(dir: string, input: GeneratorOptions): Manifest {
  const options = resolved(input)
  mkdirSync(dir, { recursive: true })
  const file = (kind: keyof typeof FIXTURE_KINDS) => join(dir, FIXTURE_KINDS[kind].file)
  writeArray(file('staff'), (out) => {
    for (let i = 0; i < options.staff; i++) {
      out.record(JSON.stringify({ staffId: staffId(i), name: name(i), appName: 'Diyalog Kurumsal' }))
    }
  })
  writeArray(file('customers'), (out) => {
    for (let i = 0; i < options.customers; i++) {
      out.record(JSON.stringify({ customerId: customerId(i), name: name(i + 7), userType: 5 }))
    }
  })
  const groups = generateGroups(options)
  writeArray(file('groups'), (out) => {
    for (const group of groups) {
      out.record(
        JSON.stringify({
          groupId: group.groupId,
          name: group.name,
          staffIds: group.staff.map(staffId),
          customerIds: group.customers.map(customerId),
        }),
      )
    }
  })
  const followed: Followed = { staff: new RowCounter(), customer: new RowCounter() }
  const firstTimes = writeConversations(file('conversations'), options, groups, followed)
  const callTimes = writeCalls(file('calls'), options)
  const sessionTimes = writeSessions(file('onlineHelp'), options)

  const size = Math.min(SAMPLE_WINDOW_SIZE, firstTimes.length)
  const from = Math.max(0, Math.floor((firstTimes.length - size) / 2))
  const sample: SampleWindow = {
    staffId: staffId(0),
    customerId: customerId(0),
    startDate: firstTimes[from] ?? START,
    endDate: firstTimes[from + size - 1] ?? START,
    messages: size,
    pairMessages: firstTimes.length,
  }
  const items = (inWindow: number) => Math.min(inWindow, LIST_SAMPLE_SIZE)
  const calls = middleWindow(callTimes, LIST_SAMPLE_SIZE)
  const sessions = middleWindow(sessionTimes, LIST_SAMPLE_SIZE)
  const staffRows = followed.staff.window(LIST_SAMPLE_SIZE)
  const customerRows = followed.customer.window(LIST_SAMPLE_SIZE)
  const page = { pageNumber: 1, pageSize: LIST_SAMPLE_SIZE } as const
  const samples: ListSamples = {
    calls: {
      body: { startDate: calls.startDate, endDate: calls.endDate, callType: 'all', ...pairIds },
      inWindow: calls.inWindow,
      items: items(calls.inWindow),
      total: callTimes.length,
    },
    onlineHelp: {
      body: {
        startDate: sessions.startDate,
        endDate: sessions.endDate,
        customerId: customerId(0),
        agentId: staffId(0),
      },
      inWindow: sessions.inWindow,
      items: items(sessions.inWindow),
      total: sessionTimes.length,
    },
    staffMessaging: {
      body: { startDate: staffRows.startDate, endDate: staffRows.endDate, staffId: staffId(0), ...page },
      inWindow: staffRows.inWindow,
      items: items(staffRows.inWindow),
      total: staffRows.total,
    },
    customerMessaging: {
      body: {
        startDate: customerRows.startDate,
        endDate: customerRows.endDate,
        customerId: customerId(0),
        ...page,
      },
      inWindow: customerRows.inWindow,
      items: items(customerRows.inWindow),
      total: customerRows.total,
    },
  }
  const manifest: Manifest = {
    version: MANIFEST_VERSION,
    options,
    counts: {
      staff: options.staff,
      customers: options.customers,
      groups: options.groups,
      messages: options.messages,
      calls: options.calls,
      onlineHelpSessions: options.sessions,
      // Bots are left out: the built-in demo bot and `DLG_BOTS` serve a generated world.
      bots: 0,
    },
    sample,
    samples,
  }
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}
