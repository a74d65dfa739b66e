import { describe, expect, it } from 'vitest'
import { AUTH_ERRORS } from '../../src/auth/auth-errors.js'
import { formatDlgDate } from '../../src/auth/dlg-date.js'
import { DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { computeSignature } from '../../src/auth/string-to-sign.js'
import { countingStore, DOCS_NOW, testApp } from '../helpers/app.js'
import { DOCS_BODY, signedRequest, vectorRequest, type PlainRequest } from '../helpers/signing.js'
import { vectorCase, vectors } from '../helpers/vectors.js'

const TEXT = 'text/plain; charset=utf-8'

/** Sends one request to a fresh app with a pinned clock; reports whether a handler reached the store. */
async function send(request: PlainRequest, env: Record<string, string> = {}) {
  const { store, queries } = countingStore()
  const { app, logs } = testApp({ store, env })
  const response = await app.inject(request)
  await app.close()
  return { response, handlerRan: queries() > 0, logs }
}

function without(request: PlainRequest, header: string) {
  const { [header]: _dropped, ...headers } = request.headers
  return { ...request, headers }
}

function withHeaders(request: PlainRequest, headers: Record<string, string>) {
  return { ...request, headers: { ...request.headers, ...headers } }
}

const valid = () => signedRequest({ now: DOCS_NOW })

describe('HMAC authentication over HTTP: every row of the error table', () => {
  it('a valid request reaches the handler', async () => {
    const { response, handlerRan } = await send(valid())
    expect(response.statusCode).toBe(200)
    expect(handlerRan).toBe(true)
  })

  it.each([
    ['x-dlg-date', 400, 'Required headers not found'],
    ['x-dlg-requester-userid', 400, 'Required headers not found'],
    ['x-dlg-authorization', 400, 'Required headers not found'],
  ])('without %s: %i %s', async (header, status, message) => {
    const { response, handlerRan } = await send(without(valid(), header))
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      status,
      TEXT,
      message,
    ])
    expect(handlerRan).toBe(false)
  })

  it.each([
    ['Basic abc'],
    [`DLGA${DEMO_ACCESS_KEY.keyId}:abc`],
    [`DLGA ${DEMO_ACCESS_KEY.keyId}`],
    ['DLGA :abc'],
  ])('authorization %j: 400 data format not valid', async (authorization) => {
    const { response, handlerRan } = await send(
      withHeaders(valid(), { 'x-dlg-authorization': authorization }),
    )
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      400,
      TEXT,
      'Authorization failed due to data format not valid',
    ])
    expect(handlerRan).toBe(false)
  })

  it.each([
    ['Sal, 09 Mar 2021 13:28:32 GMT'],
    ['2021-03-09T13:28:32Z'],
    ['Tue, 09 Mar 2021 13:28:32 EET'],
    ['1615296512000'],
  ])('date %j: 400 date not valid', async (date) => {
    const { response, handlerRan } = await send(signedRequest({ date }))
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      400,
      TEXT,
      'Authorization failed due to date not valid',
    ])
    expect(handlerRan).toBe(false)
  })

  it.each([
    ['16 minutes late', DOCS_NOW - 16 * 60_000],
    ['16 minutes early', DOCS_NOW + 16 * 60_000],
  ])('%s: 403 request time', async (_label, when) => {
    const { response, handlerRan } = await send(signedRequest({ now: when }))
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      403,
      TEXT,
      'Request time may not be correct.',
    ])
    expect(handlerRan).toBe(false)
  })

  it.each([
    ['a wrong signature', { 'x-dlg-authorization': `DLGA ${DEMO_ACCESS_KEY.keyId}:${'A'.repeat(43)}=` }],
    [
      'an unknown key id',
      { 'x-dlg-authorization': valid().headers['x-dlg-authorization'].replace('1234567', '7654321') },
    ],
    ['a changed Content-Type', { 'content-type': 'application/json; charset=utf-8' }],
  ])('%s: 401 Authorization failed', async (_label, headers) => {
    const { response, handlerRan } = await send(withHeaders(valid(), headers))
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      401,
      TEXT,
      'Authorization failed',
    ])
    expect(handlerRan).toBe(false)
  })

  it('a body changed after signing: 401', async () => {
    const request = valid()
    const { response } = await send({ ...request, payload: request.payload.replace('45188', '45186') })
    expect(response.statusCode).toBe(401)
  })

  it('checks in the order of D6 when everything is wrong', async () => {
    const bad = {
      method: 'POST',
      url: '/v1/reporting/getmessagingdetail',
      headers: {
        'content-type': 'text/plain',
        'x-dlg-date': 'Sal, 09 Mar 2021',
        'x-dlg-authorization': 'Bearer x',
      },
      payload: '{not json',
    }
    expect((await send(bad)).response.body).toBe('Required headers not found')
    const withUser = withHeaders(bad, { 'x-dlg-requester-userid': '45186' })
    expect((await send(withUser)).response.body).toBe('Authorization failed due to data format not valid')
    const withAuth = withHeaders(withUser, { 'x-dlg-authorization': 'DLGA unknown:sig' })
    expect((await send(withAuth)).response.body).toBe('Authorization failed due to date not valid')
    const withDate = withHeaders(withAuth, { 'x-dlg-date': formatDlgDate(DOCS_NOW - 3600_000) })
    expect((await send(withDate)).response.body).toBe('Request time may not be correct.')
    const onTime = withHeaders(withAuth, { 'x-dlg-date': formatDlgDate(DOCS_NOW) })
    expect((await send(onTime)).response.body).toBe('Authorization failed')
  })
})

