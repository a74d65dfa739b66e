import { createHash, createHmac, type KeyObject } from 'node:crypto'
import { sameSignature } from './constant-time.js'
import { UNLIMITED_BUDGET, type DiagnosisBudget } from './diagnosis-budget.js'
import { jsonShape } from '../json-shape.js'
import { parseDlgDate } from './dlg-date.js'
import {
  stringToSignHead,
  stringToSignTail,
  type StringToSignLayout,
  type StringToSignParts,
} from './string-to-sign.js'

/**
 * The common ways a client signs wrongly, recognised by recomputing each with the client's
 * own key: the variants the documentation invites (D3, D4) and the ones HTTP libraries and
 * habits produce. Runs only after a signature failed, so a valid request never pays for it, and
 * within a budget (`searchMistakes`), so a wrong one never costs much.
 * The answer stays `401 Authorization failed`; a match is reported by name and in words,
 * never with a signature.
 */
export type SignatureMistake =
  /** D3: the worked example's newline between body and resource. */
  | 'newline-before-resource'
  /** D4: the 28-character example signature is an HMAC-SHA1. */
  | 'hmac-sha1'
  /** The digest hex-encoded instead of base64. */
  | 'hex-digest'
  /** The digest in base64url (`-`, `_`, no padding) instead of base64. */
  | 'base64url-digest'
  | 'lowercase-method'
  /** `localhost:3000/v1/…` as the resource. */
  | 'host-in-resource'
  /** `http://localhost:3000/v1/…` as the resource. */
  | 'url-in-resource'
  | 'query-dropped'
  /** Signed one Content-Type, sent another (e.g. `; charset=utf-8` added by the HTTP library). */
  | 'content-type-differs'
  /** Signed the body serialised one way, sent it serialised another. */
  | 'body-reserialised'
  | 'newlines-converted'
  | 'empty-body-signed'
  /** Signed another date than the `x-dlg-date` header's. */
  | 'different-date'
  /** Signed with a secret of the key id that was retired (`DLG_RETIRED_ACCESS_KEYS`). */
  | 'retired-secret'

export interface RecognisedMistake {
  /** One mistake, or two when a digest mistake and another come together. */
  readonly mistakes: readonly SignatureMistake[]
  /** What the client did, in words, e.g. `signed the method as "post", sent "POST"`. */
  readonly explanation: string
}

export interface MistakeSearch {
  /** The key id's current secrets; the signature matched none of them as sent. */
  readonly secrets: readonly KeyObject[]
  readonly retiredSecrets: readonly KeyObject[]
  /** The request as received. */
  readonly parts: StringToSignParts
  /** The `Host` header, for the host and full-URL variants. */
  readonly host?: string | undefined
  /** The HTTP `Date` header, which some clients sign instead of `x-dlg-date`. */
  readonly httpDate?: string | undefined
}

/**
 * A search must stay cheap whatever the body (docs/reliability.md, "Signature diagnosis"): the
 * body is rewritten only up to `BODY_VARIANT_LIMIT` bytes, and re-serialised only when its shape
 * keeps every form small (`RESERIALISE`: indented forms of a deep or many-valued body grow with
 * depth × values); one search hashes at most `MAX_HASHED_BYTES`, and the variants that would not
 * fit are left untried.
 */
export const BODY_VARIANT_LIMIT = 16 * 1024
export const MAX_HASHED_BYTES = 1024 * 1024
/** The API's bodies hold a handful of values, two levels deep; these are far above that. */
const RESERIALISE = { maxDepth: 32, maxTokens: 1024, maxIndentedBytes: 64 * 1024 } as const

interface Variant {
  readonly mistake?: SignatureMistake
  readonly explanation: string
  readonly parts: StringToSignParts
  readonly layout: StringToSignLayout
}

interface Encoding {
  readonly mistakes: readonly SignatureMistake[]
  readonly explanation: string
  readonly algorithm: 'sha256' | 'sha1'
  readonly output: 'base64' | 'hex' | 'base64url'
  /** Hex digests compare case-insensitively. */
  readonly caseInsensitive?: boolean
}

