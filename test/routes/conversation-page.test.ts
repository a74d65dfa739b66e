import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createStore } from '../../src/store/store.js'
import { defaultStore, DOCS_NOW, testApp, type TestAppOptions } from '../helpers/app.js'
import { DOCS_BODY, signedRequest } from '../helpers/signing.js'

/** The documented window holds 22 of the 25 messages between 45188 and 5667067. */
const MESSAGES_IN_DOCS_WINDOW = 22

/** Mints a link through the API, as a client would, and returns the app to open it with. */
async function mintedLink(body: Record<string, unknown> = DOCS_BODY, options: TestAppOptions = {}) {
  const { app, clock, logs } = testApp(options)
  const response = await app.inject(signedRequest({ now: DOCS_NOW, body: JSON.stringify(body) }))
  const link = new URL(response.json<{ conversationDetailLink: string }>().conversationDetailLink)
  const open = (query = link.search, headers: Record<string, string> = {}, path = link.pathname) =>
    app.inject({ method: 'GET', url: `${path}${query}`, headers })
  return { app, clock, logs, path: `${link.pathname}${link.search}`, params: link.searchParams, open }
}

const withPage = (params: URLSearchParams, page: string) => {
  const copy = new URLSearchParams(params)
  copy.set('page', page)
  return `?${copy.toString()}`
}

/** Message texts in the order the page shows them. */
const textsOf = (body: string) => [...body.matchAll(/<p class="text">([^<]*)<\/p>/g)].map((m) => m[1])

const HTML = 'text/html; charset=utf-8'
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

