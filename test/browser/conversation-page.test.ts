/// <reference lib="dom" />
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { listeningPort } from '../../src/app.js'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import {
  launchChromium,
  lowestContrast,
  screenshot,
  watchedPage,
  type PageWatch,
} from '../helpers/browser.js'
import { DOCS_BODY, signedRequest } from '../helpers/signing.js'
import { missingMessage } from '../setup/environment.mjs'

/**
 * The conversation page in real headless Chromium, served by a real listening server with
 * the clock pinned to the documentation's date. Screenshots land in test-results/screenshots.
 */

const WIDTHS = [360, 1280] as const

/** Default page size, and a second server with 10 messages per page to show the paging. */
const servers = {
  plain: testApp({ env: { DLG_PUBLIC_URL: '' } }),
  paged: testApp({ env: { DLG_PUBLIC_URL: '', DLG_PAGE_SIZE: '10' } }),
}
let browser: Browser
const watches: PageWatch[] = []

beforeAll(async () => {
  for (const server of Object.values(servers)) await server.app.listen({ host: '127.0.0.1', port: 0 })
  browser = await launchChromium()
})
afterEach(async () => {
  for (const watch of watches.splice(0)) await watch.context.close()
})
afterAll(async () => {
  await browser?.close()
  for (const server of Object.values(servers)) await server.app.close()
})

/** Mints a link over HTTP exactly as a client would; the link starts with http://localhost:<port>. */
async function mint(
  server: keyof typeof servers,
  body: Record<string, unknown> = DOCS_BODY,
): Promise<string> {
  const { app, clock } = servers[server]
  const request = signedRequest({ now: clock.now(), body: JSON.stringify(body) })
  const response = await fetch(`http://127.0.0.1:${listeningPort(app.server)}${request.url}`, {
    method: 'POST',
    headers: request.headers,
    body: request.payload,
  })
  const { conversationDetailLink } = (await response.json()) as { conversationDetailLink: string }
  return conversationDetailLink
}

async function open(url: string, width: number) {
  const watch = await watchedPage(browser, width)
  watches.push(watch)
  const response = await watch.page.goto(url)
  return { ...watch, status: response?.status() }
}

/**
 * Nothing but the server's own origin was asked for, nothing failed, no script ran. Chromium
 * reports a document answered with an error status as a console error; that one is expected.
 */
function expectSelfContained(watch: Omit<PageWatch, 'page' | 'context'>, origin: string, status = 200) {
  expect(watch.requests.length).toBeGreaterThan(0)
  expect(watch.requests.filter((url) => new URL(url).origin !== origin)).toEqual([])
  const ownStatus = `Failed to load resource: the server responded with a status of ${status} `
  expect(watch.errors.filter((error) => !error.startsWith(ownStatus))).toEqual([])
  expect(watch.dialogs).toEqual([])
}

describe.each(WIDTHS)('a conversation link at %i px', (width) => {
  it('shows the conversation, readable, with nothing from another origin', async () => {
    const link = await mint('plain')
    const { page, status, ...watch } = await open(link, width)
    expect(status).toBe(200)
    expect(await page.title()).toBe('Mehmet Çelik – İpek Doğan · Yazışma detayı')
    expect(await page.locator('h1').innerText()).toBe('Mehmet Çelik – İpek Doğan')
    const facts = await page.locator('.facts').innerText()
    expect(facts).toContain('Sicil no: 45188')
    expect(facts).toContain('Müşteri no: 5667067')
    expect(facts).toContain('17 Ocak 2021 07:06 – 3 Kasım 2021 01:34')
    expect(facts).toContain('22 mesaj')

    const first = page.getByText('Günaydın, kredi kartı limit artışı talebim vardı 🙂')
    expect(await first.isVisible()).toBe(true)
    expect(
      await page.getByText('Başvurunuzu aldım İpek Hanım; sonuç 7 iş günü içinde bildirilecek.').count(),
    ).toBe(1)
    expect(await page.locator('.msg').count()).toBe(22)
    expect(await page.locator('.day h2').allInnerTexts()).toContain('9 Nisan 2021 Cuma')
    expect(await page.locator('.chip').first().innerText()).toMatch(
      /^DOSYA\s+maas-bordrosu-aralik-2020\.pdf\s+180 KB$/,
    )
    // The HTML a customer typed is shown as text, not run.
    expect(await page.getByText('<script>alert(1)</script> <b>kalın</b>', { exact: false }).isVisible()).toBe(
      true,
    )

    // Nothing is wider than the screen: long words and long messages wrap.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBe(0)
    // Customer on the left, staff on the right.
    const customer = await page.locator('.msg.customer').first().boundingBox()
    const staff = await page.locator('.msg.staff').first().boundingBox()
    expect(customer?.x).toBeLessThan(staff?.x ?? 0)
    expect((staff?.x ?? 0) + (staff?.width ?? 0)).toBeGreaterThan((customer?.x ?? 0) + (customer?.width ?? 0))

    expectSelfContained(watch, new URL(link).origin)
    await screenshot(page, `conversation-${width}`)
  })
})

