import { createHmac, createSecretKey } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { recogniseMistake, type MistakeSearch } from '../../src/auth/signature-mistakes.js'
import { computeSignature, stringToSign, type StringToSignParts } from '../../src/auth/string-to-sign.js'

const SECRET = 'mistakes-secret'
const key = createSecretKey(Buffer.from(SECRET))
const parts: StringToSignParts = {
  method: 'POST',
  contentType: 'application/json',
  date: 'Tue, 09 Mar 2021 13:28:32 GMT',
  body: '{"names":["Ayşe","İpek"],"b":1,"a":{"z":true,"y":null}}',
  resource: '/v1/reporting/getmessagingdetail',
}
const search = (change: Partial<MistakeSearch> = {}): MistakeSearch => ({
  secrets: [key],
  retiredSecrets: [],
  parts,
  ...change,
})
const signed = (change: Partial<StringToSignParts>) => computeSignature(SECRET, { ...parts, ...change })

describe('recogniseMistake', () => {
  it('recognises an HMAC-SHA1 in hex', () => {
    const received = createHmac('sha1', SECRET).update(stringToSign(parts)).digest('hex')
    expect(recogniseMistake(search(), received)?.mistakes).toEqual(['hmac-sha1', 'hex-digest'])
  })

  it('recognises JSON re-serialised with arrays and nested objects, sorted keys and \\u escapes', () => {
    const json = JSON.parse(parts.body as string) as unknown
    const python = '{"names": ["Ay\\u015fe", "\\u0130pek"], "b": 1, "a": {"z": true, "y": null}}'
    expect(recogniseMistake(search(), signed({ body: python }))).toEqual({
      mistakes: ['body-reserialised'],
      explanation:
        'signed the body as JSON with ", " and ": " separators and \\u escapes (Python json.dumps), sent other bytes',
    })
    const sorted = '{"a":{"y":null,"z":true},"b":1,"names":["Ayşe","İpek"]}'
    expect(recogniseMistake(search(), signed({ body: sorted }))?.explanation).toContain('sorted keys')
    expect(recogniseMistake(search(), signed({ body: JSON.stringify(json, null, '\t') }))?.mistakes).toEqual([
      'body-reserialised',
    ])
  })

  it('reads a body given as bytes', () => {
    const bytes = search({ parts: { ...parts, body: Buffer.from(parts.body as string) } })
    expect(recogniseMistake(bytes, signed({ body: '' }))?.mistakes).toEqual(['empty-body-signed'])
  })

  it('tries no body variant but the empty one on a large body, and none on a body that is not JSON', () => {
    const large = { ...parts, body: JSON.stringify({ padding: 'x'.repeat(70_000) }) }
    const reindented = JSON.stringify(JSON.parse(large.body), null, 2)
    expect(
      recogniseMistake(search({ parts: large }), computeSignature(SECRET, { ...large, body: reindented })),
    ).toBeUndefined()
    expect(
      recogniseMistake(search({ parts: large }), computeSignature(SECRET, { ...large, body: '' }))?.mistakes,
    ).toEqual(['empty-body-signed'])
    const text = { ...parts, body: 'not\njson' }
    expect(
      recogniseMistake(search({ parts: text }), computeSignature(SECRET, { ...text, body: 'not\r\njson' }))
        ?.mistakes,
    ).toEqual(['newlines-converted'])
  })

  it('recognises a Content-Type signed when none was sent', () => {
    const bare = { ...parts, contentType: '' }
    expect(
      recogniseMistake(
        search({ parts: bare }),
        computeSignature(SECRET, { ...bare, contentType: 'application/json' }),
      )?.mistakes,
    ).toEqual(['content-type-differs'])
  })

  it('gives up on a signature of no known shape, or one nothing explains', () => {
    expect(recogniseMistake(search(), 'not a signature')).toBeUndefined()
    expect(recogniseMistake(search(), computeSignature('another-secret', parts))).toBeUndefined()
  })

  it('recognises the HTTP Date header signed instead of an x-dlg-date it cannot read', () => {
    const httpDate = `Tue, 09 Mar 2021 13:28:32 GMT${' '.repeat(60)}(Coordinated Universal Time)`
    const garbled = search({ parts: { ...parts, date: 'yesterday' }, httpDate })
    const found = recogniseMistake(garbled, computeSignature(SECRET, { ...parts, date: httpDate }))
    expect(found?.mistakes).toEqual(['different-date'])
    expect(found?.explanation).toMatch(/^signed the Date header ".{80}\.\.\." instead of x-dlg-date$/)
    // The same value in both headers is one variant, not two.
    expect(recogniseMistake(search({ httpDate: parts.date }), computeSignature('x', parts))).toBeUndefined()
  })

  it('calls a final newline signed after an empty body the D3 newline: the bytes are the same', () => {
    const empty = { ...parts, body: '' }
    const found = recogniseMistake(
      search({ parts: empty }),
      computeSignature(SECRET, { ...empty, body: '\n' }),
    )
    expect(found?.mistakes).toEqual(['newline-before-resource'])
  })

  it('tries no lower-case variant of a method sent in lower case', () => {
    const lower = { ...parts, method: 'post' }
    expect(recogniseMistake(search({ parts: lower }), computeSignature(SECRET, lower))).toBeUndefined()
  })

  it('never reports the request as sent with a current secret: that one already failed', () => {
    // Only reachable if the caller asks about a valid signature: the search must not call it a mistake.
    expect(recogniseMistake(search(), signed({}))).toBeUndefined()
  })
})