/** The digest a signature of this shape can be (base64 HMAC-SHA256 is the right one), if any. */
function encodingFor(received: string): Encoding | undefined {
  if (/^[A-Za-z0-9+/]{43}=$/.test(received)) {
    return { mistakes: [], explanation: '', algorithm: 'sha256', output: 'base64' }
  }
  if (/^[A-Za-z0-9+/]{27}=$/.test(received)) {
    return {
      mistakes: ['hmac-sha1'],
      explanation: 'HMAC-SHA1 instead of HMAC-SHA256',
      algorithm: 'sha1',
      output: 'base64',
    }
  }
  if (/^[0-9a-fA-F]{64}$/.test(received)) {
    return {
      mistakes: ['hex-digest'],
      explanation: 'a hex digest instead of base64',
      algorithm: 'sha256',
      output: 'hex',
      caseInsensitive: true,
    }
  }
  if (/^[0-9a-fA-F]{40}$/.test(received)) {
    return {
      mistakes: ['hmac-sha1', 'hex-digest'],
      explanation: 'HMAC-SHA1 instead of HMAC-SHA256, hex instead of base64',
      algorithm: 'sha1',
      output: 'hex',
      caseInsensitive: true,
    }
  }
  if (/^[A-Za-z0-9_-]{43}$/.test(received)) {
    return {
      mistakes: ['base64url-digest'],
      explanation: 'base64url instead of base64',
      algorithm: 'sha256',
      output: 'base64url',
    }
  }
  return undefined
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text)
}

function withParts(parts: StringToSignParts, change: Partial<StringToSignParts>): StringToSignParts {
  return { ...parts, ...change }
}

/** Python's `json.dumps` with its default separators (`, ` and `: `), optionally ASCII-only. */
function pythonJson(value: unknown, asciiOnly: boolean): string {
  if (Array.isArray(value)) return `[${value.map((item) => pythonJson(item, asciiOnly)).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([k, v]) => `${pythonJson(k, asciiOnly)}: ${pythonJson(v, asciiOnly)}`,
    )
    return `{${entries.join(', ')}}`
  }
  const text = JSON.stringify(value)
  return asciiOnly
    ? text.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : text
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
    )
  }
  return value
}

/** Whether re-serialising the body costs little: each indented line is at most depth × 4 spaces long. */
function worthReserialising(text: string): boolean {
  const shape = jsonShape(Buffer.from(text), RESERIALISE.maxDepth)
  return (
    shape.depth <= RESERIALISE.maxDepth &&
    shape.tokens <= RESERIALISE.maxTokens &&
    text.length + shape.tokens * (2 + shape.depth * 4) <= RESERIALISE.maxIndentedBytes
  )
}

function bodyVariants(parts: StringToSignParts): Variant[] {
  const variants: Variant[] = []
  if (parts.body.length === 0) return variants
  variants.push({
    mistake: 'empty-body-signed',
    explanation: 'signed an empty body, sent one',
    parts: withParts(parts, { body: '' }),
    layout: 'canonical',
  })
  if (parts.body.length > BODY_VARIANT_LIMIT) return variants
  const sent = typeof parts.body === 'string' ? parts.body : Buffer.from(parts.body).toString('utf8')
  const add = (mistake: SignatureMistake, body: string, how: string) => {
    if (body !== sent) {
      variants.push({ mistake, explanation: how, parts: withParts(parts, { body }), layout: 'canonical' })
    }
  }

  // Newline conversions first: a pretty body re-indented is also a re-serialisation.
  if (sent.includes('\r\n'))
    add('newlines-converted', sent.replaceAll('\r\n', '\n'), 'signed the body with \\n newlines, sent \\r\\n')
  else if (sent.includes('\n'))
    add('newlines-converted', sent.replaceAll('\n', '\r\n'), 'signed the body with \\r\\n newlines, sent \\n')
  // (A final newline signed but not sent is the same bytes as the D3 newline before the resource.)
  if (sent.endsWith('\n'))
    add('newlines-converted', sent.replace(/\r?\n$/, ''), 'signed the body without its final newline')

  if (!worthReserialising(sent)) return variants
  try {
    const json: unknown = JSON.parse(sent)
    const serialisations: [string, string][] = [
      [JSON.stringify(json), 'compact JSON'],
      [JSON.stringify(json, null, 2), 'JSON indented with 2 spaces'],
      [JSON.stringify(json, null, 4), 'JSON indented with 4 spaces'],
      [JSON.stringify(json, null, '\t'), 'JSON indented with tabs'],
      [pythonJson(json, false), 'JSON with ", " and ": " separators (Python json.dumps)'],
      [pythonJson(json, true), 'JSON with ", " and ": " separators and \\u escapes (Python json.dumps)'],
      [JSON.stringify(sortedKeys(json)), 'compact JSON with sorted keys'],
    ]
    for (const [body, how] of serialisations)
      add('body-reserialised', body, `signed the body as ${how}, sent other bytes`)
  } catch {
    // Not JSON: no re-serialisation to try.
  }
  return variants
}

/** Dates a client may have signed instead of its `x-dlg-date`: the HTTP `Date`, a few seconds off. */
function dateVariants(parts: StringToSignParts, httpDate: string | undefined): Variant[] {
  const variants: Variant[] = []
  const add = (date: string, how: string) => {
    if (date !== parts.date) {
      variants.push({
        mistake: 'different-date',
        explanation: how,
        parts: withParts(parts, { date }),
        layout: 'canonical',
      })
    }
  }
  if (httpDate !== undefined) add(httpDate, `signed the Date header ${quote(httpDate)} instead of x-dlg-date`)
  // The same format as the header, its time moved by a few seconds: shift the fields as if
  // they were GMT, and keep the header's own zone text.
  const fields = parseDlgDate(parts.date.slice(0, 25))
  if (!fields.ok) return variants
  const zone = parts.date.slice(25)
  for (const seconds of [-1, 1, -2, 2, -3, 3, -5, 5, -10, 10, -30, 30, -60, 60]) {
    const local = new Date(fields.epochMs + seconds * 1000).toUTCString().slice(0, 25)
    add(
      `${local}${zone}`,
      `signed the date ${quote(`${local}${zone}`)}, ${Math.abs(seconds)} s ${seconds < 0 ? 'before' : 'after'} the x-dlg-date header`,
    )
  }
  return variants
}

function contentTypeVariants(parts: StringToSignParts): Variant[] {
  const sent = parts.contentType
  const base = sent.replace(/;.*$/s, '').trim()
  const candidates = new Set([
    base,
    `${base}; charset=utf-8`,
    `${base}; charset=UTF-8`,
    `${base};charset=utf-8`,
    '',
  ])
  if (sent === '') candidates.add('application/json')
  candidates.delete(sent)
  return [...candidates].map((contentType) => ({
    mistake: 'content-type-differs' as const,
    explanation: `signed Content-Type ${quote(contentType)}, sent ${quote(sent)} (an HTTP library may change it after signing)`,
    parts: withParts(parts, { contentType }),
    layout: 'canonical' as const,
  }))
}

function resourceVariants(parts: StringToSignParts, host: string | undefined): Variant[] {
  const variants: Variant[] = []
  const add = (mistake: SignatureMistake, resource: string, how: string) =>
    variants.push({ mistake, explanation: how, parts: withParts(parts, { resource }), layout: 'canonical' })
  if (host !== undefined && host !== '') {
    add(
      'host-in-resource',
      `${host}${parts.resource}`,
      `signed the resource with the host: ${quote(`${host}${parts.resource}`)}`,
    )
    for (const scheme of ['http', 'https']) {
      const url = `${scheme}://${host}${parts.resource}`
      add(
        'url-in-resource',
        url,
        `signed the full URL ${quote(url)} as the resource instead of ${quote(parts.resource)}`,
      )
    }
  }
  const query = parts.resource.indexOf('?')
  if (query >= 0) {
    add(
      'query-dropped',
      parts.resource.slice(0, query),
      `signed the resource without its query string ${quote(parts.resource.slice(query))}`,
    )
  }
  return variants
}