describe('authentication runs before the body is parsed or validated', () => {
  it.each([
    ['malformed JSON', 'application/json', '{"staffId": '],
    ['a JSON array', 'application/json', '[1,2,3]'],
    ['a wrong schema', 'application/json', '{"staffId": 1}'],
    ['an unsupported Content-Type', 'application/xml', '<staffId/>'],
    ['an invalid Content-Type', 'json', '{}'],
    ['an empty Content-Type', '', '{}'],
    ['binary garbage', 'application/octet-stream', '\u0000\u00ff\u0001'],
  ])('an unsigned request with %s gets the authentication error', async (_label, contentType, payload) => {
    const { response, handlerRan } = await send({
      method: 'POST',
      url: '/v1/reporting/getmessagingdetail',
      headers: { 'content-type': contentType },
      payload,
    })
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      400,
      TEXT,
      'Required headers not found',
    ])
    expect(handlerRan).toBe(false)
  })

  it('a request signed with the wrong secret and a malformed body gets 401, not a body error', async () => {
    const request = signedRequest({
      now: DOCS_NOW,
      body: '{"staffId": ',
      credentials: { keyId: DEMO_ACCESS_KEY.keyId, secret: 'wrong' },
    })
    const { response } = await send(request)
    expect([response.statusCode, response.body]).toEqual([401, 'Authorization failed'])
  })

  it('an unsigned request without a body, or with another method, gets the authentication error', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
      const { response } = await send({
        method,
        url: '/v1/reporting/getmessagingdetail',
        headers: {},
        payload: '',
      })
      expect([method, response.statusCode, response.body]).toEqual([
        method,
        400,
        'Required headers not found',
      ])
    }
  })

  it.each([
    ['POST', '/v1/reporting/getnosuchlist'],
    ['GET', '/v1'],
    ['GET', '/v1/'],
    ['PURGE', '/v1/reporting/getmessagingdetail'],
    ['LINK', '/v1/anything/at/all?x=1'],
  ] as const)('an unsigned %s %s gets the authentication error', async (method, url) => {
    const { response } = await send({ method, url, headers: {}, payload: '' })
    expect([response.statusCode, response.body]).toEqual([400, 'Required headers not found'])
  })

  it('a URL Fastify cannot route gets a plain-text 400', async () => {
    const { response, handlerRan } = await send({
      method: 'POST',
      url: '/v1/reporting/%zz',
      headers: {},
      payload: '',
    })
    expect([response.statusCode, response.headers['content-type']]).toEqual([400, TEXT])
    expect(response.body).toContain('/v1/reporting/%zz')
    expect(handlerRan).toBe(false)
  })

  it('a signed GET on the POST-only endpoint gets 404 after authentication', async () => {
    const { response } = await send(signedRequest({ now: DOCS_NOW, method: 'GET', body: '' }))
    expect([response.statusCode, response.body]).toEqual([
      404,
      'No such API in diyalog-mock: GET /v1/reporting/getmessagingdetail',
    ])
  })

  it('a signed request to an API the mock does not serve gets 404 after authentication', async () => {
    const { response } = await send(
      signedRequest({ now: DOCS_NOW, url: '/v1/reporting/getnosuchlist', body: '{}' }),
    )
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      404,
      TEXT,
      'No such API in diyalog-mock: POST /v1/reporting/getnosuchlist',
    ])
  })

  it('closes the connection after refusing an unsigned body it did not read, when that body is large or chunked', async () => {
    const env = { DLG_BODY_LIMIT: '64' }
    const request = { method: 'POST', url: '/v1/reporting/getmessagingdetail', headers: {} }
    const small = await send({ ...request, payload: '{}' }, env)
    expect(small.response.headers['connection']).not.toBe('close')
    const large = await send({ ...request, payload: 'x'.repeat(65) }, env)
    expect(large.response.headers['connection']).toBe('close')
    const chunked = await send(
      { ...request, headers: { 'transfer-encoding': 'chunked' }, payload: '{}' },
      env,
    )
    expect(chunked.response.headers['connection']).toBe('close')
  })

  it('an unsigned body over the limit gets the authentication error; a signed one 413', async () => {
    const env = { DLG_BODY_LIMIT: '64' }
    const big = JSON.stringify({ ...DOCS_BODY, padding: 'x'.repeat(100) })
    const unsigned = await send(
      { method: 'POST', url: '/v1/reporting/getmessagingdetail', headers: {}, payload: big },
      env,
    )
    expect(unsigned.response.statusCode).toBe(400)
    const signed = await send(signedRequest({ now: DOCS_NOW, body: big }), env)
    expect([signed.response.statusCode, signed.response.headers['content-type']]).toEqual([413, TEXT])
  })
})

