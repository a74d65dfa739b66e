import { createHmac } from 'node:crypto'
import { bench, describe } from 'vitest'
import { parseDlgDate } from '../src/auth/dlg-date.js'
import { createKeyring, DEMO_ACCESS_KEY } from '../src/auth/keyring.js'
import { sign } from '../src/auth/signer.js'
import { computeSignature } from '../src/auth/string-to-sign.js'
import { createVerifier } from '../src/auth/verifier.js'
import { createLinkSigner } from '../src/links/link-signer.js'
import { createStore } from '../src/store/store.js'
import { parseFixtureData } from '../src/store/fixture-loader.js'
import { vectors } from '../test/helpers/vectors.js'

/**
 * The pure pieces of the hot path, each next to its floor (one raw HMAC-SHA256):
 * `npm run bench:micro`. Compare the lines of one run, not runs with each other.
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
const floor = () => {
  createHmac('sha256', vectors.accessKeySecret).update(vector.stringToSign).digest('base64')
}

describe('signing and verification', () => {
  bench('floor: createHmac(sha256).update(stringToSign).digest(base64)', floor)
  bench('sign(): string-to-sign + HMAC + authorization value', () => {
    sign(vector, DEMO_ACCESS_KEY)
  })
  bench('computeSignature (string-to-sign fed in parts)', () => {
    computeSignature(vectors.accessKeySecret, vector)
  })
  bench('full verify: headers, date, skew, key, HMAC, constant-time compare', () => {
    if (!verifier.verify(request, now).ok) throw new Error('vector did not verify')
  })
})

describe('date parsing', () => {
  bench('floor: one HMAC', floor)
  bench('parseDlgDate, GMT', () => {
    parseDlgDate('Tue, 09 Mar 2021 13:28:32 GMT')
  })
  bench('parseDlgDate, +0300', () => {
    parseDlgDate('Tue, 09 Mar 2021 16:28:32 +0300')
  })
  bench('Date.parse of the same text (for scale)', () => {
    Date.parse('Tue, 09 Mar 2021 13:28:32 GMT')
  })
})

const signer = createLinkSigner({ secret: 'bench-link-secret-0123456789abcdef', ttlSeconds: 1800 })
const params = { staffId: '45188', customerId: '5667067', startDate: 1610856400000, endDate: 1635892494000 }
const link = new URL(signer.mint(params, now), 'http://localhost')
const query = Object.fromEntries(link.searchParams)

describe('conversation links', () => {
  bench('floor: one HMAC', floor)
  bench('mint', () => {
    signer.mint(params, now)
  })
  bench('verify', () => {
    if (signer.verify(query, now).status !== 'valid') throw new Error('the link did not verify')
  })
})

/** 100 000 messages between 10 pairs: a window query finds 50 among 10 000. */
const big = createStore(
  parseFixtureData(
    {
      staff: [{ staffId: 's', name: 'S' }],
      customers: Array.from({ length: 10 }, (_, c) => ({ customerId: `c${c}`, name: `C${c}` })),
      conversations: Array.from({ length: 10 }, (_, c) => ({
        staffId: 's',
        customerId: `c${c}`,
        messages: Array.from({ length: 10_000 }, (_, m) => ({
          id: `m${m}`,
          from: m % 2 === 0 ? 'staff' : 'customer',
          text: 'x',
          sentAt: new Date(Date.UTC(2021, 0, 1) + m * 60_000).toISOString(),
        })),
      })),
    },
    'bench',
  ),
)
const window = { start: Date.UTC(2021, 0, 1) + 5000 * 60_000, end: Date.UTC(2021, 0, 1) + 5049 * 60_000 }

describe('store queries (100 000 messages, 10 000 in the pair)', () => {
  bench('floor: one HMAC', floor)
  bench('staff + customer lookup', () => {
    big.staff('s')
    big.customer('c3')
  })
  bench('messagesBetween: a 50-message window', () => {
    if (big.messagesBetween('s', 'c3', window).total !== 50) throw new Error('wrong window')
  })
  bench('messagesBetween: a page of 50 of the whole pair', () => {
    big.messagesBetween('s', 'c3', { start: 0, end: Number.MAX_SAFE_INTEGER }, { offset: 5000, limit: 50 })
  })
})