describe('the conversation page, in detail', () => {
  it('has landmarks, a day heading per day, and text with enough contrast (WCAG AA)', async () => {
    const { page } = await open(await mint('paged'), 1280)
    const outline = await page.locator('body').ariaSnapshot()
    expect(outline).toContain('- banner:')
    expect(outline).toContain('- main:')
    expect(outline).toContain('- contentinfo:')
    expect(outline).toContain('- navigation "Sayfalar (üst)"')
    expect(outline).toContain('- heading "Mehmet Çelik – İpek Doğan" [level=1]')
    expect(outline).toContain('- heading "18 Ocak 2021 Pazartesi" [level=2]')
    // The skip link and the main landmark lead to the conversation's own heading.
    expect(await page.getByRole('main').getByRole('heading', { level: 1 }).count()).toBe(1)
    const disabled = page.getByRole('link', { name: '‹ Daha eski' }).first()
    expect(await disabled.getAttribute('aria-disabled')).toBe('true')
    expect(await disabled.getAttribute('href')).toBeNull()
    const contrast = await lowestContrast(page, [
      'body',
      '.brand',
      '.facts dt',
      '.facts .sub',
      '.pager .status',
      '.pager a.btn[href]',
      '.pager a.btn[aria-disabled]',
      '.day h2',
      '.who',
      '.who .role',
      '.text',
      '.chip .kind',
      '.chip .size',
      '.when',
      '.site-footer',
    ])
    for (const [selector, ratio] of Object.entries(contrast)) {
      expect.soft(ratio, `contrast of ${selector}`).toBeGreaterThanOrEqual(4.5)
    }
    expect(Object.keys(contrast)).toHaveLength(15)
  })

  it('draws emoji with a colour emoji font and Turkish letters with a text font', async () => {
    const { page } = await open(await mint('plain'), 1280)
    const session = await page.context().newCDPSession(page)
    const { root } = await session.send('DOM.getDocument', { depth: -1 })
    await session.send('CSS.enable')
    const fontsOf = async (selector: string) => {
      const { nodeId } = await session.send('DOM.querySelector', { nodeId: root.nodeId, selector })
      const { fonts } = await session.send('CSS.getPlatformFontsForNode', { nodeId })
      return fonts.map((font) => font.familyName)
    }
    // The first customer message of the window ends with 🙂.
    const fonts = await fontsOf('.msg.customer .text')
    const drawn = `Chromium drew the text with ${fonts.join(', ') || 'no font'}`
    expect(
      fonts.some((family) => /emoji/i.test(family)),
      `${missingMessage('emoji-font')} (${drawn})`,
    ).toBe(true)
    expect(
      fonts.some((family) => !/emoji/i.test(family)),
      `no text font for the Turkish letters (${drawn})`,
    ).toBe(true)
  })

  it('walks the pages with the older/newer links, every page opening with the same signature', async () => {
    const link = await mint('paged')
    const { page, status, ...watch } = await open(link, 360)
    expect(status).toBe(200)
    const status1 = page.locator('.pager .status').first()
    expect(await status1.innerText()).toBe('22 mesajdan 1–10 arası · Sayfa 1 / 3')
    await screenshot(page, 'paged-first-360')

    await page.getByRole('link', { name: 'Daha yeni ›' }).first().click()
    await page.waitForURL(/page=2/)
    expect(await status1.innerText()).toBe('22 mesajdan 11–20 arası · Sayfa 2 / 3')
    expect(await page.locator('.msg').count()).toBe(10)

    await page.getByRole('link', { name: 'Son »' }).first().click()
    await page.waitForURL(/page=3/)
    expect(await status1.innerText()).toBe('22 mesajdan 21–22 arası · Sayfa 3 / 3')
    expect(await page.getByText('Başvurunuzu aldım İpek Hanım', { exact: false }).isVisible()).toBe(true)
    await screenshot(page, 'paged-last-360')

    await page.getByRole('link', { name: '‹ Daha eski' }).first().click()
    await page.waitForURL(/page=2/)
    await page.getByRole('link', { name: '« İlk' }).first().click()
    await page.waitForURL((url) => !url.search.includes('page='))
    expect(new URL(page.url()).searchParams.get('sig')).toBe(new URL(link).searchParams.get('sig'))
    expectSelfContained(watch, new URL(link).origin)
  })

  it('prints without the navigation, every message kept', async () => {
    const { page } = await open(await mint('paged'), 1280)
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.pager .btn').first().isVisible()).toBe(false)
    expect(await page.locator('.pager .status').first().isVisible()).toBe(true)
    const messages = page.locator('.msg')
    expect(await messages.count()).toBe(10)
    for (let i = 0; i < 10; i++) expect(await messages.nth(i).isVisible()).toBe(true)
    await screenshot(page, 'conversation-print')
  })

  it('shows the empty state when the two never wrote in the window', async () => {
    const link = await mint('plain', { ...DOCS_BODY, staffId: '45153', customerId: '7403713' })
    for (const width of WIDTHS) {
      const { page, status, ...watch } = await open(link, width)
      expect(status).toBe(200)
      expect(await page.getByRole('heading', { name: 'Bu tarih aralığında mesaj yok.' }).isVisible()).toBe(
        true,
      )
      expect(
        await page
          .getByText('Zeynep Güneş ile Hüseyin Kılıç bu tarihler arasında yazışmamış.', { exact: false })
          .isVisible(),
      ).toBe(true)
      expect(await page.locator('.msg').count()).toBe(0)
      expectSelfContained(watch, new URL(link).origin)
      await screenshot(page, `empty-${width}`)
    }
  })
})

