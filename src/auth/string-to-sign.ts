import { createHmac, type KeyObject } from 'node:crypto'

/**
 * The parts of a request that the Diyalog signature covers (docs/contract.md §2). Every value is
 * taken exactly as sent: the verifier, the signer, the test helpers and the benchmark
 * client all build the string-to-sign here and nowhere else.
 */
export interface StringToSignParts {
  /** HTTP method as sent, e.g. `POST`. */
  readonly method: string
  /** Content-Type header value as sent; empty string when the header is absent. */
  readonly contentType: string
  /** `x-dlg-date` header value as sent. */
  readonly date: string
  /** The request body, byte for byte as sent (never a re-serialisation). */
  readonly body: Uint8Array | string
  /** The request URI after the host, query string included, e.g. `/v1/reporting/getmessagingdetail`. */
  readonly resource: string
}

/**
 * How the body and the resource are joined. `canonical` is the documented pseudo-code
 * (no separator). `newline-before-resource` is the documentation's worked example, which
 * only the opt-in lenient mode accepts (docs/contract.md D3).
 */
export type StringToSignLayout = 'canonical' | 'newline-before-resource'

/** What comes before the body: method, Content-Type and date, each followed by a newline. */
export function stringToSignHead(parts: StringToSignParts): string {
  return `${parts.method}\n${parts.contentType}\n${parts.date}\n`
}

/** What comes after the body: the resource (after a newline in the D3 layout). */
export function stringToSignTail(parts: StringToSignParts, layout: StringToSignLayout): string {
  return layout === 'canonical' ? parts.resource : `\n${parts.resource}`
}

/** The exact bytes that are signed (UTF-8 for the textual parts, the body as sent). */
export function stringToSign(parts: StringToSignParts, layout: StringToSignLayout = 'canonical'): Buffer {
  return Buffer.concat([
    Buffer.from(stringToSignHead(parts)),
    typeof parts.body === 'string' ? Buffer.from(parts.body) : parts.body,
    Buffer.from(stringToSignTail(parts, layout)),
  ])
}

/**
 * `base64(HMAC-SHA256(key, stringToSign))`, fed to the HMAC piece by piece so the body is
 * never copied or decoded.
 */
export function computeSignature(
  key: KeyObject | string,
  parts: StringToSignParts,
  layout: StringToSignLayout = 'canonical',
): string {
  return createHmac('sha256', key)
    .update(stringToSignHead(parts))
    .update(parts.body)
    .update(stringToSignTail(parts, layout))
    .digest('base64')
}
