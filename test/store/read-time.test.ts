import fc from 'fast-check'
import { Type } from 'typebox'
import { Value } from 'typebox/value'
import { describe, expect, it } from 'vitest'
import { readTime } from '../../src/store/fixture-loader.js'

const DATE_TIME = Type.String({ format: 'date-time' })

describe('readTime: RFC 3339 with a zone, in one pass', () => {
  it.each<[string, number | undefined]>([
    ['2021-03-09T16:28:32+03:00', Date.UTC(2021, 2, 9, 13, 28, 32)],
    ['2021-03-09T13:28:32.123Z', Date.UTC(2021, 2, 9, 13, 28, 32, 123)],
    ['2021-03-09t13:28:32z', Date.UTC(2021, 2, 9, 13, 28, 32)],
    ['2020-02-29T00:00:00Z', Date.UTC(2020, 1, 29)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['1900-02-29T00:00:00Z', undefined],
    ['2021-02-29T00:00:00Z', undefined],
    ['2021-02-30T10:00:00Z', undefined],
    ['2021-04-31T10:00:00+03:00', undefined],
    ['2021-13-01T00:00:00Z', undefined],
    ['2021-00-10T00:00:00Z', undefined],
    ['2021-01-01T24:00:00Z', undefined],
    ['2021-01-01T23:60:00Z', undefined],
    ['2021-01-01T10:00:00+24:00', undefined],
    ['2021-03-09T16:03:22', undefined],
    ['2021-03-09 16:03:22Z', undefined],
    ['March 9, 2021', undefined],
    ['', undefined],
  ])('%j', (text, expected) => {
    expect(readTime(text)).toBe(expected)
  })

  it('reads a leap second as a time JavaScript cannot hold', () => {
    expect(readTime('2016-12-31T23:59:60Z')).toBeNaN()
  })

  it("accepts exactly what TypeBox's date-time format accepts, and reads it as Date.parse does", () => {
    const digits = (n: number, max: number) =>
      fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'))
    const candidate = fc
      .tuple(
        digits(4, 2400),
        digits(2, 13),
        digits(2, 32),
        digits(2, 24),
        digits(2, 59),
        digits(2, 59),
        fc.constantFrom('', '.5', '.123', '.123456'),
        fc.constantFrom('Z', 'z', '+03:00', '-08:00', '+00:00', ''),
      )
      .map(([y, mo, d, h, mi, s, frac, zone]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone}`)
    fc.assert(
      fc.property(candidate, (text) => {
        const read = readTime(text)
        expect([text, read !== undefined]).toEqual([text, Value.Check(DATE_TIME, text)])
        if (read !== undefined) expect(read).toBe(Date.parse(text))
      }),
      { numRuns: 2000 },
    )
  })
})
