import { AUTH_ERRORS } from '../../src/auth/auth-errors.js'
import { formatDlgDate } from '../../src/auth/dlg-date.js'
import { DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { computeSignature } from '../../src/auth/string-to-sign.js'
import type { HttpRequest, HttpResponse, Transport } from '../../src/conformance/http.js'
import { GET_CALL_LIST } from '../../src/routes/reporting/getcalllist.js'
import { GET_CUSTOMER_MESSAGING_LIST } from '../../src/routes/reporting/getcustomermessaginglist.js'
import { GET_ONLINE_HELP_LIST } from '../../src/routes/reporting/getonlinehelplist.js'
import { GET_STAFF_MESSAGING_LIST } from '../../src/routes/reporting/getstaffmessaginglist.js'
import { fullPath } from '../../src/routes/signed-route.js'
import { loadFixturesDir } from '../../src/store/fixture-loader.js'
import { createStore, type Store } from '../../src/store/store.js'
import { testApp, testConfig } from '../helpers/app.js'
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
  /** Its own data (default: the default fixtures' store, built once for every test). */
  readonly store?: () => Promise<Store>
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

// ---------------------------------------------------------------------------------------------
// The Reporting lists: a layer that rewrites a list request signs what it forwards again (it sits
// in front of the server's own check), and one that rewrites a list answer works on its raw text,
// so 64-bit ids stay exact unless the server under test is the one rounding them.

const CALLS = fullPath(GET_CALL_LIST)
const SESSIONS = fullPath(GET_ONLINE_HELP_LIST)
const MESSAGING = [fullPath(GET_STAFF_MESSAGING_LIST), fullPath(GET_CUSTOMER_MESSAGING_LIST)]
const LISTS = [CALLS, SESSIONS, ...MESSAGING]

const isList = (request: HttpRequest, paths: readonly string[] = LISTS) =>
  request.method === 'POST' && paths.includes(path(request))

/** A list request's body, changed, as the layer forwards it: signed again with the demo key. */
function rewriteBody(
  request: HttpRequest,
  change: (body: Record<string, unknown>) => Record<string, unknown>,
): HttpRequest {
  const body = JSON.stringify(change(JSON.parse(request.body ?? '{}') as Record<string, unknown>))
  const signature = computeSignature(DEMO_ACCESS_KEY.secret, {
    method: request.method,
    contentType: header(request, 'content-type') ?? '',
    date: header(request, 'x-dlg-date') ?? '',
    body,
    resource: path(request),
  })
  return {
    ...withHeaders(request, { 'x-dlg-authorization': `DLGA ${DEMO_ACCESS_KEY.keyId}:${signature}` }),
    body,
  }
}

/** The raw text of each item of a JSON array, or undefined when the text is not an array. */
function rawItems(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined
  const items: string[] = []
  let depth = 0
  let start = 1
  let inString = false
  for (let i = 1; i < text.length; i++) {
    const char = text[i]
    if (inString) {
      if (char === '\\') i++
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '{' || char === '[') depth++
    else if ((char === '}' || char === ']') && depth > 0) depth--
    else if ((char === ',' || char === ']') && depth === 0) {
      const item = text.slice(start, i).trim()
      if (item !== '') items.push(item)
      start = i + 1
    }
  }
  return items
}

/** A list answer with its items rearranged (`change` gets and returns raw item texts). */
function changeItems(change: (items: string[]) => string[]) {
  return (response: HttpResponse, request: HttpRequest): HttpResponse => {
    const items = isList(request) && response.status === 200 ? rawItems(response.body) : undefined
    return items === undefined ? response : { ...response, body: `[${change(items).join(',')}]` }
  }
}

/** A list answer's text rewritten (on list paths only). */
function changeText(paths: readonly string[], change: (body: string) => string) {
  return (response: HttpResponse, request: HttpRequest): HttpResponse =>
    isList(request, paths) ? { ...response, body: change(response.body) } : response
}

const json = (body: string): HttpResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body,
})

