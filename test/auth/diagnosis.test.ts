import { describe, expect, it } from 'vitest'
import { createDiagnosisBudget } from '../../src/auth/diagnosis-budget.js'
import { diagnose } from '../../src/auth/diagnosis.js'
import { createKeyring, DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { stringToSign } from '../../src/auth/string-to-sign.js'

const base = { headers: {}, maxSkewSeconds: 900, acceptHeaderAliases: false }
const mismatch = {
  ok: false,
  reason: 'signature-mismatch',
  keyId: DEMO_ACCESS_KEY.keyId,
  knownKey: true,
} as const

describe('diagnose', () => {
  it('without the request it can only say the signature does not match', () => {
    expect(diagnose({ ...base, failure: mismatch })).toEqual({
      reason: 'signature-mismatch',
      detail: "the signature does not match the server's string-to-sign, and no known mistake explains it",
      hint: expect.stringContaining('x-dlg-mock-string-to-sign'),
    })
    expect(diagnose({ ...base, failure: { ...mismatch, knownKey: false } })).toMatchObject({
      reason: 'unknown-key',
      hint: 'sign with a key id from DLG_ACCESS_KEYS (the demo pair is in the README)',
    })
  })

  it('does not suggest short header names when the compatibility setting already reads them', () => {
    const failure = { ok: false, reason: 'missing-headers', missing: ['x-dlg-requester-userid'] } as const
    const headers = { 'x-requester-userid': '45186', date: 'Tue, 09 Mar 2021 13:28:32 GMT' }
    expect(diagnose({ ...base, failure, headers }).hint).toContain('found x-requester-userid')
    expect(diagnose({ ...base, failure, headers, acceptHeaderAliases: true }).hint).toBe(
      'send all three: x-dlg-date, x-dlg-requester-userid, x-dlg-authorization',
    )
  })

  it('searches no secret for a key the key ring no longer has', () => {
    const parts = { method: 'POST', contentType: '', date: 'd', body: '', resource: '/v1/x' }
    const result = diagnose({
      ...base,
      failure: mismatch,
      // A well-shaped HMAC-SHA1: with a secret to try, the search would run.
      signature: { keyring: createKeyring([]), parts, received: 'V5m8D1M9lvZJe2wpbfJlnZcsUtY=' },
    })
    expect(result.mistakes).toBeUndefined()
    expect(result.detail).toBe(
      "the signature does not match the server's string-to-sign, and no known mistake explains it",
    )
  })

  it('says the search was skipped when the budget of the second is spent; the answer is the same', () => {
    const parts = { method: 'POST', contentType: '', date: 'd', body: '', resource: '/v1/x' }
    const budget = createDiagnosisBudget(0, () => 0)
    const result = diagnose({
      ...base,
      failure: mismatch,
      budget,
      signature: {
        keyring: createKeyring([DEMO_ACCESS_KEY]),
        parts,
        received: 'V5m8D1M9lvZJe2wpbfJlnZcsUtY=',
      },
    })
    expect(result).toMatchObject({ reason: 'signature-mismatch', search: 'skipped' })
    expect(result.detail).toBe(
      "the signature does not match the server's string-to-sign (the search for known mistakes was skipped: the server spends at most 0 ms a second on it, and this second's is spent)",
    )
  })

  it('reads the short authorization header when the compatibility setting let it in (D2)', () => {
    const failure = {
      ok: false,
      reason: 'malformed-authorization',
      problem: 'does not start with "DLGA "',
    } as const
    const headers = { 'x-authorization': 'Dlga key:sig' }
    expect(diagnose({ ...base, failure, headers, acceptHeaderAliases: true }).hint).toContain(
      'case-sensitive',
    )
  })

  it('joins repeated header values when it reads them', () => {
    const failure = {
      ok: false,
      reason: 'malformed-authorization',
      problem: 'does not start with "DLGA "',
    } as const
    expect(
      diagnose({ ...base, failure, headers: { 'x-dlg-authorization': ['dlga a:b', 'x'] } }).hint,
    ).toContain('case-sensitive')
  })

  it('diffs against the client string-to-sign even when no mistake is found', () => {
    const parts = { method: 'POST', contentType: '', date: 'd', body: '', resource: '/v1/x' }
    const result = diagnose({
      ...base,
      failure: mismatch,
      signature: { keyring: createKeyring([DEMO_ACCESS_KEY]), parts, received: 'AAAA' },
      clientStringToSign: 'POST\n\nd\n/v1/y',
    })
    expect(result.stringToSign).toBe(stringToSign(parts).toString())
    expect(result.diff).toEqual([
      'line 4 (body end + resource), column 5: client has "y", server has "x"; client "/v1/y", server "/v1/x"',
    ])
  })
})
