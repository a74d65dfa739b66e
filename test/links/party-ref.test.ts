import { describe, expect, it } from 'vitest'
import { formatRef, parseRef } from '../../src/links/link-signer.js'

describe('party references', () => {
  it.each([
    ['staff:45186', { kind: 'staff', id: '45186' }],
    ['customer:2337368', { kind: 'customer', id: '2337368' }],
    ['customer:a.b_c-D', { kind: 'customer', id: 'a.b_c-D' }],
    ['group:2128893729', { kind: 'group', id: 2128893729 }],
    ['group:1', { kind: 'group', id: 1 }],
    ['group:2147483647', { kind: 'group', id: 2147483647 }],
  ])('read %s', (text, ref) => {
    expect(parseRef(text)).toEqual(ref)
  })

  it('are written back as they were read', () => {
    for (const text of ['staff:45186', 'customer:2337368', 'group:2128893729']) {
      const ref = parseRef(text)
      expect(ref).toBeDefined()
      expect(formatRef(ref!)).toBe(text)
    }
  })

  it.each([
    '',
    'staff',
    '45186',
    'staff45186',
    'staff:',
    ':45186',
    'Staff:45186',
    'admin:45186',
    'staff:45186:1',
    'staff:45 186',
    'staff:45186\n',
    `staff:${'1'.repeat(65)}`,
    'group:0',
    'group:-1',
    'group:01',
    'group:+1',
    'group:1e3',
    'group:1.0',
    'group:2147483648',
    'group:99999999999',
    'group:abc',
    'group: 1',
  ])('refuse %j', (text) => {
    expect(parseRef(text)).toBeUndefined()
  })

  it('refuse what is not text, without throwing', () => {
    for (const value of [undefined, null, 1, ['staff:1'], {}]) {
      expect(parseRef(value as string)).toBeUndefined()
    }
  })
})
