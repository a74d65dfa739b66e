import { describe, expect, it } from 'vitest'
import { signedRequest } from '../helpers/signing.js'
import { startServerProcess } from '../helpers/server-process.js'

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
