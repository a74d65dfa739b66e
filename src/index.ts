/**
 * The library side of diyalog-mock, for client teams: sign requests exactly as the Diyalog
 * server verifies them, and build or read the parts of a signed request.
 *
 *   import { sign, formatDlgDate } from 'diyalog-mock'
 *   const { authorization } = sign(
 *     { method: 'POST', contentType: 'application/json', date: formatDlgDate(Date.now()), body, resource },
 *     { keyId, secret },
 *   )
 */
export { sign, type Credentials, type SignatureResult, type SignInput } from './auth/signer.js'
export {
  computeSignature,
  stringToSign,
  type StringToSignLayout,
  type StringToSignParts,
} from './auth/string-to-sign.js'
export { formatDlgDate, parseDlgDate, DLG_DATE_PATTERN, type DlgDateResult } from './auth/dlg-date.js'
export { DEMO_ACCESS_KEY, type AccessKey } from './auth/keyring.js'
export { AUTH_ERRORS, type AuthFailureReason } from './auth/auth-errors.js'
