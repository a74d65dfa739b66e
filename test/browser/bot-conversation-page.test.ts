/// <reference lib="dom" />
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fastifyAccepts from '@fastify/accepts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { listeningPort } from '../../src/app.js'
import { manualClock } from '../../src/clock.js'
import type {
  BotConversationSource,
  BotConversationView,
  BotMessageView,
} from '../../src/messaging/bot-conversation.js'
import type { Pressable } from '../../src/messaging/message-content.js'
import type { Recipient } from '../../src/messaging/recipient.js'
import { botConversationPageRoute } from '../../src/routes/bot-conversation-page.js'
import { createBotConversationViews } from '../../src/views/bot-conversation-page.js'
import { createPageFormat } from '../../src/views/format.js'
import { DOCS_NOW } from '../helpers/app.js'
import { launchChromium, watchedPage, type PageWatch } from '../helpers/browser.js'
import { testSigner } from '../helpers/link-pages.js'

/**
 * The bot-conversation page in real headless Chromium, served by a listening Fastify with the
 * route alone over a fake BotConversationSource: one message of every content kind in every
 * state, then a corpus of XSS payloads in every field a client controls. Nothing breaks the
 * policy, logs an error, leaves the origin or runs. Screenshots go to a temporary directory
 * named in the test's output.
 */

const T0 = Date.UTC(2021, 2, 9, 10)
const at = (minutes: number) => T0 + minutes * 60_000
const postback = (title: string, payload: string, more: Partial<Pressable> = {}): Pressable => ({
  type: 'postback',
  title,
  payload,
  payloadHidden: false,
  ...more,
})

const OMER: Recipient = {
  kind: 'customer',
  id: '70021',
  diyalogId: '2074022437',
  name: 'Ömer Faruk Şahin',
  behaviour: { presence: 'online', reading: 'delayed' },
}

const EVERY_KIND: readonly BotMessageView[] = [
  {
    direction: 'to-user',
    mid: 'messageId-1',
    sentAt: at(0),
    deliveredAt: at(0) + 1500,
    readAt: at(2),
    otp: false,
    content: { kind: 'text', text: 'Merhaba Ömer Bey! Yeni kartınız hazır. Şubeden almak ister misiniz?' },
    quickReplies: [
      postback('Evet', 'YES'),
      postback('Hayır', 'NO', { payloadSeenByUser: 'Hayır, teşekkürler' }),
    ],
  },
  {
    direction: 'from-user',
    mid: 'messageId-1',
    sentAt: at(3),
    text: '[messageId-1]:YES',
    pressed: { title: 'Evet', seenByUser: 'YES' },
  },
  {
    direction: 'to-user',
    mid: 'messageId-2',
    sentAt: at(4),
    deliveredAt: at(5),
    otp: false,
    content: {
      kind: 'generic',
      elements: [
        {
          messageId: 'kart-1',
          title: 'Kredi kartı',
          subtitle: 'İlk yıl aidatsız, taksitli alışveriş',
          imageUrl: 'https://dlgmessenger.com/images/a-rather-long-path/credit-card-campaign-2021.jpg',
          buttons: [
            { type: 'web_url', title: 'Başvur', payload: 'https://bank.test/basvur', payloadHidden: false },
            postback('Beni arayın', 'CALL_ME'),
          ],
        },
        { title: 'Vadesiz hesap', subtitle: 'Masrafsız', buttons: [postback('Aç', 'OPEN_ACCOUNT')] },
      ],
    },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'messageId-3',
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
    mid: 'messageId-4',
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
    mid: 'messageId-5',
    sentAt: at(9),
    otp: false,
    content: {
      kind: 'document',
      fileName: 'hesap-ekstresi-subat-2021-kredi-karti-0123456789.pdf',
      mimeType: 'pdf',
      size: 184_320,
      shownAs: 'document',
    },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'messageId-6',
    sentAt: at(10),
    otp: false,
    content: {
      kind: 'document',
      fileName: 'kart.jpg',
      size: 52_000,
      shownAs: 'photo',
      width: 1280,
      height: 720,
    },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'messageId-7',
    sentAt: at(11),
    otp: false,
    content: { kind: 'document', fileName: 'not.ogg', size: 4096, shownAs: 'voice', duration: 12 },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'messageId-8',
    sentAt: at(12),
    otp: false,
    content: { kind: 'media', type: 'video' },
    quickReplies: [],
  },
  {
    direction: 'to-user',
    mid: 'messageId-74',
    sentAt: at(14),
    deliveredAt: at(14),
    readAt: at(15),
    otp: true,
    content: {
      kind: 'otp',
      mokMessage: 'Tek kullanımlık şifreniz 481516. Kimseyle paylaşmayın.',
      mokValue: '481516',
      txCode: 'LOG2',
      deviceId: '628FAF5A-7B2C-4E0F-9A51-1D2E3F405060',
      buttons: [
        postback('Onayla', '481516', { payloadHidden: true, payloadSeenByUser: 'Onaylıyorum' }),
        postback('İptal', 'CANCEL'),
      ],
    },
    quickReplies: [],
  },
  {
    direction: 'from-user',
    mid: 'messageId-74',
    sentAt: at(16),
    text: '[messageId-74]:12a22113123131213aaab444cb3c224bcb',
    pressed: { title: 'Onayla', seenByUser: 'Onaylıyorum' },
  },
  {
    direction: 'from-user',
    mid: 'messageId-74',
    sentAt: at(17),
    text: 'Teşekkürler, onayladım.',
  },
]

