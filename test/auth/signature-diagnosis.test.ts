import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  createDiagnosisBudget,
  UNLIMITED_BUDGET,
  type DiagnosisBudget,
} from '../../src/auth/diagnosis-budget.js'
import { formatDlgDate } from '../../src/auth/dlg-date.js'
import { DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { computeSignature, stringToSign, type StringToSignParts } from '../../src/auth/string-to-sign.js'
import { DOCS_NOW, TEST_LINK_SECRET, testApp } from '../helpers/app.js'
import { DOCS_BODY } from '../helpers/signing.js'
import { vectorCase, vectors } from '../helpers/vectors.js'

/**
 * Signature diagnosis over HTTP: every failure keeps its documented status and body and
 * explains itself in `x-dlg-mock-*` headers. Each mistake is made on purpose here, with the
 * key's real secret, and the diagnosis must name it.
 */

const RETIRED_SECRET = 'an-old-rotated-secret'
const ENV = { DLG_RETIRED_ACCESS_KEYS: `${DEMO_ACCESS_KEY.keyId}:${RETIRED_SECRET}` }
const URL_PATH = '/v1/reporting/getmessagingdetail'
const HOST = 'localhost:3000'
const COMPACT = JSON.stringify(DOCS_BODY)

interface Sent {
  method?: string
  url?: string
  contentType?: string
  date?: string
  body?: string
  headers?: Record<string, string>
}

/** What is sent, as the server will see it. */
function partsOf(sent: Sent): StringToSignParts {
  return {
    method: sent.method ?? 'POST',
    contentType: sent.contentType ?? 'application/json',
    date: sent.date ?? formatDlgDate(DOCS_NOW),
    body: sent.body ?? COMPACT,
    resource: sent.url ?? URL_PATH,
  }
}

/** Sends `sent` with `signature` and returns the answer and what the server would have accepted. */
async function send(
  sent: Sent,
  signature: string,
  env: Record<string, string> = ENV,
  diagnosisBudget?: DiagnosisBudget,
) {
  const parts = partsOf(sent)
  const { app, rawLogs } = testApp({ env, ...(diagnosisBudget === undefined ? {} : { diagnosisBudget }) })
  const response = await app.inject({
    method: parts.method,
    url: parts.resource,
    headers: {
      host: HOST,
      'content-type': parts.contentType,
      'x-dlg-date': parts.date,
      'x-dlg-requester-userid': '45186',
      'x-dlg-authorization': `DLGA ${DEMO_ACCESS_KEY.keyId}:${signature}`,
      ...sent.headers,
    },
    payload: parts.body,
  })
  await app.close()
  // The log lines travel with the response, so every check of the answer covers them too.
  return {
    response: Object.assign(response, { logs: rawLogs.join('\n') }),
    valid: computeSignature(DEMO_ACCESS_KEY.secret, parts),
  }
}

const sha256 = (parts: StringToSignParts, layout?: 'newline-before-resource') =>
  computeSignature(DEMO_ACCESS_KEY.secret, parts, layout)
const digest = (algorithm: string, encoding: 'base64' | 'hex' | 'base64url', parts: StringToSignParts) =>
  createHmac(algorithm, DEMO_ACCESS_KEY.secret).update(stringToSign(parts)).digest(encoding)
const signedAs = (change: Partial<StringToSignParts>, sent: Sent = {}) =>
  sha256({ ...partsOf(sent), ...change })

/** Every secret and valid signature that must never appear in an answer. */
function expectNothingSecret(
  response: { headers: Record<string, unknown>; body: string; logs?: string },
  valid: string,
) {
  const everything = `${JSON.stringify(response.headers)}\n${response.body}\n${response.logs ?? ''}`
  for (const secret of [DEMO_ACCESS_KEY.secret, RETIRED_SECRET, TEST_LINK_SECRET, valid]) {
    expect(everything).not.toContain(secret)
  }
  expect(everything).not.toContain(Buffer.from(valid, 'base64').toString('hex'))
  expect(everything).not.toContain(Buffer.from(valid, 'base64').toString('base64url'))
}

const SEND_CHARSET: Sent = { contentType: 'application/json; charset=utf-8' }
const SEND_QUERY: Sent = { url: `${URL_PATH}?trace=1` }
const SEND_PRETTY: Sent = { body: JSON.stringify(DOCS_BODY, null, 2) }
const SEND_CRLF: Sent = { body: JSON.stringify(DOCS_BODY, null, 2).replaceAll('\n', '\r\n') }
const HTTP_DATE = 'Tue, 09 Mar 2021 13:28:30 GMT'

describe('each known mistake is named, and the answer stays 401 Authorization failed', () => {
  const cases: [string, Sent, () => string, string][] = [
    [
      "newline between body and resource (the docs' worked example, D3)",
      {},
      () => sha256(partsOf({}), 'newline-before-resource'),
      'newline-before-resource',
    ],
    ['HMAC-SHA1 (D4)', {}, () => digest('sha1', 'base64', partsOf({})), 'hmac-sha1'],
    ['hex digest', {}, () => digest('sha256', 'hex', partsOf({})), 'hex-digest'],
    ['upper-case hex digest', {}, () => digest('sha256', 'hex', partsOf({})).toUpperCase(), 'hex-digest'],
    ['base64url digest', {}, () => digest('sha256', 'base64url', partsOf({})), 'base64url-digest'],
    ['lower-case method', {}, () => signedAs({ method: 'post' }), 'lowercase-method'],
    ['host in the resource', {}, () => signedAs({ resource: `${HOST}${URL_PATH}` }), 'host-in-resource'],
    [
      'full URL as the resource',
      {},
      () => signedAs({ resource: `http://${HOST}${URL_PATH}` }),
      'url-in-resource',
    ],
    [
      'https URL as the resource',
      {},
      () => signedAs({ resource: `https://${HOST}${URL_PATH}` }),
      'url-in-resource',
    ],
    ['query string dropped', SEND_QUERY, () => signedAs({ resource: URL_PATH }, SEND_QUERY), 'query-dropped'],
    [
      'charset added to Content-Type after signing',
      SEND_CHARSET,
      () => signedAs({ contentType: 'application/json' }, SEND_CHARSET),
      'content-type-differs',
    ],
    [
      'charset dropped from Content-Type after signing',
      {},
      () => signedAs({ contentType: 'application/json; charset=utf-8' }),
      'content-type-differs',
    ],
    [
      'body signed compact, sent indented',
      SEND_PRETTY,
      () => signedAs({ body: COMPACT }, SEND_PRETTY),
      'body-reserialised',
    ],
    [
      'body signed with Python json.dumps spacing',
      {},
      () => signedAs({ body: COMPACT.replaceAll(',', ', ').replaceAll(':', ': ') }),
      'body-reserialised',
    ],
    [
      'body signed with \\r\\n, sent with \\n',
      SEND_PRETTY,
      () => signedAs({ body: SEND_CRLF.body ?? '' }, SEND_PRETTY),
      'newlines-converted',
    ],
    [
      'body signed with \\n, sent with \\r\\n',
      SEND_CRLF,
      () => signedAs({ body: SEND_PRETTY.body ?? '' }, SEND_CRLF),
      'newlines-converted',
    ],
    [
      'body signed without the final newline it was sent with',
      { body: `${COMPACT}\n` },
      () => signedAs({ body: COMPACT }),
      'newlines-converted',
    ],
    ['empty body signed', {}, () => signedAs({ body: '' }), 'empty-body-signed'],
    [
      'date one second later than the header',
      {},
      () => signedAs({ date: formatDlgDate(DOCS_NOW + 1000) }),
      'different-date',
    ],
    [
      'the HTTP Date header signed instead of x-dlg-date',
      { headers: { date: HTTP_DATE } },
      () => signedAs({ date: HTTP_DATE }),
      'different-date',
    ],
    [
      'a date in +0300 signed ten seconds early',
      { date: formatDlgDate(DOCS_NOW, 180) },
      () => signedAs({ date: formatDlgDate(DOCS_NOW - 10_000, 180) }, { date: formatDlgDate(DOCS_NOW, 180) }),
      'different-date',
    ],
    ['an old rotated secret', {}, () => computeSignature(RETIRED_SECRET, partsOf({})), 'retired-secret'],
  ]

  it.each(cases)('%s', async (_label, sent, signature, mistake) => {
    const { response, valid } = await send(sent, signature())
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      401,
      'text/plain; charset=utf-8',
      'Authorization failed',
    ])
    expect(response.headers['x-dlg-mock-reason']).toBe('signature-mismatch')
    expect(response.headers['x-dlg-mock-mistake']).toBe(mistake)
    expect(response.headers['x-dlg-mock-detail']).toMatch(/^the signature is a known mistake: /)
    expectNothingSecret(response, valid)
  })

  it('names two mistakes made together', async () => {
    const signature = digest('sha1', 'base64', { ...partsOf({}), method: 'post' })
    const { response } = await send({}, signature)
    expect(response.headers['x-dlg-mock-mistake']).toBe('hmac-sha1, lowercase-method')
    expect(response.headers['x-dlg-mock-detail']).toBe(
      'the signature is a known mistake: signed with HMAC-SHA1 instead of HMAC-SHA256; signed the method as "post", sent "POST"',
    )
  })

  /** The shared vectors' wrong variants, as the mock names them. */
  const vectorMistakes: Record<string, string> = {
    "newline between body and resource (the documentation's worked example)": 'newline-before-resource',
    'HMAC-SHA1 instead of HMAC-SHA256': 'hmac-sha1',
    'hex digest instead of base64': 'hex-digest',
    'body re-serialised with spaces (signed a different string than sent)': 'body-reserialised',
    'resource with host': 'url-in-resource',
    'lower-case method': 'lowercase-method',
  }

  it.each(vectors.wrongVariantsOfCase0)(
    'recognises the vectors\' "$mistake"',
    async ({ mistake, signature }) => {
      const vector = vectorCase(0)
      const sent = {
        date: vector.date,
        body: vector.body,
        contentType: vector.contentType,
        url: vector.resource,
      }
      const { app, clock } = testApp()
      clock.set(Date.parse(vector.date))
      const response = await app.inject({
        method: vector.method,
        url: vector.resource,
        headers: {
          host: HOST,
          'content-type': sent.contentType,
          'x-dlg-date': sent.date,
          'x-dlg-requester-userid': '45186',
          'x-dlg-authorization': `DLGA ${vectors.accessKeyId}:${signature}`,
        },
        payload: sent.body,
      })
      expect(response.statusCode).toBe(401)
      expect(response.headers['x-dlg-mock-mistake']).toBe(vectorMistakes[mistake])
      expectNothingSecret(response, vector.signature)
    },
  )
})

