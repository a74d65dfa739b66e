import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { formatDlgDate } from '../../src/auth/dlg-date.js'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import { signedRequest } from '../helpers/signing.js'

/**
 * No secret leaks: after successful and failing API calls, link openings and admin calls, the
 * logs, the admin journal and every response hold no access-key secret, link secret, admin
 * token, whole signature, whole authorization value or link token.
 */
const KEY = { keyId: 'secrets-test-key', secret: 'access-key-secret-9f3c1e' }
const LINK_SECRET = 'link-secret-value-4b7d2a90c1'
const ADMIN_TOKEN = 'admin-token-value-77e1c0d3'

/** Sends `target` as written (a raw `#` included, which fetch and inject drop) and returns the status. */
function rawGet(port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nConnection: close\r\n\r\n`,
      ),
    )
    let answer = ''
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk))
    socket.on('end', () => resolve(Number(answer.split(' ')[1])))
    socket.on('error', reject)
  })
}

describe('secrets', () => {
  it('never appear in logs, the journal or answers, success or failure', async () => {
    const { app, rawLogs } = testApp({
      env: {
        DLG_ACCESS_KEYS: `${KEY.keyId}:${KEY.secret}`,
        DLG_LINK_SECRET: LINK_SECRET,
        DLG_ADMIN_TOKEN: ADMIN_TOKEN,
      },
    })
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
    const good = signedRequest({ now: DOCS_NOW, credentials: KEY })
    const wrong = signedRequest({ now: DOCS_NOW, credentials: { ...KEY, secret: `${KEY.secret}x` } })
    const skewed = signedRequest({
      now: DOCS_NOW,
      date: formatDlgDate(DOCS_NOW + 3_600_000),
      credentials: KEY,
    })
    const answers: string[] = []
    const keep = <T extends { headers: Record<string, unknown>; body: string }>(response: T): T => {
      answers.push(JSON.stringify(response.headers), response.body)
      return response
    }

    const success = keep(await app.inject(good))
    expect(success.statusCode).toBe(200)
    expect(keep(await app.inject(wrong)).statusCode).toBe(401)
    expect(keep(await app.inject(skewed)).statusCode).toBe(403)
    const link = new URL(
      (JSON.parse(success.body) as { conversationDetailLink: string }).conversationDetailLink,
    )
    const token = link.searchParams.get('sig') ?? ''
    expect(keep(await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` })).statusCode).toBe(
      200,
    )
    const tampered = `${link.pathname}${link.search}`.replace('staffId=45188', 'staffId=45186')
    expect(keep(await app.inject({ method: 'GET', url: tampered })).statusCode).toBe(403)
    expect(
      keep(
        await app.inject({
          method: 'GET',
          url: '/__admin/requests',
          headers: { authorization: 'Bearer nope-nope-nope-nope' },
        }),
      ).statusCode,
    ).toBe(401)
    const journal = await app.inject({ method: 'GET', url: '/__admin/requests', headers: admin })
    expect(journal.statusCode).toBe(200)
    await app.close()

    const signatures = [good, wrong, skewed].map((r) => r.headers['x-dlg-authorization'].split(':')[1] ?? '')
    const forbidden = [
      KEY.secret,
      LINK_SECRET,
      ADMIN_TOKEN,
      ...signatures,
      ...[good, wrong, skewed].map((r) => r.headers['x-dlg-authorization']),
    ]
    const places = { logs: rawLogs.join('\n'), journal: journal.body, answers: answers.join('\n') }
    for (const [place, text] of Object.entries(places)) {
      for (const secret of forbidden) expect([place, text.includes(secret)]).toEqual([place, false])
    }
    // The link token is the answer of getmessagingdetail itself, and nowhere else.
    expect(places.logs.includes(token) || places.journal.includes(token)).toBe(false)
    // What is kept is useful: the journal still names the key id and the reason.
    expect(places.journal).toContain(KEY.keyId)
    expect(places.journal).toContain('signature-mismatch')
  })

  it('stay out of logs and the journal behind `#` or `;`, and an admin token in the query string', async () => {
    const { app, rawLogs } = testApp({
      env: { DLG_LINK_SECRET: LINK_SECRET, DLG_ADMIN_TOKEN: ADMIN_TOKEN },
      now: DOCS_NOW,
    })
    const success = await app.inject(signedRequest({ now: DOCS_NOW }))
    const link = new URL(
      (JSON.parse(success.body) as { conversationDetailLink: string }).conversationDetailLink,
    )
    const token = link.searchParams.get('sig') ?? ''
    const query = link.search.slice(1)
    await app.listen({ port: 0, host: '127.0.0.1' })
    let journal
    try {
      const port = (app.server.address() as { port: number }).port
      // A raw `#` in place of `?` still opens the page: the router starts the query there.
      expect(await rawGet(port, `${link.pathname}#${query}`)).toBe(200)
      for (const target of [
        `${link.pathname};${query}`,
        `${link.pathname}?${query.replaceAll('&', ';')}`,
        `${link.pathname}%3F${query}`,
      ]) {
        expect(await rawGet(port, target)).toBeGreaterThanOrEqual(400)
      }
      expect(await rawGet(port, `/__admin/requests?token=${ADMIN_TOKEN}`)).toBe(401)
      expect(await rawGet(port, `/__admin/journal?x=${ADMIN_TOKEN}`)).toBeGreaterThanOrEqual(400)
      journal = await app.inject({
        method: 'GET',
        url: '/__admin/requests',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    } finally {
      await app.close()
    }
    expect(journal.statusCode).toBe(200)
    const places = { logs: rawLogs.join('\n'), journal: journal.body }
    for (const [place, text] of Object.entries(places)) {
      expect([place, text.includes(token), text.includes(ADMIN_TOKEN)]).toEqual([place, false, false])
      expect(text).toContain('sig=[redacted]')
    }
  })
})
