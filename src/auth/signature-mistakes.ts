import { createHmac, type KeyObject } from 'node:crypto'
import { sameSignature } from './constant-time.js'
import { computeSignature, stringToSign, type StringToSignParts } from './string-to-sign.js'

/**
 * The common ways a client signs wrongly that the documentation itself invites (CONTRACT D3,
 * D4), recognised by recomputing them with the client's key. Only run after a signature
 * failed, so a valid request never pays for it. The answer stays `401 Authorization failed`;
 * the cause goes to the log.
 */
export type SignatureMistake =
  /** D3: the worked example's newline between body and resource. */
  | 'newline-before-resource'
  /** D4: the 28-character example signature is an HMAC-SHA1. */
  | 'hmac-sha1'
  /** The digest hex-encoded instead of base64. */
  | 'hex-digest'

const SHA1_BASE64_LENGTH = 28
const SHA256_HEX_LENGTH = 64

export function recogniseMistake(
  keys: readonly KeyObject[],
  parts: StringToSignParts,
  received: string,
): SignatureMistake | undefined {
  for (const key of keys) {
    if (sameSignature(received, computeSignature(key, parts, 'newline-before-resource'))) {
      return 'newline-before-resource'
    }
    if (received.length === SHA1_BASE64_LENGTH) {
      const sha1 = createHmac('sha1', key).update(stringToSign(parts)).digest('base64')
      if (sameSignature(received, sha1)) return 'hmac-sha1'
    }
    if (received.length === SHA256_HEX_LENGTH) {
      const hex = createHmac('sha256', key).update(stringToSign(parts)).digest('hex')
      if (sameSignature(received.toLowerCase(), hex)) return 'hex-digest'
    }
  }
  return undefined
}
