import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listeningPort } from '../../src/app.js'
import { testApp } from '../helpers/app.js'
import { signedRequest } from '../helpers/signing.js'

/**
 * Slow or idle clients cannot pin the server: over real sockets, with the deadlines made short
 * (DLG_HEADERS_TIMEOUT_MS, DLG_REQUEST_TIMEOUT_MS, DLG_KEEP_ALIVE_TIMEOUT_MS), each ends with
 * a closed connection — and 408 when a request was under way. The suite's own timeout is the
 * bound; nothing here asserts a duration.
 */
const { app, clock, logs } = testApp({
  env: { DLG_HEADERS_TIMEOUT_MS: '300', DLG_REQUEST_TIMEOUT_MS: '600', DLG_KEEP_ALIVE_TIMEOUT_MS: '300' },
})
// Only the header deadline is short here: a 408 within the suite's timeout is the header one's.
const headersOnly = testApp({ env: { DLG_HEADERS_TIMEOUT_MS: '300', DLG_REQUEST_TIMEOUT_MS: '60000' } })
let port = 0
let headersOnlyPort = 0
beforeAll(async () => {
  await app.listen({ host: '127.0.0.1', port: 0 })
  await headersOnly.app.listen({ host: '127.0.0.1', port: 0 })
  port = listeningPort(app.server) ?? 0
  headersOnlyPort = listeningPort(headersOnly.app.server) ?? 0
})
afterAll(async () => {
  await app.close()
  await headersOnly.app.close()
})

/** Opens a socket, writes `text`, and resolves with everything the server wrote before closing. */
function exchange(text: string, to = port): Promise<{ received: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(to, '127.0.0.1', () => socket.write(text))
    let received = ''
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve({ received, socket }))
  })
}

describe('deadlines', () => {
  it('a client that never finishes its headers gets 408 and a closed connection', async () => {
    const { received } = await exchange(
      'POST /v1/reporting/getmessagingdetail HTTP/1.1\r\nHost: x\r\nx-dlg-da',
    )
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('a client that never finishes its body gets 408 and a closed connection', async () => {
    const request = signedRequest({ now: clock.now() })
    const head = Object.entries({ ...request.headers, host: 'x', 'content-length': '500' })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n')
    const { received } = await exchange(`POST ${request.url} HTTP/1.1\r\n${head}\r\n\r\n{"staffId":`)
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
    // The request never completed, and still has its log line.
    await new Promise((logged) => setTimeout(logged, 50))
    expect(logs.find((line) => line['msg'] === 'request aborted')).toMatchObject({
      req: { method: 'POST', url: request.url },
    })
  })

  it('an idle kept-alive connection is closed after its request', async () => {
    const { received } = await exchange('GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n')
    expect(received).toMatch(/^HTTP\/1\.1 200 /)
    expect(received.match(/HTTP\/1\.1/g)).toHaveLength(1)
  })
})

describe('sizes', () => {
  it("headers beyond Node.js's 16 KiB get 431", async () => {
    const { received } = await exchange(
      `GET /health HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
    )
    expect(received).toMatch(/^HTTP\/1\.1 431 /)
  })
})
