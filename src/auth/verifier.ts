import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto'
import type { AuthFailureReason } from './auth-errors.js'
import { sameSignature } from './constant-time.js'
import { parseDlgDate } from './dlg-date.js'
import type { Keyring } from './keyring.js'
import { computeSignature, type StringToSignLayout, type StringToSignParts } from './string-to-sign.js'

/**
 * The HMAC verifier: a pure function of the request as received, the key ring, the options
 * and "now". It runs the checks in the order of docs/contract.md D6 and returns either the
 * authenticated identity or one failure whose `reason` maps 1:1 to a row of the error table
 * (see `auth-errors.ts`). It is split in two steps so that an adapter can run every
 * header-only check before it reads the body.
 */

/** Header values as Node.js gives them: lower-case names, values as sent (OWS trimmed). */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>

export interface RequestToVerify {
  readonly method: string
  /** The request URI after the host, as sent. */
  readonly resource: string
  readonly headers: RequestHeaders
  /** The body, byte for byte as sent. */
  readonly body: Uint8Array | string
}

export interface VerifierOptions {
  readonly keyring: Keyring
  /** Allowed difference between `x-dlg-date` and the server clock, both directions. */
  readonly maxSkewSeconds: number
  /** D2: when an `x-dlg-*` header is absent, read its short name (`Date`, `X-Requester-UserId`, `X-Authorization`). */
  readonly acceptHeaderAliases?: boolean
  /** D3: also accept a signature computed with a newline between body and resource. */
  readonly acceptNewlineBeforeResource?: boolean
}

/** The three headers the error table calls "required", by their contract names (D2). */
export const REQUIRED_HEADERS = ['x-dlg-date', 'x-dlg-requester-userid', 'x-dlg-authorization'] as const
type RequiredHeader = (typeof REQUIRED_HEADERS)[number]

/** The names the documentation's error table uses for the same headers (D2, opt-in). */
export const HEADER_ALIASES: Readonly<Record<RequiredHeader, string>> = {
  'x-dlg-date': 'date',
  'x-dlg-requester-userid': 'x-requester-userid',
  'x-dlg-authorization': 'x-authorization',
}

const AUTHORIZATION_PREFIX = 'DLGA '

export type AuthFailure =
  | { readonly ok: false; readonly reason: 'missing-headers'; readonly missing: readonly RequiredHeader[] }
  | { readonly ok: false; readonly reason: 'malformed-authorization'; readonly problem: string }
  | {
      readonly ok: false
      readonly reason: 'malformed-date'
      readonly keyId: string
      readonly problem: string
    }
  | {
      readonly ok: false
      readonly reason: 'clock-skew'
      readonly keyId: string
      /** Server time (to the second) minus request time: positive when the request is dated in the past. */
      readonly skewSeconds: number
      readonly serverTime: number
      readonly requestTime: number
    }
  | {
      readonly ok: false
      readonly reason: 'signature-mismatch'
      readonly keyId: string
      readonly knownKey: boolean
    }

// Compile-time guard: every failure reason is a row of the error table and vice versa.
type Reasons = AuthFailure['reason']
const _reasonsMatchTable: [Reasons, AuthFailureReason] extends [AuthFailureReason, Reasons] ? true : never =
  true
void _reasonsMatchTable

/** Everything the header-only checks learned, ready for the signature check. */
export interface CheckedHeaders {
  readonly ok: true
  readonly keyId: string
  readonly signature: string
  readonly date: string
  readonly dateMs: number
  readonly requesterUserId: string
  readonly contentType: string
  /** Short header names read under D2 compatibility, e.g. `['date']`. */
  readonly aliasesUsed: readonly string[]
}

export interface Authenticated {
  readonly ok: true
  readonly keyId: string
  readonly requesterUserId: string
  readonly dateMs: number
  /** `newline-before-resource` only when the lenient D3 setting accepted it. */
  readonly layout: StringToSignLayout
  /** Which of the key id's secrets matched (0 = first configured). */
  readonly secretIndex: number
  readonly aliasesUsed: readonly string[]
}

export interface Verifier {
  /** Steps 1–4 of D6: required headers, authorization format, date format, clock skew. */
  checkHeaders(headers: RequestHeaders, nowMs: number): CheckedHeaders | AuthFailure
  /** Step 5 of D6: key lookup and signature, over the raw body. */
  checkSignature(
    checked: CheckedHeaders,
    request: Pick<RequestToVerify, 'method' | 'resource' | 'body'>,
  ): Authenticated | AuthFailure
  /** Both steps. */
  verify(request: RequestToVerify, nowMs: number): Authenticated | AuthFailure
}

/** A header as one string (repeated values joined, as Node.js does); empty counts as absent. */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name]
  const text = typeof value === 'string' ? value : value?.join(', ')
  return text === undefined || text === '' ? undefined : text
}

/**
 * Reads `DLGA <AccessKeyId>:<signature>`; the one parser of the header, for the verifier, the
 * journal's redaction and the fault matching.
 */
export function parseAuthorization(
  value: string,
):
  | { readonly ok: true; readonly keyId: string; readonly signature: string }
  | { readonly ok: false; readonly problem: string } {
  if (!value.startsWith(AUTHORIZATION_PREFIX))
    return { ok: false, problem: `does not start with "${AUTHORIZATION_PREFIX}"` }
  const colon = value.indexOf(':', AUTHORIZATION_PREFIX.length)
  if (colon < 0) return { ok: false, problem: 'no ":" between AccessKeyId and signature' }
  const keyId = value.slice(AUTHORIZATION_PREFIX.length, colon)
  const signature = value.slice(colon + 1)
  if (keyId === '' || signature === '') {
    return { ok: false, problem: keyId === '' ? 'empty AccessKeyId' : 'empty signature' }
  }
  return { ok: true, keyId, signature }
}

