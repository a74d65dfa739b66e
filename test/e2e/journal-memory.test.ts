import { afterAll, beforeAll, expect, it } from 'vitest'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js'

/**
 * H2: with the admin API on, a journal of large requests holds what it says — a cut of each body —
 * and not the whole body behind a V8 sliced string. The server runs with a 128 MB heap and
 * receives 240 bodies of 1 MiB: kept whole they would need twice that heap.
 */
const ADMIN_TOKEN = 'journal-memory-admin-token'
let server: ServerProcess
beforeAll(async () => {
  const started = startServerProcess({
    NODE_OPTIONS: '--max-old-space-size=128',
    DLG_ADMIN_TOKEN: ADMIN_TOKEN,
  })
  await started.ready
  server = started
})
afterAll(() => {
  server?.child.kill('SIGKILL')
})

it('keeps 240 requests of 1 MiB each in a bounded heap, each body cut', { timeout: 60_000 }, async () => {
  const body = JSON.stringify({ padding: 'x'.repeat(1024 * 1024 - 20) })
  const headers = {
    'content-type': 'application/json',
    'x-dlg-date': new Date().toUTCString(),
    'x-dlg-requester-userid': '45186',
    'x-dlg-authorization': `DLGA anyone:${'A'.repeat(43)}=`,
  }
  const send = async () => {
    const response = await fetch(`${server.baseUrl}/v1/reporting/getmessagingdetail`, {
      method: 'POST',
      headers,
      body,
    })
    await response.arrayBuffer()
    return response.status
  }
  const statuses: number[] = []
  // Four clients at once, as in the finding.
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 60; i++) statuses.push(await send())
    }),
  )
  expect(new Set(statuses)).toEqual(new Set([401]))
  const health = await fetch(`${server.baseUrl}/health`)
  expect(health.status).toBe(200)
  const journal = (await (
    await fetch(`${server.baseUrl}/__admin/requests?path=/v1&limit=1000`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
  ).json()) as { size: number; bytes: number; maxBytes: number; requests: { body: string }[] }
  const entries = journal.requests
  expect(journal.bytes).toBeLessThanOrEqual(journal.maxBytes)
  expect(entries.length).toBeGreaterThan(0)
  expect(entries[0]?.body).toMatch(/\.\.\.\[cut, \d+ bytes in all\]$/)
  expect(entries[0]?.body.length).toBeLessThan(17 * 1024)
})
