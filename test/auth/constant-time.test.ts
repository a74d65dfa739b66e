import { describe, expect, it, vi } from 'vitest'

/**
 * Signature and link comparisons go through `crypto.timingSafeEqual`: the time a comparison
 * takes never tells an attacker how many leading characters of a guess were right.
 */
const compared = vi.hoisted(() => ({ count: 0 }))
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>()
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.count++
      return actual.timingSafeEqual(a, b)
    },
  }
})

const { sameSignature } = await import('../../src/auth/constant-time.js')
const { createKeyring, DEMO_ACCESS_KEY } = await import('../../src/auth/keyring.js')
const { createVerifier } = await import('../../src/auth/verifier.js')
const { createLinkSigner } = await import('../../src/links/link-signer.js')
const { vectors } = await import('../helpers/vectors.js')

function counted(run: () => unknown): number {
  const before = compared.count
  run()
  return compared.count - before
}

describe('constant-time comparisons', () => {
  it('sameSignature compares equal-length values with timingSafeEqual', () => {
    expect(counted(() => expect(sameSignature('abcd', 'abcd')).toBe(true))).toBe(1)
    expect(counted(() => expect(sameSignature('abcd', 'abce')).toBe(false))).toBe(1)
    // A length differs: refused at once (the length of a valid signature is public).
    expect(counted(() => expect(sameSignature('abc', 'abcd')).toBe(false))).toBe(0)
  })

  it('the verifier compares signatures with it, for a right and a wrong one', () => {
    const vector = vectors.cases[0]!
    const verifier = createVerifier({ keyring: createKeyring([DEMO_ACCESS_KEY]), maxSkewSeconds: 900 })
    const request = (authorization: string) => ({
      method: vector.method,
      resource: vector.resource,
      body: vector.body,
      headers: {
        'content-type': vector.contentType,
        'x-dlg-date': vector.date,
        'x-dlg-requester-userid': '45186',
        'x-dlg-authorization': authorization,
      },
    })
    const now = Date.parse(vector.date)
    expect(counted(() => expect(verifier.verify(request(vector.authorization), now).ok).toBe(true))).toBe(1)
    const wrong = vector.authorization.replace(
      /.(=*)$/,
      (last, pad: string) => `${last === 'A' ? 'B' : 'A'}${pad}`,
    )
    expect(counted(() => expect(verifier.verify(request(wrong), now).ok).toBe(false))).toBeGreaterThanOrEqual(
      1,
    )
  })

  it('the link signer compares link signatures with it', () => {
    const signer = createLinkSigner({ secret: 'constant-time-link-secret', ttlSeconds: 60 })
    const link = new URL(
      signer.mint({ staffId: '1', customerId: '2', startDate: 0, endDate: 1 }, 0),
      'http://x',
    )
    const query = Object.fromEntries(link.searchParams)
    expect(counted(() => expect(signer.verify(query, 1).status).toBe('valid'))).toBe(1)
    const sig = query['sig'] ?? ''
    const forged = { ...query, sig: `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}` }
    expect(counted(() => expect(signer.verify(forged, 1).status).toBe('invalid'))).toBe(1)
  })
})
