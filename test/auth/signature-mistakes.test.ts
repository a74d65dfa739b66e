import { createHmac, createSecretKey } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createDiagnosisBudget, UNLIMITED_BUDGET } from '../../src/auth/diagnosis-budget.js'
import {
  BODY_VARIANT_LIMIT,
  MAX_HASHED_BYTES,
  recogniseMistake,
  searchMistakes,
  type MistakeSearch,
} from '../../src/auth/signature-mistakes.js'
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

describe('searchMistakes: a bounded search', () => {
  const wrong = computeSignature('not-the-secret', parts)

  it('shares one pass over the body between variants that change only the resource, with any key length', () => {
    // Keys longer than a hash block (64 bytes) are hashed first (RFC 2104).
    for (const secret of ['k', 'x'.repeat(64), 'y'.repeat(65), 'ş'.repeat(100)]) {
      const long = createSecretKey(Buffer.from(secret))
      const withQuery = { ...parts, resource: `${parts.resource}?a=1` }
      const found = searchMistakes(
        { secrets: [long], retiredSecrets: [], parts: withQuery, host: 'mock:3000' },
        computeSignature(secret, { ...withQuery, resource: parts.resource }),
        UNLIMITED_BUDGET,
      )
      expect(found.found?.mistakes).toEqual(['query-dropped'])
      const hex = createHmac('sha1', secret)
        .update(stringToSign(withQuery, 'newline-before-resource'))
        .digest('hex')
      expect(
        searchMistakes({ secrets: [long], retiredSecrets: [], parts: withQuery }, hex, UNLIMITED_BUDGET).found
          ?.mistakes,
      ).toEqual(['hmac-sha1', 'hex-digest', 'newline-before-resource'])
    }
  })

  it('tries every variant of a small body', () => {
    const result = searchMistakes(search(), wrong, UNLIMITED_BUDGET)
    expect(result).toMatchObject({ untried: 0 })
    expect(result.total).toBeGreaterThan(20)
  })

  it('hashes at most MAX_HASHED_BYTES, however large the body', () => {
    const body = JSON.stringify({ items: Array.from({ length: 6000 }, (_, i) => `item${i}`) })
    expect(body.length).toBeGreaterThan(BODY_VARIANT_LIMIT)
    const large = { ...parts, body }
    const result = searchMistakes(search({ parts: large }), computeSignature('x', large), UNLIMITED_BUDGET)
    // Each variant the search tried hashed the whole body once at most.
    const tried = result.total - result.untried
    expect(result.untried).toBeGreaterThan(0)
    expect(tried * body.length).toBeLessThanOrEqual(MAX_HASHED_BYTES * 6)
    // The likeliest mistakes still fit: the content type an HTTP library changed.
    const charset = { ...large, contentType: 'application/json; charset=utf-8' }
    expect(
      searchMistakes(search({ parts: charset }), computeSignature(SECRET, large), UNLIMITED_BUDGET).found
        ?.mistakes,
    ).toEqual(['content-type-differs'])
  })

  it('does not re-serialise a body nested deeper than the API parser allows', () => {
    const deep = { ...parts, body: `${'['.repeat(3000)}${']'.repeat(3000)}` }
    const reindented = JSON.stringify(JSON.parse(deep.body), null, 2)
    expect(
      searchMistakes(
        search({ parts: deep }),
        computeSignature(SECRET, { ...deep, body: reindented }),
        UNLIMITED_BUDGET,
      ).found,
    ).toBeUndefined()
    const shallow = { ...parts, body: '[[1, 2]]' }
    expect(
      searchMistakes(
        search({ parts: shallow }),
        computeSignature(SECRET, { ...shallow, body: '[[1,2]]' }),
        UNLIMITED_BUDGET,
      ).found?.mistakes,
    ).toEqual(['body-reserialised'])
  })

  it('does not run when the budget of the second is spent, and charges what it took', () => {
    let now = 0
    const budget = createDiagnosisBudget(5, () => now)
    const first = searchMistakes(search(), signed({ method: 'post' }), {
      ...budget,
      now: () => (now += 3),
      available: () => budget.available(),
      spend: (ms) => budget.spend(ms),
    })
    expect(first.found?.mistakes).toEqual(['lowercase-method'])
    budget.spend(2)
    expect(budget.available()).toBe(false)
    expect(searchMistakes(search(), signed({ method: 'post' }), budget)).toEqual({
      untried: 0,
      total: 0,
      skipped: true,
    })
    now += 1000
    expect(searchMistakes(search(), signed({ method: 'post' }), budget).found?.mistakes).toEqual([
      'lowercase-method',
    ])
  })
})
