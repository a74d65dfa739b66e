import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import {
  exampleBody,
  groupOf,
  messagingBody,
  requestContext,
  type ConformanceCase,
  type Verdict,
} from '../../src/conformance/case.js'
import { CASES } from '../../src/conformance/cases/index.js'
import type { HttpResponse, Transport } from '../../src/conformance/http.js'
import { GET_CALL_LIST } from '../../src/routes/reporting/getcalllist.js'
import { GET_MESSAGING_DETAIL } from '../../src/routes/reporting/getmessagingdetail.js'
import { fullPath } from '../../src/routes/signed-route.js'
import { botPath } from '../../src/routes/bot-route.js'
import { BOT_ROUTES } from '../../src/routes/bots/index.js'
import { SIGNED_ROUTES } from '../../src/routes/signed-routes.js'
import { parseFixtureData } from '../../src/store/fixture-loader.js'
import { createStore, type Store } from '../../src/store/store.js'
import { testApp, type TestAppOptions } from '../helpers/app.js'
import { injectTransport, mockTarget } from '../helpers/conformance.js'

/**
 * The Reporting lists' cases against the mock, each judged on its own so that a verdict's
 * "not applicable" (which the runner counts as a pass) shows: with the default fixtures every
 * rule is put to the test; with no data, every rule that needs some says it was not.
 */

const LIST_GROUPS = ['getcalllist', 'getonlinehelplist', 'getstaffmessaginglist', 'getcustomermessaginglist']
const LIST_CASES = CASES.filter((c) => LIST_GROUPS.includes(groupOf(c)))
const target = mockTarget('http://mock.test:8080')

/** One case as the runner runs it (no redirects), its verdict returned whole. */
async function judge(testCase: ConformanceCase, send: Transport, now: () => number): Promise<Verdict> {
  const context = requestContext(target, now, new Set())
  const answer = await send(testCase.request(context))
  const answers: HttpResponse[] = [answer]
  if (testCase.followUp !== undefined) {
    const next = testCase.followUp.request(answer, context)
    if ('problem' in next) return { ok: false, problem: next.problem }
    answers.push(await send(next))
  }
  return testCase.check(answers)
}

async function verdicts(options: TestAppOptions = {}) {
  const { app, clock } = testApp(options)
  const send = injectTransport(app)
  const results: Record<string, Verdict> = {}
  for (const testCase of LIST_CASES) results[testCase.id] = await judge(testCase, send, () => clock.now())
  return results
}

describe('requests built from the signed API table', () => {
  const context = requestContext(target, () => Date.UTC(2021, 2, 9, 13, 28, 32), new Set())

  it("send the route's documentation example to fullPath(route), fields set in place or left out", () => {
    const request = context.signed({ route: GET_CALL_LIST })
    expect(request.url).toBe(`http://mock.test:8080${fullPath(GET_CALL_LIST)}`)
    expect(request.body).toBe(
      '{"startDate":1617278400000,"endDate":1617969609000,"callType":"voice","staffId":"45186","customerId":"2337368","callUseType":3}',
    )
    expect(
      context.signed({ route: GET_CALL_LIST, body: { callType: 'all', callUseType: undefined } }).body,
    ).toBe(
      '{"startDate":1617278400000,"endDate":1617969609000,"callType":"all","staffId":"45186","customerId":"2337368"}',
    )
    expect(context.signed({ route: GET_CALL_LIST, body: 'as is' }).body).toBe('as is')
  })

  it("keep getmessagingdetail's default: the target's pair over its example, byte for byte as before", () => {
    const pair = { ...target, staffId: '1', customerId: '2' }
    const seed = requestContext(pair, () => 0, new Set())
    const expected = '{"staffId":"1","customerId":"2","startDate":1610856400000,"endDate":1635892494000}'
    expect(seed.signed().body).toBe(expected)
    expect(seed.signed({ route: GET_MESSAGING_DETAIL }).body).toBe(expected)
    expect(messagingBody(pair)).toBe(expected)
    expect(exampleBody(GET_MESSAGING_DETAIL)).toBe(
      '{"staffId":"45188","customerId":"5667067","startDate":1610856400000,"endDate":1635892494000}',
    )
  })

  it('so that every case sends to a path of the table, and every endpoint of the table is covered', () => {
    const bots = BOT_ROUTES.map((route) => botPath(route, context.target.botToken))
    const paths = new Set([...SIGNED_ROUTES.map(fullPath), ...bots])
    // The wrong-token cases send to the same APIs with another token.
    const sent = new Set(
      CASES.map((c) => new URL(c.request(context).url).pathname).filter(
        (path) => !path.startsWith('/v1/bots/') || path.endsWith(context.target.botToken),
      ),
    )
    expect([...sent].filter((path) => !paths.has(path))).toEqual([])
    expect(sent).toEqual(paths)
  })
})

describe('the list cases against the mock', () => {
  it('with the default fixtures: every one holds, and every rule is put to the test', async () => {
    const results = await verdicts()
    expect(Object.keys(results)).toHaveLength(34)
    for (const [id, verdict] of Object.entries(results)) expect([id, verdict]).toEqual([id, { ok: true }])
  })

  it('with no calls, sessions or messages: none fails, and those that need data say they were not applicable', async () => {
    const empty: Store = createStore(
      parseFixtureData(
        {
          staff: [{ staffId: '45186', name: 'Ayşe Yılmaz' }],
          customers: [{ customerId: '2337368', name: 'Ömer Faruk Şahin' }],
          conversations: [],
        },
        'test',
      ),
    )
    const results = await verdicts({ store: empty })
    expect(Object.entries(results).filter(([, verdict]) => !verdict.ok)).toEqual([])
    const tested = Object.entries(results)
      .filter(([, verdict]) => verdict.ok && verdict.notApplicable === undefined)
      .map(([id]) => id)
    // What needs no data: a missing field's 500, an unknown id's [], a reversed window, a page past the end.
    expect(tested).toEqual([
      'getcalllist.missing-call-type',
      'getcalllist.D17.unknown-staff',
      'getcalllist.D17.reversed-window',
      'getonlinehelplist.missing-start-date',
      'getstaffmessaginglist.missing-page-number',
      'getstaffmessaginglist.D14.page-zero',
      'getstaffmessaginglist.D14.past-the-end',
      'getstaffmessaginglist.D17.unknown-staff',
      'getstaffmessaginglist.D17.reversed-window',
      'getcustomermessaginglist.missing-page-size',
      'getcustomermessaginglist.D17.unknown-customer',
    ])
  })
})

describe('docs/conformance.md', () => {
  it("names every list case in its table, with the case's level", async () => {
    const doc = await readFile(new URL('../../docs/conformance.md', import.meta.url), 'utf8')
    const rows = doc.split('\n').filter((line) => line.startsWith('| `get'))
    for (const testCase of LIST_CASES) {
      const row = rows.find((line) => line.split('|')[1]?.includes(`\`${testCase.id}\``))
      expect([testCase.id, row?.split('|')[2]?.trim()]).toEqual([testCase.id, testCase.level])
    }
  })
})
