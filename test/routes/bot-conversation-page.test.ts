import fastifyAccepts from '@fastify/accepts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { manualClock } from '../../src/clock.js'
import type { BotLinkParams } from '../../src/links/link-signer.js'
import type {
  BotConversationSource,
  BotConversationView,
  BotMessageView,
} from '../../src/messaging/bot-conversation.js'
import type { Pressable } from '../../src/messaging/message-content.js'
import type { Recipient } from '../../src/messaging/recipient.js'
import type { SliceRange } from '../../src/store/messages.js'
import { botConversationPageRoute } from '../../src/routes/bot-conversation-page.js'
import { createBotConversationViews } from '../../src/views/bot-conversation-page.js'
import { createPageFormat } from '../../src/views/format.js'
import { DOCS_NOW, TEST_PUBLIC_URL } from '../helpers/app.js'
import {
  expectLinkPageHeaders,
  EXPIRES_AT,
  HTML,
  linkPageApp,
  testSigner,
  textsOf,
  withParam,
} from '../helpers/link-pages.js'

/**
 * `GET /views/bot/<botName>?with=…`: a bot's conversation with one user, over a fake
 * BotConversationSource on a bare Fastify with the route alone (the app's source is the store of
 * bot messages); and once through the whole app, which registers the route.
 */

const BOT = { name: 'demo_bot', diyalogId: '1850262953' }
const OMER: Recipient = {
  kind: 'customer',
  id: '70021',
  diyalogId: '2074022437',
  name: 'Ömer Faruk Şahin',
  behaviour: { presence: 'online', reading: 'delayed' },
}
const AYSE: Recipient = {
  kind: 'staff',
  id: '45186',
  diyalogId: '243540663',
  name: 'Ayşe Yılmaz',
  behaviour: { presence: 'offline', reading: 'never' },
}

/** 9 March 2021, 10:00 UTC (13:00 in Istanbul), and minutes after it. */
const T0 = Date.UTC(2021, 2, 9, 10)
const at = (minutes: number) => T0 + minutes * 60_000

const postback = (title: string, payload: string, more: Partial<Pressable> = {}): Pressable => ({
  type: 'postback',
  title,
  payload,
  payloadHidden: false,
  ...more,
})

