import { computeSignature, stringToSign, type StringToSignParts } from './string-to-sign.js'

export interface Credentials {
  readonly keyId: string
  readonly secret: string
}

export interface SignatureResult {
  /** base64 HMAC-SHA256 of the string-to-sign. */
  readonly signature: string
  /** The `x-dlg-authorization` header value: `DLGA <keyId>:<signature>`. */
  readonly authorization: string
  /** The string that was signed, for display and debugging. */
  readonly stringToSign: string
}

export type SignInput = Omit<StringToSignParts, 'method'> & { readonly method?: string }

/** Signs a request the way a Diyalog client must (docs/contract.md §2). `method` defaults to `POST`. */
export function sign(request: SignInput, credentials: Credentials): SignatureResult {
  const parts: StringToSignParts = { ...request, method: request.method ?? 'POST' }
  const signature = computeSignature(credentials.secret, parts)
  return {
    signature,
    authorization: `DLGA ${credentials.keyId}:${signature}`,
    stringToSign: stringToSign(parts).toString('utf8'),
  }
}