describe('a signature nothing explains', () => {
  const wrong = computeSignature('not-the-secret', partsOf({}))

  it("returns the server's string-to-sign, escaped to one line and exactly in base64", async () => {
    const body = '{"note":"Günaydın\tİpek\\n"}\r\n'
    const { response, valid } = await send({ body }, wrong)
    expect(response.headers['x-dlg-mock-reason']).toBe('signature-mismatch')
    expect(response.headers['x-dlg-mock-mistake']).toBeUndefined()
    expect(response.headers['x-dlg-mock-string-to-sign']).toBe(
      `POST\\napplication/json\\n${formatDlgDate(DOCS_NOW)}\\n{"note":"G\\u{fc}nayd\\u{131}n\\t\\u{130}pek\\\\n"}\\r\\n${URL_PATH}`,
    )
    const exact = Buffer.from(String(response.headers['x-dlg-mock-string-to-sign-base64']), 'base64')
    expect(exact.equals(stringToSign(partsOf({ body })))).toBe(true)
    expect(response.headers['x-dlg-mock-hint']).toContain('x-dlg-mock-string-to-sign')
    expectNothingSecret(response, valid)
  })

  it("diffs the client's own string-to-sign against the server's, line by line and character by character", async () => {
    const mine = stringToSign({
      ...partsOf({}),
      date: 'Tue, 09 Mar 2021 13:28:39 GMT',
      contentType: 'application/json; charset=utf-8',
    })
    const { response } = await send({}, wrong, { ...ENV })
    expect(response.headers['x-dlg-mock-diff']).toBeUndefined()
    const { response: withMine } = await send(
      { headers: { 'x-dlg-mock-string-to-sign': mine.toString('base64') } },
      wrong,
    )
    expect(withMine.headers['x-dlg-mock-diff']).toEqual([
      'line 2 (Content-Type), column 17: client has ";", server has end of line; client "application/json; charset=utf-8", server "application/json"',
      'line 3 (x-dlg-date), column 25: client has "9", server has "2"; client "Tue, 09 Mar 2021 13:28:39 GMT", server "Tue, 09 Mar 2021 13:28:32 GMT"',
    ])
    expect(withMine.headers['x-dlg-mock-hint']).toContain('check the secret')
  })

  it('says so when the two strings are the same: then the secret or the digest differs', async () => {
    const same = stringToSign(partsOf({})).toString('base64')
    const { response } = await send({ headers: { 'x-dlg-mock-string-to-sign': same } }, wrong)
    expect(response.headers['x-dlg-mock-diff']).toBe('none: the strings are the same')
    expect(response.headers['x-dlg-mock-detail']).toBe(
      "your string-to-sign is the same as the server's: the secret or the digest differs",
    )
  })

  it('says when the client string-to-sign is not base64', async () => {
    const { response } = await send({ headers: { 'x-dlg-mock-string-to-sign': 'POST\\n…' } }, wrong)
    expect(response.headers['x-dlg-mock-diff']).toBe(
      'x-dlg-mock-string-to-sign is not base64: send base64(UTF-8 bytes of your string-to-sign)',
    )
  })

  it('cuts a long string-to-sign short in the header', async () => {
    const body = JSON.stringify({ ...DOCS_BODY, padding: 'x'.repeat(20_000) })
    const { response } = await send({ body }, wrong)
    const header = String(response.headers['x-dlg-mock-string-to-sign'])
    expect(header.length).toBeLessThan(4200)
    expect(header).toMatch(/\.\.\.\[cut, \d+ characters in all\]$/)
    expect(response.headers['x-dlg-mock-string-to-sign-base64']).toBeUndefined()
  })
})

