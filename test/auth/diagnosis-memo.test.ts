import { describe, expect, it } from 'vitest'
import type { Diagnosis } from '../../src/auth/diagnosis.js'
import { createDiagnosisMemo, MAX_BODY } from '../../src/auth/diagnosis-memo.js'
import type { CheckedHeaders } from '../../src/auth/verifier.js'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import { signedRequest } from '../helpers/signing.js'

const checked: CheckedHeaders = {
  ok: true,
  keyId: 'k',
  signature: 'c2ln',
  date: 'Tue, 09 Mar 2021 13:28:32 GMT',
  dateMs: DOCS_NOW,
  requesterUserId: '45186',
  contentType: 'application/json',
  aliasesUsed: [],
}
const request = { method: 'POST', resource: '/v1/reporting/getmessagingdetail', headers: {}, body: '{}' }
const diagnosis = (detail: string): Diagnosis => ({ reason: 'signature-mismatch', detail, hint: '' })

describe('the diagnosis memo', () => {
  it('keys on every part a diagnosis reads, and skips large bodies', () => {
    const memo = createDiagnosisMemo()
    const key = memo.keyOf(checked, request)
    expect(memo.keyOf(checked, { ...request })).toBe(key)
    for (const other of [
      memo.keyOf({ ...checked, signature: 'b3RoZXI=' }, request),
      memo.keyOf({ ...checked, date: 'Tue, 09 Mar 2021 13:28:33 GMT' }, request),
      memo.keyOf(checked, { ...request, body: Buffer.from('{ }') }),
      memo.keyOf(checked, { ...request, headers: { host: 'other' } }),
      memo.keyOf(checked, { ...request, headers: { 'x-dlg-mock-string-to-sign': 'UE9TVA==' } }),
      // An empty string-to-sign header is diffed as an empty string: not the same as none.
      memo.keyOf(checked, { ...request, headers: { 'x-dlg-mock-string-to-sign': '' } }),
    ]) {
      expect(other).not.toBe(key)
    }
    expect(memo.keyOf(checked, { ...request, body: Buffer.alloc(MAX_BODY + 1) })).toBeUndefined()
  })

  it('does not remember a diagnosis whose search was skipped for lack of budget', () => {
    const memo = createDiagnosisMemo()
    memo.set('a', { ...diagnosis('busy'), search: 'skipped' })
    memo.set('b', { ...diagnosis('large'), search: 'partial' })
    expect([memo.get('a'), memo.get('b')?.detail, memo.size]).toEqual([undefined, 'large', 1])
  })

  it('forgets the least recently used entry beyond its limit', () => {
    const memo = createDiagnosisMemo(2)
    memo.set('a', diagnosis('a'))
    memo.set('b', diagnosis('b'))
    expect(memo.get('a')?.detail).toBe('a') // a is now the most recent
    memo.set('c', diagnosis('c'))
    expect([memo.get('a')?.detail, memo.get('b'), memo.get('c')?.detail, memo.size]).toEqual([
      'a',
      undefined,
      'c',
      2,
    ])
  })
})

describe('a repeated wrong request', () => {
  it('gets the same diagnosis headers each time', async () => {
    const { app } = testApp()
    // Signed with the lower-case method: a known mistake, found by the search the memo saves.
    const wrong = { ...signedRequest({ now: DOCS_NOW, method: 'post' }), method: 'POST' }
    const first = await app.inject(wrong)
    const second = await app.inject(wrong)
    expect(first.statusCode).toBe(401)
    const diagnosisHeaders = (headers: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('x-dlg-mock-')))
    expect(diagnosisHeaders(second.headers)).toEqual(diagnosisHeaders(first.headers))
    expect(first.headers['x-dlg-mock-mistake']).toBe('lowercase-method')
  })
})
