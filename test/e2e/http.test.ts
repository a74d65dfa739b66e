import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linkHost } from '../../src/app.js'
import { AUTH_ERRORS } from '../../src/auth/auth-errors.js'
import { formatDlgDate } from '../../src/auth/dlg-date.js'
import { DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import { signedRequest, vectorRequest, type PlainRequest } from '../helpers/signing.js'
import { vectors } from '../helpers/vectors.js'

/** The app listening on a real port, clock pinned to the documentation's date; requests go over HTTP. */
const { app, clock, logs } = testApp()
let baseUrl = ''

beforeAll(async () => {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})
afterAll(() => app.close())

describe('links without DLG_PUBLIC_URL', () => {
  it('start with http://localhost and the port the server listens on', async () => {
    const { app: local } = testApp({ env: { DLG_PUBLIC_URL: '' } })
    await local.listen({ host: '127.0.0.1', port: 0 })
    const address = local.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const request = signedRequest({ now: DOCS_NOW })
    const response = await fetch(`http://127.0.0.1:${port}${request.url}`, {
      method: 'POST',
      headers: request.headers,
      body: request.payload,
    })
    const { conversationDetailLink } = (await response.json()) as { conversationDetailLink: string }
    expect(conversationDetailLink.startsWith(`http://localhost:${port}/views/messaging?`)).toBe(true)
    expect((await fetch(conversationDetailLink)).status).toBe(200)
    await local.close()
  })
})

const AUTH_MESSAGES: readonly string[] = Object.values(AUTH_ERRORS).map((error) => error.message)

async function send(request: PlainRequest) {
  const response = await fetch(`${baseUrl}${request.url}`, {
    method: request.method,
    headers: request.headers,
    ...(request.method === 'GET' ? {} : { body: request.payload }),
  })
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() }
}

describe('over real HTTP', () => {
  it('every signature vector is authenticated', async () => {
    for (const vector of vectors.cases) {
      clock.set(Date.parse(vector.date))
      const { status, body } = await send(vectorRequest(vector))
      // Authenticated: never an answer of the error table (what comes after depends on the
      // endpoint: the seed answers 200, a path not served 404).
      expect([vector.name, AUTH_MESSAGES.includes(body)]).toEqual([vector.name, false])
      if (vector.resource.includes('getmessagingdetail'))
        expect([vector.name, status]).toEqual([vector.name, 200])
    }
    clock.set(DOCS_NOW)
  })

  it('every row of the error table answers its status and text', async () => {
    clock.set(DOCS_NOW)
    const valid = signedRequest({ now: DOCS_NOW })
    const cases: [string, PlainRequest, number, string][] = [
      [
        'missing headers',
        { ...valid, headers: { 'content-type': 'application/json' } },
        400,
        'Required headers not found',
      ],
      [
        'authorization format',
        { ...valid, headers: { ...valid.headers, 'x-dlg-authorization': `DLGA ${DEMO_ACCESS_KEY.keyId}` } },
        400,
        'Authorization failed due to data format not valid',
      ],
      [
        'date format',
        { ...valid, headers: { ...valid.headers, 'x-dlg-date': 'Sal, 09 Mar 2021 13:28:32 GMT' } },
        400,
        'Authorization failed due to date not valid',
      ],
      [
        'signature',
        { ...valid, payload: valid.payload.replace('45188', '45153') },
        401,
        'Authorization failed',
      ],
      [
        'clock skew',
        { ...valid, headers: { ...valid.headers, 'x-dlg-date': formatDlgDate(DOCS_NOW - 901_000) } },
        403,
        'Request time may not be correct.',
      ],
    ]
    for (const [label, request, status, message] of cases) {
      expect([label, await send(request)]).toEqual([
        label,
        { status, type: 'text/plain; charset=utf-8', body: message },
      ])
    }
  })

  it('refuses a signed body over the limit sent without Content-Length (chunked) with 413', async () => {
    clock.set(DOCS_NOW)
    const body = JSON.stringify({ padding: 'x'.repeat(1_100_000) })
    const request = signedRequest({ now: DOCS_NOW, body })
    const bytes = new TextEncoder().encode(body)
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 65_536) controller.enqueue(bytes.slice(i, i + 65_536))
        controller.close()
      },
    })
    const response = await fetch(`${baseUrl}${request.url}`, {
      method: 'POST',
      headers: request.headers,
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect([response.status, response.headers.get('connection'), await response.text()]).toEqual([
      413,
      'close',
      'Request body is too large',
    ])
  })

  it('a client that goes away mid-body is not logged as a server error', async () => {
    const request = signedRequest({ now: DOCS_NOW })
    const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    const head = Object.entries({ ...request.headers, 'content-length': '1000', host: 'x' })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n')
    socket.write(`POST ${request.url} HTTP/1.1\r\n${head}\r\n\r\n{"staffId":`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    socket.destroy()
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(logs.filter((line) => Number(line['level']) >= 50)).toEqual([])
  })

  it('a minted link opens in a plain GET', async () => {
    clock.set(DOCS_NOW)
    const minted = await send(signedRequest({ now: DOCS_NOW }))
    const link = (JSON.parse(minted.body) as { conversationDetailLink: string }).conversationDetailLink
    const page = await fetch(link.replace('http://mock.test:8080', baseUrl))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('İpek Doğan')
  })
})

describe('the host of the links, without DLG_PUBLIC_URL', () => {
  it('is where the server listens, or localhost when it listens everywhere', () => {
    expect(['0.0.0.0', '::', '', '127.0.0.1', '::1', 'mock.internal'].map(linkHost)).toEqual([
      'localhost',
      'localhost',
      'localhost',
      '127.0.0.1',
      '[::1]',
      'mock.internal',
    ])
  })
})
