/**
 * The documented answers when authentication fails (docs/contract.md §2 error table), one per
 * failure reason of the verifier. Bodies are plain text (D7).
 */
export const AUTH_ERRORS = {
  'missing-headers': { status: 400, message: 'Required headers not found' },
  'malformed-authorization': { status: 400, message: 'Authorization failed due to data format not valid' },
  'malformed-date': { status: 400, message: 'Authorization failed due to date not valid' },
  'clock-skew': { status: 403, message: 'Request time may not be correct.' },
  'signature-mismatch': { status: 401, message: 'Authorization failed' },
} as const

export type AuthFailureReason = keyof typeof AUTH_ERRORS