function expectPageHeaders(headers: Record<string, unknown>, body: string) {
  expect(headers['referrer-policy']).toBe('no-referrer')
  expect(headers['cache-control']).toBe('no-store')
  expect(headers['x-content-type-options']).toBe('nosniff')
  const csp = String(headers['content-security-policy'])
  expect(csp).toMatch(
    /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'$/,
  )
  if (String(headers['content-type']).startsWith('text/html')) {
    // The hash in the policy is the hash of the page's one inline style, and nothing else is inline.
    const styles = [...body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '')
    expect(styles).toHaveLength(1)
    expect(csp).toContain(
      `'sha256-${createHash('sha256')
        .update(styles[0] ?? '')
        .digest('base64')}'`,
    )
    expect(body).not.toMatch(/<(script|link|img|iframe|object|embed)\b|<[^>]*\s(on[a-z]+|src)=|url\(/i)
  }
}

describe('GET on a conversation link', () => {
  it('opens the conversation as an HTML page in Turkish, without API credentials', async () => {
    const { open } = await mintedLink()
    const response = await open()
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe(HTML)
    const { body } = response
    expect(body).toContain('<html lang="tr">')
    expect(body).toContain('<title>Mehmet Çelik – İpek Doğan · Yazışma detayı</title>')
    expect(body).toContain('Sicil no: 45188')
    expect(body).toContain('Müşteri no: 5667067')
    // The window, in Istanbul time: 1610856400000 = 17 Jan 2021 04:06:40 GMT.
    expect(body).toContain('17 Ocak 2021 07:06 – 3 Kasım 2021 01:34')
    expect(body).toContain('Saat dilimi: Europe/Istanbul')
    expect(body).toContain(`${MESSAGES_IN_DOCS_WINDOW} mesaj`)
    expect(body).toContain('Bu bağlantı 9 Mart 2021 16:58 tarihine kadar açılır (Europe/Istanbul).')
  })

  it('shows every message of the window in time order, and none outside it', async () => {
    const { open } = await mintedLink()
    const texts = textsOf((await open()).body)
    expect(texts[0]).toBe('Günaydın, kredi kartı limit artışı talebim vardı 🙂')
    expect(texts.at(-1)).toBe('Başvurunuzu aldım İpek Hanım; sonuç 7 iş günü içinde bildirilecek.')
    expect(texts.join('\n')).not.toContain('ekstre kesim tarihini') // 28 Dec 2020, before the window
    const times = [...(await open()).body.matchAll(/<time datetime="([^"]+Z)">/g)].map((m) =>
      Date.parse(m[1] ?? ''),
    )
    expect(times).toHaveLength(MESSAGES_IN_DOCS_WINDOW)
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })

  it('puts each bubble on its side and names sender and role in text, not by colour alone', async () => {
    const { open } = await mintedLink()
    const { body } = await open()
    expect(body).toContain(
      '<li class="msg customer">\n<p class="who">İpek Doğan <span class="role">· Müşteri</span></p>\n<p class="text">Günaydın, kredi kartı limit artışı talebim vardı 🙂</p>',
    )
    expect(body).toMatch(
      /<li class="msg staff">\n<p class="who">Mehmet Çelik <span class="role">· Çalışan<\/span><\/p>/,
    )
  })

  it('separates days, in the zone of the page', async () => {
    const { open } = await mintedLink()
    const days = [
      ...(await open()).body.matchAll(/<h2 id="day-([0-9-]+)"><time datetime="\1">([^<]+)<\/time><\/h2>/g),
    ]
    expect(days.map((m) => `${m[1]} ${m[2]}`)).toEqual([
      '2021-01-18 18 Ocak 2021 Pazartesi',
      '2021-01-19 19 Ocak 2021 Salı',
      '2021-03-02 2 Mart 2021 Salı',
      '2021-04-09 9 Nisan 2021 Cuma',
      '2021-06-21 21 Haziran 2021 Pazartesi',
      '2021-08-30 30 Ağustos 2021 Pazartesi',
      '2021-11-01 1 Kasım 2021 Pazartesi',
    ])
  })

  it('shows the time of day, and day separators, in the configured zone', async () => {
    const { open } = await mintedLink(DOCS_BODY, { env: { DLG_PAGE_TIME_ZONE: 'UTC' } })
    const { body } = await open()
    expect(body).toContain('17 Ocak 2021 04:06 – 2 Kasım 2021 22:34')
    expect(body).toContain('Saat dilimi: UTC')
    // 18 Jan 2021 09:15:03 +03:00 is 06:15 UTC.
    expect(body).toContain('<time datetime="2021-01-18T06:15:03.000Z">06:15</time>')
  })

  it('groups messages by the calendar day of the configured zone', async () => {
    // 20:30 and 22:30 UTC on 9 March: one day in UTC, two days in Istanbul (UTC+3).
    const store = createStore({
      staff: [{ staffId: 's1', name: 'Ayşe' }],
      customers: [{ customerId: 'c1', name: 'Ömer' }],
      conversations: [
        {
          staffId: 's1',
          customerId: 'c1',
          messages: [
            { id: 'a', sentAt: Date.parse('2021-03-09T20:30:00Z'), from: 'customer', text: 'akşam' },
            { id: 'b', sentAt: Date.parse('2021-03-09T22:30:00Z'), from: 'staff', text: 'gece' },
          ],
        },
      ],
    })
    const body = { staffId: 's1', customerId: 'c1', startDate: 0, endDate: DOCS_NOW + 86_400_000 }
    const headings = async (zone: string) => {
      const { open } = await mintedLink(body, { store, env: { DLG_PAGE_TIME_ZONE: zone } })
      return [...(await open()).body.matchAll(/<h2 id="day-([0-9-]+)">/g)].map((m) => m[1])
    }
    expect(await headings('UTC')).toEqual(['2021-03-09'])
    expect(await headings('Europe/Istanbul')).toEqual(['2021-03-09', '2021-03-10'])
  })

  it('answers HEAD with the headers of the page and no body', async () => {
    const { app, open, path } = await mintedLink()
    const response = await app.inject({ method: 'HEAD', url: path })
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('')
    expect(response.headers['content-type']).toBe(HTML)
    expect(response.headers['referrer-policy']).toBe('no-referrer')
    expect((await open()).statusCode).toBe(200)
  })

  it('shows attachments as chips with type, name and size', async () => {
    const { open } = await mintedLink()
    const { body } = await open()
    expect(body).toContain(
      '<p class="attachment"><span class="chip"><span class="kind">Dosya</span> <span class="name">maas-bordrosu-aralik-2020.pdf</span> <span class="size">180 KB</span></span></p>',
    )
    expect(body).toContain(
      '<span class="kind">Video</span> <span class="name">sifre-belirleme.mp4</span> <span class="size">5 MB</span>',
    )
    expect(body).toContain(
      '<span class="kind">Görsel</span> <span class="name">ekstre-subat.png</span> <span class="size">716,8 KB</span>',
    )
    const other = await mintedLink({ ...DOCS_BODY, staffId: '45186', customerId: '2337368' })
    expect((await other.open()).body).toContain(
      '<span class="kind">Ses</span> <span class="name">sesli-not.m4a</span>',
    )
    // A template has no size worth showing.
    expect(body).toMatch(/<span class="kind">Şablon<\/span> <span class="name">[^<]+<\/span><\/span><\/p>/)
  })

  it('escapes the HTML a message contains', async () => {
    const { open } = await mintedLink()
    const { body } = await open()
    expect(body).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;kalın&lt;/b&gt; &amp; &quot;tırnak&quot; &#39;tek&#39;',
    )
    expect(body).not.toContain('<script>')
    expect(body).not.toContain('<b>')
  })

  it('escapes names, ids and attachment names from the fixtures too', async () => {
    const payload = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    const store = createStore({
      staff: [{ staffId: 's1', name: `Staff ${payload}` }],
      customers: [{ customerId: 'c1', name: `Customer ${payload}` }],
      conversations: [
        {
          staffId: 's1',
          customerId: 'c1',
          messages: [
            { id: payload, sentAt: DOCS_NOW - 1000, from: 'staff', text: payload },
            {
              id: 'a',
              sentAt: DOCS_NOW - 500,
              from: 'customer',
              attachment: { type: 'file', name: payload, sizeBytes: 1, mimeType: payload },
            },
          ],
        },
      ],
    })
    const { open } = await mintedLink(
      { staffId: 's1', customerId: 'c1', startDate: 0, endDate: DOCS_NOW },
      { store },
    )
    const response = await open()
    expect(response.statusCode).toBe(200)
    expect(response.body).not.toContain('<img')
    expect(response.body).not.toContain('<script')
    expect(response.body).toContain(
      '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;',
    )
    expectPageHeaders(response.headers, response.body)
  })

  it('shows an explicit empty state for a window without messages', async () => {
    const { open } = await mintedLink({ ...DOCS_BODY, staffId: '45153', customerId: '7403713' })
    const response = await open()
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('<h2 id="empty-title">Bu tarih aralığında mesaj yok.</h2>')
    expect(response.body).toContain('Zeynep Güneş ile Hüseyin Kılıç')
    expect(response.body).toContain('0 mesaj')
    expect(response.body).not.toContain('class="pager"')
  })

  it('names the parties by id when the fixtures do not know them (a link minted elsewhere)', async () => {
    const { params } = await mintedLink()
    const emptyStore = createStore({ staff: [], customers: [], conversations: [] })
    const { app } = testApp({ store: emptyStore })
    const response = await app.inject({ method: 'GET', url: `/views/messaging?${params.toString()}` })
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('<h1>Çalışan 45188 – Müşteri 5667067</h1>')
  })

  it('sends headers that keep the token and the page to themselves', async () => {
    const { open } = await mintedLink()
    const response = await open()
    expectPageHeaders(response.headers, response.body)
    expect(response.headers['vary']).toBe('Accept')
  })

  it("keeps the link's token out of the log, however its name is spelt", async () => {
    const { params, logs, open } = await mintedLink()
    const sig = params.get('sig') ?? ''
    expect(sig).not.toBe('')
    expect((await open()).statusCode).toBe(200)
    // The query parser decodes `%73ig` to `sig`: the link opens, and the log still hides it.
    expect((await open(`?${params.toString().replace('sig=', '%73ig=')}`)).statusCode).toBe(200)
    expect(JSON.stringify(logs)).not.toContain(sig)
    expect(JSON.stringify(logs)).toContain('&sig=[redacted]')
    expect(JSON.stringify(logs)).toContain('&%73ig=[redacted]')
  })
})

