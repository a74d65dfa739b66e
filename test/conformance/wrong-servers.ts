import { AUTH_ERRORS } from '../../src/auth/auth-errors.js'
import { formatDlgDate } from '../../src/auth/dlg-date.js'
import { DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { computeSignature } from '../../src/auth/string-to-sign.js'
import type { HttpRequest, HttpResponse, Transport } from '../../src/conformance/http.js'
import { testApp } from '../helpers/app.js'
import { injectTransport } from '../helpers/conformance.js'

/**
 * Deliberately wrong servers: the mock with one rule of the contract broken, either by its
 * own settings or by a layer that rewrites a request before the mock reads it, or an answer
 * after it wrote it. Each names the MUST cases it must make fail and the decisions it must
 * make differ; every other case must still pass (or be the same).
 */

export interface WrongServer {
  readonly name: string
  readonly breaks: readonly string[]
  readonly differs: readonly string[]
  readonly env?: Record<string, string>
  /** Rewrites the request, or answers it itself. */
  readonly request?: (request: HttpRequest) => HttpRequest | HttpResponse
  readonly response?: (response: HttpResponse, request: HttpRequest) => HttpResponse
}

function header(request: HttpRequest, name: string): string | undefined {
  const entry = Object.entries(request.headers).find(([key]) => key.toLowerCase() === name)
  return entry?.[1]
}

function withHeaders(request: HttpRequest, headers: Record<string, string>): HttpRequest {
  const kept = Object.fromEntries(
    Object.entries(request.headers).filter(([key]) => !(key.toLowerCase() in headers)),
  )
  return { ...request, headers: { ...kept, ...headers } }
}

function text(status: number, body: string): HttpResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body }
}

const isError = (response: HttpResponse, reason: keyof typeof AUTH_ERRORS) =>
  response.status === AUTH_ERRORS[reason].status && response.body === AUTH_ERRORS[reason].message

/**
 * A date parser that refuses more than the mock's: where the mock got past the header and
 * authorization checks, a date `refused` answers "date not valid" instead.
 */
function refuseDates(refused: (date: string) => boolean) {
  return (response: HttpResponse, request: HttpRequest): HttpResponse => {
    const date = header(request, 'x-dlg-date')
    return date !== undefined &&
      refused(date) &&
      !isError(response, 'missing-headers') &&
      !isError(response, 'malformed-authorization')
      ? { ...response, status: 400, body: AUTH_ERRORS['malformed-date'].message }
      : response
  }
}

const path = (request: HttpRequest) => new URL(request.url).pathname

/** The window of the `empty-window` cases starts before 2001. */
const isEmptyWindow = (request: HttpRequest) => /"startDate":9\d{11}\b/.test(request.body ?? '')

