import { DLG_DATE_EXAMPLE, DLG_DATE_PATTERN } from './dlg-date.js'
import type { Keyring } from './keyring.js'
import { PROCESS_DIAGNOSIS_BUDGET, type DiagnosisBudget } from './diagnosis-budget.js'
import { searchMistakes, type SignatureMistake } from './signature-mistakes.js'
import { stringToSign, type StringToSignParts } from './string-to-sign.js'
import { diffStringToSign } from './string-to-sign-diff.js'
import {
  HEADER_ALIASES,
  headerValue,
  REQUIRED_HEADERS,
  signedParts,
  type AuthFailure,
  type CheckedHeaders,
  type RequestHeaders,
  type RequestToVerify,
} from './verifier.js'

/**
 * Why a request failed authentication, in words a client developer can act on: the check of
 * the error table that failed and what was wrong with it; for a bad signature, the server's
 * string-to-sign, the known mistake it turned out to be, and a diff against the client's own
 * string-to-sign when the client sends it. The documented answer (status and body) does not
 * change; this travels in `x-dlg-mock-*` headers and the journal. It never holds a secret or
 * a signature the server computed.
 */

/** The request header in which a client may send its own string-to-sign (base64) for a diff. */
export const CLIENT_STRING_TO_SIGN_HEADER = 'x-dlg-mock-string-to-sign'

export type DiagnosisReason =
  | 'missing-headers'
  | 'malformed-authorization'
  | 'malformed-date'
  | 'clock-skew'
  | 'unknown-key'
  | 'signature-mismatch'

export interface Diagnosis {
  readonly reason: DiagnosisReason
  /** What is wrong. */
  readonly detail: string
  /** What to do about it. */
  readonly hint: string
  /** Known mistakes the signature turned out to be. */
  readonly mistakes?: readonly SignatureMistake[]
  /** The server's string-to-sign for this request (signature failures). */
  readonly stringToSign?: string
  /** The client's string-to-sign against the server's, when the client sent it. */
  readonly diff?: readonly string[]
  /**
   * How far the search for known mistakes went, when not all the way: `partial` (the body was
   * too large to try every variant) or `skipped` (the process had spent its budget for this
   * second). A skipped diagnosis is not remembered, so a retry gets a full one.
   */
  readonly search?: 'partial' | 'skipped'
}

export interface DiagnosisInput {
  readonly failure: AuthFailure
  readonly headers: RequestHeaders
  readonly maxSkewSeconds: number
  readonly acceptHeaderAliases: boolean
  /** For signature failures: the key ring and the request as received. */
  readonly signature?: {
    readonly keyring: Keyring
    readonly parts: StringToSignParts
    readonly received: string
  }
  /** The client's own string-to-sign (the decoded `x-dlg-mock-string-to-sign` request header). */
  readonly clientStringToSign?: string | { readonly invalid: string } | undefined
  /** What the search for known mistakes may spend; the process's by default. */
  readonly budget?: DiagnosisBudget | undefined
}

/** To the second, as the header and the skew check read time. */
function iso(ms: number): string {
  const date = new Date(Math.floor(ms / 1000) * 1000)
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString().replace('.000Z', 'Z')
}

/** The server's string-to-sign kept in a diagnosis (headers show less, the journal keeps this). */
const MAX_STRING_TO_SIGN = 64 * 1024

function missingHeaders(
  failure: Extract<AuthFailure, { reason: 'missing-headers' }>,
  input: DiagnosisInput,
): Diagnosis {
  const shortNames = failure.missing
    .map((name) => HEADER_ALIASES[name])
    .filter((alias) => headerValue(input.headers, alias) !== undefined && alias !== 'date')
  const empty = failure.missing.filter((name) => input.headers[name] === '')
  return {
    reason: 'missing-headers',
    detail: `missing: ${failure.missing.join(', ')}${empty.length > 0 ? ` (${empty.join(', ')} sent empty)` : ''}`,
    hint:
      shortNames.length > 0 && !input.acceptHeaderAliases
        ? `found ${shortNames.join(', ')}: the contract names are ${REQUIRED_HEADERS.join(', ')} (DLG_HEADER_ALIASES=true also accepts the short names, docs/contract.md D2)`
        : `send all three: ${REQUIRED_HEADERS.join(', ')}`,
  }
}