/** One message of every content kind, each state, a press and a written answer, over two days. */
const CONVERSATION: readonly BotMessageView[] = [
  {
    direction: 'to-user',
    mid: 'm-text',
    sentAt: at(0),
    deliveredAt: at(0) + 1500,
    readAt: at(2),
    otp: false,
    content: { kind: 'text', text: 'Merhaba! Kartınız hazır, şubeden almak ister misiniz?' },
    quickReplies: [
      postback('Evet', 'YES'),
      postback('Hayır', 'NO', {
        payloadSeenByUser: 'Hayır, teşekkürler',
        imageUrl: 'https://cdn.test/no.png',
      }),
    ],
  },
  {
    direction: 'from-user',
    mid: 'm-text',
    sentAt: at(3),
    text: '[m-text]:YES',
    pressed: { title: 'Evet', seenByUser: 'YES' },
  },
  {
    direction: 'to-user',
    mid: 'm-generic',
    sentAt: at(4),
    deliveredAt: at(5),
    otp: false,
    content: {
      kind: 'generic',
      elements: [
        {
          messageId: 'el-1',
          title: 'Kredi kartı',
          subtitle: 'İlk yıl aidatsız',
          imageUrl: 'https://dlgmessenger.com/card.jpg',
          buttons: [
            { type: 'web_url', title: 'Başvur', payload: 'https://bank.test/basvur', payloadHidden: false },
            postback('Beni arayın', 'CALL_ME'),
          ],
        },
        { title: 'Vadesiz hesap', buttons: [] },
      ],
    },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'm-button',
    sentAt: at(6),
    otp: false,
    content: {
      kind: 'button',
      messageId: 'btn-7',
      text: 'Havale talimatını onaylıyor musunuz?',
      buttons: [
        postback('Onayla', 'APPROVE', { payloadHidden: true, payloadSeenByUser: 'Onaylıyorum' }),
        postback('Vazgeç', 'CANCEL'),
      ],
    },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'm-trigger',
    sentAt: at(7),
    otp: false,
    content: {
      kind: 'trigger',
      text: 'Uygulamada onay bekliyor',
      command: 'ApproveTransaction',
      data: '{custNo:2337368}',
    },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'm-empty-trigger',
    sentAt: at(8),
    otp: false,
    content: { kind: 'trigger', command: 'OpenCards', data: '' },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'm-pdf',
    sentAt: at(9),
    otp: false,
    content: {
      kind: 'document',
      fileName: 'ekstre-subat.pdf',
      mimeType: 'pdf',
      size: 184_320,
      shownAs: 'document',
    },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'm-photo',
    sentAt: at(10),
    otp: false,
    content: {
      kind: 'document',
      fileName: 'kart.jpg',
      size: 512,
      shownAs: 'photo',
      width: 1280,
      height: 720,
    },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'm-video',
    sentAt: at(11),
    otp: false,
    content: {
      kind: 'document',
      fileName: 'tanitim.mp4',
      size: 2_097_152,
      shownAs: 'video',
      width: 1920,
      height: 1080,
      duration: 95,
    },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'm-voice',
    sentAt: at(12),
    otp: false,
    content: { kind: 'document', fileName: 'not.ogg', size: 4096, shownAs: 'voice', duration: 12 },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'm-media',
    sentAt: at(13),
    otp: false,
    content: { kind: 'media', type: 'audio' },
    quickReplies: [],
  },
  {
    // Sent late on 9 March (Istanbul), delivered and read on the 10th.
    direction: 'to-user',
    mid: 'messageId-74',
    sentAt: Date.UTC(2021, 2, 9, 20, 55),
    deliveredAt: Date.UTC(2021, 2, 9, 21, 5),
    readAt: Date.UTC(2021, 2, 9, 21, 6),
    otp: true,
    content: {
      kind: 'otp',
      mokMessage: 'Tek kullanımlık şifreniz 481516.',
      mokValue: '481516',
      imageUrl: 'https://dlgmessenger.com/otp.jpg',
      txCode: 'LOG2',
      deviceId: '628FAF5A-1111',
      buttons: [postback('Onayla', '481516', { payloadHidden: true, payloadSeenByUser: 'Onaylıyorum' })],
    },
    quickReplies: [],
  },
  {
    direction: 'from-user',
    mid: 'messageId-74',
    sentAt: Date.UTC(2021, 2, 9, 21, 7),
    text: 'Teşekkürler, onayladım.',
  },
]

interface Asked {
  readonly botName: string
  readonly recipient: Pick<Recipient, 'kind' | 'id'>
  readonly range: SliceRange | undefined
}

/** A source over a fixed world: `demo_bot` with Ömer (every kind) and Ayşe (nothing yet). */
function fakeSource(
  conversations: Readonly<Record<string, readonly BotMessageView[]>> = {
    'customer:70021': CONVERSATION,
    'staff:45186': [],
  },
  bot = BOT,
  users: readonly Recipient[] = [OMER, AYSE],
): BotConversationSource & { readonly asked: Asked[] } {
  const asked: Asked[] = []
  return {
    asked,
    conversation(botName, recipient, range): BotConversationView | undefined {
      asked.push({ botName, recipient: { kind: recipient.kind, id: recipient.id }, range })
      const user = users.find((u) => u.kind === recipient.kind && u.id === recipient.id)
      const all = conversations[`${recipient.kind}:${recipient.id}`]
      if (botName !== bot.name || user === undefined || all === undefined) return undefined
      const messages = range === undefined ? all : all.slice(range.offset, range.offset + range.limit)
      return { bot, recipient: user, total: all.length, messages }
    },
  }
}

const signer = testSigner()
const linkOf = (
  params: BotLinkParams = { botName: 'demo_bot', recipient: { kind: 'customer', id: '70021' } },
) => signer.mintBot(params, DOCS_NOW)
const asJson = (url: string) => url.replace(/\?/, '.json?')

async function botApp(source: BotConversationSource = fakeSource(), pageSize = 50) {
  const clock = manualClock(DOCS_NOW)
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>()
  await app.register(fastifyAccepts)
  await app.register(botConversationPageRoute, {
    botConversations: source,
    linkSigner: signer,
    clock,
    views: createBotConversationViews(createPageFormat()),
    pageSize,
    publicUrl: () => TEST_PUBLIC_URL,
  })
  onTestFinished(() => app.close())
  const open = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers })
  return { app, clock, open }
}

