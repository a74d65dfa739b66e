import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { FIXTURE_KINDS } from './fixture-kinds.js'

/**
 * A deterministic fixture generator for load tests and the scale benchmark: the same options
 * and seed always give the same files, byte for byte. Customers are spread over the staff
 * round-robin, one conversation per customer; the messages are shared out evenly over the
 * conversations and spread over 2020–2021 in time order. Conversations are written one at a
 * time, so a million messages never sit in memory as one string.
 */

export interface GeneratorOptions {
  readonly staff: number
  readonly customers: number
  readonly messages: number
  readonly seed: number
}

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

export interface Manifest {
  readonly options: GeneratorOptions
  readonly counts: { readonly staff: number; readonly customers: number; readonly messages: number }
  readonly sample: SampleWindow
}

export const MANIFEST_FILE = 'manifest.json'
export const SAMPLE_WINDOW_SIZE = 50

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
const ATTACHMENTS = [
  ['file', 'pdf', 'application/pdf'],
  ['image', 'jpg', 'image/jpeg'],
  ['audio', 'm4a', 'audio/mp4'],
  ['video', 'mp4', 'video/mp4'],
] as const

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

export const staffId = (index: number) => String(40_000 + index)
export const customerId = (index: number) => String(1_000_000 + index)

function name(index: number): string {
  return `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`
}

/** `2021-03-09T16:28:32+03:00`: RFC 3339 in Istanbul time. */
function istanbulTime(epochMs: number): string {
  return `${new Date(epochMs + ISTANBUL_MS).toISOString().slice(0, 19)}+03:00`
}

/** Messages of conversation `index`: how many it gets of the total. */
function messagesOf(options: GeneratorOptions, index: number): number {
  const base = Math.floor(options.messages / options.customers)
  return base + (index < options.messages % options.customers ? 1 : 0)
}

function conversation(options: GeneratorOptions, index: number) {
  const next = random(options.seed * 1_000_003 + index)
  const count = messagesOf(options, index)
  const step = SPAN / Math.max(count, 1)
  const messages: Record<string, unknown>[] = []
  const times: number[] = []
  for (let m = 0; m < count; m++) {
    // Strictly increasing whole seconds: a jitter inside each message's own slot.
    const time = START + Math.floor(((m + next() * 0.9) * step) / 1000) * 1000
    const message: Record<string, unknown> = {
      id: `m-${m + 1}`,
      sentAt: istanbulTime(time),
      from: next() < 0.5 ? 'customer' : 'staff',
    }
    // One message in 25 is an attachment.
    if (next() < 0.96) message['text'] = `${TEXTS[Math.floor(next() * TEXTS.length)]} (#${m + 1})`
    else {
      const [type, extension, mimeType] = ATTACHMENTS[m % ATTACHMENTS.length] ?? ATTACHMENTS[0]
      message['attachment'] = {
        type,
        name: `belge-${index + 1}-${m + 1}.${extension}`,
        sizeBytes: 1024 + Math.floor(next() * 5_000_000),
        mimeType,
      }
    }
    messages.push(message)
    times.push(time)
  }
  return {
    record: { staffId: staffId(index % options.staff), customerId: customerId(index), messages },
    times,
  }
}

function checked(options: GeneratorOptions): GeneratorOptions {
  const whole = (value: number, min: number, max: number, field: string) => {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new RangeError(`${field} must be a whole number from ${min} to ${max} (got ${value})`)
    }
  }
  whole(options.staff, 1, 100_000, 'staff')
  whole(options.customers, 1, 1_000_000, 'customers')
  whole(options.messages, 0, 50_000_000, 'messages')
  whole(options.seed, 0, 2 ** 32 - 1, 'seed')
  return options
}

/** Writes `staff.json`, `customers.json`, `conversations.json` and `manifest.json` into `dir`. */
export function writeFixtures(dir: string, input: GeneratorOptions): Manifest {
  const options = checked(input)
  mkdirSync(dir, { recursive: true })
  const people = (count: number, record: (index: number) => unknown) =>
    `[\n${Array.from({ length: count }, (_, i) => JSON.stringify(record(i))).join(',\n')}\n]\n`
  writeFileSync(
    join(dir, FIXTURE_KINDS.staff.file),
    people(options.staff, (i) => ({ staffId: staffId(i), name: name(i), appName: 'Diyalog Kurumsal' })),
  )
  writeFileSync(
    join(dir, FIXTURE_KINDS.customers.file),
    people(options.customers, (i) => ({ customerId: customerId(i), name: name(i + 7), userType: 5 })),
  )
  let sample: SampleWindow | undefined
  const fd = openSync(join(dir, FIXTURE_KINDS.conversations.file), 'w')
  try {
    writeSync(fd, '[\n')
    for (let i = 0; i < options.customers; i++) {
      const { record, times } = conversation(options, i)
      writeSync(fd, `${i === 0 ? '' : ',\n'}${JSON.stringify(record)}`)
      if (i === 0) {
        const size = Math.min(SAMPLE_WINDOW_SIZE, times.length)
        const from = Math.max(0, Math.floor((times.length - size) / 2))
        sample = {
          staffId: record.staffId,
          customerId: record.customerId,
          startDate: times[from] ?? START,
          endDate: times[from + size - 1] ?? START,
          messages: size,
          pairMessages: times.length,
        }
      }
    }
    writeSync(fd, '\n]\n')
  } finally {
    closeSync(fd)
  }
  const manifest: Manifest = {
    options,
    counts: { staff: options.staff, customers: options.customers, messages: options.messages },
    sample: sample as SampleWindow,
  }
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}
