import { Agent, get } from 'node:http'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { signedRequest } from '../helpers/signing.js'
import { killServerProcesses, startServerProcess } from '../helpers/server-process.js'

afterEach(killServerProcesses)

/**
 * SIGTERM while requests are in flight: each of them still gets its answer, the process exits
 * 0, and well within the 10 s grace period. The requests are held in flight by the admin API's
 * delay fault, which a closing server ends early rather than waiting it out.
 */
describe('SIGTERM under load', () => {
  it('finishes the requests in flight and exits 0', async () => {
    const token = 'shutdown-test-admin-token'
    const server = startServerProcess({ DLG_ADMIN_TOKEN: token })
    await server.ready
    const admin = await fetch(`${server.baseUrl}/__admin/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'delay', delayMs: 5000, times: 20 }),
    })
    expect(admin.status).toBe(201)

    const inFlight = Array.from({ length: 20 }, () => {
      const request = signedRequest({ now: Date.now() })
      return fetch(`${server.baseUrl}${request.url}`, {
        method: 'POST',
        headers: request.headers,
        body: request.payload,
      }).then((response) => response.status)
    })
    // Give every request time to arrive and enter its delay, then stop the server.
    await new Promise((arrived) => setTimeout(arrived, 500))
    const signalled = performance.now()
    server.child.kill('SIGTERM')
    const [statuses, code] = await Promise.all([Promise.all(inFlight), server.exited])
    const shutdownMs = performance.now() - signalled

    expect(statuses).toEqual(Array(20).fill(200))
    expect(code).toBe(0)
    expect(server.stdout()).toContain('shutting down: finishing requests in flight')
    // Reported, not asserted as a timing: the grace period would have exited 1.
    process.stdout.write(`shutdown with 20 requests in flight: ${Math.round(shutdownMs)} ms\n`)
  })
})

/** One kept-alive connection sending GET /health back to back until an answer says `close`. */
async function keepAliveWorker(baseUrl: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const statuses: number[] = []
  try {
    for (;;) {
      const answer = await new Promise<{ status: number; connection: string | undefined }>(
        (resolve, reject) => {
          get(`${baseUrl}/health`, { agent }, (response) => {
            response.resume()
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }),
            )
            response.on('error', reject)
          }).on('error', reject)
        },
      )
      statuses.push(answer.status)
      if (answer.connection === 'close') return { statuses, error: undefined }
    }
  } catch (error) {
    return { statuses, error: (error as NodeJS.ErrnoException).code ?? String(error) }
  } finally {
    agent.destroy()
  }
}

/**
 * Eight kept-alive connections sending back to back when SIGTERM comes: the server used to
 * destroy every connection idle at that instant, racing the request its client was sending
 * (ECONNRESET on all eight here). Now each gets an answer that closes it.
 */
describe('SIGTERM under keep-alive load', () => {
  it('answers every request on every connection, resets none, and exits 0', async () => {
    const server = startServerProcess()
    await server.ready
    const workers = Array.from({ length: 8 }, () => keepAliveWorker(server.baseUrl))
    await new Promise((loaded) => setTimeout(loaded, 1000))
    const signalled = performance.now()
    server.child.kill('SIGTERM')
    const [results, code] = await Promise.all([Promise.all(workers), server.exited])
    const shutdownMs = Math.round(performance.now() - signalled)

    const requests = results.reduce((sum, result) => sum + result.statuses.length, 0)
    const refused = results.flatMap((result) => result.statuses).filter((status) => status === 503).length
    process.stdout.write(
      `SIGTERM under keep-alive load: ${requests} requests on 8 connections, ${refused} answered 503, exit after ${shutdownMs} ms\n`,
    )
    // Each connection ended on an answer that said `Connection: close`, not on an error.
    expect(results.map((result) => result.error)).toEqual(Array(8).fill(undefined))
    // 200 before the signal; a request that arrived after it may get 503 (and `close`).
    expect(
      results.flatMap((result) => result.statuses).filter((status) => status !== 200 && status !== 503),
    ).toEqual([])
    expect(code).toBe(0)
  }, 30_000)
})

/**
 * A client that sent its headers and part of its body, then trickles: it used to hold the
 * process for the whole 10 s grace period and turn the exit code into 1.
 */
describe('SIGTERM with a client still sending its body', () => {
  it('answers it 503 and closes when the grace period ends, and exits 0', async () => {
    const graceMs = 1000
    const server = startServerProcess({ DLG_SHUTDOWN_GRACE_MS: String(graceMs) })
    await server.ready
    const { port } = new URL(server.baseUrl)
    const request = signedRequest({ now: Date.now() })
    const socket = connect(Number(port), '127.0.0.1')
    let answer = ''
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk))
    socket.on('error', () => undefined) // a reset after the answer is the client's own doing
    const closed = new Promise((resolve) => socket.on('close', resolve))
    const head = Object.entries({ ...request.headers, host: `127.0.0.1:${port}` })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')
    socket.write(
      `POST ${request.url} HTTP/1.1\r\n${head}content-length: ${request.payload.length}\r\n\r\n${request.payload.slice(0, 10)}`,
    )
    // One byte of the body every 100 ms, never the whole of it.
    let sent = 10
    const trickle = setInterval(() => {
      if (sent < request.payload.length - 1 && answer === '') socket.write(request.payload[sent++] ?? '')
    }, 100)
    await new Promise((arrived) => setTimeout(arrived, 300))
    const signalled = performance.now()
    server.child.kill('SIGTERM')
    const code = await server.exited
    const shutdownMs = performance.now() - signalled
    await closed
    clearInterval(trickle)

    expect(code).toBe(0)
    expect(answer).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/)
    expect(answer.toLowerCase()).toContain('connection: close')
    expect(shutdownMs).toBeGreaterThanOrEqual(graceMs - 50)
    expect(shutdownMs).toBeLessThan(graceMs + 2000)
    process.stdout.write(
      `SIGTERM with a slow-body client, ${graceMs} ms grace: exit 0 after ${Math.round(shutdownMs)} ms\n`,
    )
  }, 20_000)
})