/** A fact's value and the lines under it, as text, one a line. */
const factOf = (body: string, label: string) =>
  new RegExp(`<div(?: class="[a-z]+")?><dt>${label}</dt><dd>(.*?)</dd></div>`)
    .exec(body)?.[1]
    ?.replace(/<span class="sub">/g, '\n')
    .replace(/<[^>]+>/g, '')

/** The bubbles, each as its text content (tags dropped, whitespace collapsed). */
const bubblesOf = (body: string) =>
  [...body.matchAll(/<li class="msg ([a-z ]+)">([\s\S]*?)<\/li>\n?(?=<li class="msg|\n?<\/ol>)/g)].map(
    (m) => ({
      side: m[1],
      text: (m[2] ?? '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
      html: m[2] ?? '',
    }),
  )

describe('a bot conversation page', () => {
  it('shows the bot and the user in Turkish, and every message oldest first by day', async () => {
    const { open } = await botApp()
    const response = await open(linkOf())
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe(HTML)
    const { body } = response
    expectLinkPageHeaders(response.headers, body)
    expect(body).toContain('<title>demo_bot – Ömer Faruk Şahin · Bot yazışması</title>')
    expect(body).toContain('<h1>demo_bot – Ömer Faruk Şahin</h1>')
    expect(factOf(body, 'Bot')).toBe('demo_bot\nDiyalog id: 1850262953')
    expect(factOf(body, 'Kullanıcı')).toBe(
      'Ömer Faruk Şahin\nMüşteri no: 70021 · Müşteri\nDiyalog id: 2074022437',
    )
    expect(factOf(body, 'Simülasyon')).toBe('Çevrimiçi\nBiraz sonra okur')
    expect(factOf(body, 'Mesajlar')).toBe('13 mesaj')
    // Two days in Istanbul time: the OTP at 23:55 on the 9th, its answer at 00:07 on the 10th.
    expect([...body.matchAll(/<h2 id="day-([0-9-]+)">/g)].map((m) => m[1])).toEqual([
      '2021-03-09',
      '2021-03-10',
    ])
    const bubbles = bubblesOf(body)
    expect(bubbles).toHaveLength(13)
    expect(bubbles.map((b) => b.side)).toEqual(['own', 'theirs', ...Array<string>(10).fill('own'), 'theirs'])
    // Who wrote to whom, in text.
    expect(bubbles[0]?.text).toMatch(/^demo_bot · Bot → Müşteri /)
    expect(bubbles[1]?.text).toMatch(/^Ömer Faruk Şahin · Müşteri → Bot /)
    expect(bubbles[11]?.text).toMatch(/^demo_bot · Bot → Müşteri · sendmok /)
    expect(body).not.toContain('empty-title')
    expect(body).toContain('Bu bağlantı 9 Mart 2021 16:58 tarihine kadar açılır (Europe/Istanbul).')
  })

  it('draws each content kind', async () => {
    const { open } = await botApp()
    const bubbles = bubblesOf((await open(linkOf())).body)
    const [
      text,
      press,
      generic,
      button,
      trigger,
      emptyTrigger,
      pdf,
      photo,
      video,
      voice,
      media,
      otp,
      answer,
    ] = bubbles.map((b) => b.text)

    expect(text).toContain('Merhaba! Kartınız hazır, şubeden almak ister misiniz?')
    // Quick replies as chips, with what they send back.
    expect(bubbles[0]?.html).toContain(
      '<span class="chip"><span class="kind">Hızlı yanıt</span> <span class="name">Evet</span> <span class="size">postback · payload: YES</span></span>',
    )
    expect(text).toContain(
      'Hızlı yanıt Hayır postback · payload: NO · sohbette: Hayır, teşekkürler · simge: https://cdn.test/no.png',
    )
    expect(press).toContain('Basıldı Evet sohbette: YES')
    expect(press).toContain('Webhook metni: [m-text]:YES')
    expect(press).toContain('yanıtladığı: m-text · 13:03')

    expect(generic).toContain('Genel şablon 2 kart')
    expect(bubbles[2]?.html).toContain('<h3>Kredi kartı</h3>')
    expect(generic).toContain('İlk yıl aidatsız')
    expect(generic).toContain('Görsel (yüklenmez): https://dlgmessenger.com/card.jpg')
    expect(generic).toContain('Kart 1/2 · messageId: el-1')
    expect(generic).toContain('Başvur · web_url · https://bank.test/basvur')
    expect(generic).toContain('Beni arayın · postback · payload: CALL_ME')
    expect(bubbles[2]?.html).toContain('<h3>Vadesiz hesap</h3>')
    expect(generic).toContain('Kart 2/2')
    // Addresses are links that send no referrer; nothing is loaded.
    expect(bubbles[2]?.html).toContain(
      '<a href="https://bank.test/basvur" rel="noopener noreferrer nofollow" referrerpolicy="no-referrer">https://bank.test/basvur</a>',
    )

    expect(button).toContain('Düğmeli şablon messageId: btn-7')
    expect(button).toContain('Havale talimatını onaylıyor musunuz?')
    expect(button).toContain(
      'Onayla · postback · payload: APPROVE · gizli: imzalı döner · sohbette: Onaylıyorum',
    )
    expect(button).toContain('Vazgeç · postback · payload: CANCEL')

    expect(trigger).toContain('Uygulamada onay bekliyor')
    expect(trigger).toContain('Uygulama tetikleyici komut: ApproveTransaction veri: {custNo:2337368}')
    expect(emptyTrigger).toContain('Uygulama tetikleyici komut: OpenCards veri: (boş)')

    expect(pdf).toContain('Belge ekstre-subat.pdf 180 KB · mimeType: pdf')
    expect(photo).toContain('Fotoğraf kart.jpg 512 bayt · 1280×720')
    expect(video).toContain('Video tanitim.mp4 2 MB · 1920×1080 · 1 dk 35 sn')
    expect(voice).toContain('Sesli mesaj not.ogg 4 KB · 12 sn')
    expect(media).toContain('Medya Ses attachment.type: audio; içeriği belgelenmemiş')

    expect(otp).toContain('Tek kullanımlık şifreniz 481516.')
    expect(otp).toContain('Tek kullanımlık şifre mokValue: 481516 uygulamaya iletilir')
    expect(otp).toContain('İşlem kodu LOG2')
    expect(otp).toContain('Cihaz 628FAF5A-1111')
    expect(otp).toContain('Görsel https://dlgmessenger.com/otp.jpg yüklenmez')
    expect(otp).toContain('Onayla · postback · payload: 481516 · gizli: imzalı döner · sohbette: Onaylıyorum')

    expect(answer).toContain('Teşekkürler, onayladım.')
    expect(answer).not.toContain('Basıldı')
    expect(answer).toContain('yanıtladığı: messageId-74 · 00:07')
  })

  it('names a card without a title by its place, and says when an OTP has no mokValue', async () => {
    const sparse: BotMessageView[] = [
      {
        direction: 'to-user',
        mid: 'g',
        sentAt: at(0),
        otp: false,
        content: { kind: 'generic', elements: [{ subtitle: 'Yalnız alt başlık', buttons: [] }] },
        quickReplies: [],
      },
      {
        direction: 'to-user',
        mid: 'o',
        sentAt: at(1),
        otp: true,
        content: { kind: 'otp', mokMessage: 'Şifreniz mesajda: 1234', buttons: [] },
        quickReplies: [],
      },
    ]
    const { open } = await botApp(fakeSource({ 'customer:70021': sparse }))
    const [card, otp] = bubblesOf((await open(linkOf())).body)
    expect(card?.html).toContain('<h3>Kart 1</h3>')
    expect(card?.text).toContain('Yalnız alt başlık Kart 1/1')
    expect(card?.html).not.toContain('class="members"')
    expect(otp?.text).toContain('Tek kullanımlık şifre mokValue yok uygulamaya iletilir')
    expect(otp?.text).not.toMatch(/İşlem kodu|Cihaz|Görsel/)
  })

  it("shows each bot message's state with its times, the last one reached in bold", async () => {
    const { open } = await botApp()
    const bubbles = bubblesOf((await open(linkOf())).body)
    const when = (i: number) => /<p class="when">([\s\S]*?)<\/p>/.exec(bubbles[i]?.html ?? '')?.[1]
    const text = (i: number) => (when(i) ?? '').replace(/<(?!\/?strong)[^>]+>/g, '')
    // Read: sent, delivered, read.
    expect(text(0)).toBe('m-text · Gönderildi 13:00 · İletildi 13:00 · <strong>Okundu 13:02</strong>')
    // Delivered, not read.
    expect(text(2)).toBe('m-generic · Gönderildi 13:04 · <strong>İletildi 13:05</strong>')
    // Only sent.
    expect(text(3)).toBe('m-button · <strong>Gönderildi 13:06</strong>')
    // Delivered and read the next day: the date is written out.
    expect(text(11)).toBe(
      'messageId-74 · Gönderildi 23:55 · İletildi 10 Mart 2021 00:05 · <strong>Okundu 10 Mart 2021 00:06</strong>',
    )
    expect(when(0)).toContain(`<time datetime="${new Date(at(2)).toISOString()}">13:02</time>`)
  })

  it('shows a user the bot never wrote to as an empty conversation, with their behaviour', async () => {
    const { open } = await botApp()
    const link = linkOf({ botName: 'demo_bot', recipient: { kind: 'staff', id: '45186' } })
    const response = await open(link)
    expect(response.statusCode).toBe(200)
    const { body } = response
    expect(factOf(body, 'Kullanıcı')).toBe('Ayşe Yılmaz\nSicil no: 45186 · Çalışan\nDiyalog id: 243540663')
    expect(factOf(body, 'Simülasyon')).toBe('Çevrimdışı: mesajlar iletilmeyi bekler\nHiç okumaz')
    expect(body).toContain('<h2 id="empty-title">Bu yazışmada henüz mesaj yok.</h2>')
    expect(body).toContain('demo_bot henüz Ayşe Yılmaz kullanıcısına yazmamış')
    expect(body).not.toContain('class="msg')
    expectLinkPageHeaders(response.headers, body)
  })

  it.each([
    [
      'an unknown bot',
      { botName: 'other_bot', recipient: { kind: 'customer', id: '70021' } },
      '“other_bot” adlı bir bot ya da 70021 numaralı bir müşteri',
    ],
    [
      'an unknown customer',
      { botName: 'demo_bot', recipient: { kind: 'customer', id: '99' } },
      '“demo_bot” adlı bir bot ya da 99 numaralı bir müşteri',
    ],
    [
      'an unknown staff member',
      { botName: 'demo_bot', recipient: { kind: 'staff', id: '70021' } },
      '“demo_bot” adlı bir bot ya da 70021 numaralı bir çalışan',
    ],
  ] as const)('says so for %s: a valid link, not an error', async (_label, params, text) => {
    const { open } = await botApp()
    const link = linkOf(params)
    const response = await open(link)
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('<h2 id="empty-title">Bot ya da kullanıcı bulunamadı.</h2>')
    expect(response.body).toContain(`Bağlantı geçerli, ancak bu sunucunun verilerinde ${text} yok.`)
    expect(factOf(response.body, 'Bot')).toBe(params.botName)
    expectLinkPageHeaders(response.headers, response.body)
    const json = await open(asJson(link))
    expect(json.statusCode).toBe(200)
    expect(json.json()).toMatchObject({
      botName: params.botName,
      user: params.recipient,
      conversation: null,
      page: { number: 1, count: 1, total: 0 },
      messages: [],
    })
    // One page only.
    expect((await open(withParam(link, 'page', '2'))).statusCode).toBe(404)
  })

  it('asks the source, every time it is opened, for the conversation as it stands', async () => {
    const live: BotMessageView[] = [CONVERSATION[0] as BotMessageView]
    const source = fakeSource({ 'customer:70021': live })
    const { open } = await botApp(source)
    const link = linkOf()
    expect(textsOf((await open(link)).body)).toEqual([
      'Merhaba! Kartınız hazır, şubeden almak ister misiniz?',
    ])
    live.push({ direction: 'from-user', mid: 'm-text', sentAt: at(3), text: 'Az sonra geliyorum' })
    expect(textsOf((await open(link)).body)).toEqual([
      'Merhaba! Kartınız hazır, şubeden almak ister misiniz?',
      'Az sonra geliyorum',
    ])
    expect(source.asked).toEqual([
      { botName: 'demo_bot', recipient: { kind: 'customer', id: '70021' }, range: { offset: 0, limit: 50 } },
      { botName: 'demo_bot', recipient: { kind: 'customer', id: '70021' }, range: { offset: 0, limit: 50 } },
    ])
  })
})

describe('the JSON twin', () => {
  it('answers at <botName>.json and for Accept: application/json, with the same content', async () => {
    const { open } = await botApp()
    const link = linkOf()
    const fromPath = await open(asJson(link))
    const fromAccept = await open(link, { accept: 'application/json' })
    for (const response of [fromPath, fromAccept]) {
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
      expectLinkPageHeaders(response.headers, response.body)
    }
    const document = fromPath.json()
    expect(fromAccept.json()).toEqual(document)
    expect(document).toMatchObject({
      botName: 'demo_bot',
      user: { kind: 'customer', id: '70021' },
      expiresAt: EXPIRES_AT,
      conversation: {
        bot: BOT,
        recipient: {
          kind: 'customer',
          id: '70021',
          diyalogId: '2074022437',
          name: 'Ömer Faruk Şahin',
          behaviour: { presence: 'online', reading: 'delayed' },
        },
      },
      page: { number: 1, count: 1, total: 13, first: 1, last: 13 },
      links: { prev: null, next: null },
    })
    // Each message as the source gave it: content and quick replies as sent, the state derived.
    const toUser = (message: BotMessageView) =>
      message.direction === 'to-user'
        ? {
            direction: 'to-user',
            mid: message.mid,
            sentAt: message.sentAt,
            state:
              message.readAt !== undefined
                ? 'read'
                : message.deliveredAt !== undefined
                  ? 'delivered'
                  : 'sent',
            deliveredAt: message.deliveredAt ?? null,
            readAt: message.readAt ?? null,
            otp: message.otp,
            content: message.content,
            quickReplies: message.quickReplies,
          }
        : { ...message, pressed: message.pressed ?? null }
    expect(document.messages).toEqual(CONVERSATION.map(toUser))
    // What a message leaves out is left out, not written as null.
    expect(document.messages[6].content).toEqual({
      kind: 'document',
      fileName: 'ekstre-subat.pdf',
      mimeType: 'pdf',
      size: 184_320,
      shownAs: 'document',
    })
    expect(document.messages[5].content).toEqual({ kind: 'trigger', command: 'OpenCards', data: '' })
  })

  it('pages like the page; its links point at <botName>.json', async () => {
    const { open } = await botApp(fakeSource(), 5)
    const link = linkOf()
    const sig = new URL(link, 'http://x').searchParams.get('sig')
    const first = (await open(asJson(link))).json()
    expect(first.page).toEqual({ number: 1, size: 5, count: 3, total: 13, first: 1, last: 5 })
    expect(first.messages.map((m: { mid: string }) => m.mid)).toEqual([
      'm-text',
      'm-text',
      'm-generic',
      'm-button',
      'm-trigger',
    ])
    const base = `${TEST_PUBLIC_URL}/views/bot/demo_bot.json?with=customer%3A70021&expiresAt=${EXPIRES_AT}&sig=${sig}`
    expect(first.links).toEqual({ first: base, prev: null, next: `${base}&page=2`, last: `${base}&page=3` })
    const last = (await open(asJson(withParam(link, 'page', '3')))).json()
    expect(last.page).toMatchObject({ number: 3, first: 11, last: 13 })
    expect(last.messages.map((m: { mid: string }) => m.mid)).toEqual([
      'm-media',
      'messageId-74',
      'messageId-74',
    ])
  })
})

describe('paging', () => {
  it('shows a page of the messages between two pagers, links relative', async () => {
    const source = fakeSource()
    const { open } = await botApp(source, 5)
    const link = linkOf()
    const second = await open(withParam(link, 'page', '2'))
    expect(second.statusCode).toBe(200)
    expect(second.body).toContain('<title>demo_bot – Ömer Faruk Şahin · Bot yazışması (Sayfa 2/3)</title>')
    expect(second.body).toContain('13 mesajdan 6–10 arası · Sayfa 2 / 3')
    expect(bubblesOf(second.body).map((b) => /<p class="when">([^ ]+) /.exec(b.html)?.[1])).toEqual([
      'm-empty-trigger',
      'm-pdf',
      'm-photo',
      'm-video',
      'm-voice',
    ])
    expect(second.body).toContain(`href="?with=customer%3A70021&amp;expiresAt=${EXPIRES_AT}&amp;sig=`)
    expect(source.asked.at(-1)?.range).toEqual({ offset: 5, limit: 5 })
    expect(factOf(second.body, 'Mesajlar')).toBe('13 mesaj\n3 sayfa')
  })

  it.each([
    ['0', 400],
    ['-1', 400],
    ['1.5', 400],
    ['two', 400],
    ['4', 404],
    ['999999999', 404],
  ])('refuses page=%s with %i, naming the page count', async (page, status) => {
    const { open } = await botApp(fakeSource(), 5)
    const response = await open(withParam(linkOf(), 'page', page))
    expect(response.statusCode).toBe(status)
    expect(response.body).toContain('Bu yazışma 3 sayfadan oluşuyor; istenen sayfa numarası geçerli değil.')
    expectLinkPageHeaders(response.headers, response.body)
    const json = await open(asJson(withParam(linkOf(), 'page', page)))
    expect(json.statusCode).toBe(status)
    expect(json.json()).toEqual({ error: 'no-such-page', message: 'page must be a whole number from 1 to 3' })
  })
})

describe('refusals', () => {
  it.each([
    ['another bot', (url: string) => url.replace('/views/bot/demo_bot', '/views/bot/demo_bot2')],
    ['another user', (url: string) => withParam(url, 'with', 'customer:70022')],
    ['a staff member of the same number', (url: string) => withParam(url, 'with', 'staff:70021')],
    ['no user', (url: string) => withParam(url, 'with', undefined)],
    ['a group', (url: string) => withParam(url, 'with', 'group:2128893729')],
    ['a later expiry', (url: string) => withParam(url, 'expiresAt', String(EXPIRES_AT + 1))],
    ['no signature', (url: string) => withParam(url, 'sig', undefined)],
    ['a repeated user', (url: string) => `${url}&with=customer%3A70021`],
  ])('answers 403 for a link with %s, page and JSON', async (_label, change) => {
    const source = fakeSource()
    const { open } = await botApp(source)
    const url = change(linkOf())
    const page = await open(url)
    expect(page.statusCode).toBe(403)
    expect(page.body).toContain('<h1 id="notice-title">Bağlantı geçersiz</h1>')
    expect(page.body).toContain('Bu bot yazışması bağlantısı geçerli değil')
    expect(page.body).toContain('Yazışmayı görmek için yönetim API’sinden yeni bir bağlantı oluşturun.')
    expectLinkPageHeaders(page.headers, page.body)
    const json = await open(asJson(url))
    expect(json.statusCode).toBe(403)
    expect(json.json()).toEqual({ error: 'invalid-link', message: 'This link is not valid.' })
    // Nothing was asked for a link that did not verify.
    expect(source.asked).toEqual([])
  })

  it('answers 410 for an expired link, with the time it expired', async () => {
    const source = fakeSource()
    const { open, clock } = await botApp(source)
    const link = linkOf()
    clock.set(EXPIRES_AT)
    const page = await open(link)
    expect(page.statusCode).toBe(410)
    expect(page.body).toContain(
      'Bu bağlantının süresi <time datetime="2021-03-09T13:58:32.000Z">9 Mart 2021 16:58</time> (Europe/Istanbul) itibarıyla doldu.',
    )
    expectLinkPageHeaders(page.headers, page.body)
    const json = await open(link, { accept: 'application/json' })
    expect(json.statusCode).toBe(410)
    expect(json.json()).toEqual({
      error: 'expired-link',
      message: 'This link has expired.',
      expiredAt: EXPIRES_AT,
    })
    expect(source.asked).toEqual([])
    clock.set(EXPIRES_AT - 1)
    expect((await open(link)).statusCode).toBe(200)
  })

  it('never opens with the signature of another kind of link', async () => {
    const { open } = await botApp()
    const help = new URL(signer.mintOnlineHelp({ onlineHelpId: '70021' }, DOCS_NOW), 'http://x')
    const url = withParam(linkOf(), 'sig', help.searchParams.get('sig') ?? '')
    expect((await open(url)).statusCode).toBe(403)
  })
})

describe('escaping', () => {
  const X = '<script>window.__xss=1</script>'
  const evil = (n: number) => `${X}${n}`
  /** Every field a client or the fixtures control, each a distinct payload. */
  const hostile: readonly BotMessageView[] = [
    {
      direction: 'to-user',
      mid: evil(1),
      sentAt: at(0),
      otp: false,
      content: { kind: 'text', text: evil(2) },
      quickReplies: [
        {
          type: 'postback',
          title: evil(3),
          payload: evil(4),
          payloadHidden: false,
          payloadSeenByUser: evil(5),
          imageUrl: `javascript:alert(1)//${X}`,
        },
      ],
    },
    {
      direction: 'to-user',
      mid: 'g',
      sentAt: at(1),
      otp: false,
      content: {
        kind: 'generic',
        elements: [
          {
            messageId: evil(6),
            title: evil(7),
            subtitle: evil(8),
            imageUrl: `https://evil.test/"><script>alert(1)</script>`,
            buttons: [
              {
                type: 'web_url',
                title: evil(9),
                payload: `javascript:alert(document.cookie)`,
                payloadHidden: false,
              },
            ],
          },
        ],
      },
      quickReplies: [],
    },
    {
      direction: 'to-user',
      mid: 'b',
      sentAt: at(2),
      otp: false,
      content: {
        kind: 'button',
        messageId: evil(10),
        text: evil(11),
        buttons: [{ type: 'postback', title: evil(12), payload: evil(13), payloadHidden: true }],
      },
      quickReplies: [],
    },
    {
      direction: 'to-user',
      mid: 't',
      sentAt: at(3),
      otp: false,
      content: { kind: 'trigger', text: evil(14), command: evil(15), data: evil(16) },
      quickReplies: [],
    },
    {
      direction: 'to-user',
      mid: 'd',
      sentAt: at(4),
      otp: false,
      content: { kind: 'document', fileName: evil(17), mimeType: evil(18), size: 1, shownAs: 'document' },
      quickReplies: [],
    },
    {
      direction: 'to-user',
      mid: 'o',
      sentAt: at(5),
      otp: true,
      content: {
        kind: 'otp',
        mokMessage: evil(19),
        mokValue: evil(20),
        txCode: evil(21),
        deviceId: evil(22),
        imageUrl: evil(23),
        buttons: [],
      },
      quickReplies: [],
    },
    {
      direction: 'from-user',
      mid: evil(24),
      sentAt: at(6),
      text: evil(25),
      pressed: { title: evil(26), seenByUser: evil(27) },
    },
  ]
  const hostileUser: Recipient = { ...OMER, name: evil(28), diyalogId: evil(29) }

  it('escapes a <script> in every field a client controls: nothing becomes markup', async () => {
    const source = fakeSource({ 'customer:70021': hostile }, { name: 'demo_bot', diyalogId: evil(30) }, [
      hostileUser,
    ])
    const { open } = await botApp(source)
    const response = await open(linkOf())
    expect(response.statusCode).toBe(200)
    const { body } = response
    expectLinkPageHeaders(response.headers, body)
    expect(body).not.toMatch(/<script|<\/script/i)
    for (let n = 1; n <= 30; n++)
      expect(body, `payload ${n}`).toContain(`&lt;script&gt;window.__xss=1&lt;/script&gt;${n}`)
    // Addresses that are not http(s) stay text; an http one is a link whose quotes are encoded.
    expect(body).not.toMatch(/href="(?!https:\/\/evil\.test\/%22%3E%3Cscript%3Ealert\(1\)%3C\/script%3E"|#)/)
    expect(body).toContain('javascript:alert(document.cookie)')
    expect(body).toContain(
      '<a href="https://evil.test/%22%3E%3Cscript%3Ealert(1)%3C/script%3E" rel="noopener noreferrer nofollow" referrerpolicy="no-referrer">https://evil.test/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>',
    )
    // The JSON carries the payloads as text.
    const json = (await open(asJson(linkOf()))).json()
    expect(json.conversation.recipient.name).toBe(evil(28))
    expect(json.messages[0].content.text).toBe(evil(2))
  })

  it('a bot name cannot hold one: the link kind refuses the name', async () => {
    const { open } = await botApp()
    const name = '<script>alert(1)</script>'
    const link = signer.mintBot({ botName: name, recipient: { kind: 'customer', id: '70021' } }, DOCS_NOW)
    const response = await open(link)
    expect(response.statusCode).toBe(403)
    expect(response.body).not.toContain('<script')
  })
})

describe('in the app', () => {
  it('is registered by the pages plugin, over the app’s source', async () => {
    // The app's source (the store of bot messages): the link pages' data has no customer 70021.
    const { open } = linkPageApp()
    const link = linkOf()
    const page = await open(link)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<h2 id="empty-title">Bot ya da kullanıcı bulunamadı.</h2>')
    expectLinkPageHeaders(page.headers, page.body)
    expect((await open(asJson(link))).json()).toMatchObject({ botName: 'demo_bot', conversation: null })
    expect((await open(withParam(link, 'with', 'customer:1'))).statusCode).toBe(403)
  })
})