describe('paging a large window', () => {
  const tenPerPage = { env: { DLG_PAGE_SIZE: '10' } }

  it('shows at most DLG_PAGE_SIZE messages, says how many there are, and links the next page', async () => {
    const { open } = await mintedLink(DOCS_BODY, tenPerPage)
    const { body } = await open()
    expect(textsOf(body)).toHaveLength(10)
    expect(body).toContain(`${MESSAGES_IN_DOCS_WINDOW} mesajdan 1–10 arası · Sayfa 1 / 3`)
    expect(body).toContain('<title>Mehmet Çelik – İpek Doğan · Yazışma detayı (Sayfa 1/3)</title>')
    expect(body).toContain('<a class="btn" role="link" aria-disabled="true">‹ Daha eski</a>')
    expect(body.match(/class="pager"/g)).toHaveLength(2) // above and below the messages
  })

  it('walks every page through its own links, which keep the signature valid', async () => {
    const { app, open } = await mintedLink(DOCS_BODY, tenPerPage)
    const seen: string[] = []
    let response = await open()
    for (let page = 1; page <= 3; page++) {
      expect(response.statusCode).toBe(200)
      expect(response.body).toContain(`Sayfa ${page} / 3`)
      seen.push(...[...response.body.matchAll(/<time datetime="([^"]+Z)">/g)].map((m) => m[1] ?? ''))
      const next = /<a class="btn" href="([^"]+)" rel="next">/
        .exec(response.body)?.[1]
        ?.replaceAll('&amp;', '&')
      if (page === 3) {
        expect(next).toBeUndefined()
        expect(response.body).toContain('<a class="btn" role="link" aria-disabled="true">Daha yeni ›</a>')
        break
      }
      // Relative to the page's own address, so a path prefix in front of the mock survives.
      expect(next).toMatch(new RegExp(`^\\?staffId=.*&sig=[^&]+&page=${page + 1}$`))
      response = await app.inject({ method: 'GET', url: `/views/messaging${next ?? ''}` })
    }
    expect(seen).toHaveLength(MESSAGES_IN_DOCS_WINDOW)
    // The pages, one after the other, are the single page of the default size.
    const unpaged = await mintedLink()
    expect(seen).toEqual(
      [...(await unpaged.open()).body.matchAll(/<time datetime="([^"]+Z)">/g)].map((m) => m[1]),
    )
  })

  it('links back to the previous and the first page', async () => {
    const { params, open } = await mintedLink(DOCS_BODY, tenPerPage)
    const { body } = await open(withPage(params, '3'))
    expect(body).toContain(`${MESSAGES_IN_DOCS_WINDOW} mesajdan 21–22 arası · Sayfa 3 / 3`)
    const prev = /<a class="btn" href="([^"]+)" rel="prev">/.exec(body)?.[1] ?? ''
    expect(prev).toMatch(/&amp;page=2$/)
    const first = /<a class="btn" href="([^"]+)">« İlk<\/a>/.exec(body)?.[1] ?? ''
    expect(first).not.toContain('page=')
    expect(first).toContain('sig=')
  })

  it('renders one page of a window of 100,000 messages and counts them all', async () => {
    const start = Date.UTC(2021, 0, 1)
    const messages = Array.from({ length: 100_000 }, (_, i) => ({
      id: `m${i}`,
      sentAt: start + i * 60_000,
      from: i % 2 === 0 ? ('customer' as const) : ('staff' as const),
      text: `mesaj ${i}`,
    }))
    const store = createStore({
      staff: [{ staffId: 's1', name: 'Ayşe' }],
      customers: [{ customerId: 'c1', name: 'Ömer' }],
      conversations: [{ staffId: 's1', customerId: 'c1', messages }],
    })
    const body = { staffId: 's1', customerId: 'c1', startDate: start, endDate: start + 10 ** 11 }
    const { params, open } = await mintedLink(body, { store })
    const { body: html } = await open(withPage(params, '1001'))
    expect(html).toContain('100.000 mesajdan 50.001–50.050 arası · Sayfa 1.001 / 2.000')
    expect(textsOf(html)).toEqual(Array.from({ length: 50 }, (_, i) => `mesaj ${50_000 + i}`))
  })

  it('fills the last page exactly when the window is a multiple of the page size', async () => {
    const { params, open } = await mintedLink(DOCS_BODY, { env: { DLG_PAGE_SIZE: '11' } })
    const last = await open(withPage(params, '2'))
    expect(last.body).toContain(`${MESSAGES_IN_DOCS_WINDOW} mesajdan 12–22 arası · Sayfa 2 / 2`)
    expect(last.body).toContain('<a class="btn" role="link" aria-disabled="true">Daha yeni ›</a>')
    expect((await open(withPage(params, '3'))).statusCode).toBe(404)
  })

  it('answers a page past the last with a 404 page that links the first one', async () => {
    const { params, open } = await mintedLink(DOCS_BODY, tenPerPage)
    const response = await open(withPage(params, '4'))
    expect(response.statusCode).toBe(404)
    expect(response.body).toContain('Bu yazışma 3 sayfadan oluşuyor')
    expect(response.body).toMatch(/<a href="\?staffId=[^"]*sig=[^"&]+">İlk sayfaya git<\/a>/)
    expectPageHeaders(response.headers, response.body)
  })

  it.each(['0', 'abc', '1.5', '-2'])('answers page=%s with a 400 page', async (page) => {
    const { params, open } = await mintedLink(DOCS_BODY, tenPerPage)
    const response = await open(withPage(params, page))
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('<h1 id="notice-title">Bu sayfa yok</h1>')
  })

  it('answers a repeated page parameter with 400', async () => {
    const { open, path } = await mintedLink(DOCS_BODY, tenPerPage)
    expect((await open(`${path.slice(path.indexOf('?'))}&page=1&page=2`)).statusCode).toBe(400)
  })

  it('checks the signature before the page number', async () => {
    const { params, open } = await mintedLink(DOCS_BODY, tenPerPage)
    const tampered = new URLSearchParams(params)
    tampered.set('endDate', String(DOCS_BODY.endDate + 1))
    expect((await open(withPage(tampered, '99'))).statusCode).toBe(403)
  })
})

