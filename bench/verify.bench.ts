import { createHmac } from 'node:crypto'
import { bench, describe } from 'vitest'
import { parseDlgDate } from '../src/auth/dlg-date.js'
import { createKeyring, DEMO_ACCESS_KEY } from '../src/auth/keyring.js'
import { computeSignature } from '../src/auth/string-to-sign.js'
import { createVerifier } from '../src/auth/verifier.js'
import { vectors } from '../test/helpers/vectors.js'

/**
 * The per-request cost of authentication next to its floor, one raw HMAC-SHA256.
 * `npm run bench:micro`; compare the lines of one run, not runs with each other.
 */
const vector = vectors.cases[0]!
const now = Date.parse(vector.date)
const verifier = createVerifier({ keyring: createKeyring([DEMO_ACCESS_KEY]), maxSkewSeconds: 900 })
const request = {
  method: vector.method,
  resource: vector.resource,
  body: Buffer.from(vector.body),
  headers: {
    'content-type': vector.contentType,
    'x-dlg-date': vector.date,
    'x-dlg-requester-userid': '45186',
    'x-dlg-authorization': vector.authorization,
  },
}

describe('authentication, per request', () => {
  bench('floor: createHmac(sha256).update(stringToSign).digest(base64)', () => {
    createHmac('sha256', vectors.accessKeySecret).update(vector.stringToSign).digest('base64')
  })
  bench('computeSignature (string-to-sign fed in parts)', () => {
    computeSignature(vectors.accessKeySecret, vector)
  })
  bench('parseDlgDate', () => {
    parseDlgDate(vector.date)
  })
  bench('full verify: headers, date, skew, key, HMAC, constant-time compare', () => {
    if (!verifier.verify(request, now).ok) throw new Error('vector did not verify')
  })
})
