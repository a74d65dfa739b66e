import { describe, expect, it } from 'vitest'
import { DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { sign } from '../../src/auth/signer.js'
import { groupOf, requestContext, type ConformanceCase } from '../../src/conformance/case.js'
import type { HttpResponse } from '../../src/conformance/http.js'
import { DOCS_NOW } from '../helpers/app.js'
import { mockTarget } from '../helpers/conformance.js'
import { CASES } from '../../src/conformance/cases/index.js'
import { DEFAULT_MAX_REQUESTS, plannedRequests } from '../../src/conformance/runner.js'

describe('signed requests', () => {
  it("sign the whole path after the host, a base URL's own path included", () => {
    const signatures = new Set<string>()
    const context = requestContext(mockTarget('https://gateway.test/api'), () => DOCS_NOW, signatures)
    const request = context.signed()
    expect(request.url).toBe('https://gateway.test/api/v1/reporting/getmessagingdetail')
    const { signature } = sign(
      {
        contentType: 'application/json',
        date: 'Tue, 09 Mar 2021 13:28:32 GMT',
        body: request.body ?? '',
        resource: '/api/v1/reporting/getmessagingdetail',
      },
      DEMO_ACCESS_KEY,
    )
    expect(request.headers['x-dlg-authorization']).toBe(`DLGA ${DEMO_ACCESS_KEY.keyId}:${signature}`)
    expect([...signatures]).toEqual([signature])
  })
})

/** The cases whose second request is a signed list request built from the first answer (D12, D13). */
const SIGNED_FOLLOW_UPS = ['getcalllist.D13.boundary-again', 'getonlinehelplist.D12.both-ends-inclusive']

/** A case whose follow-up opens a link of the first answer (every such explain starts "GET"). */
const opensLink = (c: ConformanceCase) => c.followUp?.explain.startsWith('GET ') === true

describe('the conformance cases', () => {
  it('have unique ids of the form <group>.<name>, in the groups --only names', () => {
    const ids = CASES.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[a-z]+\.[A-Za-z0-9.-]+$/)
    expect([...new Set(CASES.map(groupOf))]).toEqual([
      'auth',
      'getmessagingdetail',
      'links',
      'getcalllist',
      'getonlinehelplist',
      'getstaffmessaginglist',
      'getcustomermessaginglist',
      'bots',
    ])
  })

  it('cover every row of the error table and every decision of docs/contract.md §7 that a request can show', () => {
    const expected = new Set(CASES.filter((c) => c.level === 'MUST').map((c) => c.expected))
    for (const row of [
      '503, text/plain, "You may be using wrong token."',
      '500, text/plain, "Not delivered due to recepient not found."',
      '400, text/plain, "File data bytes is empty"',
      '400, text/plain, "File data bytes not valid"',
      '400 "Required headers not found"',
      '400 "Authorization failed due to data format not valid"',
      '400 "Authorization failed due to date not valid"',
      '401 "Authorization failed"',
      '403 "Request time may not be correct."',
    ]) {
      expect(expected).toContain(row)
    }
    const decisions = new Set(CASES.filter((c) => c.level === 'DECISION').map((c) => c.ref))
    // D1 and D11 are the paths the requests use.
    expect([...decisions].sort()).toEqual([
      'D10',
      'D12',
      'D13',
      'D14',
      'D15',
      'D16',
      'D17',
      'D18',
      'D19',
      'D2',
      'D20',
      'D23',
      'D24',
      'D3',
      'D4',
      'D5',
      'D6',
      'D7',
      'D8',
      'D9',
      '§5',
    ])
    expect(CASES.filter((c) => c.ref.includes('D1')).map((c) => c.id)).toContain('getmessagingdetail.success')
  })

  it('say what they expect in one line and fit the default cap of requests, messages sent or not', () => {
    for (const testCase of CASES) {
      expect(testCase.description).not.toContain('\n')
      expect(testCase.expected).not.toContain('\n')
    }
    const all = { sendMessages: true }
    expect(plannedRequests(CASES, all)).toBeLessThanOrEqual(DEFAULT_MAX_REQUESTS)
    // With room for one redirect of every link a case opens (a real server's web client may
    // redirect once). The other follow-ups are signed list requests to the path the case's first
    // request took, whose redirect the runner does not follow (a 3xx there is the answer): a
    // server that redirected them would have failed that first request already.
    expect(plannedRequests(CASES, all) + CASES.filter(opensLink).length).toBeLessThanOrEqual(
      DEFAULT_MAX_REQUESTS,
    )
    expect(CASES.filter((c) => c.followUp !== undefined && !opensLink(c)).map((c) => c.id)).toEqual(
      SIGNED_FOLLOW_UPS,
    )
  })

  it('whose follow-ups that open no link are signed POSTs to the path of their first request', () => {
    const context = requestContext(mockTarget('http://mock.test:8080'), () => DOCS_NOW, new Set())
    // An answer each of them can follow: one item with the times they read.
    const answer: HttpResponse = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '[{"callId":1,"callStartedAt":1617278400000,"onlineHelpId":2,"helpRequestedAt":1615298312000}]',
    }
    for (const id of SIGNED_FOLLOW_UPS) {
      const testCase = CASES.find((c) => c.id === id)
      const first = testCase?.request(context)
      const next = testCase?.followUp?.request(answer, context)
      const sent = next !== undefined && 'url' in next ? next : undefined
      expect([id, sent?.method, sent?.url, sent?.headers['x-dlg-authorization']]).toEqual([
        id,
        'POST',
        first?.url,
        expect.stringMatching(/^DLGA /),
      ])
      // Built from the answer, not the first request sent again.
      expect(sent?.body).not.toBe(first?.body)
    }
  })
})
