import { CLIENT_STRING_TO_SIGN_HEADER, type Diagnosis } from '../auth/diagnosis.js'
import { visible } from './header-value.js'

/**
 * The diagnosis of a failed authentication as `x-dlg-mock-*` response headers. Header values
 * are written by `visible` (header-value.ts): escaped to one ASCII line and cut.
 */

export const DIAGNOSIS_HEADER_PREFIX = 'x-dlg-mock-'
/** Request header: the client's own string-to-sign, base64, for a diff against the server's. */
export { CLIENT_STRING_TO_SIGN_HEADER }

/** Above this many bytes the exact string-to-sign is not sent in base64 too. */
const MAX_BASE64_BYTES = 3072

export function diagnosisHeaders(diagnosis: Diagnosis): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {
    'x-dlg-mock-reason': diagnosis.reason,
    'x-dlg-mock-detail': visible(diagnosis.detail),
    'x-dlg-mock-hint': visible(diagnosis.hint),
  }
  if (diagnosis.mistakes !== undefined) headers['x-dlg-mock-mistake'] = diagnosis.mistakes.join(', ')
  if (diagnosis.stringToSign !== undefined) {
    headers['x-dlg-mock-string-to-sign'] = visible(diagnosis.stringToSign)
    if (Buffer.byteLength(diagnosis.stringToSign) <= MAX_BASE64_BYTES)
      headers['x-dlg-mock-string-to-sign-base64'] = Buffer.from(diagnosis.stringToSign).toString('base64')
  }
  if (diagnosis.diff !== undefined) {
    // One header line per difference.
    const lines =
      diagnosis.diff.length === 0
        ? ['none: the strings are the same']
        : diagnosis.diff.map((line) => visible(line, 512))
    headers['x-dlg-mock-diff'] = lines.length === 1 ? (lines[0] as string) : lines
  }
  return headers
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Decodes the client's string-to-sign, or says why it cannot. */
export function decodeClientStringToSign(
  value: string | string[] | undefined,
): string | { invalid: string } | undefined {
  if (value === undefined) return undefined
  const text = (Array.isArray(value) ? value.join('') : value).trim()
  if (!BASE64.test(text)) {
    return {
      invalid: `${CLIENT_STRING_TO_SIGN_HEADER} is not base64: send base64(UTF-8 bytes of your string-to-sign)`,
    }
  }
  return Buffer.from(text, 'base64').toString('utf8')
}
