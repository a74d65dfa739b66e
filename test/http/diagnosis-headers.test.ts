import { describe, expect, it } from 'vitest'
import { decodeClientStringToSign, diagnosisHeaders } from '../../src/http/diagnosis-headers.js'
import { visible } from '../../src/http/header-value.js'

describe('diagnosis headers', () => {
  it('write every value as one printable ASCII line', () => {
    expect(visible('a\\b\nc\rd\te\u0000f\u007fİ🙂')).toBe(
      'a\\\\b\\nc\\rd\\te\\u{0}f\\u{7f}\\u{130}\\u{1f642}',
    )
    expect(visible('x'.repeat(10), 4)).toBe('xxxx...[cut, 10 characters in all]')
    expect(visible('\\n'.repeat(3), 4)).toBe('\\\\n\\...[cut, 6 characters in all]')
  })

  it('send each difference on its own header line, and say when there is none', () => {
    const base = { reason: 'signature-mismatch', detail: 'd', hint: 'h', stringToSign: 's' } as const
    expect(diagnosisHeaders({ ...base, diff: ['one', 'two'] })['x-dlg-mock-diff']).toEqual(['one', 'two'])
    expect(diagnosisHeaders({ ...base, diff: [] })['x-dlg-mock-diff']).toBe('none: the strings are the same')
    expect(diagnosisHeaders({ ...base, mistakes: ['hmac-sha1', 'hex-digest'] })['x-dlg-mock-mistake']).toBe(
      'hmac-sha1, hex-digest',
    )
  })

  it("decode the client's string-to-sign from base64, or say it is not base64", () => {
    expect(decodeClientStringToSign(undefined)).toBeUndefined()
    expect(decodeClientStringToSign(Buffer.from('POST\nİ').toString('base64'))).toBe('POST\nİ')
    expect(decodeClientStringToSign(['UE9T', 'VA=='])).toBe('POST')
    expect(decodeClientStringToSign('POST\\n')).toEqual({ invalid: expect.stringContaining('is not base64') })
    expect(decodeClientStringToSign('UE9TV')).toEqual({ invalid: expect.stringContaining('is not base64') })
  })
})
