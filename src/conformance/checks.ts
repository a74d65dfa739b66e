import { AUTH_ERRORS, type AuthFailureReason } from '../auth/auth-errors.js'
import { mediaType } from '../http/json-body.js'
import { idleRequest, type ConformanceCase, type RequestContext, type Verdict } from './case.js'
import type { HttpRequest, HttpResponse } from './http.js'

/**
 * The expectations cases are made of: each gives the one-line `expected` text and the `check`
 * that judges the answers, so a case reads as data.
 */

export type Expectation = Pick<ConformanceCase, 'expected' | 'check'>

const PASS: Verdict = { ok: true }

/** Cuts a piece of an answer for a report line. */
export function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

/**
 * Cuts the query and fragment of every URL in a text: a conversation link is a capability to
 * read a conversation (on a real server, a real customer's), so reports never carry one whole.
 */
export function cutLinks(text: string): string {
  return text.replaceAll('\\/', '/').replace(/(https?:\/\/[^\s"'<>?#]*)[?#][^\s"'<>]*/g, '$1?…')
}

/** A `Location` value, absolute or relative, without its query and fragment. */
export function cutLocation(value: string): string {
  const cut = value.search(/[?#]/)
  return cut < 0 ? value : `${value.slice(0, cut)}?…`
}

/** One line about an answer: status, body excerpt, and the mock's own diagnosis when it gave one. */
export function describeAnswer(answer: HttpResponse): string {
  const text = excerpt(cutLinks(answer.body))
  const body = answer.body === '' ? '(empty body)' : /^[[{]/.test(text) ? text : JSON.stringify(text)
  const reason = answer.headers['x-dlg-mock-reason']
  const detail = answer.headers['x-dlg-mock-detail']
  const mock = reason === undefined ? '' : ` [mock: ${reason}${detail === undefined ? '' : ` — ${detail}`}]`
  return `${answer.status} ${body}${mock}`
}

function fail(problem: string): Verdict {
  return { ok: false, problem }
}

function first(answers: readonly HttpResponse[]): HttpResponse {
  const answer = answers[0]
  if (answer === undefined) throw new Error('a check ran without an answer')
  return answer
}

/** The media type of an answer, lower case, without parameters. */
export function answerType(answer: HttpResponse): string {
  return mediaType(answer.headers['content-type'] ?? '')
}

/**
 * The message an error answer carries: the plain-text body, or — so that a server which wraps
 * it in JSON is judged on the message, not the wrapping (that is D7's question) — the string
 * under `message`, `error` or `errorMessage`.
 */
export function carriedMessage(answer: HttpResponse): string {
  const text = answer.body.trim()
  if (!text.startsWith('{')) return text
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>
    for (const key of ['message', 'error', 'errorMessage']) {
      if (typeof parsed[key] === 'string') return parsed[key]
    }
  } catch {
    // Not JSON after all: the text is the message.
  }
  return text
}

/** A row of the error table: its status and its message (docs/contract.md §2). */
export function authError(reason: AuthFailureReason): Expectation {
  const { status, message } = AUTH_ERRORS[reason]
  return {
    expected: `${status} "${message}"`,
    check: (answers) => {
      const answer = first(answers)
      if (answer.status !== status) return fail(describeAnswer(answer))
      const carried = carriedMessage(answer)
      return carried === message ? PASS : fail(`message ${JSON.stringify(excerpt(carried))}`)
    },
  }
}

/** D7: the error as `text/plain; charset=utf-8`, the body exactly the message. */
export function plainTextAuthError(reason: AuthFailureReason): Expectation {
  const { status, message } = AUTH_ERRORS[reason]
  return {
    expected: `${status}, Content-Type text/plain; charset=utf-8, body exactly "${message}"`,
    check: (answers) => {
      const answer = first(answers)
      const type = answer.headers['content-type'] ?? '(none)'
      if (answer.status !== status || answer.body !== message) return fail(describeAnswer(answer))
      return /^text\/plain;\s*charset=utf-8$/i.test(type) ? PASS : fail(`Content-Type ${type}`)
    },
  }
}

/** The first answer's status is `status`, whatever its body. */
function statusIs(status: number, expected: string): Expectation {
  return {
    expected,
    check: (answers) => {
      const answer = first(answers)
      return answer.status === status ? PASS : fail(describeAnswer(answer))
    },
  }
}

/** The request authenticated: HTTP 200 (what the body says is another case's business). */
export const accepted: Expectation = statusIs(200, '200 (authenticated)')

/** A JSON object from a 200 answer with `Content-Type: application/json`, or what is wrong. */
export function jsonObject(answer: HttpResponse): Record<string, unknown> | string {
  if (answer.status !== 200) return describeAnswer(answer)
  if (answerType(answer) !== 'application/json') {
    return `Content-Type ${answer.headers['content-type'] ?? '(none)'}, not application/json`
  }
  try {
    const parsed: unknown = JSON.parse(answer.body)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>
    }
  } catch {
    // Reported below.
  }
  return `the body is not a JSON object: ${JSON.stringify(excerpt(answer.body))}`
}

/** `{ isSuccess: false, conversationDetailLink: "", error }` (docs/contract.md §3), `error` judged by `message`. */
export function refusal(
  expected: string,
  message: (error: string) => boolean,
  describe: string,
): Expectation {
  return {
    expected,
    check: (answers) => {
      const body = jsonObject(first(answers))
      if (typeof body === 'string') return fail(body)
      if (body['isSuccess'] !== false) return fail(`isSuccess is ${JSON.stringify(body['isSuccess'])}`)
      if (body['conversationDetailLink'] !== '') {
        return fail(`conversationDetailLink is ${JSON.stringify(body['conversationDetailLink'])}, not ""`)
      }
      const error = body['error']
      if (typeof error !== 'string') return fail(`error is ${JSON.stringify(error)}, not a string`)
      return message(error) ? PASS : fail(`error ${JSON.stringify(error)} ${describe}`)
    },
  }
}

/** The link a successful getmessagingdetail answer carries, or why there is none. */
export function linkOf(answer: HttpResponse): URL | string {
  const body = jsonObject(answer)
  if (typeof body === 'string') return body
  if (body['isSuccess'] !== true) return `isSuccess is ${JSON.stringify(body['isSuccess'])}, not true`
  const link = body['conversationDetailLink']
  if (typeof link !== 'string' || link === '') {
    return `conversationDetailLink is ${JSON.stringify(link)}, not a link`
  }
  return httpLink(link) ?? `conversationDetailLink ${JSON.stringify(excerpt(link))} is not an http(s) URL`
}

/** The link opened as a page: 200 and `Content-Type: text/html`. */
export function pageOpens(answer: HttpResponse | undefined): Verdict {
  if (answer === undefined) return fail('the link was not opened')
  if (answer.status !== 200) return fail(`the link answered ${describeAnswer(answer)}`)
  return answerType(answer) === 'text/html'
    ? PASS
    : fail(`the link answered Content-Type ${answer.headers['content-type'] ?? '(none)'}, not text/html`)
}

export { fail, first, PASS }

// ---------------------------------------------------------------------------------------------
// Lists (docs/contract.md §4): their answers read with numbers exact, item shapes as data, and the
// expectations the four list endpoints share.

/**
 * A JSON number as the server wrote it. `callId` and `onlineHelpId` are Java longs beyond 2^53
 * (D18), which `JSON.parse` would round: lists are read with `parseExact`, which keeps the literal.
 */
export class NumberLiteral {
  constructor(readonly text: string) {}
  /** The value as a double (exact for times, counts and ids within 2^53). */
  get value(): number {
    return Number(this.text)
  }
  toJSON(): string {
    return this.text
  }
}

const WHITESPACE = /[ \t\n\r]*/y
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
const MAX_DEPTH = 64

/**
 * JSON text parsed as `JSON.parse` would, except that every number is a `NumberLiteral` and
 * objects have no prototype (so a `__proto__` key is a key). Throws a `SyntaxError`.
 */
export function parseExact(text: string): unknown {
  let at = 0
  const error = (what: string): never => {
    throw new SyntaxError(`${what} at position ${at}`)
  }
  const skip = () => {
    WHITESPACE.lastIndex = at
    WHITESPACE.exec(text)
    at = WHITESPACE.lastIndex
  }
  const token = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at
    const match = pattern.exec(text)
    if (match === null) return undefined
    at = pattern.lastIndex
    return match[0]
  }
  const string = (): string => JSON.parse(token(STRING) ?? error('a bad string')) as string
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) error('nested too deep')
    skip()
    const next = text[at]
    if (next === '"') return string()
    if (next === '{' || next === '[') {
      at++
      const close = next === '{' ? '}' : ']'
      const object: Record<string, unknown> = Object.create(null) as Record<string, unknown>
      const array: unknown[] = []
      skip()
      if (text[at] === close) return (at++, next === '{' ? object : array)
      for (;;) {
        if (next === '{') {
          skip()
          if (text[at] !== '"') error('a key expected')
          const key = string()
          skip()
          if (text[at++] !== ':') error('":" expected')
          object[key] = value(depth + 1)
        } else {
          array.push(value(depth + 1))
        }
        skip()
        const separator = text[at++]
        if (separator === close) return next === '{' ? object : array
        if (separator !== ',') error(`"," or "${close}" expected`)
      }
    }
    for (const [word, literal] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) return ((at += word.length), literal)
    }
    const number = token(NUMBER)
    return number === undefined ? error('a value expected') : new NumberLiteral(number)
  }
  const parsed = value(0)
  skip()
  if (at !== text.length) error('text after the value')
  return parsed
}

/** A JSON value as a report line shows it: a number as written, anything else as JSON. */
export function shown(value: unknown): string {
  if (value === undefined) return 'absent'
  if (value instanceof NumberLiteral) return value.text
  return excerpt(JSON.stringify(value) ?? String(value), 60)
}

export type ListItem = Readonly<Record<string, unknown>>

/** The items of a 200 `application/json` answer holding an array of objects, or what is wrong. */
export function jsonItems(answer: HttpResponse | undefined): readonly ListItem[] | string {
  if (answer === undefined) return 'no answer'
  if (answer.status !== 200) return describeAnswer(answer)
  if (answerType(answer) !== 'application/json') {
    return `Content-Type ${answer.headers['content-type'] ?? '(none)'}, not application/json`
  }
  let parsed: unknown
  try {
    parsed = parseExact(answer.body)
  } catch (error) {
    return `the body is not JSON (${(error as Error).message}): ${JSON.stringify(excerpt(answer.body))}`
  }
  if (!Array.isArray(parsed)) return `the body is not a JSON array: ${JSON.stringify(excerpt(answer.body))}`
  const index = parsed.findIndex(
    (item) =>
      typeof item !== 'object' || item === null || Array.isArray(item) || item instanceof NumberLiteral,
  )
  return index < 0 ? (parsed as ListItem[]) : `item ${index + 1} is ${shown(parsed[index])}, not an object`
}

const INTEGER_LITERAL = /^-?(?:0|[1-9][0-9]*)$/
const INT_RANGE = [-(2n ** 31n), 2n ** 31n - 1n] as const
const LONG_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const

/** An integer literal within `range`, as a bigint, or undefined. */
function integerOf(value: unknown, range: readonly [bigint, bigint]): bigint | undefined {
  if (!(value instanceof NumberLiteral) || !INTEGER_LITERAL.test(value.text)) return undefined
  const integer = BigInt(value.text)
  return integer >= range[0] && integer <= range[1] ? integer : undefined
}

/** A JSON value that is an integer literal of a Java `long`, as a bigint. */
export const longOf = (value: unknown) => integerOf(value, LONG_RANGE)

/**
 * The JSON type of a documented field: `string`, `boolean`, `int` (a Java int: an integer literal
 * of 32 bits), `long` (an integer literal of 64 bits, never `1.5e18` or a string), or an enum of
 * strings.
 */
export type FieldType = 'string' | 'boolean' | 'int' | 'long' | readonly string[]

export interface FieldSpec {
  readonly type: FieldType
  /** Marked "Opsiyoneldir" (or absent in some states): it may be left out. */
  readonly optional?: boolean
}

/** An item's documented fields in the documentation's order; fields beyond them are allowed. */
export type ItemSpec = Readonly<Record<string, FieldType | FieldSpec>>

export const optional = (type: FieldType): FieldSpec => ({ type, optional: true })

const isFieldSpec = (entry: FieldType | FieldSpec): entry is FieldSpec =>
  typeof entry === 'object' && 'type' in entry

function typeProblem(value: unknown, type: FieldType): string | undefined {
  const is =
    typeof type !== 'string'
      ? typeof value === 'string' && type.includes(value)
      : type === 'int'
        ? integerOf(value, INT_RANGE) !== undefined
        : type === 'long'
          ? integerOf(value, LONG_RANGE) !== undefined
          : typeof value === type
  if (is) return undefined
  const wanted =
    typeof type !== 'string'
      ? `one of ${type.map((v) => JSON.stringify(v)).join(', ')}`
      : type === 'int' || type === 'long'
        ? `an integer (${type})`
        : `a ${type}`
  return `is ${shown(value)}, not ${wanted}`
}

/** The first way `item` differs from `spec`: a required field missing, or a field of another type. */
export function itemProblem(item: ListItem, spec: ItemSpec): string | undefined {
  for (const [field, entry] of Object.entries(spec)) {
    const { type, optional: canBeAbsent = false } = isFieldSpec(entry) ? entry : { type: entry }
    const value = item[field]
    // An optional field written `null` (as Java serialisers do by default) counts as absent.
    if (value === undefined || (canBeAbsent && value === null)) {
      if (!canBeAbsent) return `${field} is missing`
      continue
    }
    const problem = typeProblem(value, type)
    if (problem !== undefined) return `${field} ${problem}`
  }
  return undefined
}

/** A rule about one item: undefined when it holds, else what is wrong. */
export type ItemRule = (item: ListItem) => string | undefined

const NOT_APPLICABLE = (reason: string): Verdict => ({ ok: true, notApplicable: reason })

/** Judges every item of a list answer; an empty list is not applicable (nothing to judge). */
function eachItem(answer: HttpResponse | undefined, rules: readonly ItemRule[]): Verdict {
  const items = jsonItems(answer)
  if (typeof items === 'string') return fail(items)
  if (items.length === 0) return NOT_APPLICABLE('the list is empty: no item to judge')
  for (const [index, item] of items.entries()) {
    for (const rule of rules) {
      const problem = rule(item)
      if (problem !== undefined) return fail(`item ${index + 1} of ${items.length}: ${problem}`)
    }
  }
  return PASS
}

/** 200, a JSON array, every item of the documented shape and obeying `rules`. */
export function listOf(what: string, spec: ItemSpec, rules: readonly ItemRule[] = []): Expectation {
  return {
    expected: `200 JSON array of ${what}, each with the documented fields and JSON types`,
    check: (answers) => eachItem(answers[0], [(item) => itemProblem(item, spec), ...rules]),
  }
}

/** 200, a JSON array whose every item obeys `rule` (a filter honoured). */
export function everyItem(expected: string, rule: ItemRule): Expectation {
  return { expected: `200 JSON array, ${expected}`, check: (answers) => eachItem(answers[0], [rule]) }
}

/** A field's value as a number, for order and count checks; NaN when it is no number. */
export function numberOf(value: unknown): number {
  return value instanceof NumberLiteral ? value.value : Number.NaN
}

/** At most `cap` items, `field` (a time) never increasing: newest first. */
export function newestFirst(field: string, cap: number): Expectation {
  return {
    expected: `200 JSON array of at most ${cap} items, ${field} never increasing (newest first)`,
    check: (answers) => {
      const items = jsonItems(answers[0])
      if (typeof items === 'string') return fail(items)
      if (items.length > cap) return fail(`${items.length} items, more than ${cap}`)
      for (let i = 1; i < items.length; i++) {
        const [before, after] = [numberOf(items[i - 1]?.[field]), numberOf(items[i]?.[field])]
        if (!(before >= after)) {
          return fail(
            `item ${i + 1}'s ${field} ${shown(items[i]?.[field])} is after item ${i}'s ${shown(items[i - 1]?.[field])}`,
          )
        }
      }
      if (items.length < 2)
        return NOT_APPLICABLE(`${items.length} item(s): no order to judge, the cap not reached`)
      return items.length < cap
        ? NOT_APPLICABLE(`${items.length} items: the cap of ${cap} not reached`)
        : PASS
    },
  }
}

/** 200 `[]`. */
export const emptyList: Expectation = {
  expected: '200 JSON []',
  check: (answers) => {
    const items = jsonItems(answers[0])
    if (typeof items === 'string') return fail(items)
    return items.length === 0 ? PASS : fail(`${items.length} items, not []`)
  },
}

/** The API's failure: HTTP 500 ("API hata aldığında HTTP 500", the message as text). */
export const apiFailure: Expectation = statusIs(500, "500 (the API's error, its message as text)")

/** D8: HTTP 500, `text/plain`, a message (naming `word` when given). */
export function plainTextFailure(word?: string): Expectation {
  return {
    expected: `500, text/plain, a message${word === undefined ? '' : ` naming ${word}`}`,
    check: (answers) => {
      const answer = first(answers)
      if (answer.status !== 500 || answerType(answer) !== 'text/plain' || answer.body.trim() === '') {
        return fail(describeAnswer(answer))
      }
      return word === undefined || answer.body.includes(word)
        ? PASS
        : fail(`the message does not name ${word}: ${describeAnswer(answer)}`)
    },
  }
}

/** An http(s) URL, or undefined. */
export function httpLink(value: unknown): URL | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined
  } catch {
    return undefined
  }
}