/** Payloads as in test/browser/xss.test.ts, aimed at this page's fields. */
const PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 1">',
  '<svg onload="window.__xss = 1">',
  '"><script>window.__xss = 1</script>',
  "'><img src=x onerror=alert(1)>",
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">tıkla</a>',
  '<details open ontoggle=alert(1)>',
  "<style>@import 'http://evil.test/x.css';</style>",
  '<link rel=stylesheet href=http://evil.test/x.css>',
  '<meta http-equiv="refresh" content="0;url=http://evil.test/">',
  '<base href="http://evil.test/">',
  '<img src="http://evil.test/pixel.png">',
  'javascript:alert(1)',
]

/** Every client-controlled field of every kind holds payload `i`, `i + 1`, …. */
function hostileConversation(): BotMessageView[] {
  let n = 0
  const p = () => PAYLOADS[n++ % PAYLOADS.length] as string
  const hostileButton = (): Pressable => ({
    type: 'postback',
    title: p(),
    payload: p(),
    payloadHidden: true,
    payloadSeenByUser: p(),
    imageUrl: p(),
  })
  return [
    {
      direction: 'to-user',
      mid: p(),
      sentAt: at(0),
      otp: false,
      content: { kind: 'text', text: p() },
      quickReplies: [hostileButton()],
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
            messageId: p(),
            title: p(),
            subtitle: p(),
            imageUrl: 'javascript:alert(1)',
            buttons: [
              { type: 'web_url', title: p(), payload: 'javascript:window.__xss=1', payloadHidden: false },
              hostileButton(),
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
      content: { kind: 'button', messageId: p(), text: p(), buttons: [hostileButton()] },
      quickReplies: [],
    },
    {
      direction: 'to-user',
      mid: 't',
      sentAt: at(3),
      otp: false,
      content: { kind: 'trigger', text: p(), command: p(), data: p() },
      quickReplies: [],
    },
    {
      direction: 'to-user',
      mid: 'd',
      sentAt: at(4),
      otp: false,
      content: {
        kind: 'document',
        fileName: p(),
        mimeType: p(),
        size: 10,
        shownAs: 'photo',
        width: 1,
        height: 1,
      },
      quickReplies: [],
    },
    {
      direction: 'to-user',
      mid: 'o',
      sentAt: at(5),
      otp: true,
      content: {
        kind: 'otp',
        mokMessage: p(),
        mokValue: p(),
        txCode: p(),
        deviceId: p(),
        imageUrl: p(),
        buttons: [hostileButton()],
      },
      quickReplies: [],
    },
    { direction: 'from-user', mid: p(), sentAt: at(6), text: p(), pressed: { title: p(), seenByUser: p() } },
    { direction: 'from-user', mid: p(), sentAt: at(7), text: p() },
  ]
}

/** `demo_bot` with customer 70021 (every kind) and customer 666 (the payloads, the name one too). */
const source: BotConversationSource = {
  conversation(botName, recipient, range): BotConversationView | undefined {
    if (botName !== 'demo_bot' || recipient.kind !== 'customer') return undefined
    const [user, all] =
      recipient.id === '70021'
        ? [OMER, EVERY_KIND]
        : recipient.id === '666'
          ? [
              { ...OMER, id: '666', name: PAYLOADS[0] as string, diyalogId: PAYLOADS[3] as string },
              hostileConversation(),
            ]
          : [undefined, []]
    if (user === undefined) return undefined
    const messages = range === undefined ? all : all.slice(range.offset, range.offset + range.limit)
    return {
      bot: { name: 'demo_bot', diyalogId: '1850262953' },
      recipient: user,
      total: all.length,
      messages,
    }
  },
}

const signer = testSigner()
const linkTo = (id: string) =>
  signer.mintBot({ botName: 'demo_bot', recipient: { kind: 'customer', id } }, DOCS_NOW)

const app = Fastify().withTypeProvider<TypeBoxTypeProvider>()
let browser: Browser
let origin = ''
let shots = ''
const watches: PageWatch[] = []

beforeAll(async () => {
  await app.register(fastifyAccepts)
  await app.register(botConversationPageRoute, {
    botConversations: source,
    linkSigner: signer,
    clock: manualClock(DOCS_NOW),
    views: createBotConversationViews(createPageFormat()),
    pageSize: 50,
    publicUrl: () => origin,
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  origin = `http://127.0.0.1:${listeningPort(app.server)}`
  shots = await mkdtemp(join(tmpdir(), 'bot-conversation-page-'))
  console.info(`bot conversation page screenshots: ${shots}`)
  browser = await launchChromium()
})
afterEach(async () => {
  for (const watch of watches.splice(0)) await watch.context.close()
})
afterAll(async () => {
  await browser?.close()
  await app.close()
})

type Watched = PageWatch & { status: number | undefined; url: string; violations: () => Promise<string[]> }

/** Opens a page, recording every CSP violation the document reports (not only those it logs). */
async function open(path: string, width: number): Promise<Watched> {
  const watch = await watchedPage(browser, width)
  watches.push(watch)
  await watch.page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __violations: string[] }).__violations = seen
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    )
  })
  const url = `${origin}${path}`
  const response = await watch.page.goto(url)
  await watch.page.waitForLoadState('load')
  return {
    ...watch,
    url,
    status: response?.status(),
    violations: () =>
      watch.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
  }
}

