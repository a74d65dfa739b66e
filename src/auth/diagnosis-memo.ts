import { CLIENT_STRING_TO_SIGN_HEADER, type Diagnosis } from './diagnosis.js'
import { headerValue, type CheckedHeaders, type RequestHeaders, type RequestToVerify } from './verifier.js'

function rawHeader(headers: RequestHeaders, name: string): string {
  const value = headers[name]
  if (value === undefined) return '\u0001absent'
  return typeof value === 'string' ? value : value.join('\u0002')
}

/**
 * Recent signature diagnoses, by everything a diagnosis reads: a client that repeats the same
 * wrong request (a load test, a retry loop) gets the same answer without the mistake search
 * (~30 variants) being run again. Only bodies up to `MAX_BODY` are remembered; the memo holds
 * at most `limit` entries and forgets the least recently used.
 */

export const MAX_BODY = 4096

export interface DiagnosisMemo {
  /** The memo key of a request, or undefined when it is not remembered (a large body). */
  keyOf(checked: CheckedHeaders, request: RequestToVerify): string | undefined
  get(key: string): Diagnosis | undefined
  set(key: string, diagnosis: Diagnosis): void
  readonly size: number
}

export function createDiagnosisMemo(limit = 256): DiagnosisMemo {
  const entries = new Map<string, Diagnosis>()
  return {
    keyOf(checked, request) {
      const { body } = request
      if (body.length > MAX_BODY) return undefined
      return [
        checked.keyId,
        checked.signature,
        checked.date,
        checked.contentType,
        request.method,
        request.resource,
        // The mistake search also tries the Host and HTTP Date headers, and diffs the client's own.
        headerValue(request.headers, 'host') ?? '',
        headerValue(request.headers, 'date') ?? '',
        // As sent: an empty string-to-sign header is a (diffed) empty string, not an absent one.
        rawHeader(request.headers, CLIENT_STRING_TO_SIGN_HEADER),
        typeof body === 'string' ? body : Buffer.from(body).toString('latin1'),
      ].join('\u0000')
    },
    get(key) {
      const found = entries.get(key)
      if (found !== undefined) {
        entries.delete(key)
        entries.set(key, found)
      }
      return found
    },
    set(key, diagnosis) {
      // A search skipped for lack of budget is done again next time.
      if (diagnosis.search === 'skipped') return
      entries.set(key, diagnosis)
      if (entries.size > limit) entries.delete(entries.keys().next().value as string)
    },
    get size() {
      return entries.size
    },
  }
}