/** What the signature covers, from the checked headers and the request as received. */
export function signedParts(
  checked: CheckedHeaders,
  request: Pick<RequestToVerify, 'method' | 'resource' | 'body'>,
): StringToSignParts {
  return {
    method: request.method,
    contentType: checked.contentType,
    date: checked.date,
    body: request.body,
    resource: request.resource,
  }
}

export function createVerifier(options: VerifierOptions): Verifier {
  const layouts: readonly StringToSignLayout[] = options.acceptNewlineBeforeResource
    ? ['canonical', 'newline-before-resource']
    : ['canonical']
  // An unknown key id costs the same HMAC as a known one and answers the same 401.
  const decoyKey = createSecretKey(randomBytes(32))

  const NO_ALIASES: readonly string[] = []
  const NO_MISSING: readonly RequiredHeader[] = []

  /** The three required headers; the arrays are only built when one is absent (D2 aliases, the 400). */
  function requiredHeaders(headers: RequestHeaders) {
    const date = headerValue(headers, 'x-dlg-date')
    const requesterUserId = headerValue(headers, 'x-dlg-requester-userid')
    const authorization = headerValue(headers, 'x-dlg-authorization')
    if (date !== undefined && requesterUserId !== undefined && authorization !== undefined) {
      return { date, requesterUserId, authorization, missing: NO_MISSING, aliasesUsed: NO_ALIASES }
    }
    const values: Partial<Record<RequiredHeader, string>> = {}
    const missing: RequiredHeader[] = []
    const aliasesUsed: string[] = []
    for (const name of REQUIRED_HEADERS) {
      let value = headerValue(headers, name)
      if (value === undefined && options.acceptHeaderAliases) {
        value = headerValue(headers, HEADER_ALIASES[name])
        if (value !== undefined) aliasesUsed.push(HEADER_ALIASES[name])
      }
      if (value === undefined) missing.push(name)
      else values[name] = value
    }
    return {
      date: values['x-dlg-date'],
      requesterUserId: values['x-dlg-requester-userid'],
      authorization: values['x-dlg-authorization'],
      missing,
      aliasesUsed,
    }
  }

  function checkHeaders(headers: RequestHeaders, nowMs: number): CheckedHeaders | AuthFailure {
    const { date, requesterUserId, authorization, missing, aliasesUsed } = requiredHeaders(headers)
    if (date === undefined || requesterUserId === undefined || authorization === undefined) {
      return { ok: false, reason: 'missing-headers', missing }
    }

    const parsedAuthorization = parseAuthorization(authorization)
    if (!parsedAuthorization.ok) {
      return { ok: false, reason: 'malformed-authorization', problem: parsedAuthorization.problem }
    }
    const { keyId, signature } = parsedAuthorization

    const parsedDate = parseDlgDate(date)
    if (!parsedDate.ok) return { ok: false, reason: 'malformed-date', keyId, problem: parsedDate.problem }

    // The header has whole seconds, so the server's clock is read to the second too:
    // exactly DLG_MAX_SKEW_SECONDS either way is accepted, one second more is not.
    const skewSeconds = Math.floor(nowMs / 1000) - parsedDate.epochMs / 1000
    if (Math.abs(skewSeconds) > options.maxSkewSeconds) {
      return {
        ok: false,
        reason: 'clock-skew',
        keyId,
        skewSeconds,
        serverTime: nowMs,
        requestTime: parsedDate.epochMs,
      }
    }

    const contentType = headerValue(headers, 'content-type') ?? ''
    return {
      ok: true,
      keyId,
      signature,
      date,
      dateMs: parsedDate.epochMs,
      requesterUserId,
      contentType,
      aliasesUsed,
    }
  }

  function checkSignature(
    checked: CheckedHeaders,
    request: Pick<RequestToVerify, 'method' | 'resource' | 'body'>,
  ): Authenticated | AuthFailure {
    const parts = signedParts(checked, request)
    const secrets = options.keyring.secretsFor(checked.keyId)
    if (secrets === undefined) {
      sameSignature(checked.signature, computeSignature(decoyKey, parts))
      return { ok: false, reason: 'signature-mismatch', keyId: checked.keyId, knownKey: false }
    }
    for (let secretIndex = 0; secretIndex < secrets.length; secretIndex++) {
      const key = secrets[secretIndex] as KeyObject
      for (const layout of layouts) {
        if (sameSignature(checked.signature, computeSignature(key, parts, layout))) {
          return {
            ok: true,
            keyId: checked.keyId,
            requesterUserId: checked.requesterUserId,
            dateMs: checked.dateMs,
            layout,
            secretIndex,
            aliasesUsed: checked.aliasesUsed,
          }
        }
      }
    }
    return { ok: false, reason: 'signature-mismatch', keyId: checked.keyId, knownKey: true }
  }

  return {
    checkHeaders,
    checkSignature,
    verify(request, nowMs) {
      const checked = checkHeaders(request.headers, nowMs)
      return checked.ok ? checkSignature(checked, request) : checked
    },
  }
}
