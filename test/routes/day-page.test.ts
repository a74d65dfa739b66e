import { describe, expect, it } from 'vitest'
import { DAY_JSON_PATH } from '../../src/routes/day-page.js'
import { type Store } from '../../src/store/store.js'
import { DOCS_NOW } from '../helpers/app.js'
import {
  DAY,
  DAY_END,
  expectLinkPageHeaders,
  EXPIRES_AT,
  GROUP,
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

/** `GET /views/messaging/day`: the page of a messaging-list row's link, and its JSON twin. */

const signer = testSigner()
const MEHMET = { kind: 'staff', id: '45188' } as const
const AYSE = { kind: 'staff', id: '45186' } as const
const IPEK = { kind: 'customer', id: '5667067' } as const
const GROUP_REF = { kind: 'group', id: GROUP.groupId } as const

const privateDay = signer.mintDay({ party: MEHMET, other: IPEK, startDate: DAY, endDate: DAY_END }, DOCS_NOW)
const groupDay = signer.mintDay({ party: AYSE, other: GROUP_REF, startDate: DAY, endDate: DAY_END }, DOCS_NOW)

const app = linkPageApp

const asJson = (url: string) => url.replace('/views/messaging/day?', `${DAY_JSON_PATH}?`)

/** Every message of a link's JSON, page after page, through its own `next` links. */
async function allMessages(open: (url: string) => Promise<{ json: () => unknown }>, url: string) {
  const messages: { senderId: string; sentAt: number; from: string }[] = []
  let next: string | null = asJson(url)
  let total = -1
  while (next !== null) {
    const document = (await open(next.replace(/^https?:\/\/[^/]+/, ''))).json() as {
      page: { total: number }
      messages: typeof messages
      links: { next: string | null }
    }
    total = document.page.total
    messages.push(...document.messages)
    next = document.links.next
  }
  return { total, messages }
}

describe('a private day', () => {
  it("opens the day's conversation, the party on the right, each bubble naming its sender", async () => {
    const { open } = app()
    const response = await open(privateDay)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe(HTML)
    const { body } = response
    expect(body).toContain('<html lang="tr">')
    expect(body).toContain('<title>Mehmet Çelik – İpek Doğan · Günlük yazışma</title>')
    expect(body).toContain('<h1>Mehmet Çelik – İpek Doğan</h1>')
    expect(body).toContain('Sicil no: 45188 · Çalışan')
    expect(body).toContain('Müşteri no: 5667067 · Müşteri')
    // The day in Istanbul time: 8 March 00:00 UTC is 03:00.
    expect(body).toContain('8 Mart 2021 03:00 – 9 Mart 2021 02:59')
    expect(body).toContain('<dt>Mesajlar</dt><dd>4 mesaj</dd>')
    expect(body).toContain('<dt>Gönderilen</dt><dd>2 mesaj<span class="sub">Mehmet Çelik tarafından</span>')
    expect(textsOf(body)).toEqual([
      'Günaydın, kartım bloke oldu.',
      'Günaydın İpek Hanım, bakıyorum.',
      'Blokeyi kaldırdım.',
      'Teşekkürler!',
    ])
    expect(sendersOf(body)).toEqual([
      'theirs: İpek Doğan (Müşteri)',
      'own: Mehmet Çelik (Çalışan)',
      'own: Mehmet Çelik (Çalışan)',
      'theirs: İpek Doğan (Müşteri)',
    ])
    expect(body).toContain('Bu bağlantı 9 Mart 2021 16:58 tarihine kadar açılır (Europe/Istanbul).')
    expectLinkPageHeaders(response.headers, body)
  })

  it('answers the same day as JSON, at day.json and for Accept: application/json', async () => {
    const { open, store } = app()
    const fromPath = await open(asJson(privateDay))
    const fromAccept = await open(privateDay, { accept: 'application/json' })
    for (const response of [fromPath, fromAccept]) {
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
      expectLinkPageHeaders(response.headers, response.body)
    }
    const document = fromPath.json()
    expect(fromAccept.json()).toEqual(document)
    expect(document).toMatchObject({
      party: { kind: 'staff', id: '45188', name: 'Mehmet Çelik', sendMessageCount: 2 },
      other: { kind: 'customer', id: '5667067', name: 'İpek Doğan' },
      group: null,
      startDate: DAY,
      endDate: DAY_END,
      expiresAt: EXPIRES_AT,
      page: { number: 1, size: 50, count: 1, total: 4, first: 1, last: 4 },
      links: { prev: null, next: null },
    })
    // The store's messages of the day, each with its sender and time.
    const expected = store.conversation(MEHMET, IPEK, { start: DAY, end: DAY_END })
    expect(document.page.total).toBe(expected.total)
    expect(
      document.messages.map((m: { senderId: string; sentAt: number }) => [m.senderId, m.sentAt]),
    ).toEqual(expected.messages.map((m) => [m.senderId, m.sentAt]))
    expect(document.messages[0]).toEqual({
      id: 'p-1',
      from: 'customer',
      senderId: '5667067',
      sentAt: Date.parse('2021-03-08T08:00:00Z'),
      text: 'Günaydın, kartım bloke oldu.',
    })
    for (const accept of ['text/html', '*/*', 'image/png']) {
      expect((await open(privateDay, { accept })).headers['content-type']).toBe(HTML)
    }
  })

  it('shows an explicit empty state for a day without messages', async () => {
    const { open } = app()
    const other = signer.mintDay(
      { party: MEHMET, other: IPEK, startDate: DAY - 86_400_000, endDate: DAY - 1 },
      DOCS_NOW,
    )
    const response = await open(other)
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('<h2 id="empty-title">Bu tarih aralığında mesaj yok.</h2>')
    expect(response.body).toContain('Mehmet Çelik ile İpek Doğan bu tarihler arasında yazışmamış.')
    expect((await open(asJson(other))).json()).toMatchObject({ page: { total: 0 }, messages: [] })
  })

  it('names people by role and id when the fixtures do not know them', async () => {
    const { open } = app()
    const link = signer.mintDay(
      {
        party: { kind: 'customer', id: 'c-9' },
        other: { kind: 'staff', id: 's-9' },
        startDate: DAY,
        endDate: DAY_END,
      },
      DOCS_NOW,
    )
    expect((await open(link)).body).toContain('<h1>Müşteri c-9 – Çalışan s-9</h1>')
    expect((await open(asJson(link))).json()).toMatchObject({
      party: { kind: 'customer', id: 'c-9', name: null, sendMessageCount: 0 },
      other: { kind: 'staff', id: 's-9', name: null },
    })
  })
})

describe('a group day', () => {
  it("names the group and its members, and each bubble's sender", async () => {
    const { open } = app()
    const response = await open(groupDay)
    expect(response.statusCode).toBe(200)
    const { body } = response
    expect(body).toContain('<title>Kredi Kartı Destek · Grup yazışması</title>')
    expect(body).toContain('<h1>Kredi Kartı Destek</h1>')
    expect(body).toContain('<dt>Grup</dt><dd>Kredi Kartı Destek<span class="sub">Grup no: 2128893729</span>')
    expect(body).toContain('<dt>Üyeler (3)</dt>')
    for (const member of [
      'Ayşe Yılmaz <span class="role">· Çalışan · 45186</span>',
      'Mehmet Çelik <span class="role">· Çalışan · 45188</span>',
      'İpek Doğan <span class="role">· Müşteri · 5667067</span>',
    ])
      expect(body).toContain(`<li>${member}</li>`)
    // Ayşe's row: her messages on the right; everyone else's on the left, by name.
    expect(sendersOf(body)).toEqual([
      'theirs: İpek Doğan (Müşteri)',
      'own: Ayşe Yılmaz (Çalışan)',
      'theirs: Mehmet Çelik (Çalışan)',
      'own: Ayşe Yılmaz (Çalışan)',
    ])
    expect(body).toContain('<dt>Gönderilen</dt><dd>2 mesaj<span class="sub">Ayşe Yılmaz tarafından</span>')
    expect(body).toContain('<span class="name">ekstre-subat.pdf</span> <span class="size">180 KB</span>')
    expectLinkPageHeaders(response.headers, body)
  })

  it('gives the group, its members and every message with its sender as JSON', async () => {
    const { open } = app()
    const document = (await open(asJson(groupDay))).json()
    expect(document).toMatchObject({
      party: { kind: 'staff', id: '45186', name: 'Ayşe Yılmaz', sendMessageCount: 2 },
      other: null,
      group: {
        groupId: GROUP.groupId,
        name: 'Kredi Kartı Destek',
        members: [
          { kind: 'staff', id: '45186', name: 'Ayşe Yılmaz' },
          { kind: 'staff', id: '45188', name: 'Mehmet Çelik' },
          { kind: 'customer', id: '5667067', name: 'İpek Doğan' },
        ],
      },
      page: { total: 4 },
    })
    expect(
      document.messages.map((m: { from: string; senderId: string }) => `${m.from}:${m.senderId}`),
    ).toEqual(['customer:5667067', 'staff:45186', 'staff:45188', 'staff:45186'])
  })

  it('shows an explicit empty state for a group day without messages', async () => {
    const { open } = app()
    const quiet = signer.mintDay(
      { party: AYSE, other: GROUP_REF, startDate: DAY - 86_400_000, endDate: DAY - 1 },
      DOCS_NOW,
    )
    const { body } = await open(quiet)
    expect(body).toContain('<h2 id="empty-title">Bu tarih aralığında mesaj yok.</h2>')
    expect(body).toContain('Bağlantı geçerli; Kredi Kartı Destek grubunda bu tarihler arasında mesaj yok.')
  })

  it('opens a group the data does not know, with its id and no members', async () => {
    const { open } = app()
    const link = signer.mintDay(
      { party: AYSE, other: { kind: 'group', id: 99 }, startDate: DAY, endDate: DAY_END },
      DOCS_NOW,
    )
    const response = await open(link)
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('<h1>Grup 99</h1>')
    expect(response.body).toContain('Üyeler bilinmiyor.')
    expect((await open(asJson(link))).json()).toMatchObject({
      group: { groupId: 99, name: null, members: [] },
      page: { total: 0 },
    })
  })
})

describe("a messaging list's rows and their links", () => {
  const windowBody = (field: 'staffId' | 'customerId', id: string) =>
    JSON.stringify({
      [field]: id,
      startDate: DAY - 86_400_000,
      endDate: DOCS_NOW,
      pageNumber: 1,
      pageSize: 20,
    })

  it.each([
    ['/v1/reporting/getstaffmessaginglist', 'staffId', '45188'],
    ['/v1/reporting/getstaffmessaginglist', 'staffId', '45186'],
    ['/v1/reporting/getcustomermessaginglist', 'customerId', '5667067'],
    ['/v1/reporting/getcustomermessaginglist', 'customerId', '2337368'],
  ] as const)(
    "%s %s=%s: each row's sendMessageCount is its link's messages from the row's sender",
    async (url, field, id) => {
      const { app: built, open } = app({ env: { DLG_PAGE_SIZE: '2' } })
      const response = await built.inject(signedRequest({ now: DOCS_NOW, url, body: windowBody(field, id) }))
      expect(response.statusCode).toBe(200)
      const rows = response.json<
        {
          senderId: string
          sendMessageCount: number
          conversationDetailLink: string
          messagingDate: number
        }[]
      >()
      expect(rows.length).toBeGreaterThan(0)
      for (const row of rows) {
        const link = new URL(row.conversationDetailLink)
        expect(link.pathname).toBe('/views/messaging/day')
        const page = await open(`${link.pathname}${link.search}`)
        expect(page.statusCode).toBe(200)
        const { total, messages } = await allMessages(open, `${link.pathname}${link.search}`)
        expect(messages).toHaveLength(total)
        expect(messages.filter((m) => m.senderId === row.senderId)).toHaveLength(row.sendMessageCount)
        for (const message of messages) {
          expect(message.sentAt).toBeGreaterThanOrEqual(row.messagingDate)
          expect(message.sentAt).toBeLessThan(row.messagingDate + 86_400_000)
        }
      }
    },
  )
})

describe('paging a day', () => {
  it('pages like the conversation page, the JSON links staying JSON and signed', async () => {
    const { open } = app({ env: { DLG_PAGE_SIZE: '3' } })
    const first = await open(privateDay)
    expect(first.body).toContain('4 mesajdan 1–3 arası · Sayfa 1 / 2')
    expect(first.body).toContain('<title>Mehmet Çelik – İpek Doğan · Günlük yazışma (Sayfa 1/2)</title>')
    // The party's count covers the whole day, not the page.
    expect(first.body).toContain('<dt>Gönderilen</dt><dd>2 mesaj')
    const next =
      /<a class="btn" href="([^"]+)" rel="next">/.exec(first.body)?.[1]?.replaceAll('&amp;', '&') ?? ''
    expect(next).toMatch(/^\?party=staff%3A45188&.*&sig=[^&]+&page=2$/)
    const second = await open(`/views/messaging/day${next}`)
    expect(second.body).toContain('4 mesajdan 4–4 arası · Sayfa 2 / 2')
    expect(textsOf(second.body)).toEqual(['Teşekkürler!'])

    const json = (await open(asJson(privateDay))).json()
    expect(json.page).toEqual({ number: 1, size: 3, count: 2, total: 4, first: 1, last: 3 })
    expect(json.party.sendMessageCount).toBe(2)
    expect(json.links.next).toMatch(
      /^http:\/\/mock\.test:8080\/views\/messaging\/day\.json\?party=.*&page=2$/,
    )
  })

  it('refuses a page past the last (404) and a malformed one (400), as a page and as JSON', async () => {
    const { open } = app({ env: { DLG_PAGE_SIZE: '3' } })
    const past = await open(withParam(privateDay, 'page', '3'))
    expect(past.statusCode).toBe(404)
    expect(past.body).toContain('Bu yazışma 2 sayfadan oluşuyor')
    expect(past.body).toMatch(/<a href="\?party=[^"]*sig=[^"&]+">İlk sayfaya git<\/a>/)
    expectLinkPageHeaders(past.headers, past.body)
    for (const page of ['0', 'iki', '1.5']) {
      const bad = await open(withParam(privateDay, 'page', page), { accept: 'application/json' })
      expect([bad.statusCode, bad.json()]).toEqual([
        400,
        { error: 'no-such-page', message: 'page must be a whole number from 1 to 2' },
      ])
    }
  })
})