describe('links that do not open', () => {
  it.each([
    ['customerId', '2337368'],
    ['staffId', '45186'],
    ['startDate', '0'],
    ['endDate', '9999999999999'],
    ['expiresAt', String(DOCS_NOW + 10 ** 9)],
    ['sig', 'A'.repeat(43)],
  ])('refuses a link whose %s was changed with a 403 page', async (field, value) => {
    const { params, open } = await mintedLink()
    params.set(field, value)
    const response = await open(`?${params.toString()}`)
    expect(response.statusCode).toBe(403)
    expect(response.headers['content-type']).toBe(HTML)
    expect(response.body).toContain('<title>Bağlantı geçersiz</title>')
    expect(response.body).toContain('<h1 id="notice-title">Bağlantı geçersiz</h1>')
    expectPageHeaders(response.headers, response.body)
  })

  it.each(['', '?staffId=45188', '?sig=abc&sig=def'])('refuses %j with a 403 page', async (query) => {
    const { open } = await mintedLink()
    expect((await open(query)).statusCode).toBe(403)
  })

  it('says nothing about why a signature failed', async () => {
    const { params, open } = await mintedLink()
    const refusals = new Set<string>()
    for (const field of ['customerId', 'sig', 'expiresAt']) {
      const changed = new URLSearchParams(params)
      changed.set(field, field === 'sig' ? 'B'.repeat(43) : '1')
      refusals.add((await open(`?${changed.toString()}`)).body)
    }
    refusals.add((await open('')).body)
    expect(refusals.size).toBe(1)
  })

  it('refuses an expired link with a 410 page that says when it expired, in the zone of the page', async () => {
    const { clock, open } = await mintedLink()
    clock.advance(1800 * 1000)
    const response = await open()
    expect(response.statusCode).toBe(410)
    expect(response.body).toContain('<h1 id="notice-title">Bağlantının süresi doldu</h1>')
    // DOCS_NOW + 30 min = 13:58:32 GMT = 16:58 in Istanbul (UTC+3).
    expect(response.body).toContain(
      'Bu bağlantının süresi <time datetime="2021-03-09T13:58:32.000Z">9 Mart 2021 16:58</time> (Europe/Istanbul) itibarıyla doldu.',
    )
    expectPageHeaders(response.headers, response.body)
  })

  it('opens until the last millisecond before expiry', async () => {
    const { clock, open } = await mintedLink()
    clock.advance(1800 * 1000 - 1)
    expect((await open()).statusCode).toBe(200)
  })

  it('says when a link expired in the configured zone', async () => {
    const { clock, open } = await mintedLink(DOCS_BODY, { env: { DLG_PAGE_TIME_ZONE: 'America/New_York' } })
    clock.advance(3600 * 1000)
    // DOCS_NOW + 30 min = 13:58 GMT = 08:58 in New York (UTC-5 until 14 March 2021).
    expect((await open()).body).toContain('9 Mart 2021 08:58</time> (America/New_York)')
  })
})

