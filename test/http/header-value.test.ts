import { describe, expect, it } from 'vitest'
import { MAX_HEADER_VALUE, nameList, visible } from '../../src/http/header-value.js'

/** What Node.js accepts as a header value (it throws on anything else). */
const HEADER_SAFE = /^[\t\x20-\x7e]*$/

describe('nameList', () => {
  it('writes plain names as they are', () => {
    expect(nameList(['note', 'isGroupMessaging', 'a.b', 'x-y', '$z'])).toBe(
      'note, isGroupMessaging, a.b, x-y, $z',
    )
  })

  it.each([
    ['müşteriNo', '"m\\u00fc\\u015fteriNo"'],
    ['😀', '"\\ud83d\\ude00"'],
    ['a\u0000b', '"a\\u0000b"'],
    ['a\r\nSet-Cookie: x=1', '"a\\r\\nSet-Cookie: x=1"'],
    ['a, b', '"a, b"'],
    ['', '""'],
  ])('writes %j as a JSON string of ASCII that parses back', (name, shown) => {
    const value = nameList([name])
    expect(value).toBe(shown)
    expect(value).toMatch(HEADER_SAFE)
    expect(JSON.parse(value)).toBe(name)
  })

  it('cuts a long list and says how many names there were', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `field${i}`)
    const value = nameList(names)
    expect(value.length).toBeLessThanOrEqual(1024 + 30)
    expect(value).toMatch(/^field0, field1, .*, \.\.\.\[cut, 2000 in all\]$/)
  })

  it('cuts a long name, the mark outside the quotes', () => {
    const value = nameList(['ş'.repeat(10_000)])
    expect(value).toBe(`"${'\\u015f'.repeat(64)}"...`)
    expect(JSON.parse(value.slice(0, -3))).toBe('ş'.repeat(64))
  })

  it('says only how many there were when even the first does not fit', () => {
    expect(nameList(['ş'.repeat(100), 'b'], 20)).toBe('...[cut, 2 in all]')
  })
})

describe('visible', () => {
  it('escapes to one ASCII line and cuts', () => {
    expect(visible('a\nb\\ı')).toBe('a\\nb\\\\\\u{131}')
    const long = visible('x'.repeat(MAX_HEADER_VALUE + 1))
    expect(long).toMatch(/\.\.\.\[cut, 4097 characters in all\]$/)
  })
})