describe('the signature vectors over HTTP', () => {
  it.each(vectors.cases)('$name is authenticated', async (vector) => {
    const { app, clock } = testApp({ store: countingStore().store })
    clock.set(Date.parse(vector.date))
    const response = await app.inject(vectorRequest(vector))
    await app.close()
    // Authenticated: never an answer of the error table; the seed endpoint answers 200 (what
    // another endpoint answers to a vector's body is that endpoint's business).
    expect(Object.values(AUTH_ERRORS).map((error) => error.message)).not.toContain(response.body)
    if (vector.resource.startsWith('/v1/reporting/getmessagingdetail')) expect(response.statusCode).toBe(200)
  })

  it('the log names the mistake when one is recognised (D3, D4)', async () => {
    const sha1 = vectors.wrongVariantsOfCase0.find((v) => v.mistake.includes('SHA1'))?.signature
    const request = withHeaders(valid(), { 'x-dlg-authorization': `DLGA ${vectors.accessKeyId}:${sha1}` })
    const { response, logs } = await send(request)
    expect(response.body).toBe('Authorization failed')
    expect(logs.find((line) => line['auth'] !== undefined)?.['auth']).toMatchObject({
      diagnosis: { reason: 'signature-mismatch', mistakes: ['hmac-sha1'] },
    })
  })

  it.each(vectors.wrongVariantsOfCase0)('$mistake is refused with 401', async ({ signature }) => {
    const vector = vectorCase(0)
    const { response } = await send({
      method: 'POST',
      url: vector.resource,
      headers: {
        'content-type': vector.contentType,
        'x-dlg-date': formatDlgDate(DOCS_NOW),
        'x-dlg-requester-userid': '45186',
        'x-dlg-authorization': `DLGA ${vectors.accessKeyId}:${signature}`,
      },
      payload: vector.body,
    })
    expect([response.statusCode, response.body]).toEqual([401, 'Authorization failed'])
  })
})