/** Each list's required fields (docs/contract.md §4.5). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  [CALLS]: ['startDate', 'endDate', 'callType'],
  [SESSIONS]: ['startDate', 'endDate'],
  [MESSAGING[0]!]: ['startDate', 'endDate', 'staffId', 'pageNumber', 'pageSize'],
  [MESSAGING[1]!]: ['startDate', 'endDate', 'customerId', 'pageNumber', 'pageSize'],
}

/** The window of the `empty-window` cases starts before 2001. */
const isEmptyWindow = (request: HttpRequest) => /"startDate":9\d{11}\b/.test(request.body ?? '')

const SIGNED_API_SERVERS: readonly WrongServer[] = [
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
      'getcalllist.answer',
      'getcalllist.newest-first',
      'getcalllist.missing-call-type',
      'getcalllist.video-only',
      'getcalllist.recording-opens',
      'getonlinehelplist.answer',
      'getonlinehelplist.newest-first',
      'getonlinehelplist.missing-start-date',
      'getonlinehelplist.filters',
      'getonlinehelplist.link-opens',
      'getstaffmessaginglist.answer',
      'getstaffmessaginglist.newest-first',
      'getstaffmessaginglist.missing-page-number',
      'getstaffmessaginglist.group-only',
      'getstaffmessaginglist.link-opens',
      'getcustomermessaginglist.answer',
      'getcustomermessaginglist.newest-first',
      'getcustomermessaginglist.missing-page-size',
      'getcustomermessaginglist.group-only',
      'getcustomermessaginglist.link-opens',
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
      'getcalllist.D13.boundary-again',
      'getcalllist.D17.unknown-staff',
      'getcalllist.D17.reversed-window',
      'getcalllist.D18.exact-ids',
      'getonlinehelplist.D12.both-ends-inclusive',
      'getonlinehelplist.D19.enum-and-link',
      'getonlinehelplist.D20.agent-user-id',
      'getstaffmessaginglist.D14.page-zero',
      'getstaffmessaginglist.D14.past-the-end',
      'getstaffmessaginglist.D15.utc-midnight',
      'getstaffmessaginglist.D16.count-matches-link',
      'getstaffmessaginglist.D17.unknown-staff',
      'getstaffmessaginglist.D17.reversed-window',
      'getcustomermessaginglist.D17.unknown-customer',
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
    breaks: [
      'links.open',
      'links.empty-window',
      'getcalllist.recording-opens',
      'getonlinehelplist.link-opens',
      'getstaffmessaginglist.link-opens',
      'getcustomermessaginglist.link-opens',
    ],
    differs: ['links.tampered', 'getstaffmessaginglist.D16.count-matches-link'],
  },
  {
    name: 'errors as JSON (the message still the documented one)',
    // The signed API's errors (the Messaging API's have servers of their own below).
    response: (response, request) =>
      !isBot(request) &&
      response.status >= 400 &&
      (response.headers['content-type'] ?? '').startsWith('text/plain')
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
      'getcalllist.D17.reversed-window',
      'getstaffmessaginglist.D14.page-zero',
      'getstaffmessaginglist.D17.reversed-window',
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
      return !isBot(request) && (reversed || (request.body ?? '').includes('conformance-no-such-customer'))
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: '{"conversationDetailLink":"http://mock.test/views/x","isSuccess":true}',
          }
        : request
    },
    breaks: [],
    differs: [
      'getmessagingdetail.D9.unknown-customer',
      'getmessagingdetail.D10.reversed-window',
      'getcalllist.D17.reversed-window',
      'getstaffmessaginglist.D17.reversed-window',
      'getcustomermessaginglist.D17.unknown-customer',
    ],
  },

  // The Reporting lists.
  {
    name: 'lists answered oldest first',
    response: changeItems((items) => items.reverse()),
    breaks: [
      'getcalllist.newest-first',
      'getonlinehelplist.newest-first',
      'getstaffmessaginglist.newest-first',
      'getcustomermessaginglist.newest-first',
    ],
    differs: [],
  },
  {
    name: 'lists of up to 25 items (as the first online-help page said)',
    // A full page gets five more items: copies of its oldest, so only the cap is broken.
    response: changeItems((items) =>
      items.length === 20 ? [...items, ...Array<string>(5).fill(items[19]!)] : items,
    ),
    breaks: [
      'getcalllist.newest-first',
      'getonlinehelplist.newest-first',
      'getstaffmessaginglist.newest-first',
      'getcustomermessaginglist.newest-first',
    ],
    differs: [],
  },
  {
    name: 'ignores the optional filters (callType, callUseType, agentId, isGroupMessaging)',
    request: (request) =>
      isList(request)
        ? rewriteBody(request, ({ callUseType: _use, agentId: _agent, isGroupMessaging: _group, ...body }) =>
            path(request) === CALLS && 'callType' in body ? { ...body, callType: 'all' } : body,
          )
        : request,
    breaks: [
      'getcalllist.video-only',
      'getonlinehelplist.filters',
      'getstaffmessaginglist.group-only',
      'getcustomermessaginglist.group-only',
    ],
    differs: [],
  },
  {
    name: 'callId written as a string',
    response: changeText([CALLS], (body) => body.replace(/"callId":(-?[0-9]+)/g, '"callId":"$1"')),
    breaks: ['getcalllist.answer'],
    differs: ['getcalllist.D13.boundary-again', 'getcalllist.D18.exact-ids'],
  },
  {
    name: 'callId rounded through a double (JSON.parse, then JSON.stringify)',
    response: changeText([CALLS], (body) =>
      body.replace(/"callId":(-?[0-9]+)/g, (_all, id: string) => `"callId":${String(Number(id))}`),
    ),
    breaks: [],
    differs: ['getcalllist.D18.exact-ids'],
  },
  {
    name: 'a list without a required field answered 200 []',
    request: (request) => {
      if (!isList(request)) return request
      const body = JSON.parse(request.body ?? '{}') as Record<string, unknown>
      return (REQUIRED[path(request)] ?? []).some((field) => !(field in body)) ? json('[]') : request
    },
    breaks: [
      'getcalllist.missing-call-type',
      'getonlinehelplist.missing-start-date',
      'getstaffmessaginglist.missing-page-number',
      'getcustomermessaginglist.missing-page-size',
    ],
    differs: [],
  },
  {
    name: 'helpState as the example answer writes it ("Ended by customer")',
    response: changeText([SESSIONS], (body) =>
      body
        .replaceAll('"onlinehelp_ended_by_customer"', '"Ended by customer"')
        .replaceAll('"onlinehelp_ended_by_agent"', '"Ended by agent"'),
    ),
    breaks: ['getonlinehelplist.answer'],
    differs: ['getonlinehelplist.D19.enum-and-link'],
  },
  {
    name: 'messaging rows: groupId null on private rows',
    response: changeText(MESSAGING, (body) => body.replaceAll('"groupId":0,', '"groupId":null,')),
    breaks: ['getstaffmessaginglist.answer', 'getcustomermessaginglist.answer'],
    differs: [],
  },
  {
    name: 'messaging days cut at 00:00 Istanbul time (DLG_MESSAGING_DAY_ZONE)',
    env: { DLG_MESSAGING_DAY_ZONE: 'Europe/Istanbul' },
    // The test app's default store was cut in UTC: this server builds its own, as the server does.
    store: async () =>
      createStore(await loadFixturesDir(testConfig().fixturesDir), { messagingDayZone: 'Europe/Istanbul' }),
    breaks: [],
    differs: ['getstaffmessaginglist.D15.utc-midnight'],
  },
  {
    name: 'pageNumber counted from 0',
    request: (request) =>
      isList(request, MESSAGING)
        ? rewriteBody(request, (body) =>
            typeof body['pageNumber'] === 'number' ? { ...body, pageNumber: body['pageNumber'] + 1 } : body,
          )
        : request,
    breaks: [],
    differs: ['getstaffmessaginglist.D14.page-zero'],
  },
  {
    name: 'a page past the end answers 500',
    request: (request) =>
      isList(request, MESSAGING) && /"pageNumber":[0-9]{4,}/.test(request.body ?? '')
        ? text(500, 'pageNumber is past the last page')
        : request,
    breaks: [],
    differs: ['getstaffmessaginglist.D14.past-the-end'],
  },
  {
    name: 'endDate exclusive (the boundary item does not come again)',
    request: (request) =>
      isList(request, [CALLS, SESSIONS])
        ? rewriteBody(request, (body) =>
            typeof body['endDate'] === 'number' ? { ...body, endDate: body['endDate'] - 1 } : body,
          )
        : request,
    breaks: [],
    differs: ['getcalllist.D13.boundary-again', 'getonlinehelplist.D12.both-ends-inclusive'],
  },
  {
    name: "startDate exclusive (an item at the window's first millisecond is left out)",
    // A window of one millisecond then holds nothing; a reversed one is still refused.
    request: (request) => {
      if (!isList(request, [CALLS, SESSIONS])) return request
      const { startDate, endDate } = JSON.parse(request.body ?? '{}') as Record<string, unknown>
      if (typeof startDate !== 'number') return request
      return startDate === endDate
        ? json('[]')
        : rewriteBody(request, (body) => ({ ...body, startDate: startDate + 1 }))
    },
    breaks: [],
    differs: ['getonlinehelplist.D12.both-ends-inclusive'],
  },
  {
    name: 'sendMessageCount off by a few (the documentation allows up to 10)',
    response: changeText(MESSAGING, (body) =>
      body.replace(
        /"sendMessageCount":([0-9]+)/g,
        (_all, count: string) => `"sendMessageCount":${Number(count) + 3}`,
      ),
    ),
    breaks: [],
    differs: ['getstaffmessaginglist.D16.count-matches-link'],
  },
  {
    name: 'agentUserId read as agentId (an alias)',
    request: (request) =>
      isList(request, [SESSIONS]) && (request.body ?? '').includes('"agentUserId"')
        ? rewriteBody(request, ({ agentUserId, ...body }) => ({ ...body, agentId: agentUserId }))
        : request,
    breaks: [],
    differs: ['getonlinehelplist.D20.agent-user-id'],
  },
  {
    name: 'unknown ids in a list answered 500 "Staff not found in the system"',
    request: (request) =>
      isList(request) && /conformance-no-such-(staff|customer)/.test(request.body ?? '')
        ? text(500, 'Staff not found in the system')
        : request,
    breaks: [],
    differs: [
      'getcalllist.D17.unknown-staff',
      'getstaffmessaginglist.D17.unknown-staff',
      'getcustomermessaginglist.D17.unknown-customer',
    ],
  },
]