describe('the other rows of the error table are explained too', () => {
  const signed = () => sha256(partsOf({}))

  it('names the missing header, and the short name sent instead (D2)', async () => {
    const { response } = await send(
      { headers: { 'x-dlg-authorization': '', 'x-authorization': 'DLGA a:b' } },
      'x',
    )
    expect([response.statusCode, response.body]).toEqual([400, 'Required headers not found'])
    expect(response.headers['x-dlg-mock-reason']).toBe('missing-headers')
    expect(response.headers['x-dlg-mock-detail']).toBe(
      'missing: x-dlg-authorization (x-dlg-authorization sent empty)',
    )
    expect(response.headers['x-dlg-mock-hint']).toContain('found x-authorization: the contract names are')
  })

  it.each([
    ['Basic abc', 'x-dlg-authorization does not start with "DLGA "', 'must be'],
    ['dlga key:sig', 'x-dlg-authorization does not start with "DLGA "', 'case-sensitive'],
    [
      `DLGA ${DEMO_ACCESS_KEY.keyId}`,
      'x-dlg-authorization no ":" between AccessKeyId and signature',
      'must be',
    ],
  ])('explains the authorization format of %j', async (authorization, detail, hint) => {
    const { response } = await send({ headers: { 'x-dlg-authorization': authorization } }, 'x')
    expect(response.statusCode).toBe(400)
    expect(response.headers['x-dlg-mock-reason']).toBe('malformed-authorization')
    expect(response.headers['x-dlg-mock-detail']).toBe(detail)
    expect(response.headers['x-dlg-mock-hint']).toContain(hint)
  })

  it('says why a date does not parse: a Turkish day name', async () => {
    const { response } = await send({ date: 'Sal, 09 Mar 2021 13:28:32 GMT' }, signed())
    expect([response.statusCode, response.body]).toEqual([400, 'Authorization failed due to date not valid'])
    expect(response.headers['x-dlg-mock-reason']).toBe('malformed-date')
    expect(response.headers['x-dlg-mock-detail']).toBe(
      'x-dlg-date: day name "Sal" is not an English abbreviation (Sun, Mon, Tue, Wed, Thu, Fri, Sat)',
    )
    expect(response.headers['x-dlg-mock-hint']).toContain('English locale')
  })

  it('gives the skew in seconds, both times and the allowed window', async () => {
    const date = formatDlgDate(DOCS_NOW - 960_000)
    const { response } = await send({ date }, signedAs({ date }))
    expect([response.statusCode, response.body]).toEqual([403, 'Request time may not be correct.'])
    expect(response.headers['x-dlg-mock-reason']).toBe('clock-skew')
    expect(response.headers['x-dlg-mock-detail']).toBe(
      'x-dlg-date is 960 s behind the server clock (server 2021-03-09T13:28:32Z, request 2021-03-09T13:12:32Z, allowed 900 s either way)',
    )
    const ahead = formatDlgDate(DOCS_NOW + 901_000)
    const { response: early } = await send({ date: ahead }, signedAs({ date: ahead }))
    expect(early.headers['x-dlg-mock-detail']).toMatch(/^x-dlg-date is 901 s ahead of the server clock/)
  })

  it('says the key id is unknown, and suggests the one it nearly is', async () => {
    const lower = DEMO_ACCESS_KEY.keyId.toLowerCase()
    const { response } = await send(
      { headers: { 'x-dlg-authorization': `DLGA ${lower}:${signed()}` } },
      'unused',
    )
    expect([response.statusCode, response.body]).toEqual([401, 'Authorization failed'])
    expect(response.headers['x-dlg-mock-reason']).toBe('unknown-key')
    expect(response.headers['x-dlg-mock-detail']).toBe(
      `AccessKeyId "${lower}" is not configured on this server`,
    )
    expect(response.headers['x-dlg-mock-hint']).toBe(
      `key ids are case-sensitive and exact: did you mean "${DEMO_ACCESS_KEY.keyId}"?`,
    )
  })

  it('says when a key id was retired', async () => {
    const { response } = await send(
      { headers: { 'x-dlg-authorization': `DLGA old-key:${signed()}` } },
      'unused',
      { DLG_RETIRED_ACCESS_KEYS: 'old-key:whatever' },
    )
    expect(response.headers['x-dlg-mock-detail']).toBe('AccessKeyId "old-key" was retired on this server')
  })
})

