import { createHmac } from 'node:crypto'
import type { Static, TObject } from 'typebox'
import { formatDlgDate } from '../auth/dlg-date.js'
import type { Credentials } from '../auth/signer.js'
import { computeSignature, stringToSign, type StringToSignLayout } from '../auth/string-to-sign.js'
import { GET_MESSAGING_DETAIL, GET_MESSAGING_DETAIL_EXAMPLE } from '../routes/reporting/getmessagingdetail.js'
import { botPath, type BotRoute } from '../routes/bot-route.js'
import { exampleBodyOf, fullPath, type SignedRoute } from '../routes/signed-route.js'
import type { HttpRequest, HttpResponse } from './http.js'

/**
 * What a conformance case is: data (id, level, the rule's source, a description, what is
 * expected) plus two small functions — the request it sends and the check of the answer.
 * Cases live per endpoint in `cases/`; the runner knows nothing of any of them.
 */

/** MUST: the documentation states it. DECISION: docs/contract.md §7 (or §5) chose it for the mock. */
export type Level = 'MUST' | 'DECISION'

/** The server under test and the identities the requests use. */
export interface Target {
  /** `http://localhost:3000`, without a trailing slash. */
  readonly baseUrl: string
  readonly credentials: Credentials
  readonly requesterUserId: string
  /** A staff member and a customer who exchanged messages in the documentation's example window. */
  readonly staffId: string
  readonly customerId: string
  /** Ids the server does not know, for the "not found" cases. */
  readonly unknownStaffId: string
  readonly unknownCustomerId: string
  /** The Messaging API's bot access token (a secret: reports never show it). */
  readonly botToken: string
  /** A customer the bot may write to: the recipient of the cases that send (`--send-messages`). */
  readonly botCustomerId: string
  /** Whether the cases that send a real message run (`--send-messages`); otherwise they are not applicable. */
  readonly sendMessages: boolean
}

/** The contract's names of the signed headers. */
export type SignedHeader = 'Content-Type' | 'x-dlg-date' | 'x-dlg-requester-userid' | 'x-dlg-authorization'

/** An entry of the signed API's table, as a request needs it: its path and its body schema's example. */
export type RouteEntry = Pick<SignedRoute, 'path' | 'body'>

/** Fields set over a route's example body, in place; a field set to `undefined` is left out. */
export type BodyFields = Readonly<Record<string, unknown>>

export interface SignedRequestOptions {
  /** The endpoint, from the signed API's table: the path is `fullPath(route)`. Default: getmessagingdetail. */
  readonly route?: RouteEntry
  /**
   * A string is sent and signed as is. Fields are set over the route's documentation example
   * (`exampleBody`). Default: that example as it is — for getmessagingdetail, with the target's pair.
   */
  readonly body?: string | BodyFields
  /** Default `application/json`. */
  readonly contentType?: string
  /** `x-dlg-date`; default: the server's current time in GMT. */
  readonly date?: string
  /** Default: the target's AccessKeyId. */
  readonly keyId?: string
  /** Signs with this secret instead of the target's. */
  readonly secret?: string
  /** D3: how body and resource are joined in the string-to-sign. */
  readonly layout?: StringToSignLayout
  /** D4: the HMAC's hash. */
  readonly hash?: 'sha256' | 'sha1'
  /** Builds the authorization value; default `DLGA <keyId>:<signature>`. */
  readonly authorization?: (keyId: string, signature: string) => string
  /** Headers left out of the request. */
  readonly omit?: readonly SignedHeader[]
  /** Other names for the signed headers (D2's short names). */
  readonly rename?: Partial<Record<SignedHeader, string>>
  /** Headers added as they are. */
  readonly extraHeaders?: Readonly<Record<string, string>>
}

export interface BotRequestOptions {
  /** The endpoint, from the Messaging API's table. */
  readonly route: Pick<BotRoute, 'path'>
  /** Sent as is; an object is sent as compact JSON. */
  readonly body: string | object
  /** Default: the target's bot token. */
  readonly token?: string
}

