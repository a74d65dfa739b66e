import { describe, expect, it } from 'vitest'
import { followedBy, requestContext, type RequestContext } from '../../src/conformance/case.js'
import {
  emptyList,
  itemProblem,
  jsonItems,
  linkOpens,
  listOf,
  newestFirst,
  NumberLiteral,
  optional,
  parseExact,
  type ItemSpec,
} from '../../src/conformance/checks.js'
import { CASES } from '../../src/conformance/cases/index.js'
import type { HttpResponse } from '../../src/conformance/http.js'
import { mockTarget } from '../helpers/conformance.js'

/** The list checks on answers written by hand. */

const json = (body: string, status = 200): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body,
})

describe('parseExact', () => {
  it('keeps every number as written: 64-bit ids exact, fractions and exponents as they came', () => {
    const parsed = parseExact(
      '[{"callId":-1527120504243668640,"t":1.50,"e":1e3,"s":"x\\"y","n":null,"b":true}]',
    )
    const [item] = parsed as Record<string, unknown>[]
    expect(item?.['callId']).toEqual(new NumberLiteral('-1527120504243668640'))
    expect((item?.['callId'] as NumberLiteral).text).not.toBe(String(-1527120504243668640))
    expect(item?.['t']).toEqual(new NumberLiteral('1.50'))
    expect(item?.['e']).toEqual(new NumberLiteral('1e3'))
    expect([item?.['s'], item?.['n'], item?.['b']]).toEqual(['x"y', null, true])
  })

  it('reads what JSON.parse reads, and refuses what it refuses', () => {
    const plain = (value: unknown): unknown =>
      value instanceof NumberLiteral
        ? value.value
        : Array.isArray(value)
          ? value.map(plain)
          : typeof value === 'object' && value !== null
            ? Object.fromEntries(Object.entries(value).map(([key, member]) => [key, plain(member)]))
            : value
    for (const text of [
      '[]',
      ' {} ',
      '[1,[2,{"a":[]}]]',
      '"\\u00e7"',
      '-0',
      '{"a":1,"a":2}',
      '[1e-3,-2.5E+2]',
    ]) {
      expect(plain(parseExact(text)), text).toEqual(JSON.parse(text))
    }
    for (const text of ['', '[1,]', '{"a"}', '01', '[1] x', "{'a':1}", '"\\x"', '[NaN]', '{"a":1,}']) {
      expect(() => parseExact(text), text).toThrow(SyntaxError)
      expect(() => JSON.parse(text), text).toThrow(SyntaxError)
    }
  })

  it('treats __proto__ as a key, and refuses nesting deeper than 64', () => {
    const parsed = parseExact('{"__proto__":{"x":1}}') as Record<string, unknown>
    expect(Object.keys(parsed)).toEqual(['__proto__'])
    expect(() => parseExact(`${'['.repeat(100)}${']'.repeat(100)}`)).toThrow('nested too deep')
  })
})

describe('item shapes', () => {
  const spec: ItemSpec = {
    id: 'long',
    count: 'int',
    name: 'string',
    kind: ['a', 'b'],
    note: optional('string'),
  }
  const item = (text: string) => parseExact(text) as Record<string, unknown>

  it('an integer is an integer literal of its width; a string or a rounded form is not', () => {
    expect(
      itemProblem(item('{"id":-9223372036854775808,"count":2147483647,"name":"x","kind":"a"}'), spec),
    ).toBe(undefined)
    expect(itemProblem(item('{"id":"1","count":1,"name":"x","kind":"a"}'), spec)).toBe(
      'id is "1", not an integer (long)',
    )
    expect(itemProblem(item('{"id":1.5e18,"count":1,"name":"x","kind":"a"}'), spec)).toBe(
      'id is 1.5e18, not an integer (long)',
    )
    expect(itemProblem(item('{"id":9223372036854775808,"count":1,"name":"x","kind":"a"}'), spec)).toContain(
      'id is',
    )
    expect(itemProblem(item('{"id":1,"count":2147483648,"name":"x","kind":"a"}'), spec)).toBe(
      'count is 2147483648, not an integer (int)',
    )
    expect(itemProblem(item('{"id":1,"count":1.0,"name":"x","kind":"a"}'), spec)).toContain('count is 1.0')
  })

  it('a required field missing or null, an enum value outside, fields beyond the spec allowed', () => {
    expect(itemProblem(item('{"count":1,"name":"x","kind":"a"}'), spec)).toBe('id is missing')
    expect(itemProblem(item('{"id":1,"count":1,"name":null,"kind":"a"}'), spec)).toBe(
      'name is null, not a string',
    )
    expect(itemProblem(item('{"id":1,"count":1,"name":"x","kind":"c"}'), spec)).toBe(
      'kind is "c", not one of "a", "b"',
    )
    expect(itemProblem(item('{"id":1,"count":1,"name":"x","kind":"a","note":null,"extra":[]}'), spec)).toBe(
      undefined,
    )
    expect(itemProblem(item('{"id":1,"count":1,"name":"x","kind":"a","note":3}'), spec)).toBe(
      'note is 3, not a string',
    )
  })

  it('a list answer: 200 application/json, an array of objects', () => {
    expect(jsonItems(json('[{"a":1}]'))).toEqual([{ a: new NumberLiteral('1') }])
    expect(jsonItems(json('[]', 500))).toMatch(/^500/)
    expect(jsonItems({ ...json('[]'), headers: { 'content-type': 'text/plain' } })).toBe(
      'Content-Type text/plain, not application/json',
    )
    expect(jsonItems(json('{"items":[]}'))).toMatch(/not a JSON array/)
    expect(jsonItems(json('[{},2]'))).toBe('item 2 is 2, not an object')
    expect(jsonItems(json('[1,'))).toMatch(/not JSON/)
  })
})