/** Every variant of the string-to-sign worth trying, the request as sent first. */
function variantsOf(search: MistakeSearch): Variant[] {
  const { parts } = search
  const method = parts.method.toLowerCase()
  return [
    { explanation: '', parts, layout: 'canonical' },
    {
      mistake: 'newline-before-resource',
      explanation:
        "put a newline between body and resource (the docs' worked example; the pseudo-code has none)",
      parts,
      layout: 'newline-before-resource',
    },
    ...(method === parts.method
      ? []
      : [
          {
            mistake: 'lowercase-method' as const,
            explanation: `signed the method as ${quote(method)}, sent ${quote(parts.method)}`,
            parts: withParts(parts, { method }),
            layout: 'canonical' as const,
          },
        ]),
    ...resourceVariants(parts, search.host),
    ...contentTypeVariants(parts),
    ...dateVariants(parts, search.httpDate),
    ...bodyVariants(parts),
  ]
}

/** What a search found, and how much of it was done. */
export interface MistakeSearchResult {
  readonly found?: RecognisedMistake
  /** Variants (times secrets) not tried: they would have hashed more than `MAX_HASHED_BYTES`. */
  readonly untried: number
  /** Every variant tried would have been this many. */
  readonly total: number
  /** The search did not run: the process had spent its diagnosis budget for this second. */
  readonly skipped?: boolean
}

/** Variants that differ only after the body share one pass over head and body. */
interface Group {
  readonly head: Buffer
  readonly body: Buffer
  readonly tails: { readonly variant: Variant; readonly tail: Buffer }[]
}

