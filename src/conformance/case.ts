import { createHmac } from 'node:crypto'
import { formatDlgDate } from '../auth/dlg-date.js'
import type { Credentials } from '../auth/signer.js'
import { computeSignature, stringToSign, type StringToSignLayout } from '../auth/string-to-sign.js'
import { GET_MESSAGING_DETAIL, GET_MESSAGING_DETAIL_EXAMPLE } from '../routes/reporting/getmessagingdetail.js'
import { fullPath } from '../routes/signed-route.js'
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
}

/** The contract's names of the signed headers. */
export type SignedHeader = 'Content-Type' | 'x-dlg-date' | 'x-dlg-requester-userid' | 'x-dlg-authorization'

export interface SignedRequestOptions {
  /** Default `/v1/reporting/getmessagingdetail`. */
  readonly path?: string
  /** Sent and signed as is; default: the documentation's example body for the target's pair. */
  readonly body?: string
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

export interface RequestContext {
  readonly target: Target
  /** The server's current time, epoch milliseconds, as measured from its `Date` header. */
  now(): number
  /** A Reporting API request signed the documented way, with the parts `options` change. */
  signed(options?: SignedRequestOptions): HttpRequest
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly problem: string }

/** A second request made from the first answer (e.g. opening the link it returned). */
export interface FollowUp {
  /** What it sends, for `--explain`. */
  readonly explain: string
  /** The request, or why it cannot be made from that answer. */
  readonly request: (answer: HttpResponse) => HttpRequest | { readonly problem: string }
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

/** A getmessagingdetail body in the documentation's field order, compact. */
export function messagingBody(
  target: Target,
  fields: Partial<Record<'staffId' | 'customerId', string> & Record<'startDate' | 'endDate', number>> = {},
): string {
  return JSON.stringify({
    staffId: target.staffId,
    customerId: target.customerId,
    ...EXAMPLE_WINDOW,
    ...fields,
  })
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
    signed(options = {}) {
      const path = options.path ?? MESSAGING_PATH
      const url = `${target.baseUrl}${path}`
      const parts = {
        method: 'POST',
        contentType: options.contentType ?? 'application/json',
        date: options.date ?? formatDlgDate(now()),
        body: options.body ?? messagingBody(target),
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
