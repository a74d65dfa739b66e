import { describe, expect, it } from 'vitest'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import { DOCS_BODY, signedRequest } from '../helpers/signing.js'

async function mintedLink(body: Record<string, unknown> = DOCS_BODY) {
  const { app, clock, logs } = testApp()
  const response = await app.inject(signedRequest({ now: DOCS_NOW, body: JSON.stringify(body) }))
  const link = new URL(response.json<{ conversationDetailLink: string }>().conversationDetailLink)
  return { app, clock, logs, path: `${link.pathname}${link.search}`, params: link.searchParams }
}

describe('GET on a conversation link', () => {
  it('opens the conversation as an HTML page in Turkish, without API credentials', async () => {
    const { app, path } = await mintedLink()
    const response = await app.inject({ method: 'GET', url: path })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.body).toContain('<html lang="tr">')
    expect(response.body).toContain('Mehmet Çelik (45188)')
    expect(response.body).toContain('İpek Doğan (5667067)')
    expect(response.body).toContain('Günaydın, kredi kartı limit artışı talebim vardı 🙂')
    expect(response.body).not.toContain('Merhaba, kartımın ekstre kesim tarihini') // before the window
    expect(response.body).toMatch(/<p>\d+ mesaj<\/p>/)
  })

  it('escapes the HTML a message contains', async () => {
    const { app, path } = await mintedLink()
    const { body } = await app.inject({ method: 'GET', url: path })
    expect(body).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;kalın&lt;/b&gt; &amp; &quot;tırnak&quot; &#39;tek&#39;',
    )
    expect(body).not.toContain('<script>')
  })

  it('shows an empty state for a window without messages', async () => {
    const { app, path } = await mintedLink({ ...DOCS_BODY, staffId: '45153', customerId: '7403713' })
    const response = await app.inject({ method: 'GET', url: path })
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('Bu tarih aralığında mesaj yok.')
  })

  it('sends headers that keep the token and the page to themselves', async () => {
    const { app, path } = await mintedLink()
    const { headers, body } = await app.inject({ method: 'GET', url: path })
    expect(headers['referrer-policy']).toBe('no-referrer')
    expect(headers['cache-control']).toBe('no-store')
    expect(headers['x-content-type-options']).toBe('nosniff')
    const csp = String(headers['content-security-policy'])
    expect(csp).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'$/,
    )
    // The hash in the policy is the hash of the page's one inline style.
    const style = /<style>([\s\S]*?)<\/style>/.exec(body)?.[1] ?? ''
    const { createHash } = await import('node:crypto')
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`)
  })

  it("keeps the link's token out of the log", async () => {
    const { app, params, logs } = await mintedLink()
    await app.inject({ method: 'GET', url: `/views/messaging?${params.toString()}` })
    const sig = params.get('sig') ?? ''
    expect(sig).not.toBe('')
    expect(JSON.stringify(logs)).not.toContain(sig)
    expect(JSON.stringify(logs)).toContain('sig=[redacted]')
  })

  it('refuses a tampered link with 403', async () => {
    const { app, params } = await mintedLink()
    params.set('customerId', '2337368')
    const response = await app.inject({ method: 'GET', url: `/views/messaging?${params.toString()}` })
    expect(response.statusCode).toBe(403)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.body).toContain('Bağlantı geçersiz')
    expect(response.headers['referrer-policy']).toBe('no-referrer')
  })

  it('refuses a link without parameters with 403', async () => {
    const { app } = await mintedLink()
    expect((await app.inject({ method: 'GET', url: '/views/messaging' })).statusCode).toBe(403)
  })

  it('refuses an expired link with 410 and says when it expired, in Istanbul time', async () => {
    const { app, clock, path } = await mintedLink()
    clock.advance(1800 * 1000)
    const response = await app.inject({ method: 'GET', url: path })
    expect(response.statusCode).toBe(410)
    // DOCS_NOW + 30 min = 13:58:32 GMT = 16:58 in Istanbul (UTC+3).
    expect(response.body).toContain('Bağlantının süresi doldu')
    expect(response.body).toContain('9 Mart 2021 16:58')
  })
})

describe('other paths', () => {
  it('GET /health answers without authentication', async () => {
    const { app } = testApp()
    const response = await app.inject({ method: 'GET', url: '/health' })
    expect(response.json()).toEqual({ status: 'ok', fixtures: { staff: 3, customers: 5, messages: 42 } })
  })

  it('an unknown path is a plain-text 404', async () => {
    const { app } = testApp()
    const response = await app.inject({ method: 'GET', url: '/nope?x=1' })
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      404,
      'text/plain; charset=utf-8',
      'Not found: GET /nope',
    ])
  })
})

describe('the app', () => {
  it('answers an unexpected error with a plain 500 that reveals nothing, and logs it', async () => {
    const { app, logs } = testApp()
    app.get('/boom', async () => {
      throw new Error('secret internals')
    })
    const response = await app.inject({ method: 'GET', url: '/boom' })
    expect([response.statusCode, response.body]).toEqual([500, 'Internal server error'])
    expect(logs.some((line) => line['msg'] === 'unexpected error')).toBe(true)
  })

  it('signs links with a random secret, and warns, when DLG_LINK_SECRET is unset', async () => {
    const first = testApp({ env: { DLG_LINK_SECRET: '' } })
    const second = testApp({ env: { DLG_LINK_SECRET: '' } })
    expect(first.logs.some((line) => String(line['msg']).startsWith('DLG_LINK_SECRET is not set'))).toBe(true)
    const minted = await first.app.inject(signedRequest({ now: DOCS_NOW }))
    const link = new URL(minted.json<{ conversationDetailLink: string }>().conversationDetailLink)
    const path = `${link.pathname}${link.search}`
    expect((await first.app.inject({ method: 'GET', url: path })).statusCode).toBe(200)
    expect((await second.app.inject({ method: 'GET', url: path })).statusCode).toBe(403)
  })
})
