import { describe, expect, it } from 'vitest'
import {
  CUSTOMER_NOT_FOUND,
  REVERSED_WINDOW,
  STAFF_NOT_FOUND,
} from '../../src/routes/reporting/getmessagingdetail.js'
import { DOCS_NOW, TEST_PUBLIC_URL, testApp } from '../helpers/app.js'
import { DOCS_BODY, signedRequest } from '../helpers/signing.js'

async function call(body: string, env: Record<string, string> = {}, contentType?: string) {
  const { app } = testApp({ env })
  const response = await app.inject(
    signedRequest({ now: DOCS_NOW, body, ...(contentType === undefined ? {} : { contentType }) }),
  )
  await app.close()
  return response
}

const bodyWith = (changes: Record<string, unknown>) => JSON.stringify({ ...DOCS_BODY, ...changes })

describe('POST /v1/reporting/getmessagingdetail', () => {
  it('answers a signed link to the conversation', async () => {
    const response = await call(JSON.stringify(DOCS_BODY))
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    const body = response.json<{ conversationDetailLink: string; isSuccess: boolean }>()
    expect(Object.keys(body)).toEqual(['conversationDetailLink', 'isSuccess'])
    expect(body.isSuccess).toBe(true)
    const link = new URL(body.conversationDetailLink)
    expect(`${link.origin}${link.pathname}`).toBe(`${TEST_PUBLIC_URL}/views/messaging`)
    expect(Object.fromEntries(link.searchParams)).toMatchObject({
      staffId: '45188',
      customerId: '5667067',
      startDate: '1610856400000',
      endDate: '1635892494000',
      expiresAt: String(DOCS_NOW + 1800 * 1000),
    })
  })

  it('builds the link on DLG_PUBLIC_URL, path prefix included, and expires it after DLG_LINK_TTL_SECONDS', async () => {
    const response = await call(JSON.stringify(DOCS_BODY), {
      DLG_PUBLIC_URL: 'https://diyalog-mock.internal/mock/',
      DLG_LINK_TTL_SECONDS: '60',
    })
    const link = response.json<{ conversationDetailLink: string }>().conversationDetailLink
    expect(link).toMatch(/^https:\/\/diyalog-mock\.internal\/mock\/views\/messaging\?staffId=45188&/)
    expect(new URL(link).searchParams.get('expiresAt')).toBe(String(DOCS_NOW + 60_000))
  })

  it('mints a link even when the two never exchanged a message', async () => {
    const response = await call(bodyWith({ staffId: '45153', customerId: '7403713' }))
    expect(response.json()).toMatchObject({ isSuccess: true })
  })

  it('accepts a one-instant window and the body exactly as signed, pretty or with charset', async () => {
    expect((await call(bodyWith({ endDate: DOCS_BODY.startDate }))).json()).toMatchObject({ isSuccess: true })
    expect((await call(JSON.stringify(DOCS_BODY, null, 4))).json()).toMatchObject({ isSuccess: true })
    expect((await call(JSON.stringify(DOCS_BODY), {}, 'application/json; charset=utf-8')).statusCode).toBe(
      200,
    )
  })

  it.each([
    ['unknown staff', { staffId: '99999' }, STAFF_NOT_FOUND],
    ['unknown staff and customer', { staffId: '99999', customerId: '1' }, STAFF_NOT_FOUND],
    ['an empty staff id', { staffId: '' }, STAFF_NOT_FOUND],
    ['unknown customer (D9)', { customerId: '1' }, CUSTOMER_NOT_FOUND],
    ['a reversed window (D10)', { startDate: 1635892494000, endDate: 1610856400000 }, REVERSED_WINDOW],
  ])('%s: 200 isSuccess false', async (_label, changes, error) => {
    const response = await call(bodyWith(changes))
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe(JSON.stringify({ conversationDetailLink: '', error, isSuccess: false }))
  })

  it('says "Staff not found in the system" exactly as documented', () => {
    expect(STAFF_NOT_FOUND).toBe('Staff not found in the system')
    expect(CUSTOMER_NOT_FOUND).toBe('Customer not found in the system')
    expect(REVERSED_WINDOW).toMatch(/startDate is after endDate/)
  })
})