export { NOT_APPLICABLE as notApplicable }

/** The item whose `field` holds an http(s) link — the first, or the one `choose` picks of those. */
export function itemWithLink(
  answer: HttpResponse | undefined,
  field: string,
  choose: (items: readonly ListItem[]) => ListItem | undefined = (items) => items[0],
): { readonly item: ListItem; readonly url: URL } | undefined {
  const items = jsonItems(answer)
  if (typeof items === 'string') return undefined
  const item = choose(items.filter((candidate) => httpLink(candidate[field]) !== undefined))
  const url = item === undefined ? undefined : httpLink(item[field])
  return item === undefined || url === undefined ? undefined : { item, url }
}

/** A link of a list item opened (the second answer): 200. No such link: not applicable. */
export function linkOpens(field: string, what: string): Expectation {
  return {
    expected: `200 JSON array; GET <${field}> of ${what} → 200`,
    check: (answers) => {
      const items = jsonItems(answers[0])
      if (typeof items === 'string') return fail(items)
      if (!items.some((item) => httpLink(item[field]) !== undefined)) {
        return NOT_APPLICABLE(`no item carries a ${field} link: nothing to open`)
      }
      const page = answers[1]
      if (page === undefined) return fail('the link was not opened')
      return page.status === 200 ? PASS : fail(`the link answered ${describeAnswer(page)}`)
    },
  }
}

/**
 * The follow-up that opens an item's link as a browser would (`accept`, no credentials); when
 * the answer has no such link, the idle request (the check then says not applicable).
 */
export function openItemLink(
  field: string,
  accept: string,
  choose?: (items: readonly ListItem[]) => ListItem | undefined,
): (answer: HttpResponse, context: RequestContext) => HttpRequest {
  return (answer, context) => {
    const link = itemWithLink(answer, field, choose)
    return link === undefined
      ? idleRequest(context.target)
      : { method: 'GET', url: link.url.href, headers: { Accept: accept } }
  }
}

/**
 * A window wide enough to hold whatever a server has, for the order and cap checks: from
 * 2010-01-01 (before Diyalog) to 2100-01-01 (a fixed end: the mock's clock may be pinned years
 * back, its fixtures later).
 */
export const WIDE_WINDOW = { startDate: 1262304000000, endDate: 4102444800000 } as const
