import { describe, expect, it } from 'vitest'
import { DOCS_NOW } from '../helpers/app.js'
import {
  CALLS,
  expectLinkPageHeaders,
  EXPIRES_AT,
  HTML,
  LINK_KINDS,
  linkPageApp,
  linkStore,
  sendersOf,
  SESSIONS,
  signatureAs,
  testSigner,
  textsOf,
  withParam,
} from '../helpers/link-pages.js'
import { signedRequest } from '../helpers/signing.js'

/** `GET /views/onlinehelp/<onlineHelpId>`: an online-help session's facts and messages (D34, D36). */

const signer = testSigner()
const linkOf = (onlineHelpId: string) => signer.mintOnlineHelp({ onlineHelpId }, DOCS_NOW)
const asJson = (url: string) => url.replace(/\?/, '.json?')

const app = linkPageApp

/** A fact's value and the lines under it, as text, one a line. */
const factOf = (body: string, label: string) =>
  new RegExp(`<div(?: class="[a-z]+")?><dt>${label}</dt><dd>(.*?)</dd></div>`)
    .exec(body)?.[1]
    ?.replace(/<span class="sub">/g, '\n')
    .replace(/<[^>]+>/g, '')

describe('an ended session', () => {
  it('shows its facts in Turkish and the messages from its start to its end', async () => {
    const { open } = app()
    const response = await open(linkOf(SESSIONS.ended))
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe(HTML)
    const { body } = response
    expect(body).toContain('<title>Ömer Faruk Şahin – Ayşe Yılmaz · Canlı yardım detayı</title>')
    expect(body).toContain('<h1>Ömer Faruk Şahin – Ayşe Yılmaz</h1>')
    expect(factOf(body, 'Müşteri')).toBe('Ömer Faruk Şahin\nMüşteri no: 2337368')
    expect(factOf(body, 'Temsilci')).toBe('Ayşe Yılmaz\nSicil no: 45186')
    expect(factOf(body, 'Durum')).toBe('Temsilci sonlandırdı\nhelpState: onlinehelp_ended_by_agent')
    expect(factOf(body, 'Oturum no')).toBe('-7320316471234567890')
    // Istanbul time (UTC+3), to the second.
    expect(factOf(body, 'Talep')).toBe('8 Mart 2021 14:00:00\nSaat dilimi: Europe/Istanbul')
    expect(factOf(body, 'Başlama')).toBe('8 Mart 2021 14:01:30')
    expect(factOf(body, 'Bitiş')).toBe('8 Mart 2021 14:12:00')
    expect(factOf(body, 'Bekleme süresi')).toBe('1 dk 30 sn')
    expect(factOf(body, 'Yardım süresi')).toBe('10 dk 30 sn')
    expect(factOf(body, 'Mesajlar')).toBe('3 mesaj')
    // Both ends inclusive; what came before and after is not the session's.
    expect(textsOf(body)).toEqual([
      'Canlı yardıma hoş geldiniz.',
      'Şifremi unuttum.',
      'Yeni şifreniz SMS ile gönderildi.',
    ])
    expect(sendersOf(body)).toEqual([
      'staff: Ayşe Yılmaz (Çalışan)',
      'customer: Ömer Faruk Şahin (Müşteri)',
      'staff: Ayşe Yılmaz (Çalışan)',
    ])
    expectLinkPageHeaders(response.headers, body)
  })

  it('answers as JSON at <id>.json and for Accept: application/json, the id an exact integer', async () => {
    const { open, store } = app()
    const link = linkOf(SESSIONS.ended)
    const fromPath = await open(asJson(link))
    const fromAccept = await open(link, { accept: 'application/json' })
    for (const response of [fromPath, fromAccept]) {
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
      expectLinkPageHeaders(response.headers, response.body)
      // Beyond 2^53: written exactly, as the API writes it (D18).
      expect(response.body).toMatch(/^\{"onlineHelpId":-7320316471234567890,/)
    }
    const document = fromPath.json()
    expect(document).toMatchObject({
      expiresAt: EXPIRES_AT,
      session: {
        customer: { kind: 'customer', id: '2337368', name: 'Ömer Faruk Şahin' },
        agent: { kind: 'staff', id: '45186', name: 'Ayşe Yılmaz' },
        helpState: 'onlinehelp_ended_by_agent',
        helpRequestedAt: Date.parse('2021-03-08T11:00:00Z'),
        helpStartedAt: Date.parse('2021-03-08T11:01:30Z'),
        helpEndedAt: Date.parse('2021-03-08T11:12:00Z'),
        waitTime: 90,
        helpTime: 630,
      },
      window: { start: Date.parse('2021-03-08T11:01:30Z'), end: Date.parse('2021-03-08T11:12:00Z') },
      page: { number: 1, count: 1, total: 3, first: 1, last: 3 },
      links: { prev: null, next: null },
    })
    const expected = store.conversation(
      { kind: 'customer', id: '2337368' },
      { kind: 'staff', id: '45186' },
      document.window,
    )
    expect(
      document.messages.map((m: { senderId: string; sentAt: number }) => [m.senderId, m.sentAt]),
    ).toEqual(expected.messages.map((m) => [m.senderId, m.sentAt]))
    expect(document.messages.map((m: { senderId: string }) => m.senderId)).toEqual([
      '45186',
      '2337368',
      '45186',
    ])
    expect(fromAccept.json()).toEqual(document)
  })

  it("is what getonlinehelplist's conversationDetailLink opens, with the list's facts", async () => {
    const { app: built, open } = app()
    const response = await built.inject(
      signedRequest({
        now: DOCS_NOW,
        url: '/v1/reporting/getonlinehelplist',
        body: JSON.stringify({ startDate: Date.UTC(2021, 2, 1), endDate: DOCS_NOW }),
      }),
    )
    expect(response.statusCode).toBe(200)
    const items =
      response.json<
        { helpState: string; conversationDetailLink?: string; waitTime?: number; helpTime?: number }[]
      >()
    const linked = items.filter((item) => item.conversationDetailLink !== undefined)
    expect(linked.map((item) => item.helpState).sort()).toEqual([
      'onlinehelp_ended_by_agent',
      'onlinehelp_started',
    ])
    for (const item of linked) {
      const url = new URL(item.conversationDetailLink ?? '')
      expect((await open(`${url.pathname}${url.search}`)).statusCode).toBe(200)
      const document = (await open(`${url.pathname}${url.search}`, { accept: 'application/json' })).json()
      expect(document.session.helpState).toBe(item.helpState)
      expect(document.session.waitTime).toBe(item.waitTime ?? null)
      expect(document.session.helpTime).toBe(item.helpTime ?? null)
    }
  })
})

describe('a session that runs', () => {
  it("shows the messages up to the clock's now, and the ones sent later once they are sent", async () => {
    const { open, clock } = app()
    const link = linkOf(SESSIONS.running)
    const response = await open(link)
    expect(response.statusCode).toBe(200)
    const { body } = response
    expect(factOf(body, 'Durum')).toBe('Sürüyor\nhelpState: onlinehelp_started')
    expect(factOf(body, 'Bitiş')).toBe('Sürüyor')
    expect(factOf(body, 'Bekleme süresi')).toBe('5 dk')
    // 13:10:00 to now (13:28:32).
    expect(factOf(body, 'Yardım süresi')).toBe('Sürüyor\nşu ana kadar 18 dk 32 sn')
    expect(textsOf(body)).toEqual(['Hâlâ bağlı mısınız?', 'Evet, işleminiz sürüyor.'])
    expect((await open(asJson(link))).json()).toMatchObject({
      session: { helpState: 'onlinehelp_started', helpEndedAt: null, waitTime: 300, helpTime: null },
      window: { start: Date.parse('2021-03-09T13:10:00Z'), end: DOCS_NOW },
      page: { total: 2 },
    })
    clock.set(Date.parse('2021-03-09T13:45:00Z'))
    expect(textsOf((await open(link)).body)).toEqual([
      'Hâlâ bağlı mısınız?',
      'Evet, işleminiz sürüyor.',
      'Biraz sonra.',
    ])
  })
})

describe('a session that runs, started after the clock’s now', () => {
  it('has the window of its start alone, never a reversed one (D36)', async () => {
    // 13:10 is the running session's start; the clock stands before it (data dated ahead).
    const start = Date.parse('2021-03-09T13:10:00Z')
    const { open } = app({ now: start - 20 * 60_000 })
    const link = linkOf(SESSIONS.running)
    const json = await open(asJson(link))
    expect(json.statusCode).toBe(200)
    expect(json.json()).toMatchObject({
      session: { helpState: 'onlinehelp_started', helpStartedAt: start, helpEndedAt: null },
      window: { start, end: start },
      page: { total: 0 },
      messages: [],
    })
    const page = await open(link)
    expect(page.statusCode).toBe(200)
    expect(textsOf(page.body)).toEqual([])
    expect(factOf(page.body, 'Yardım süresi')).toBe('Sürüyor\nşu ana kadar 0 sn')
  })
})

describe('a session that never started', () => {
  it.each([
    [
      SESSIONS.requested,
      'Temsilci bekleniyor',
      'Hâlâ bekliyor\nşu ana kadar 3 dk 32 sn',
      'Müşteri yardım istedi; henüz bir temsilci bağlanmadı, bu yüzden mesaj yok.',
    ],
    [
      SESSIONS.cancelled,
      'Müşteri iptal etti',
      '3 dk 20 sn',
      'Müşteri, bir temsilci bağlanmadan talebini iptal etti; bu yüzden mesaj yok.',
    ],
  ])('%s shows its facts and an explicit empty state', async (id, state, wait, text) => {
    const { open } = app()
    const response = await open(linkOf(id))
    expect(response.statusCode).toBe(200)
    const { body } = response
    expect(body).toContain('<h1>İpek Doğan</h1>')
    expect(factOf(body, 'Temsilci')).toBe('Atanmadı\nBir temsilci bağlanmadı')
    expect(factOf(body, 'Durum')?.split('\n')[0]).toBe(state)
    expect(factOf(body, 'Başlama')).toBe('Başlamadı')
    expect(factOf(body, 'Bekleme süresi')).toBe(wait)
    expect(body).toContain('<h2 id="empty-title">Bu oturum hiç başlamadı.</h2>')
    expect(body).toContain(text)
    expect(body).not.toContain('class="msg')
    expectLinkPageHeaders(response.headers, body)
    expect((await open(asJson(linkOf(id)))).json()).toMatchObject({
      session: { agent: null, helpStartedAt: null, helpEndedAt: null, helpTime: null },
      window: null,
      page: { number: 1, count: 1, total: 0, first: 0, last: 0 },
      messages: [],
    })
  })

  it('says so when the id is signed but not in the data', async () => {
    const { open } = app()
    const response = await open(linkOf(SESSIONS.unknown))
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('<h2 id="empty-title">Bu canlı yardım oturumu bulunamadı.</h2>')
    expect(response.body).toContain('77 numaralı oturum bu sunucunun verilerinde yok')
    expect((await open(asJson(linkOf(SESSIONS.unknown)))).json()).toMatchObject({
      onlineHelpId: 77,
      session: null,
      window: null,
      page: { total: 0 },
      messages: [],
    })
  })
})

describe('paging a session', () => {
  it('pages its messages; the JSON links point at <id>.json', async () => {
    const { open } = app({ env: { DLG_PAGE_SIZE: '2' } })
    const link = linkOf(SESSIONS.ended)
    expect((await open(link)).body).toContain('3 mesajdan 1–2 arası · Sayfa 1 / 2')
    const last = await open(withParam(link, 'page', '2'))
    expect(textsOf(last.body)).toEqual(['Yeni şifreniz SMS ile gönderildi.'])
    const json = (await open(asJson(link))).json()
    expect(json.links.next).toBe(
      `http://mock.test:8080/views/onlinehelp/-7320316471234567890.json?expiresAt=${EXPIRES_AT}&sig=${new URL(link, 'http://x').searchParams.get('sig')}&page=2`,
    )
    const past = await open(withParam(link, 'page', '3'))
    expect(past.statusCode).toBe(404)
    expect(past.body).toContain('Bu oturumun mesajları 2 sayfadan oluşuyor')
    // A session that never started has one empty page.
    expect((await open(withParam(linkOf(SESSIONS.requested), 'page', '2'))).statusCode).toBe(404)
  })
})

describe('online-help links that do not open', () => {
  it.each([
    ['the id in the path', (url: string) => url.replace(SESSIONS.ended, SESSIONS.running)],
    ['the id, one digit more', (url: string) => url.replace(SESSIONS.ended, `${SESSIONS.ended}1`)],
    ['the id, not a number', (url: string) => url.replace(SESSIONS.ended, 'abc')],
    ['expiresAt', (url: string) => withParam(url, 'expiresAt', String(EXPIRES_AT + 1))],
    ['sig', (url: string) => withParam(url, 'sig', 'B'.repeat(43))],
    ['no sig', (url: string) => withParam(url, 'sig', undefined)],
  ])('refuses a link with %s changed: 403 page and JSON', async (_, change) => {
    const { open } = app()
    const url = change(linkOf(SESSIONS.ended))
    const page = await open(url)
    expect(page.statusCode).toBe(403)
    expect(page.body).toContain('<h1 id="notice-title">Bağlantı geçersiz</h1>')
    expect(page.body).toContain('Bu canlı yardım bağlantısı geçerli değil')
    expect(page.body).toContain('Oturumu görmek için yeni bir bağlantı oluşturun.')
    expectLinkPageHeaders(page.headers, page.body)
    const json = await open(url, { accept: 'application/json' })
    expect([json.statusCode, json.json()]).toEqual([
      403,
      { error: 'invalid-link', message: 'This link is not valid.' },
    ])
  })

  it('refuses the signature of another kind over the same id and expiry', async () => {
    const { open } = app()
    // A recording signature is hex; made in base64url over the same id it still names another kind.
    const asRecording = signatureAs(
      { ...LINK_KINDS.recording, encoding: 'base64url' },
      { callId: SESSIONS.ended },
      EXPIRES_AT,
    )
    expect(
      (await open(`/views/onlinehelp/${SESSIONS.ended}?expiresAt=${EXPIRES_AT}&sig=${asRecording}`))
        .statusCode,
    ).toBe(403)
    // The same hand-made signature over the session's own kind opens: the refusal above is the kind's.
    const own = signatureAs(LINK_KINDS.onlineHelp, { onlineHelpId: SESSIONS.ended }, EXPIRES_AT)
    expect(
      (await open(`/views/onlinehelp/${SESSIONS.ended}?expiresAt=${EXPIRES_AT}&sig=${own}`)).statusCode,
    ).toBe(200)
    // An online-help signature, in hex over a call's id, on that call's recording path.
    const asOnlineHelp = signatureAs(
      { ...LINK_KINDS.onlineHelp, encoding: 'hex' },
      { onlineHelpId: CALLS.recorded },
      EXPIRES_AT,
    )
    expect(
      (await open(`/v1/playrecords/${CALLS.recorded}?signature=${asOnlineHelp}&expires=${EXPIRES_AT}`))
        .statusCode,
    ).toBe(403)
  })

  it('refuses a link signed with another secret', async () => {
    const { open } = app()
    const foreign = testSigner('another-link-secret-0123456789').mintOnlineHelp(
      { onlineHelpId: SESSIONS.ended },
      DOCS_NOW,
    )
    expect((await open(foreign)).statusCode).toBe(403)
  })

  it('says when an expired link expired (410), as a page and as JSON', async () => {
    const { open, clock } = app()
    clock.set(EXPIRES_AT)
    const link = linkOf(SESSIONS.ended)
    const page = await open(link)
    expect(page.statusCode).toBe(410)
    expect(page.body).toContain('9 Mart 2021 16:58</time> (Europe/Istanbul) itibarıyla doldu.')
    expect(page.body).toContain('<span>Canlı yardım detayı</span>')
    expectLinkPageHeaders(page.headers, page.body)
    const json = await open(asJson(link))
    expect([json.statusCode, json.json()]).toEqual([
      410,
      { error: 'expired-link', message: 'This link has expired.', expiredAt: EXPIRES_AT },
    ])
  })
})

describe('escaping', () => {
  it('escapes the names from the fixtures', async () => {
    const payload = '<script>alert(1)</script>'
    const { open } = app({ store: linkStore({ staff: `Ayşe ${payload}`, customer: `Ömer ${payload}` }) })
    const response = await open(linkOf(SESSIONS.ended))
    expect(response.statusCode).toBe(200)
    expect(response.body).not.toContain('<script')
    expect(response.body).toContain(
      '<h1>Ömer &lt;script&gt;alert(1)&lt;/script&gt; – Ayşe &lt;script&gt;alert(1)&lt;/script&gt;</h1>',
    )
    expectLinkPageHeaders(response.headers, response.body)
  })
})