export interface RequestContext {
  readonly target: Target
  /** The server's current time, epoch milliseconds, as measured from its `Date` header. */
  now(): number
  /** A Reporting API request signed the documented way, with the parts `options` change. */
  signed(options?: SignedRequestOptions): HttpRequest
  /** A Messaging API request: `POST /v1/bots/<api>/<token>`, JSON, no signature (§8.3). */
  bot(options: BotRequestOptions): HttpRequest
}

export type Verdict =
  | {
      readonly ok: true
      /**
       * The rule was not put to the test: the answer held nothing it is about (no item, fewer
       * items than a cap, no link). The runner reports it `not-applicable`, neither passed nor failed.
       */
      readonly notApplicable?: string
    }
  | { readonly ok: false; readonly problem: string }

/** A second request made from the first answer (e.g. opening the link it returned). */
export interface FollowUp {
  /** What it sends, for `--explain`. */
  readonly explain: string
  /**
   * The request, or why it cannot be made from that answer. `context` is the run's: a follow-up
   * that is itself a signed request (the next page of a list) signs with it.
   */
  readonly request: (
    answer: HttpResponse,
    context?: RequestContext,
  ) => HttpRequest | { readonly problem: string }
}

export interface ConformanceCase {
  /** `<group>.<name>`, e.g. `auth.missing-date`; the group is the part before the first dot. */
  readonly id: string
  readonly level: Level
  /** The rule's source: `§2 error table`, `§3`, `D6`… */
  readonly ref: string
  readonly description: string
  /** What a conforming server answers (MUST), or what the mock answers (DECISION). */
  readonly expected: string
  readonly request: (context: RequestContext) => HttpRequest
  readonly followUp?: FollowUp
  /** Its verdict depends on where the server's clock is (the skew cases). */
  readonly clockSensitive?: boolean
  /**
   * A conforming server would send a real message to `botCustomerId`: the case runs only with
   * `--send-messages`, and is otherwise reported not applicable without a request.
   */
  readonly sendsMessage?: true
  /** Judges the answers: one per request sent. */
  readonly check: (answers: readonly HttpResponse[]) => Verdict
}

/** The seed endpoint's path, from the signed API's table. */
export const MESSAGING_PATH = fullPath(GET_MESSAGING_DETAIL)
/** The documentation's example window (docs/contract.md §3), from the route schema's example. */
export const EXAMPLE_WINDOW = {
  startDate: GET_MESSAGING_DETAIL_EXAMPLE.startDate,
  endDate: GET_MESSAGING_DETAIL_EXAMPLE.endDate,
} as const

export function groupOf(testCase: Pick<ConformanceCase, 'id'>): string {
  return testCase.id.split('.', 1)[0] ?? testCase.id
}

/**
 * The documentation's example body of a table entry (its body schema's first `examples` entry)
 * as a client sends it — compact JSON, the example's field order — with `fields` set in place
 * (new ones last; one set to `undefined` left out).
 */
export function exampleBody(route: RouteEntry, fields: BodyFields = {}): string {
  return JSON.stringify({ ...exampleOf(route), ...fields })
}

/** The documentation's example body of a table entry (a test refuses an entry without one). */
export function exampleOf<Body extends TObject>(
  route: Pick<SignedRoute<Body>, 'path' | 'body'>,
): Static<Body> {
  const example = exampleBodyOf(route)
  if (example === undefined) throw new Error(`${fullPath(route)} has no example body in its schema`)
  return example
}

/** A signed POST to `route`: its documentation example with `fields` set over it (`exampleBody`). */
export function signedPost(route: RouteEntry) {
  return (fields: BodyFields = {}) =>
    (context: RequestContext): HttpRequest =>
      context.signed({ route, body: fields })
}

/**
 * The ids a request to `route` takes from the target by default: getmessagingdetail's example is
 * the target's pair (`--staff`, `--customer`); the lists keep their own examples' ids, for which
 * the documentation's example windows hold data in the mock's default fixtures.
 */