describe('compatibility settings over HTTP (D2, D3)', () => {
  const shortNames = () => {
    const request = valid()
    return {
      ...request,
      headers: {
        'content-type': 'application/json',
        date: request.headers['x-dlg-date'],
        'x-requester-userid': '45186',
        'x-authorization': request.headers['x-dlg-authorization'],
      },
    }
  }

  it('D2: short header names are refused by default', async () => {
    const { response } = await send(shortNames())
    expect([response.statusCode, response.body]).toEqual([400, 'Required headers not found'])
  })

  it('D2: accepted with DLG_HEADER_ALIASES, and the response and the log say so', async () => {
    const { response, logs } = await send(shortNames(), { DLG_HEADER_ALIASES: 'true' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-dlg-mock-compat']).toBe(
      'header-alias=date; header-alias=x-requester-userid; header-alias=x-authorization',
    )
    expect(logs.some((line) => line['msg'] === 'accepted through a compatibility setting')).toBe(true)
  })

  it('D3: the worked-example newline is refused by default and accepted with DLG_LENIENT_NEWLINE', async () => {
    const request = valid()
    const newline = {
      ...request,
      headers: {
        ...request.headers,
        'x-dlg-authorization': `DLGA ${DEMO_ACCESS_KEY.keyId}:${computeSignature(
          DEMO_ACCESS_KEY.secret,
          {
            method: 'POST',
            contentType: 'application/json',
            date: request.headers['x-dlg-date'],
            body: request.payload,
            resource: request.url,
          },
          'newline-before-resource',
        )}`,
      },
    }
    expect((await send(newline)).response.statusCode).toBe(401)
    const lenient = await send(newline, { DLG_LENIENT_NEWLINE: 'true' })
    expect(lenient.response.statusCode).toBe(200)
    expect(lenient.response.headers['x-dlg-mock-compat']).toBe('string-to-sign=newline-before-resource')
  })
})

describe('logging of authentication', () => {
  it('puts the key id and the requester on the line that completes an authenticated request', async () => {
    const { logs } = await send(signedRequest({ now: DOCS_NOW, requesterUserId: '45153' }))
    const completed = logs.find((line) => line['msg'] === 'request completed')
    expect(completed).toMatchObject({
      keyId: DEMO_ACCESS_KEY.keyId,
      requesterUserId: '45153',
      res: { statusCode: 200 },
    })
  })

  it('writes one access line per request, when it completes', async () => {
    const { logs } = await send(signedRequest({ now: DOCS_NOW }))
    expect(logs.filter((line) => line['reqId'] !== undefined).map((line) => line['msg'])).toEqual([
      'request completed',
    ])
    expect(logs.find((line) => line['msg'] === 'request completed')).toMatchObject({
      req: { method: 'POST', url: '/v1/reporting/getmessagingdetail' },
      responseTime: expect.any(Number),
    })
  })

  it('writes one line per failure with request id, reason and key id, never the signature', async () => {
    const request = withHeaders(valid(), {
      'x-dlg-authorization': `DLGA ${DEMO_ACCESS_KEY.keyId}:c2lnbmF0dXJl`,
    })
    const { response, logs } = await send({
      ...request,
      headers: { ...request.headers, 'x-request-id': 'trace-42' },
    })
    expect(response.headers['x-request-id']).toBe('trace-42')
    const failures = logs.filter((line) => String(line['msg']).startsWith('authentication failed'))
    expect(failures).toEqual([
      expect.objectContaining({
        level: 40,
        reqId: 'trace-42',
        auth: {
          reason: 'signature-mismatch',
          keyId: DEMO_ACCESS_KEY.keyId,
          knownKey: true,
          diagnosis: {
            reason: 'signature-mismatch',
            detail:
              "the signature does not match the server's string-to-sign, and no known mistake explains it",
          },
        },
        msg: 'authentication failed: Authorization failed',
      }),
    ])
  })

  it('never writes the secret, the signature or the authorization header, success or failure', async () => {
    const good = valid()
    const { app, rawLogs } = testApp()
    expect((await app.inject(good)).statusCode).toBe(200)
    expect(
      (await app.inject(withHeaders(good, { 'x-dlg-date': formatDlgDate(DOCS_NOW + 1000) }))).statusCode,
    ).toBe(401)
    await app.close()
    const signature = good.headers['x-dlg-authorization'].split(':')[1] ?? ''
    const text = rawLogs.join('\n')
    // Both access lines and the failure's line were written, and none holds a secret.
    expect(rawLogs.filter((line) => line.includes('"msg":"request completed"'))).toHaveLength(2)
    expect(rawLogs.filter((line) => line.includes('"msg":"authentication failed'))).toHaveLength(1)
    for (const secret of [DEMO_ACCESS_KEY.secret, signature, good.headers['x-dlg-authorization']]) {
      expect(text).not.toContain(secret)
    }
  })
})
