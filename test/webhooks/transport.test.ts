import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { fetchTransport, MAX_ANSWER_BYTES, type WebhookRequest } from '../../src/webhooks/transport.js'
import { echo, startReceiver, testDispatcher, testWebhook } from './listening-receiver.js'

function request(url: string, overrides: Partial<WebhookRequest> = {}): WebhookRequest {
  return {
    url,
    body: Buffer.from('{"object":"dialog","entry":[]}'),
    signature: '0123456789abcdef0123456789abcdef01234567',
    batchId: 'b-1',
    attempt: 0,
    timeoutMs: 2000,
    signal: new AbortController().signal,
    ...overrides,
  }
}

describe('fetchTransport', () => {
  it('POSTs the bytes with the documented and the mock-only headers', async () => {
    const receiver = await startReceiver(() => ({ status: 204 }))
    const result = await fetchTransport(request(receiver.url, { batchId: 'abcd-7', attempt: 2 }))
    expect(result).toEqual({ status: 204 })
    const [received] = receiver.requests
    expect(received?.body.toString()).toBe('{"object":"dialog","entry":[]}')
    expect(received?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-signature': '0123456789abcdef0123456789abcdef01234567',
      'user-agent': 'diyalog-mock',
      'x-dlg-mock-batch': 'abcd-7',
      'x-dlg-mock-attempt': '2',
      'content-length': '30',
    })
    expect(received?.headers['authorization']).toBeUndefined()
  })

  it('any status is returned as it is (the dispatcher decides), redirects are not followed', async () => {
    const statuses = [500, 302, 404]
    const receiver = await startReceiver(() => ({ status: statuses.shift() ?? 200 }))
    expect(await fetchTransport(request(receiver.url))).toEqual({ status: 500 })
    expect(await fetchTransport(request(receiver.url))).toEqual({ status: 302 })
    expect(await fetchTransport(request(receiver.url))).toEqual({ status: 404 })
    expect(receiver.requests).toHaveLength(3)
  })

  it('a user name and password in the URL become Basic authorization; the query is kept', async () => {
    const receiver = await startReceiver()
    const url = receiver.url.replace('http://', 'http://hook%20user:p%40ss@') + '?token=abc'
    expect(await fetchTransport(request(url))).toEqual({ status: 200 })
    const [received] = receiver.requests
    expect(received?.headers['authorization']).toBe(
      `Basic ${Buffer.from('hook user:p@ss').toString('base64')}`,
    )
    expect(received?.url).toBe('/hook?token=abc')
  })

  it('no answer is an error, never an exception: refused, reset, timed out, aborted, not a URL', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const server = createServer()
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    const { port } = server.address() as AddressInfo
    await new Promise((done) => server.close(done))
    const refused = await fetchTransport(request(`http://127.0.0.1:${port}/`))
    expect(refused).toEqual({ error: expect.stringContaining('ECONNREFUSED') })

    const receiver = await startReceiver((received) => (received.index === 0 ? 'destroy' : 'hold'))
    expect(await fetchTransport(request(receiver.url))).toEqual({ error: expect.any(String) })
    expect(await fetchTransport(request(receiver.url, { timeoutMs: 100 }))).toEqual({
      error: 'timeout: no answer within 100 ms',
    })
    const controller = new AbortController()
    const aborted = fetchTransport(request(receiver.url, { signal: controller.signal }))
    await receiver.waitFor(3)
    controller.abort()
    expect(await aborted).toEqual({ error: 'aborted' })

    expect(await fetchTransport(request('not a url'))).toEqual({ error: 'the webhook URL is not a URL' })
  })

  it('reads every answer body to its end, so one connection carries batch after batch', async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: 'x'.repeat(20_000) }))
    const { dispatcher, attempts } = testDispatcher(testWebhook(receiver.url, { batchMax: 1 }))
    for (let index = 0; index < 20; index += 1) dispatcher.enqueue(echo(`m${index}`))
    await receiver.waitFor(20)
    expect(receiver.connections).toBe(1)
    expect(attempts.every((record) => record.outcome === 'delivered')).toBe(true)
  })

  it('an answer body past the limit is cut off; the status still counts', async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: 'y'.repeat(MAX_ANSWER_BYTES * 4) }))
    expect(await fetchTransport(request(receiver.url))).toEqual({ status: 200 })
    expect(await fetchTransport(request(receiver.url))).toEqual({ status: 200 })
  })
})