describe('refusal pages', () => {
  it('a changed link gets the 403 page', async () => {
    const link = new URL(await mint('plain'))
    link.searchParams.set('customerId', '2337368')
    for (const width of WIDTHS) {
      const { page, status, ...watch } = await open(link.href, width)
      expect(status).toBe(403)
      expect(await page.title()).toBe('Bağlantı geçersiz')
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Bağlantı geçersiz')
      expect(await page.locator('main').innerText()).toContain(
        'Yazışmayı görmek için yeni bir bağlantı oluşturun.',
      )
      expectSelfContained(watch, link.origin, 403)
      await screenshot(page, `invalid-link-${width}`)
    }
  })

  it('an expired link gets the 410 page, saying when it expired', async () => {
    const link = await mint('plain')
    const { clock } = servers.plain
    clock.advance(1800 * 1000)
    try {
      for (const width of WIDTHS) {
        const { page, status, ...watch } = await open(link, width)
        expect(status).toBe(410)
        expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Bağlantının süresi doldu')
        expect(await page.locator('main').innerText()).toContain(
          'Bu bağlantının süresi 9 Mart 2021 16:58 (Europe/Istanbul) itibarıyla doldu.',
        )
        expectSelfContained(watch, new URL(link).origin, 410)
        await screenshot(page, `expired-link-${width}`)
      }
    } finally {
      clock.set(DOCS_NOW)
    }
  })

  it('an unknown path gets the 404 page', async () => {
    const origin = new URL(await mint('plain')).origin
    for (const width of WIDTHS) {
      const { page, status, ...watch } = await open(`${origin}/views/bilinmeyen`, width)
      expect(status).toBe(404)
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Sayfa bulunamadı')
      expectSelfContained(watch, origin, 404)
      await screenshot(page, `not-found-${width}`)
    }
  })

  it('a page past the last gets a 404 page whose link leads back to the first page', async () => {
    const link = new URL(await mint('paged'))
    link.searchParams.set('page', '9')
    const { page, status } = await open(link.href, 360)
    expect(status).toBe(404)
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Bu sayfa yok')
    await page.getByRole('link', { name: 'İlk sayfaya git' }).click()
    await page.waitForURL((url) => !url.search.includes('page='))
    expect(await page.locator('.pager .status').first().innerText()).toContain('Sayfa 1 / 3')
  })
})