function groupsOf(variants: readonly Variant[]): Group[] {
  const groups = new Map<string | Uint8Array, Map<string, Group>>()
  const ordered: Group[] = []
  for (const variant of variants) {
    const { parts } = variant
    let byHead = groups.get(parts.body)
    if (byHead === undefined) groups.set(parts.body, (byHead = new Map()))
    const head = stringToSignHead(parts)
    let group = byHead.get(head)
    if (group === undefined) {
      const body =
        typeof parts.body === 'string'
          ? Buffer.from(parts.body)
          : Buffer.from(parts.body.buffer, parts.body.byteOffset, parts.body.byteLength)
      group = { head: Buffer.from(head), body, tails: [] }
      byHead.set(head, group)
      ordered.push(group)
    }
    group.tails.push({ variant, tail: Buffer.from(stringToSignTail(parts, variant.layout)) })
  }
  return ordered
}

const BLOCK = 64

/**
 * HMAC (RFC 2104) split at the end of the body: the inner hash over head and body is computed
 * once and copied for each tail. SHA-1 and SHA-256 both have 64-byte blocks.
 */
function hmacOverTails(key: KeyObject, encoding: Encoding, group: Group): string[] {
  if (group.tails.length === 1) {
    const { tail } = group.tails[0] as Group['tails'][number]
    return [
      createHmac(encoding.algorithm, key)
        .update(group.head)
        .update(group.body)
        .update(tail)
        .digest(encoding.output),
    ]
  }
  let secret = key.export()
  if (secret.length > BLOCK) secret = createHash(encoding.algorithm).update(secret).digest()
  const inner = Buffer.alloc(BLOCK, 0x36)
  const outer = Buffer.alloc(BLOCK, 0x5c)
  for (let i = 0; i < secret.length; i++) {
    inner[i] = (inner[i] as number) ^ (secret[i] as number)
    outer[i] = (outer[i] as number) ^ (secret[i] as number)
  }
  const prefix = createHash(encoding.algorithm).update(inner).update(group.head).update(group.body)
  return group.tails.map(({ tail }) =>
    createHash(encoding.algorithm)
      .update(outer)
      .update(prefix.copy().update(tail).digest())
      .digest(encoding.output),
  )
}

/**
 * Tries each variant with each secret (current, then retired) and the digest the signature's
 * shape allows, within `MAX_HASHED_BYTES`, and returns the first that matches what the client
 * sent. A search runs only when `budget` allows one, and what it costs is charged to it.
 */
export function searchMistakes(
  search: MistakeSearch,
  received: string,
  budget: DiagnosisBudget,
): MistakeSearchResult {
  const encoding = encodingFor(received)
  if (encoding === undefined) return { untried: 0, total: 0 }
  const keySets: [readonly KeyObject[], SignatureMistake | undefined][] = [
    [search.secrets, undefined],
    [search.retiredSecrets, 'retired-secret'],
  ]
  const keyCount = search.secrets.length + search.retiredSecrets.length
  if (!budget.available()) return { untried: 0, total: 0, skipped: true }
  const started = budget.now()
  try {
    const groups = groupsOf(variantsOf(search))
    const total = groups.reduce((sum, group) => sum + group.tails.length, 0) * keyCount
    let hashed = 0
    let untried = 0
    const candidate = encoding.caseInsensitive ? received.toLowerCase() : received
    for (const group of groups) {
      const cost =
        (group.head.length +
          group.body.length +
          group.tails.reduce((sum, { tail }) => sum + tail.length, 0)) *
        keyCount
      if (hashed + cost > MAX_HASHED_BYTES) {
        untried += group.tails.length * keyCount
        continue
      }
      hashed += cost
      for (const [keys, keyMistake] of keySets) {
        for (const key of keys) {
          const digests = hmacOverTails(key, encoding, group)
          for (let i = 0; i < digests.length; i++) {
            const { variant } = group.tails[i] as Group['tails'][number]
            const mistakes = [
              ...encoding.mistakes,
              ...(variant.mistake === undefined ? [] : [variant.mistake]),
              ...(keyMistake === undefined ? [] : [keyMistake]),
            ]
            // The request as sent, with a current secret and the right digest, already failed.
            if (mistakes.length === 0) continue
            if (sameSignature(candidate, digests[i] as string)) {
              const words = [
                encoding.explanation && `signed with ${encoding.explanation}`,
                variant.explanation,
                keyMistake && 'signed with a retired secret of this key id',
              ].filter(Boolean)
              return { found: { mistakes, explanation: words.join('; ') }, untried, total }
            }
          }
        }
      }
    }
    return { untried, total }
  } finally {
    budget.spend(budget.now() - started)
  }
}

/** `searchMistakes` without a budget: what the signature turned out to be, if anything. */
export function recogniseMistake(search: MistakeSearch, received: string): RecognisedMistake | undefined {
  return searchMistakes(search, received, UNLIMITED_BUDGET).found
}