describe('the JSON view of a link', () => {
  it('answers /views/messaging.json with the same content as data', async () => {
    const { open, path } = await mintedLink()
    const response = await open(path.slice(path.indexOf('?')), {}, '/views/messaging.json')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expectPageHeaders(response.headers, response.body)
    const document = response.json()
    expect(document).toMatchObject({
      staff: { staffId: '45188', name: 'Mehmet Çelik' },
      customer: { customerId: '5667067', name: 'İpek Doğan' },
      startDate: DOCS_BODY.startDate,
      endDate: DOCS_BODY.endDate,
      expiresAt: DOCS_NOW + 1800 * 1000,
      page: {
        number: 1,
        size: 50,
        count: 1,
        total: MESSAGES_IN_DOCS_WINDOW,
        first: 1,
        last: MESSAGES_IN_DOCS_WINDOW,
      },
      links: { prev: null, next: null },
    })
    expect(document.messages).toHaveLength(MESSAGES_IN_DOCS_WINDOW)
    expect(document.messages[0]).toEqual({
      id: expect.any(String),
      sentAt: Date.parse('2021-01-18T09:15:03+03:00'),
      from: 'customer',
      senderId: '5667067',
      text: 'Günaydın, kredi kartı limit artışı talebim vardı 🙂',
    })
    // Every message names its sender, one of the two.
    for (const message of document.messages) {
      expect(message.senderId).toBe(message.from === 'staff' ? '45188' : '5667067')
    }
    expect(document.messages).toContainEqual(
      expect.objectContaining({
        attachment: {
          type: 'file',
          name: 'maas-bordrosu-aralik-2020.pdf',
          sizeBytes: 184_320,
          mimeType: 'application/pdf',
        },
      }),
    )
  })

  it('answers the page URL as JSON when the client prefers JSON', async () => {
    const { open } = await mintedLink()
    const asJson = await open(undefined, { accept: 'application/json' })
    expect(asJson.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(asJson.json().page.total).toBe(MESSAGES_IN_DOCS_WINDOW)
    for (const accept of [BROWSER_ACCEPT, '*/*', 'text/html', 'image/png']) {
      expect((await open(undefined, { accept })).headers['content-type']).toBe(HTML)
    }
    expect((await open(undefined, {})).headers['content-type']).toBe(HTML)
  })

  it('pages like the HTML, with links that stay JSON and keep the signature', async () => {
    const { app, path, open } = await mintedLink(DOCS_BODY, { env: { DLG_PAGE_SIZE: '10' } })
    const first = (await open(path.slice(path.indexOf('?')), {}, '/views/messaging.json')).json()
    expect(first.page).toEqual({
      number: 1,
      size: 10,
      count: 3,
      total: MESSAGES_IN_DOCS_WINDOW,
      first: 1,
      last: 10,
    })
    // Absolute, on the public URL, like the link getmessagingdetail returned.
    expect(first.links.next).toMatch(/^http:\/\/mock\.test:8080\/views\/messaging\.json\?.*&page=2$/)
    expect(first.links.last).toMatch(/&page=3$/)
    const lastUrl = new URL(first.links.last)
    const last = (await app.inject({ method: 'GET', url: `${lastUrl.pathname}${lastUrl.search}` })).json()
    expect(last.page).toMatchObject({ number: 3, first: 21, last: 22 })
    expect(last.messages).toHaveLength(2)
    expect(last.links.next).toBeNull()
    expect(last.links.prev).toMatch(/&page=2$/)
  })

  it('gives null names for parties the fixtures do not know, and an empty list for an empty window', async () => {
    const { params } = await mintedLink({ ...DOCS_BODY, staffId: '45153', customerId: '7403713' })
    const { app } = testApp({ store: createStore({ staff: [], customers: [], conversations: [] }) })
    const response = await app.inject({ method: 'GET', url: `/views/messaging.json?${params.toString()}` })
    expect(response.json()).toMatchObject({
      staff: { staffId: '45153', name: null },
      customer: { customerId: '7403713', name: null },
      page: { number: 1, count: 1, total: 0, first: 0, last: 0 },
      messages: [],
      links: { prev: null, next: null },
    })
  })

  it('puts the path of DLG_PUBLIC_URL in front of its page links', async () => {
    const { open, path } = await mintedLink(DOCS_BODY, {
      env: { DLG_PUBLIC_URL: 'https://gw.example/diyalog', DLG_PAGE_SIZE: '10' },
    })
    const { links } = (await open(path.slice(path.indexOf('?')), {}, '/views/messaging.json')).json()
    expect(links.next).toMatch(/^https:\/\/gw\.example\/diyalog\/views\/messaging\.json\?.*&page=2$/)
  })

  it('refuses tampered, expired and out-of-range links with the same statuses, as JSON', async () => {
    const { clock, params, path, open } = await mintedLink()
    const json = { accept: 'application/json' }
    const tampered = new URLSearchParams(params)
    tampered.set('customerId', '2337368')
    const invalid = await open(`?${tampered.toString()}`, json)
    expect([invalid.statusCode, invalid.json()]).toEqual([
      403,
      { error: 'invalid-link', message: 'This link is not valid.' },
    ])
    const noPage = await open(withPage(params, '2'), json)
    expect([noPage.statusCode, noPage.json()]).toEqual([
      404,
      { error: 'no-such-page', message: 'page must be a whole number from 1 to 1' },
    ])
    const badPage = await open(withPage(params, 'two'), json)
    expect([badPage.statusCode, badPage.json()]).toEqual([
      400,
      { error: 'no-such-page', message: 'page must be a whole number from 1 to 1' },
    ])
    clock.advance(1800 * 1000)
    const expired = await open(path.slice(path.indexOf('?')), json)
    expect([expired.statusCode, expired.json()]).toEqual([
      410,
      { error: 'expired-link', message: 'This link has expired.', expiredAt: DOCS_NOW + 1800 * 1000 },
    ])
    expectPageHeaders(expired.headers, expired.body)
  })
})

describe('other paths', () => {
  it('GET /health answers without authentication', async () => {
    const { app } = testApp()
    const response = await app.inject({ method: 'GET', url: '/health' })
    expect(response.json()).toEqual({ status: 'ok', fixtures: defaultStore.counts })
    expect(Object.keys(defaultStore.counts)).toEqual([
      'staff',
      'customers',
      'groups',
      'messages',
      'calls',
      'onlineHelpSessions',
      'bots',
    ])
  })

  it('an unknown path is a plain-text 404 for HTTP clients', async () => {
    const { app } = testApp()
    for (const accept of [undefined, '*/*', 'application/json']) {
      const response = await app.inject({
        method: 'GET',
        url: '/nope?x=1',
        headers: accept === undefined ? {} : { accept },
      })
      expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
        404,
        'text/plain; charset=utf-8',
        'Not found: GET /nope',
      ])
      // The same URL answers a browser differently: caches must keep the two apart.
      expect(response.headers['vary']).toBe('Accept')
    }
  })

  it('an unknown path is a 404 page for browsers', async () => {
    const { app } = testApp()
    const response = await app.inject({
      method: 'GET',
      url: '/views/nope',
      headers: { accept: BROWSER_ACCEPT },
    })
    expect(response.statusCode).toBe(404)
    expect(response.headers['content-type']).toBe(HTML)
    expect(response.body).toContain('<h1 id="notice-title">Sayfa bulunamadı</h1>')
    expectPageHeaders(response.headers, response.body)
    expect(response.headers['vary']).toBe('Accept')
  })

  it('an unknown /v1 path still answers as the API does, to browsers too', async () => {
    const { app } = testApp()
    const response = await app.inject({ method: 'GET', url: '/v1/nope', headers: { accept: BROWSER_ACCEPT } })
    expect([response.statusCode, response.headers['content-type']]).toEqual([
      400,
      'text/plain; charset=utf-8',
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