describe('day links that do not open', () => {
  it.each([
    ['party', 'staff:45186'],
    ['party', 'customer:45188'],
    ['other', 'customer:2337368'],
    ['other', `group:${GROUP.groupId}`],
    ['startDate', String(DAY - 1)],
    ['endDate', String(DAY_END + 1)],
    ['expiresAt', String(EXPIRES_AT + 1000)],
    ['sig', 'A'.repeat(43)],
    ['sig', undefined],
    ['expiresAt', undefined],
  ])('refuses a link whose %s is changed to %s with the 403 page, and 403 JSON', async (field, value) => {
    const { open } = app()
    const url = withParam(privateDay, field, value)
    const page = await open(url)
    expect(page.statusCode).toBe(403)
    expect(page.body).toContain('<h1 id="notice-title">Bağlantı geçersiz</h1>')
    expect(page.body).toContain('Bu yazışma bağlantısı geçerli değil')
    expectLinkPageHeaders(page.headers, page.body)
    const json = await open(url, { accept: 'application/json' })
    expect([json.statusCode, json.json()]).toEqual([
      403,
      { error: 'invalid-link', message: 'This link is not valid.' },
    ])
  })

  it('refuses the signature of another kind of link, even over the same fields', async () => {
    const { open } = app()
    // A conversation link of the same two people and day, its signature on the day's query.
    const conversation = new URL(
      signer.mint({ staffId: '45188', customerId: '5667067', startDate: DAY, endDate: DAY_END }, DOCS_NOW),
      'http://x',
    )
    expect(
      (await open(withParam(privateDay, 'sig', conversation.searchParams.get('sig') ?? ''))).statusCode,
    ).toBe(403)
    // The day's own signature on the conversation page.
    const day = new URL(privateDay, 'http://x')
    conversation.searchParams.set('sig', day.searchParams.get('sig') ?? '')
    expect((await open(`${conversation.pathname}${conversation.search}`)).statusCode).toBe(403)
    // The day's signature presented on the online-help path.
    expect(
      (
        await open(
          `/views/onlinehelp/${SESSIONS.ended}?expiresAt=${EXPIRES_AT}&sig=${day.searchParams.get('sig')}`,
        )
      ).statusCode,
    ).toBe(403)
    // A valid online-help signature, made over the same expiry, on the day path.
    const onlineHelp = signatureAs(LINK_KINDS.onlineHelp, { onlineHelpId: SESSIONS.ended }, EXPIRES_AT)
    expect((await open(withParam(privateDay, 'sig', onlineHelp))).statusCode).toBe(403)
  })

  it('refuses a link signed with another secret', async () => {
    const { open } = app()
    const foreign = testSigner('another-link-secret-0123456789').mintDay(
      { party: MEHMET, other: IPEK, startDate: DAY, endDate: DAY_END },
      DOCS_NOW,
    )
    expect((await open(foreign)).statusCode).toBe(403)
  })

  it('says when an expired link expired, with 410, as a page and as JSON', async () => {
    const { open, clock } = app()
    clock.set(EXPIRES_AT)
    const page = await open(privateDay)
    expect(page.statusCode).toBe(410)
    expect(page.body).toContain('<h1 id="notice-title">Bağlantının süresi doldu</h1>')
    expect(page.body).toContain(
      'Bu bağlantının süresi <time datetime="2021-03-09T13:58:32.000Z">9 Mart 2021 16:58</time> (Europe/Istanbul) itibarıyla doldu.',
    )
    expectLinkPageHeaders(page.headers, page.body)
    const json = await open(asJson(privateDay))
    expect([json.statusCode, json.json()]).toEqual([
      410,
      { error: 'expired-link', message: 'This link has expired.', expiredAt: EXPIRES_AT },
    ])
    clock.set(EXPIRES_AT - 1)
    expect((await open(privateDay)).statusCode).toBe(200)
  })
})

describe('escaping', () => {
  const payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'

  it('escapes names and the group name from the fixtures', async () => {
    const store: Store = linkStore({ staff: `Ayşe ${payload}`, group: `Grup ${payload}` })
    const { open } = app({ store })
    for (const url of [groupDay, privateDay]) {
      const response = await open(url)
      expect(response.statusCode).toBe(200)
      expect(response.body).not.toContain('<script')
      expect(response.body).not.toContain('<img')
      expectLinkPageHeaders(response.headers, response.body)
    }
    const group = (await open(groupDay)).body
    expect(group).toContain(
      '<h1>Grup &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</h1>',
    )
    expect(group).toContain('Ayşe &quot;&gt;&lt;script&gt;')
  })
})
