import { AUTH_ERRORS, type AuthFailureReason } from '../auth/auth-errors.js'
import { mediaType } from '../http/json-body.js'
import type { ConformanceCase, Verdict } from './case.js'
import type { HttpResponse } from './http.js'

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

/** The request authenticated: HTTP 200 (what the body says is another case's business). */
export const accepted: Expectation = {
  expected: '200 (authenticated)',
  check: (answers) => {
    const answer = first(answers)
    return answer.status === 200 ? PASS : fail(describeAnswer(answer))
  },
}

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
  try {
    const url = new URL(link)
    if (url.protocol === 'http:' || url.protocol === 'https:') return url
  } catch {
    // Reported below.
  }
  return `conversationDetailLink ${JSON.stringify(excerpt(link))} is not an http(s) URL`
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