describe('POST /v1/reporting/getmessagingdetail with a bad body (D8: 500, plain text naming the field)', () => {
  it.each([
    ['malformed JSON', '{"staffId": "45188",', 'Invalid request body: not valid JSON ('],
    ['an empty body', '', 'Invalid request body: the body is empty, expected a JSON object'],
    ['a JSON array', '[]', 'Invalid request body: the body must be a JSON object (got array)'],
    ['JSON null', 'null', 'Invalid request body: the body must be a JSON object (got null)'],
    [
      'a missing field',
      JSON.stringify({ ...DOCS_BODY, endDate: undefined }),
      'missing required field endDate',
    ],
    [
      'several missing fields',
      JSON.stringify({ staffId: '45188' }),
      'Invalid request body: missing required fields customerId, startDate, endDate',
    ],
    ['a number for staffId', bodyWith({ staffId: 45188 }), 'field staffId must be string (got integer)'],
    [
      'a string for startDate',
      bodyWith({ startDate: '1610856400000' }),
      'field startDate must be integer (got string)',
    ],
    ['a fraction for endDate', bodyWith({ endDate: 1.5 }), 'field endDate must be integer (got number)'],
    ['null for customerId', bodyWith({ customerId: null }), 'field customerId must be string (got null)'],
    ['a date beyond 2^53', bodyWith({ endDate: 2 ** 60 }), 'field endDate must be <= 8640000000000000'],
    [
      'a __proto__ key',
      '{"__proto__": {"x": 1}, "staffId": "45188"}',
      'not valid JSON (Object contains forbidden prototype property)',
    ],
  ])('%s', async (_label, body, message) => {
    const response = await call(body)
    expect(response.statusCode).toBe(500)
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(response.body).toContain(message)
  })

  it('refuses a Content-Type other than JSON with 415, after authentication', async () => {
    const response = await call('staffId=45188', {}, 'application/x-www-form-urlencoded')
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      415,
      'text/plain; charset=utf-8',
      'Unsupported Content-Type "application/x-www-form-urlencoded": the API takes application/json',
    ])
  })

  it('sends every plain-text answer with X-Content-Type-Options: nosniff', async () => {
    const { app } = testApp()
    const answers = [
      await call('staffId=45188', {}, 'application/x-www-form-urlencoded'),
      await call('{"staffId":'),
      await app.inject({ method: 'POST', url: '/v1/reporting/getmessagingdetail', payload: '{}' }),
      await app.inject({ method: 'GET', url: '/nowhere' }),
    ]
    expect(answers.map((answer) => [answer.statusCode, answer.headers['x-content-type-options']])).toEqual([
      [415, 'nosniff'],
      [500, 'nosniff'],
      [400, 'nosniff'],
      [404, 'nosniff'],
    ])
    await app.close()
  })

  it('ignores fields it does not know, and names them in a response header', async () => {
    const response = await call(bodyWith({ note: 'Şükrü', isGroupMessaging: false }))
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ isSuccess: true })
    expect(response.headers['x-dlg-mock-ignored-fields']).toBe('note, isGroupMessaging')
  })

  it.each([['müşteriNo'], ['😀'], ['a\u0000b'], ['a\r\nx-injected: 1']])(
    'answers 200 to an unknown field named %j, its name escaped in the header',
    async (name) => {
      const response = await call(JSON.stringify({ ...JSON.parse(bodyWith({})), [name]: 1 }))
      expect(response.statusCode).toBe(200)
      expect(response.json()).toMatchObject({ isSuccess: true })
      expect(JSON.parse(response.headers['x-dlg-mock-ignored-fields'] as string)).toBe(name)
      expect(response.headers['x-injected']).toBeUndefined()
    },
  )

  it('cuts the header of 2,000 unknown fields and says how many there were', async () => {
    const extra = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`extraField${i}`, i]))
    const response = await call(JSON.stringify({ ...JSON.parse(bodyWith({})), ...extra }))
    expect(response.statusCode).toBe(200)
    const header = response.headers['x-dlg-mock-ignored-fields'] as string
    expect(header.length).toBeLessThan(1100)
    expect(header).toMatch(/\.\.\.\[cut, 2000 in all\]$/)
  })
})