describe('DLG_DIAGNOSTICS=off', () => {
  it('answers exactly the same status and body, without any x-dlg-mock- header', async () => {
    const cases: [Sent, string][] = [
      [{ date: 'Sal, 09 Mar 2021 13:28:32 GMT' }, 'x'],
      [{}, digest('sha1', 'base64', partsOf({}))],
      [{ headers: { 'x-dlg-requester-userid': '' } }, 'x'],
      [{ date: formatDlgDate(DOCS_NOW - 3_600_000) }, 'x'],
    ]
    for (const [sent, signature] of cases) {
      const on = (await send(sent, signature)).response
      const off = (await send(sent, signature, { ...ENV, DLG_DIAGNOSTICS: 'off' })).response
      expect([off.statusCode, off.headers['content-type'], off.body]).toEqual([
        on.statusCode,
        on.headers['content-type'],
        on.body,
      ])
      expect(Object.keys(on.headers).some((name) => name.startsWith('x-dlg-mock-'))).toBe(true)
      expect(Object.keys(off.headers).filter((name) => name.startsWith('x-dlg-mock-'))).toEqual([])
    }
  })
})

describe('an unknown key id and a known one with a wrong signature', () => {
  const answers = async (env: Record<string, string>, budget?: DiagnosisBudget) => {
    const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`
    const signature = digest('sha1', 'base64', partsOf({ body: deep }))
    const known = (await send({ body: deep }, signature, env, budget)).response
    const unknown = (
      await send(
        { body: deep, headers: { 'x-dlg-authorization': `DLGA not-a-key:${signature}` } },
        signature,
        env,
        budget,
      )
    ).response
    // Everything but the values that differ on every answer anyway.
    const shape = (answer: typeof known) => ({
      status: answer.statusCode,
      body: answer.body,
      headers: Object.fromEntries(
        Object.entries(answer.headers).filter(([name]) => !['x-request-id', 'date'].includes(name)),
      ),
    })
    return { known: shape(known), unknown: shape(unknown) }
  }
  /** A budget that counts the searches that asked to start. */
  const counting = () => {
    const budget = { ...UNLIMITED_BUDGET, searches: 0 }
    budget.available = () => {
      budget.searches++
      return true
    }
    return budget
  }

  it('are told apart with diagnostics on, on purpose', async () => {
    const { known, unknown } = await answers(ENV)
    expect([known.headers['x-dlg-mock-reason'], unknown.headers['x-dlg-mock-reason']]).toEqual([
      'signature-mismatch',
      'unknown-key',
    ])
  })

  it('cannot be told apart with DLG_DIAGNOSTICS=off: same status, body and headers, and no mistake search', async () => {
    const on = counting()
    await answers(ENV, on)
    expect(on.searches).toBe(1)
    const off = counting()
    const { known, unknown } = await answers({ ...ENV, DLG_DIAGNOSTICS: 'off' }, off)
    expect(known).toEqual(unknown)
    expect(known.status).toBe(401)
    // The search for known mistakes (whose time would tell a known key id) never started.
    expect(off.searches).toBe(0)
  })

  it('says the search was skipped once the budget is spent, and searches again when it is not', async () => {
    const signature = digest('sha1', 'base64', partsOf({}))
    const spent = createDiagnosisBudget(0)
    const skipped = (await send({}, signature, ENV, spent)).response
    expect([skipped.statusCode, skipped.body]).toEqual([401, 'Authorization failed'])
    expect(skipped.headers['x-dlg-mock-detail']).toMatch(/the search for known mistakes was skipped/)
    expect(skipped.headers['x-dlg-mock-mistake']).toBeUndefined()
    const full = (await send({}, signature, ENV, UNLIMITED_BUDGET)).response
    expect(full.headers['x-dlg-mock-mistake']).toBe('hmac-sha1')
  })
})

describe('hostile bodies still get the documented answer, quickly', () => {
  it('a JSON body nested too deep to serialise again: 401, diagnosed', async () => {
    const body = `${'['.repeat(20_000)}${']'.repeat(20_000)}`
    const { response } = await send({ body }, computeSignature('wrong', partsOf({ body })))
    expect([response.statusCode, response.body]).toEqual([401, 'Authorization failed'])
    expect(response.headers['x-dlg-mock-reason']).toBe('signature-mismatch')
  })

  it('a body of a million newlines against a client string-to-sign: a capped diff', async () => {
    const body = '\n'.repeat(1_000_000)
    const mine = Buffer.from('POST\napplication/json\nx\ny').toString('base64')
    const { response } = await send(
      { body, headers: { 'x-dlg-mock-string-to-sign': mine } },
      computeSignature('wrong', partsOf({ body })),
      { ...ENV, DLG_BODY_LIMIT: '2000000' },
    )
    expect(response.statusCode).toBe(401)
    const diff = response.headers['x-dlg-mock-diff'] as string[]
    expect(diff).toHaveLength(11)
    expect(diff.at(-1)).toMatch(/^\.\.\. \d+ more differences$/)
    // The variants that change only the resource share one pass over the body; the rest do not fit.
    expect(response.headers['x-dlg-mock-detail']).toMatch(
      /^the signature does not match the server's string-to-sign, and no known mistake explains it \(the body is too large to try them all: \d+ of \d+ not tried\)$/,
    )
  })

  it('a body over 1 MiB is searched only for mistakes that do not hash it again, and says so', async () => {
    const body = JSON.stringify({ padding: 'x'.repeat(1_100_000) })
    const { response } = await send({ body }, digest('sha1', 'base64', partsOf({ body })), {
      ...ENV,
      DLG_BODY_LIMIT: '2000000',
    })
    expect(response.statusCode).toBe(401)
    expect(response.headers['x-dlg-mock-mistake']).toBeUndefined()
    expect(response.headers['x-dlg-mock-detail']).toMatch(
      /\(the body is too large to try them all: \d+ of \d+ not tried\)$/,
    )
  })
})

describe('rotation', () => {
  it('recognises a mistake made with the second secret of a key id', async () => {
    const env = {
      DLG_ACCESS_KEYS: `${DEMO_ACCESS_KEY.keyId}:newest-secret,${DEMO_ACCESS_KEY.keyId}:${DEMO_ACCESS_KEY.secret}`,
    }
    const { response } = await send({}, digest('sha1', 'base64', partsOf({})), env)
    expect(response.headers['x-dlg-mock-mistake']).toBe('hmac-sha1')
  })
})