describe('list expectations', () => {
  const check = (
    expectation: { check: (a: readonly HttpResponse[]) => unknown },
    ...answers: HttpResponse[]
  ) => expectation.check(answers)

  it('an empty list, or one too short to show a rule, passes as not applicable', () => {
    expect(check(listOf('x', { a: 'int' }), json('[]'))).toEqual({
      ok: true,
      notApplicable: 'the list is empty: no item to judge',
    })
    expect(check(newestFirst('t', 20), json('[{"t":5}]'))).toMatchObject({
      ok: true,
      notApplicable: expect.any(String),
    })
    expect(check(newestFirst('t', 3), json('[{"t":5},{"t":5},{"t":4}]'))).toEqual({ ok: true })
    expect(check(newestFirst('t', 3), json('[{"t":5},{"t":4}]'))).toEqual({
      ok: true,
      notApplicable: '2 items: the cap of 3 not reached',
    })
  })

  it('newest first within the cap: an older item first, or one item too many, fails', () => {
    expect(check(newestFirst('t', 3), json('[{"t":4},{"t":5}]'))).toEqual({
      ok: false,
      problem: "item 2's t 5 is after item 1's 4",
    })
    expect(check(newestFirst('t', 3), json('[{"t":4},{"t":3},{"t":2},{"t":1}]'))).toEqual({
      ok: false,
      problem: '4 items, more than 3',
    })
    expect(check(newestFirst('t', 3), json('[{"t":4},{"t":"3"}]'))).toMatchObject({ ok: false })
  })

  it('a link opened, none to open, or a link that failed', () => {
    const opens = linkOpens('url', 'the first item')
    const list = json('[{"url":""},{"url":"http://x.test/a"}]')
    expect(check(opens, list, { status: 200, headers: {}, body: '' })).toEqual({ ok: true })
    expect(check(opens, list, { status: 404, headers: {}, body: 'gone' })).toMatchObject({ ok: false })
    expect(check(opens, json('[{"url":""}]'), { status: 400, headers: {}, body: '' })).toMatchObject({
      ok: true,
      notApplicable: expect.any(String),
    })
    expect(check(emptyList, json('[]'))).toEqual({ ok: true })
    expect(check(emptyList, json('[{}]'))).toEqual({ ok: false, problem: '1 items, not []' })
  })
})

describe('followedBy', () => {
  it("signs the follow-up with the context the runner passes, else with the case's last one", () => {
    const contexts: RequestContext[] = []
    const chained = followedBy(
      (c) => c.signed(),
      'again',
      (_answer, c) => (contexts.push(c), c.signed()),
    )
    const one = requestContext(mockTarget('http://one.test'), () => 0, new Set())
    const two = requestContext(mockTarget('http://two.test'), () => 0, new Set())
    chained.request(one)
    const answer = json('[]')
    expect(chained.followUp?.request(answer)).toMatchObject({
      url: expect.stringMatching(/^http:\/\/one\.test\//),
    })
    expect(chained.followUp?.request(answer, two)).toMatchObject({
      url: expect.stringMatching(/^http:\/\/two\.test\//),
    })
    expect(contexts).toEqual([one, two])
  })
})

describe("D12's window of one millisecond (getonlinehelplist.D12.both-ends-inclusive)", () => {
  const testCase = CASES.find((c) => c.id === 'getonlinehelplist.D12.both-ends-inclusive')!
  const id = '-7320316471234567890'
  const first = json(
    `[{"onlineHelpId":5,"helpRequestedAt":1615300000000},{"onlineHelpId":${id},"helpRequestedAt":1615298312000}]`,
  )
  const session = (helpId: string, at = 1615298312000) => `{"onlineHelpId":${helpId},"helpRequestedAt":${at}}`

  it("asks for the oldest session's millisecond, and finds that session by its exact id", () => {
    const context = requestContext(mockTarget('http://mock.test'), () => 0, new Set())
    testCase.request(context)
    const next = testCase.followUp?.request(first, context)
    expect(next && 'body' in next ? JSON.parse(next.body ?? '') : next).toMatchObject({
      startDate: 1615298312000,
      endDate: 1615298312000,
    })
    expect(testCase.check([first, json(`[${session(id)}]`)])).toEqual({ ok: true })
    // The id rounded through a double is another session.
    expect(testCase.check([first, json(`[${session(String(Number(id)))}]`)])).toMatchObject({ ok: false })
  })

  it('differs when the session is missing or another time is in the window; not applicable without data or at the cap', () => {
    expect(testCase.check([first, json('[]')])).toEqual({
      ok: false,
      problem: `the window 1615298312000–1615298312000 (0 sessions) does not hold session ${id}, requested then`,
    })
    expect(testCase.check([first, json(`[${session(id)},${session('6', 1615298312001)}]`)])).toEqual({
      ok: false,
      problem: 'the window 1615298312000–1615298312000 holds item 2, requested at 1615298312001',
    })
    expect(testCase.check([json('[]'), json('[]')])).toMatchObject({
      ok: true,
      notApplicable: expect.any(String),
    })
    const full = json(`[${Array.from({ length: 20 }, (_, i) => session(String(i))).join(',')}]`)
    expect(testCase.check([first, full])).toMatchObject({
      ok: true,
      notApplicable: expect.stringMatching(/cap/),
    })
  })
})
