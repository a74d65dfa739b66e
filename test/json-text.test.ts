import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsonText } from '../src/json-text.js'

/** A reader that keeps integer literals beyond 2^53 exact, for checking what jsonText wrote. */
function parseExact(text: string): unknown {
  // Integer literals outside strings become tagged objects, then bigints.
  const tagged = text.replace(
    /("(?:[^"\\]|\\.)*")|(?<![\d.eE+-])-?\d+(?![\d.eE])/g,
    (match, string: string | undefined) => (string !== undefined ? string : `{"$bigint":"${match}"}`),
  )
  return JSON.parse(tagged, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && '$bigint' in value
      ? BigInt((value as { $bigint: string }).$bigint)
      : value,
  )
}

describe('jsonText', () => {
  it('writes what JSON.stringify writes, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonText(value)).toBe(JSON.stringify(value))
      }),
      { numRuns: 500 },
    )
  })

  it('writes what JSON.stringify writes, for strings of any code units', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
        (a, b) => {
          expect(jsonText({ [a]: b, [b]: [a] })).toBe(JSON.stringify({ [a]: b, [b]: [a] }))
        },
      ),
    )
    for (const text of ['"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00x', '😀', 'é']) {
      expect(jsonText(text)).toBe(JSON.stringify(text))
    }
  })

  it('writes bigints as exact integer literals', () => {
    const value = {
      callId: -1527120504243668640n,
      onlineHelpId: 3387307531615898478n,
      min: -9223372036854775808n,
      max: 9223372036854775807n,
      zero: 0n,
      small: [1n, -1n],
    }
    const text = jsonText(value)
    expect(text).toBe(
      '{"callId":-1527120504243668640,"onlineHelpId":3387307531615898478,' +
        '"min":-9223372036854775808,"max":9223372036854775807,"zero":0,"small":[1,-1]}',
    )
    expect(parseExact(text)).toEqual(value)
    // An ordinary reader parses it too (rounding the longs, as any client without BigInt does).
    expect(JSON.parse(text)).toMatchObject({ zero: 0, small: [1, -1] })
  })

  it('keeps bigints exact for any 64-bit value, at any depth', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.jsonValue(), (long, other) => {
        const value = { rows: [{ id: long, other }, [long]] }
        const text = jsonText(value)
        expect(text).toContain(`{"id":${long},`)
        expect(text).toContain(`[${long}]`)
        const parsed = parseExact(text) as { rows: [{ id: unknown }, [unknown]] }
        expect(parsed.rows[0].id).toBe(long)
        expect(parsed.rows[1][0]).toBe(long)
      }),
      { numRuns: 200 },
    )
  })

  it('nests objects and arrays, keeping the order of the keys', () => {
    const value = {
      b: 1,
      a: [{ z: null, y: [true, false, []] }, {}],
      '2': 'two',
      '1': 'one',
      c: { d: { e: 'f' } },
    }
    expect(jsonText(value)).toBe(JSON.stringify(value))
    expect(jsonText(value)).toBe(
      '{"1":"one","2":"two","b":1,"a":[{"z":null,"y":[true,false,[]]},{}],"c":{"d":{"e":"f"}}}',
    )
  })

  it('leaves out undefined, functions and symbols in objects, writing null for them in arrays', () => {
    const value = { a: undefined, b: 1, c: () => 1, d: Symbol('d'), e: [undefined, () => 1, Symbol('e'), 2] }
    expect(jsonText(value)).toBe('{"b":1,"e":[null,null,null,2]}')
    expect(jsonText(value)).toBe(JSON.stringify(value))
    expect(jsonText({ a: undefined })).toBe('{}')
    expect(jsonText([1, , 3])).toBe('[1,null,3]')
  })

  it('writes numbers as JSON.stringify does, non-finite ones as null', () => {
    for (const n of [0, -0, 1.5, -1e-7, 1e21, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity]) {
      expect(jsonText([n])).toBe(JSON.stringify([n]))
    }
  })

  it('honours toJSON, as a Date has it', () => {
    const date = new Date(Date.UTC(2021, 2, 9, 13, 28, 32))
    const value = {
      at: date,
      custom: { toJSON: (key: string) => `key ${key}` },
      list: [{ toJSON: (key: string) => key }],
    }
    expect(jsonText(value)).toBe(JSON.stringify(value))
    expect(jsonText(value)).toBe('{"at":"2021-03-09T13:28:32.000Z","custom":"key custom","list":["0"]}')
  })

  it('refuses a value that has no JSON text', () => {
    expect(() => jsonText(undefined)).toThrow(TypeError)
    expect(() => jsonText(() => 1)).toThrow(TypeError)
  })
})