/** Only the page itself was asked for; no error, dialog or violation; nothing wider than the screen. */
async function expectSound(watch: Watched) {
  expect(watch.requests).toEqual([watch.url])
  expect(watch.errors).toEqual([])
  expect(watch.dialogs).toEqual([])
  expect(await watch.violations()).toEqual([])
  const overflow = await watch.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  expect(overflow).toBe(0)
}

describe.each([360, 1280])('at %i px', (width) => {
  it('shows every content kind and state, the bot on the right, the user on the left', async () => {
    const watch = await open(linkTo('70021'), width)
    const { page } = watch
    expect(watch.status).toBe(200)
    expect(await page.title()).toBe('demo_bot – Ömer Faruk Şahin · Bot yazışması')
    expect(await page.locator('h1').innerText()).toBe('demo_bot – Ömer Faruk Şahin')
    const facts = await page.locator('.facts').innerText()
    for (const text of ['Diyalog id: 1850262953', 'Müşteri no: 70021', 'Diyalog id: 2074022437', '12 mesaj'])
      expect(facts).toContain(text)
    expect(await page.locator('.msg').count()).toBe(12)

    const bot = page.locator('.msg.own').first()
    const user = page.locator('.msg.theirs').first()
    expect(await bot.locator('.who').innerText()).toBe('demo_bot · Bot → Müşteri')
    expect(await user.locator('.who').innerText()).toBe('Ömer Faruk Şahin · Müşteri → Bot')
    const right = await bot.boundingBox()
    const left = await user.boundingBox()
    expect((right?.x ?? 0) + (right?.width ?? 0)).toBeGreaterThan((left?.x ?? 0) + (left?.width ?? 0))
    expect(left?.x).toBeLessThan(right?.x ?? 0)

    expect(await bot.locator('.chip').allInnerTexts()).toEqual([
      expect.stringMatching(/^HIZLI YANIT\s+Evet\s+postback · payload: YES$/),
      expect.stringMatching(/^HIZLI YANIT\s+Hayır\s+postback · payload: NO · sohbette: Hayır, teşekkürler$/),
    ])
    expect(await bot.locator('.when').innerText()).toBe(
      'messageId-1 · Gönderildi 13:00 · İletildi 13:00 · Okundu 13:02',
    )
    expect(await bot.locator('.when strong').innerText()).toBe('Okundu 13:02')

    const cards = page.locator('.msg .player')
    expect(await cards.count()).toBe(2)
    expect(await cards.locator('h3').allInnerTexts()).toEqual(['Kredi kartı', 'Vadesiz hesap'])
    expect(await cards.first().locator('.members li').allInnerTexts()).toEqual([
      'Başvur · web_url · https://bank.test/basvur',
      'Beni arayın · postback · payload: CALL_ME',
    ])
    const otp = page.locator('.msg', { hasText: 'Tek kullanımlık şifreniz 481516.' })
    expect(await otp.locator('.who').innerText()).toBe('demo_bot · Bot → Müşteri · sendmok')
    expect(await otp.getByText('mokValue: 481516').isVisible()).toBe(true)
    const press = page.locator('.msg.theirs', { hasText: 'Webhook metni: [messageId-74]' })
    expect(await press.locator('.chip').innerText()).toMatch(/^BASILDI\s+Onayla\s+sohbette: Onaylıyorum$/)
    expect(await page.getByText('veri: {custNo:2337368}').isVisible()).toBe(true)
    expect(await page.getByText('hesap-ekstresi-subat-2021-kredi-karti-0123456789.pdf').isVisible()).toBe(
      true,
    )
    // Image addresses are text or links: nothing is loaded (expectSound: one request, the page).
    expect(await page.locator('img').count()).toBe(0)
    await expectSound(watch)
    const path = join(shots, `bot-conversation-${width}.png`)
    await page.screenshot({ path, fullPage: true })
  })
})

