import { Type, type TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { describe, expect, it } from 'vitest'
import { describeSchemaErrors, MAX_JSON_DEPTH, nestsDeeperThan } from '../../src/http/json-body.js'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import { signedRequest } from '../helpers/signing.js'

const bytes = (text: string) => Buffer.from(text)

describe('the JSON nesting limit', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(nestsDeeperThan(bytes('{"a":[{"b":[1]}]}'), 3)).toBe(true)
    expect(nestsDeeperThan(bytes('{"a":[{"b":[1]}]}'), 4)).toBe(false)
    expect(nestsDeeperThan(bytes('{"a":"[[[[[[{{{{"}'), 1)).toBe(false)
    expect(nestsDeeperThan(bytes('{"a":"\\"[[[[","b":1}'), 1)).toBe(false)
    expect(
      nestsDeeperThan(bytes(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`), MAX_JSON_DEPTH),
    ).toBe(false)
  })

  it("refuses a signed body nested deeper with D8's 500, before parsing it", async () => {
    const { app } = testApp()
    const deep = `{"staffId":"45188","customerId":"5667067","startDate":${'['.repeat(400_000)}${']'.repeat(400_000)},"endDate":1}`
    const response = await app.inject(signedRequest({ now: DOCS_NOW, body: deep }))
    expect([response.statusCode, response.body]).toEqual([
      500,
      `Invalid request body: arrays and objects nest deeper than ${MAX_JSON_DEPTH} levels`,
    ])
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
  })
})

describe('describeSchemaErrors', () => {
  const explain = (schema: TSchema, value: unknown) =>
    describeSchemaErrors(Compile(schema).Errors(value), value)

  it('names unknown fields once, where they are, never as "schema is false"', () => {
    const inner = Type.Object({ b: Type.String() }, { additionalProperties: false })
    const schema = Type.Object({ a: Type.String(), inner }, { additionalProperties: false })
    expect(explain(schema, { a: 'x', inner: { b: 'y' }, c: 1, d: 2 })).toBe('unknown fields c, d')
    expect(explain(schema, { a: 'x', inner: { b: 'y', e: 3 } })).toBe('unknown field e (in inner)')
    // TypeBox stops after 8 errors, before the one that names them all: they are named anyway.
    const many = Object.fromEntries('cdefghijkl'.split('').map((name) => [name, 1]))
    expect(explain(schema, { a: 'x', inner: { b: 'y' }, ...many })).toBe(
      'unknown fields c, d, e, f, g, h, i, j',
    )
  })

  it('names what an enum allows, and quotes what came, cut to 64 characters', () => {
    const schema = Type.Object({ callType: Type.Enum(['all', 'video', 'voice']) })
    expect(explain(schema, { callType: 'VIDEO' })).toBe(
      'field callType must be one of "all", "video", "voice" (got "VIDEO")',
    )
    const long = explain(schema, { callType: 'x'.repeat(10_000) })
    expect(long).toBe(`field callType must be one of "all", "video", "voice" (got "${'x'.repeat(60)}...)`)
  })
})
