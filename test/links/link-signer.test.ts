import { describe, expect, it } from 'vitest'
import { CONVERSATION_PATH, createLinkSigner } from '../../src/links/link-signer.js'

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0)
const params = { staffId: '45188', customerId: '5667067', startDate: 1610856400000, endDate: 1635892494000 }
const signer = createLinkSigner({ secret: 'link-secret-for-tests-0001', ttlSeconds: 1800 })

function queryOf(link: string): Record<string, string> {
  const url = new URL(link, 'http://x')
  expect(url.pathname).toBe(CONVERSATION_PATH)
  return Object.fromEntries(url.searchParams)
}

const minted = queryOf(signer.mint(params, NOW))

describe('conversation links', () => {
  it('carry the staff, customer, window and expiry in a readable query string', () => {
    expect(minted).toMatchObject({
      staffId: '45188',
      customerId: '5667067',
      startDate: '1610856400000',
      endDate: '1635892494000',
      expiresAt: String(NOW + 1_800_000),
    })
    expect(minted['sig']).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('verify as valid until they expire', () => {
    const expected = { status: 'valid', link: { ...params, expiresAt: NOW + 1_800_000 } }
    expect(signer.verify(minted, NOW)).toEqual(expected)
    expect(signer.verify(minted, NOW + 1_799_999)).toEqual(expected)
  })

  it('are expired from the expiry instant on', () => {
    expect(signer.verify(minted, NOW + 1_800_000)).toEqual({
      status: 'expired',
      link: { ...params, expiresAt: NOW + 1_800_000 },
    })
    expect(signer.verify(minted, NOW + 86_400_000).status).toBe('expired')
  })

  it.each([
    ['staffId', '45186'],
    ['customerId', '2337368'],
    ['startDate', '1610856400001'],
    ['endDate', '1735892494000'],
    ['expiresAt', String(NOW + 10 * 86_400_000)],
  ])('are invalid when %s is changed', (field, value) => {
    expect(signer.verify({ ...minted, [field]: value }, NOW)).toEqual({ status: 'invalid' })
  })

  it('are invalid when the signature is changed, even after the expiry', () => {
    const sig = minted['sig'] ?? ''
    const tampered = { ...minted, sig: `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}` }
    expect(signer.verify(tampered, NOW)).toEqual({ status: 'invalid' })
    expect(signer.verify(tampered, NOW + 86_400_000)).toEqual({ status: 'invalid' })
  })

  it('are invalid under another secret: a forged link never learns it expired', () => {
    const other = createLinkSigner({ secret: 'another-link-secret-0002', ttlSeconds: 1800 })
    expect(other.verify(minted, NOW)).toEqual({ status: 'invalid' })
    expect(other.verify(minted, NOW + 86_400_000)).toEqual({ status: 'invalid' })
  })

  it.each([
    ['a missing field', { ...minted, endDate: undefined }],
    ['a repeated field', { ...minted, staffId: ['45188', '45186'] }],
    ['a non-canonical number', { ...minted, startDate: '01610856400000' }],
    ['a number with a fraction', { ...minted, startDate: '1610856400000.0' }],
    ['a number beyond 2^53', { ...minted, expiresAt: '99999999999999999999' }],
    ['an id with a newline', { ...minted, staffId: '45188\n5667067' }],
    ['a short signature', { ...minted, sig: 'abc' }],
    ['a signature with padding', { ...minted, sig: `${minted['sig']}=` }],
  ])('are invalid with %s', (_label, query) => {
    expect(signer.verify(query, NOW)).toEqual({ status: 'invalid' })
  })

  it('are invalid, even when signed, with a time a Date cannot hold', () => {
    // 9e15 ms has 16 digits like a real time but lies beyond 8.64e15, the end of Date.
    const beyond = queryOf(signer.mint({ ...params, endDate: 9_000_000_000_000_000 }, NOW))
    expect(signer.verify(beyond, NOW)).toEqual({ status: 'invalid' })
    const edge = queryOf(
      signer.mint({ ...params, startDate: -8_640_000_000_000_000, endDate: 8_640_000_000_000_000 }, NOW),
    )
    expect(signer.verify(edge, NOW).status).toBe('valid')
  })

  it('ignore parameters outside the signed set', () => {
    expect(signer.verify({ ...minted, page: '2' }, NOW).status).toBe('valid')
  })

  it('are minted even for a pair that never talked, and for a one-instant window', () => {
    const link = queryOf(signer.mint({ ...params, customerId: '7403713', endDate: params.startDate }, NOW))
    expect(signer.verify(link, NOW).status).toBe('valid')
  })
})