// ---------------------------------------------------------------------------------------------
// The Messaging API (no signature: a layer rewrites its bodies freely).

const isBot = (request: HttpRequest, api?: 'sendmessage' | 'sendmok') =>
  path(request).startsWith(`/v1/bots/${api ?? ''}`)

/** A Messaging API answer of `status`, rewritten by `change`. */
function botAnswer(status: number, change: (response: HttpResponse) => HttpResponse) {
  return (response: HttpResponse, request: HttpRequest): HttpResponse =>
    isBot(request) && response.status === status ? change(response) : response
}

function rewriteBotBody(
  request: HttpRequest,
  change: (body: Record<string, unknown>) => Record<string, unknown>,
) {
  try {
    return {
      ...request,
      body: JSON.stringify(change(JSON.parse(request.body ?? '') as Record<string, unknown>)),
    }
  } catch {
    return request
  }
}

const MESSAGING_SERVERS: readonly WrongServer[] = [
  {
    name: 'a wrong bot token answered 401 (not the documented 503)',
    response: botAnswer(503, (response) => ({ ...response, status: 401 })),
    breaks: ['bots.wrong-token', 'bots.sendmok-wrong-token'],
    differs: [],
  },
  {
    name: 'malformed bodies answered 500 (not the documented 400)',
    response: botAnswer(400, (response) =>
      response.body.startsWith('The request content was malformed') ? { ...response, status: 500 } : response,
    ),
    breaks: ['bots.malformed-json', 'bots.quick-replies-required'],
    differs: ['bots.D23-v1-names', 'bots.D24-two-recipients', 'bots.D24-two-kinds'],
  },
  {
    name: 'quickReplies and quickRepliesV2 optional, v1 quick_replies read as quickReplies',
    request: (request) =>
      isBot(request, 'sendmessage')
        ? rewriteBotBody(request, (body) => {
            const message = body['message'] as Record<string, unknown> | undefined
            if (message === undefined || typeof message !== 'object') return body
            const { quick_replies: v1, ...rest } = message
            return {
              ...body,
              message: { quickReplies: v1 ?? [], quickRepliesV2: [], ...rest },
            }
          })
        : request,
    breaks: ['bots.quick-replies-required'],
    differs: ['bots.D23-v1-names'],
  },
  {
    name: 'the first recipient id and the first content kind taken, the others ignored',
    request: (request) =>
      isBot(request, 'sendmessage')
        ? rewriteBotBody(request, (body) => {
            const recipient = body['recipient'] as Record<string, unknown>
            const message = body['message'] as Record<string, unknown>
            const [first] = Object.entries(recipient)
            const { document: _ignored, ...text } = message
            return {
              ...body,
              recipient: first === undefined ? {} : Object.fromEntries([first]),
              message: 'text' in message ? text : message,
            }
          })
        : request,
    breaks: [],
    differs: ['bots.D24-two-recipients', 'bots.D24-two-kinds'],
  },
  {
    name: '"recipient" spelled right (the documented text says "recepient")',
    response: botAnswer(500, (response) => ({
      ...response,
      body: response.body.replace('recepient', 'recipient'),
    })),
    breaks: ['bots.unknown-recipient'],
    differs: [],
  },
  {
    name: 'a message_id of its own, not the messageId sent',
    response: botAnswer(200, (response) => ({
      ...response,
      body: response.body.replace(/"message_id":"[^"]*"/, '"message_id":"-7523925115459309081"'),
    })),
    breaks: ['bots.send-text', 'bots.sendmok'],
    differs: [],
  },
  {
    name: 'document errors as malformed requests (not the documented texts)',
    response: botAnswer(400, (response) =>
      response.body.startsWith('File data')
        ? { ...response, body: 'The request content was malformed: document.fileData' }
        : response,
    ),
    breaks: ['bots.document-empty', 'bots.document-not-base64'],
    differs: [],
  },
]

/** Every wrong server: the signed API's, then the Messaging API's. */
export const WRONG_SERVERS: readonly WrongServer[] = [...SIGNED_API_SERVERS, ...MESSAGING_SERVERS]

/** A wrong server as a transport: the mock (pinned clock, test keys) behind the rewriting layer. */
export function wrongServer(server: WrongServer): Transport {
  const build = async () => {
    const store = await server.store?.()
    const { app } = testApp({
      ...(server.env === undefined ? {} : { env: server.env }),
      ...(store === undefined ? {} : { store }),
    })
    return injectTransport(app)
  }
  let inner: Promise<Transport> | undefined
  return async (request) => {
    const rewritten = server.request?.(request) ?? request
    if ('status' in rewritten) return rewritten
    inner ??= build()
    const response = await (await inner)(rewritten)
    return server.response?.(response, rewritten) ?? response
  }
}