export const WRONG_SERVERS: readonly WrongServer[] = [
  {
    name: 'skew window of 30 minutes',
    env: { DLG_MAX_SKEW_SECONDS: '1800' },
    breaks: ['auth.skew-outside-past', 'auth.skew-outside-future'],
    differs: ['auth.D6.skew-before-signature', 'auth.D6.skew-before-key'],
  },
  {
    name: 'skew window of 10 minutes',
    env: { DLG_MAX_SKEW_SECONDS: '600' },
    breaks: ['auth.skew-inside-past', 'auth.skew-inside-future'],
    differs: [],
  },
  {
    name: 'skew message without its full stop',
    response: (response) =>
      isError(response, 'clock-skew') ? text(403, 'Request time may not be correct') : response,
    breaks: ['auth.skew-outside-past', 'auth.skew-outside-future'],
    differs: ['auth.D6.skew-before-signature', 'auth.D6.skew-before-key'],
  },
  {
    name: 'reads the HTTP Date header instead of x-dlg-date',
    request: (request) => {
      const date = header(request, 'date')
      return date === undefined ? request : withHeaders(request, { 'x-dlg-date': date })
    },
    breaks: ['auth.accept-x-dlg-date-not-date'],
    differs: [],
  },
  {
    name: 'signs a re-serialised body',
    request: (request) => {
      try {
        return { ...request, body: JSON.stringify(JSON.parse(request.body ?? '')) }
      } catch {
        return request
      }
    },
    breaks: ['auth.accept-body-as-sent', 'auth.accept-body-crlf'],
    differs: [],
  },
  {
    name: 'wrong status for a malformed authorization (401)',
    response: (response) =>
      isError(response, 'malformed-authorization') ? { ...response, status: 401 } : response,
    breaks: ['auth.format-other-scheme', 'auth.format-no-space', 'auth.format-no-colon'],
    differs: ['auth.D6.format-before-date'],
  },
  {
    name: 'takes a missing x-dlg-date as the time of arrival',
    request: (request) =>
      header(request, 'x-dlg-date') !== undefined || request.method !== 'POST'
        ? request
        : withHeaders(request, { 'x-dlg-date': formatDlgDate(Date.UTC(2021, 2, 9, 13, 28, 32)) }),
    breaks: ['auth.missing-date'],
    differs: [],
  },
  {
    name: 'x-dlg-requester-userid is optional',
    request: (request) =>
      header(request, 'x-dlg-requester-userid') !== undefined || request.method !== 'POST'
        ? request
        : withHeaders(request, { 'x-dlg-requester-userid': 'anonymous' }),
    breaks: ['auth.missing-requester-userid'],
    differs: ['auth.D6.missing-before-format'],
  },
  {
    name: 'a missing authorization answers 401',
    response: (response, request) =>
      header(request, 'x-dlg-authorization') === undefined && isError(response, 'missing-headers')
        ? { ...response, status: 401, body: AUTH_ERRORS['signature-mismatch'].message }
        : response,
    breaks: ['auth.missing-authorization', 'auth.missing-all'],
    differs: ['auth.D2.short-header-names'],
  },
  {
    name: 'does not check the date format (the signature check refuses instead)',
    response: (response) =>
      isError(response, 'malformed-date') ? text(401, AUTH_ERRORS['signature-mismatch'].message) : response,
    breaks: ['auth.date-iso-8601', 'auth.date-epoch', 'auth.date-rfc-850', 'auth.date-asctime'],
    differs: ['auth.D5.turkish-names', 'auth.D6.date-before-signature'],
  },
  {
    name: 'does not check the signature of a known key',
    request: (request) => {
      const authorization = header(request, 'x-dlg-authorization') ?? ''
      const prefix = `DLGA ${DEMO_ACCESS_KEY.keyId}:`
      if (!authorization.startsWith(prefix)) return request
      const signature = computeSignature(DEMO_ACCESS_KEY.secret, {
        method: request.method,
        contentType: header(request, 'content-type') ?? '',
        date: header(request, 'x-dlg-date') ?? '',
        body: request.body ?? '',
        resource: path(request),
      })
      return withHeaders(request, { 'x-dlg-authorization': `${prefix}${signature}` })
    },
    breaks: ['auth.signature-wrong'],
    differs: ['auth.D3.newline-before-resource', 'auth.D4.hmac-sha1', 'auth.D7.plain-text'],
  },
  {
    name: 'tells an unknown key apart (403)',
    response: (response, request) =>
      (header(request, 'x-dlg-authorization') ?? '').includes('conformance-unknown-key') &&
      response.status === 401
        ? text(403, 'Unknown AccessKeyId')
        : response,
    breaks: ['auth.signature-unknown-key'],
    differs: [],
  },
  {
    name: 'accepts GMT dates only',
    response: refuseDates((date) => /[+-]\d{4}$/.test(date)),
    breaks: ['auth.accept-numeric-offset'],
    differs: [],
  },
  {
    name: "reads only Java's pattern: GMT or +hhmm, nothing else",
    response: refuseDates((date) => !/( GMT| [+-]\d{4})$/.test(date)),
    breaks: [],
    differs: ['auth.D5.zone-utc', 'auth.D5.zone-gmt-hh-mm', 'auth.D5.no-zone'],
  },
  {
    name: 'refuses GMT dates (wants a numeric offset)',
    response: refuseDates((date) => / GMT$/.test(date)),
    // Nearly every case sends a GMT date: all that expect another answer than "date not valid" fail.
    breaks: [
      'auth.skew-inside-past',
      'auth.skew-inside-future',
      'auth.skew-outside-past',
      'auth.skew-outside-future',
      'auth.signature-wrong',
      'auth.signature-unknown-key',
      'auth.accept-gmt',
      'auth.accept-body-as-sent',
      'auth.accept-body-crlf',
      'auth.accept-content-type-charset',
      'auth.accept-x-dlg-date-not-date',
      'getmessagingdetail.success',
      'getmessagingdetail.unknown-staff',
      'getmessagingdetail.empty-window',
      'links.open',
      'links.empty-window',
    ],
    differs: [
      'auth.D3.newline-before-resource',
      'auth.D4.hmac-sha1',
      'auth.D6.skew-before-signature',
      'auth.D6.skew-before-key',
      'auth.D7.plain-text',
      'getmessagingdetail.D8.not-json',
      'getmessagingdetail.D8.missing-field',
      'getmessagingdetail.D8.wrong-type',
      'getmessagingdetail.D9.unknown-customer',
      'getmessagingdetail.D10.reversed-window',
      'links.tampered',
    ],
  },
  {
    name: 'signs the Content-Type without its parameters',
    request: (request) => {
      const type = header(request, 'content-type') ?? ''
      return withHeaders(request, { 'content-type': type.split(';')[0] ?? '' })
    },
    breaks: ['auth.accept-content-type-charset'],
    differs: [],
  },
  {
    name: 'isSuccess as a string',
    response: (response) => ({
      ...response,
      body: response.body.replace('"isSuccess":true', '"isSuccess":"true"'),
    }),
    breaks: [
      'getmessagingdetail.success',
      'getmessagingdetail.empty-window',
      'links.open',
      'links.empty-window',
    ],
    differs: ['links.tampered'],
  },
  {
    name: 'another text for an unknown staff member',
    response: (response) => ({
      ...response,
      body: response.body.replace('Staff not found in the system', 'Staff not found'),
    }),
    breaks: ['getmessagingdetail.unknown-staff'],
    differs: [],
  },
  {
    name: 'no link for a window without messages',
    request: (request) =>
      isEmptyWindow(request) && path(request) === '/v1/reporting/getmessagingdetail'
        ? {
            status: 200,
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: '{"conversationDetailLink":"","error":"No messages in the window","isSuccess":false}',
          }
        : request,
    breaks: ['getmessagingdetail.empty-window', 'links.empty-window'],
    differs: [],
  },
  {
    name: 'a link that does not open',
    request: (request) => (request.method === 'GET' ? text(404, 'Not found') : request),
    breaks: ['links.open', 'links.empty-window'],
    differs: ['links.tampered'],
  },
  {
    name: 'errors as JSON (the message still the documented one)',
    response: (response) =>
      response.status >= 400 && (response.headers['content-type'] ?? '').startsWith('text/plain')
        ? {
            ...response,
            headers: { ...response.headers, 'content-type': 'application/json' },
            body: JSON.stringify({ message: response.body }),
          }
        : response,
    breaks: [],
    differs: [
      'auth.D7.plain-text',
      'getmessagingdetail.D8.not-json',
      'getmessagingdetail.D8.missing-field',
      'getmessagingdetail.D8.wrong-type',
    ],
  },
  {
    name: 'success answers carry "error": null (as Java serialisers write it)',
    response: (response) => ({
      ...response,
      body: response.body.replace('"isSuccess":true}', '"isSuccess":true,"error":null}'),
    }),
    breaks: [],
    differs: [],
  },
  {
    name: "links of a single-page app, the parameters in the fragment (the real server's shape)",
    request: (request) =>
      request.method === 'GET' && path(request) === '/views.html'
        ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><div id=app></div>' }
        : request,
    response: (response) => ({
      ...response,
      body: response.body.replace('/views/messaging?', '/views.html#/messaging?'),
    }),
    // The fragment is never sent: any shell opens, a changed fragment too.
    breaks: [],
    differs: ['links.tampered'],
  },
  {
    name: 'short header names accepted (DLG_HEADER_ALIASES)',
    env: { DLG_HEADER_ALIASES: 'true' },
    breaks: [],
    differs: ['auth.D2.short-header-names'],
  },
  {
    name: 'newline before the resource accepted (DLG_LENIENT_NEWLINE)',
    env: { DLG_LENIENT_NEWLINE: 'true' },
    breaks: [],
    differs: ['auth.D3.newline-before-resource'],
  },
  {
    name: 'unknown customer and reversed window answered with a link',
    request: (request) => {
      const window = /"startDate":(\d+),"endDate":(\d+)/.exec(request.body ?? '')
      const reversed = window !== null && Number(window[1]) > Number(window[2])
      return reversed || (request.body ?? '').includes('conformance-no-such-customer')
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: '{"conversationDetailLink":"http://mock.test/views/x","isSuccess":true}',
          }
        : request
    },
    breaks: [],
    differs: ['getmessagingdetail.D9.unknown-customer', 'getmessagingdetail.D10.reversed-window'],
  },
]

/** A wrong server as a transport: the mock (pinned clock, test keys) behind the rewriting layer. */
export function wrongServer(server: WrongServer): Transport {
  const { app } = testApp(server.env === undefined ? {} : { env: server.env })
  const inner = injectTransport(app)
  return async (request) => {
    const rewritten = server.request?.(request) ?? request
    if ('status' in rewritten) return rewritten
    const response = await inner(rewritten)
    return server.response?.(response, rewritten) ?? response
  }
}