function signatureMismatch(
  failure: Extract<AuthFailure, { reason: 'signature-mismatch' }>,
  input: DiagnosisInput,
): Diagnosis {
  const { signature } = input
  const serverString =
    signature === undefined
      ? undefined
      : stringToSign({
          ...signature.parts,
          body: signature.parts.body.slice(0, MAX_STRING_TO_SIGN),
        }).toString('utf8')
  const diff = diffWithClient(input.clientStringToSign, serverString)
  const common = {
    ...(serverString === undefined ? {} : { stringToSign: serverString }),
    ...(diff === undefined ? {} : { diff }),
  }

  if (!failure.knownKey) {
    const retired = signature !== undefined && signature.keyring.retiredSecretsFor(failure.keyId).length > 0
    const near = signature?.keyring.keyIds.find(
      (keyId) => keyId.toLowerCase() === failure.keyId.trim().toLowerCase(),
    )
    return {
      reason: 'unknown-key',
      detail: retired
        ? `AccessKeyId ${JSON.stringify(failure.keyId)} was retired on this server`
        : `AccessKeyId ${JSON.stringify(failure.keyId)} is not configured on this server`,
      hint:
        near !== undefined
          ? `key ids are case-sensitive and exact: did you mean ${JSON.stringify(near)}?`
          : 'sign with a key id from DLG_ACCESS_KEYS (the demo pair is in the README)',
      ...common,
    }
  }

  const searched =
    signature === undefined
      ? undefined
      : searchMistakes(
          {
            secrets: signature.keyring.secretsFor(failure.keyId) ?? [],
            retiredSecrets: signature.keyring.retiredSecretsFor(failure.keyId),
            parts: signature.parts,
            host: headerValue(input.headers, 'host'),
            httpDate: headerValue(input.headers, 'date'),
          },
          signature.received,
          input.budget ?? PROCESS_DIAGNOSIS_BUDGET,
        )
  if (searched?.found !== undefined) {
    return {
      reason: 'signature-mismatch',
      detail: `the signature is a known mistake: ${searched.found.explanation}`,
      hint: 'sign exactly what is sent: method, Content-Type and x-dlg-date each followed by a newline, then the body bytes and the resource (path and query); HMAC-SHA256, base64',
      mistakes: searched.found.mistakes,
      ...common,
    }
  }
  const budget = input.budget ?? PROCESS_DIAGNOSIS_BUDGET
  const search: Pick<Diagnosis, 'search'> =
    searched?.skipped === true
      ? { search: 'skipped' }
      : searched !== undefined && searched.untried > 0
        ? { search: 'partial' }
        : {}
  return {
    reason: 'signature-mismatch',
    detail:
      diff !== undefined && diff.length === 0
        ? "your string-to-sign is the same as the server's: the secret or the digest differs"
        : search.search === 'skipped'
          ? `the signature does not match the server's string-to-sign (the search for known mistakes was skipped: the server spends at most ${budget.msPerSecond} ms a second on it, and this second's is spent)`
          : search.search === 'partial'
            ? `the signature does not match the server's string-to-sign, and no known mistake explains it (the body is too large to try them all: ${searched?.untried} of ${searched?.total} not tried)`
            : "the signature does not match the server's string-to-sign, and no known mistake explains it",
    hint:
      diff === undefined
        ? 'compare your string-to-sign with x-dlg-mock-string-to-sign, or send yours base64-encoded in the x-dlg-mock-string-to-sign request header for a diff'
        : 'check the secret: HMAC-SHA256 with the AccessKeySecret as UTF-8 bytes, digest in base64',
    ...search,
    ...common,
  }
}

function diffWithClient(
  client: DiagnosisInput['clientStringToSign'],
  server: string | undefined,
): string[] | undefined {
  if (client === undefined || server === undefined) return undefined
  if (typeof client !== 'string') return [client.invalid]
  return diffStringToSign(client, server)
}

export function diagnose(input: DiagnosisInput): Diagnosis {
  const { failure } = input
  switch (failure.reason) {
    case 'missing-headers':
      return missingHeaders(failure, input)
    case 'malformed-authorization': {
      // The header as read: its contract name, or the short name under D2 compatibility.
      const value =
        headerValue(input.headers, 'x-dlg-authorization') ??
        headerValue(input.headers, 'x-authorization') ??
        ''
      return {
        reason: 'malformed-authorization',
        detail: `x-dlg-authorization ${failure.problem}`,
        hint:
          /^dlga /i.test(value) && !value.startsWith('DLGA ')
            ? 'the scheme is case-sensitive: "DLGA <AccessKeyId>:<signature>"'
            : 'x-dlg-authorization must be "DLGA <AccessKeyId>:<signature>"',
      }
    }
    case 'malformed-date':
      return {
        reason: 'malformed-date',
        detail: `x-dlg-date: ${failure.problem}`,
        hint: `write the date as ${DLG_DATE_PATTERN} with English names, e.g. ${DLG_DATE_EXAMPLE} (format it with an English locale; no zone means GMT)`,
      }
    case 'clock-skew': {
      const seconds = Math.abs(failure.skewSeconds)
      const direction = failure.skewSeconds > 0 ? 'behind' : 'ahead of'
      return {
        reason: 'clock-skew',
        detail:
          `x-dlg-date is ${seconds} s ${direction} the server clock (server ${iso(failure.serverTime)}, ` +
          `request ${iso(failure.requestTime)}, allowed ${input.maxSkewSeconds} s either way)`,
        hint: 'date each request when it is sent; check the client clock (NTP) or the clock the mock runs on',
      }
    }
    case 'signature-mismatch':
      return signatureMismatch(failure, input)
  }
}

/**
 * Diagnoses a request as the verifier saw it: what its header checks returned (the checked
 * headers when only the signature failed) and the request as received. The server's auth hook
 * and `diyalog-mock verify` both call this.
 */
export function diagnoseRequest(
  failure: AuthFailure,
  checked: CheckedHeaders | AuthFailure,
  request: RequestToVerify,
  context: Pick<
    DiagnosisInput,
    'maxSkewSeconds' | 'acceptHeaderAliases' | 'clientStringToSign' | 'budget'
  > & {
    readonly keyring: Keyring
  },
): Diagnosis {
  return diagnose({
    failure,
    headers: request.headers,
    maxSkewSeconds: context.maxSkewSeconds,
    acceptHeaderAliases: context.acceptHeaderAliases,
    clientStringToSign: context.clientStringToSign,
    budget: context.budget,
    ...(checked.ok
      ? {
          signature: {
            keyring: context.keyring,
            parts: signedParts(checked, request),
            received: checked.signature,
          },
        }
      : {}),
  })
}