function targetFields(route: RouteEntry, target: Target): BodyFields {
  return route.path === GET_MESSAGING_DETAIL.path
    ? { staffId: target.staffId, customerId: target.customerId }
    : {}
}

/** A getmessagingdetail body in the documentation's field order, compact, for the target's pair. */
export function messagingBody(
  target: Target,
  fields: Partial<Record<'staffId' | 'customerId', string> & Record<'startDate' | 'endDate', number>> = {},
): string {
  return exampleBody(GET_MESSAGING_DETAIL, { ...targetFields(GET_MESSAGING_DETAIL, target), ...fields })
}

/**
 * The request a follow-up sends when the first answer leaves it nothing to do (a list without a
 * link to open, or without an item to page from). The runner sends whatever a follow-up returns
 * and fails one that returns a problem, so such a case sends this instead — the runner's clock
 * probe: unsigned, it is refused before any data is read — and its check reports the rule not
 * applicable. (A runner with a "skipped" outcome would send nothing.)
 */
export function idleRequest(target: Target): HttpRequest {
  return {
    method: 'POST',
    url: `${target.baseUrl}${MESSAGING_PATH}`,
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  }
}

/**
 * A case whose follow-up needs the run's context: a second signed request built from the first
 * answer (D13: the next page), or `idleRequest` when the answer leaves nothing to follow. The
 * runner passes its context to both, so runs interleaved in one process never mix; a caller
 * that gives the follow-up none gets the context of the latest `request` call.
 */
export function followedBy(
  first: (context: RequestContext) => HttpRequest,
  explain: string,
  next: (answer: HttpResponse, context: RequestContext) => HttpRequest | { readonly problem: string },
): Pick<ConformanceCase, 'request' | 'followUp'> {
  let latest: RequestContext | undefined
  return {
    request: (context) => {
      latest = context
      return first(context)
    },
    followUp: {
      explain,
      request: (answer, context = latest) =>
        context === undefined ? { problem: 'no request context for the follow-up' } : next(answer, context),
    },
  }
}

/**
 * The request context of one run: signatures are computed here with the project's signer
 * (checked against the shared vectors and an independent HMAC) and remembered, so reports
 * can hide them.
 */
export function requestContext(target: Target, now: () => number, signatures: Set<string>): RequestContext {
  return {
    target,
    now,
    bot: (options) => ({
      method: 'POST',
      url: `${target.baseUrl}${botPath(options.route, options.token ?? target.botToken)}`,
      headers: { 'Content-Type': 'application/json' },
      body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    }),
    signed(options = {}) {
      const route = options.route ?? GET_MESSAGING_DETAIL
      const url = `${target.baseUrl}${fullPath(route)}`
      const body =
        typeof options.body === 'string'
          ? options.body
          : exampleBody(route, { ...targetFields(route, target), ...options.body })
      const parts = {
        method: 'POST',
        contentType: options.contentType ?? 'application/json',
        date: options.date ?? formatDlgDate(now()),
        body,
        // The request URI after the host: a base URL's own path (a gateway's /api) is part of it.
        resource: new URL(url).pathname,
      }
      const secret = options.secret ?? target.credentials.secret
      const signature =
        options.hash === 'sha1'
          ? createHmac('sha1', secret).update(stringToSign(parts, options.layout)).digest('base64')
          : computeSignature(secret, parts, options.layout)
      signatures.add(signature)
      const keyId = options.keyId ?? target.credentials.keyId
      const values: Record<SignedHeader, string> = {
        'Content-Type': parts.contentType,
        'x-dlg-date': parts.date,
        'x-dlg-requester-userid': target.requesterUserId,
        'x-dlg-authorization': options.authorization?.(keyId, signature) ?? `DLGA ${keyId}:${signature}`,
      }
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(values) as [SignedHeader, string][]) {
        if (!options.omit?.includes(name)) headers[options.rename?.[name] ?? name] = value
      }
      return {
        method: 'POST',
        url,
        headers: { ...headers, ...options.extraHeaders },
        body: parts.body,
      }
    },
  }
}