describe('an unknown user', () => {
  it('shows the explicit not-found state', async () => {
    const watch = await open(linkTo('5'), 1280)
    expect(watch.status).toBe(200)
    expect(
      await watch.page.getByRole('heading', { name: 'Bot ya da kullanıcı bulunamadı.' }).isVisible(),
    ).toBe(true)
    await expectSound(watch)
    await watch.page.screenshot({ path: join(shots, 'bot-conversation-unknown.png'), fullPage: true })
  })
})

describe('XSS payloads in every field a client controls', () => {
  it('render inert, as the text they are', async () => {
    const watch = await open(linkTo('666'), 1280)
    const { page } = watch
    expect(watch.status).toBe(200)
    await page.screenshot({ path: join(shots, 'bot-conversation-xss.png'), fullPage: true })
    await expectSound(watch)
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined()
    const injected = await page.evaluate(
      () =>
        document.querySelectorAll(
          'script, iframe, object, svg, img, details, link, base, meta[http-equiv], style:not(head > style)',
        ).length,
    )
    expect(injected).toBe(0)
    // `javascript:` addresses stay text; no element has an event handler.
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0)
    expect(
      await page.evaluate(() =>
        Array.from(document.querySelectorAll('*')).some((element) =>
          Array.from(element.attributes).some((attribute) => attribute.name.startsWith('on')),
        ),
      ),
    ).toBe(false)
    const text = await page.evaluate(() => document.body.innerText)
    for (const payload of PAYLOADS) expect(text).toContain(payload)
    expect(await page.locator('h1').innerText()).toBe(`demo_bot – ${PAYLOADS[0]}`)
    // A click on what would have been a link does nothing.
    await page.getByText('javascript:window.__xss=1').click()
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined()
    expect(page.url()).toBe(watch.url)
  })
})
