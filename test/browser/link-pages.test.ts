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
import { CALLS, DAY, DAY_END, GROUP, linkStore, SESSIONS, testSigner } from '../helpers/link-pages.js'

/**
 * The pages of the day, online-help and recording links in real headless Chromium, served by a
 * listening server over the small world of test/helpers/link-pages.ts with the clock at the
 * documentation's date: what a person sees at 360 and 1280 px, that nothing leaves the origin or
 * breaks the policy, and that the recording plays. Screenshots land in test-results/screenshots.
 */

const WIDTHS = [360, 1280] as const

const server = testApp({ store: linkStore(), env: { DLG_PUBLIC_URL: '' } })
const signer = testSigner()
let browser: Browser
let origin = ''
const watches: PageWatch[] = []

beforeAll(async () => {
  await server.app.listen({ host: '127.0.0.1', port: 0 })
  origin = `http://127.0.0.1:${listeningPort(server.app.server)}`
  browser = await launchChromium()
})
afterEach(async () => {
  for (const watch of watches.splice(0)) await watch.context.close()
})
afterAll(async () => {
  await browser?.close()
  await server.app.close()
})

const links = {
  groupDay: () =>
    signer.mintDay(
      {
        party: { kind: 'staff', id: '45186' },
        other: { kind: 'group', id: GROUP.groupId },
        startDate: DAY,
        endDate: DAY_END,
      },
      DOCS_NOW,
    ),
  privateDay: () =>
    signer.mintDay(
      {
        party: { kind: 'staff', id: '45188' },
        other: { kind: 'customer', id: '5667067' },
        startDate: DAY,
        endDate: DAY_END,
      },
      DOCS_NOW,
    ),
  onlineHelp: (onlineHelpId: string) => signer.mintOnlineHelp({ onlineHelpId }, DOCS_NOW),
  recording: (callId: string) => signer.mintRecording({ callId }, DOCS_NOW),
}

type Watched = PageWatch & { status: number | undefined; violations: () => Promise<string[]> }

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
  const response = await watch.page.goto(`${origin}${path}`)
  await watch.page.waitForLoadState('load')
  return {
    ...watch,
    status: response?.status(),
    violations: () =>
      watch.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
  }
}

/** Nothing but the server's own origin was asked for, nothing failed or broke the policy, nothing is wider than the screen. */
async function expectSound(watch: Watched) {
  expect(watch.requests.length).toBeGreaterThan(0)
  expect(watch.requests.filter((url) => new URL(url).origin !== origin)).toEqual([])
  expect(watch.errors).toEqual([])
  expect(watch.dialogs).toEqual([])
  expect(await watch.violations()).toEqual([])
  const overflow = await watch.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  expect(overflow).toBe(0)
}

describe.each(WIDTHS)('at %i px', (width) => {
  it("a group day names each bubble's sender, the row's party on the right", async () => {
    const watch = await open(links.groupDay(), width)
    const { page } = watch
    expect(watch.status).toBe(200)
    expect(await page.title()).toBe('Kredi Kartı Destek · Grup yazışması')
    expect(await page.locator('h1').innerText()).toBe('Kredi Kartı Destek')
    const facts = await page.locator('.facts').innerText()
    expect(facts).toContain('Grup no: 2128893729')
    expect(facts).toMatch(/GÖNDERİLEN\s+2 mesaj\s+Ayşe Yılmaz tarafından/)
    expect(await page.locator('.members li').allInnerTexts()).toEqual([
      'Ayşe Yılmaz · Çalışan · 45186',
      'Mehmet Çelik · Çalışan · 45188',
      'İpek Doğan · Müşteri · 5667067',
    ])
    // Mehmet's bubble, in the group: his name in it, on the left.
    const mehmet = page.locator('.msg', { hasText: 'Mehmet: adres güncel mi?' })
    expect(await mehmet.isVisible()).toBe(true)
    expect(await mehmet.locator('.who').innerText()).toBe('Mehmet Çelik · Çalışan')
    const ipek = page.locator('.msg', { hasText: 'Merhaba, ekstrem gelmedi.' })
    expect(await ipek.locator('.who').innerText()).toBe('İpek Doğan · Müşteri')
    const ayse = page.locator('.msg.own').first()
    expect(await ayse.locator('.who').innerText()).toBe('Ayşe Yılmaz · Çalışan')
    const left = await mehmet.boundingBox()
    const right = await ayse.boundingBox()
    expect(left?.x).toBeLessThan(right?.x ?? 0)
    expect((right?.x ?? 0) + (right?.width ?? 0)).toBeGreaterThan((left?.x ?? 0) + (left?.width ?? 0))
    expect(await page.locator('.chip').innerText()).toMatch(/^DOSYA\s+ekstre-subat\.pdf\s+180 KB$/)
    await expectSound(watch)
    await screenshot(page, `day-page-${width}`)
  })

  it('a private day shows the two people and the day', async () => {
    const watch = await open(links.privateDay(), width)
    const { page } = watch
    expect(watch.status).toBe(200)
    expect(await page.locator('h1').innerText()).toBe('Mehmet Çelik – İpek Doğan')
    expect(await page.locator('.facts').innerText()).toContain('8 Mart 2021 03:00 – 9 Mart 2021 02:59')
    expect(await page.locator('.msg').count()).toBe(4)
    expect(await page.getByText('Blokeyi kaldırdım.').isVisible()).toBe(true)
    await expectSound(watch)
    await screenshot(page, `day-private-${width}`)
  })

  it("an online-help session shows its state, its times and the session's messages", async () => {
    const watch = await open(links.onlineHelp(SESSIONS.ended), width)
    const { page } = watch
    expect(watch.status).toBe(200)
    expect(await page.locator('h1').innerText()).toBe('Ömer Faruk Şahin – Ayşe Yılmaz')
    const state = page.locator('.state')
    expect(await state.innerText()).toBe('Temsilci sonlandırdı')
    expect(await state.isVisible()).toBe(true)
    const facts = await page.locator('.facts').innerText()
    expect(facts).toContain('8 Mart 2021 14:01:30')
    expect(facts).toMatch(/BEKLEME SÜRESİ\s+1 dk 30 sn/)
    expect(facts).toMatch(/YARDIM SÜRESİ\s+10 dk 30 sn/)
    expect(await page.locator('.msg .text').allInnerTexts()).toEqual([
      'Canlı yardıma hoş geldiniz.',
      'Şifremi unuttum.',
      'Yeni şifreniz SMS ile gönderildi.',
    ])
    await expectSound(watch)
    await screenshot(page, `online-help-${width}`)
  })

  it('an online-help session that never started says so', async () => {
    const watch = await open(links.onlineHelp(SESSIONS.requested), width)
    const { page } = watch
    expect(await page.locator('.state').innerText()).toBe('Temsilci bekleniyor')
    expect(await page.getByRole('heading', { name: 'Bu oturum hiç başlamadı.' }).isVisible()).toBe(true)
    expect(await page.locator('.msg').count()).toBe(0)
    await expectSound(watch)
    await screenshot(page, `online-help-requested-${width}`)
  })

  it("a recording shows the call's facts and its audio plays", async () => {
    const watch = await open(links.recording(CALLS.recorded), width)
    const { page } = watch
    expect(watch.status).toBe(200)
    expect(await page.locator('h1').innerText()).toBe('Mehmet Çelik → İpek Doğan')
    const facts = await page.locator('.facts').innerText()
    for (const text of [
      'Sicil no: 45188',
      'Kurum çalışanı',
      'userType: 4 (DomainUser)',
      'Diyalog Kurumsal',
      'Anonim müşteri',
      'userType: 7 (AnonymousCustomer)',
      'Diyalog Web',
      '8 Mart 2021 16:36:03',
      'Görüntülü',
      'Canlı yardım araması',
      'callUseType: ONLINE_HELP_CALL',
      '3387307531615898478',
    ])
      expect(facts).toContain(text)
    expect(await page.locator('.state').innerText()).toBe('Tamamlandı')

    const audio = page.locator('audio')
    expect(await audio.isVisible()).toBe(true)
    const metadata = await audio.evaluate(async (element: HTMLAudioElement) => {
      if (element.readyState < 1) {
        await new Promise<void>((resolve, reject) => {
          element.addEventListener('loadedmetadata', () => resolve(), { once: true })
          element.addEventListener(
            'error',
            () => reject(new Error(element.error?.message ?? 'media error')),
            {
              once: true,
            },
          )
          element.load()
        })
      }
      return { duration: element.duration, error: element.error === null ? null : element.error.code }
    })
    expect(metadata.error).toBeNull()
    expect(metadata.duration).toBeCloseTo(11, 1)

    // A click is a user gesture: the autoplay policy lets the page play after it.
    await page.locator('h1').click()
    const played = await audio.evaluate(async (element: HTMLAudioElement) => {
      await element.play()
      await new Promise<void>((resolve) => {
        const check = () => (element.currentTime > 0.2 ? resolve() : setTimeout(check, 50))
        check()
      })
      const state = { paused: element.paused, currentTime: element.currentTime, error: element.error }
      element.pause()
      return { ...state, error: state.error === null ? null : state.error.code }
    })
    expect(played.error).toBeNull()
    expect(played.currentTime).toBeGreaterThan(0.2)
    expect(played.paused).toBe(false)
    // The audio came from the page's origin, with the page's signature.
    const audioRequests = watch.requests.filter((url) => url.includes('/audio.wav?'))
    expect(audioRequests.length).toBeGreaterThan(0)
    for (const url of audioRequests) {
      expect(new URL(url).searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/)
    }
    await expectSound(watch)
    await screenshot(page, `recording-${width}`)
  })

  it('a call without a recording shows "kayıt yok"', async () => {
    const watch = await open(links.recording(CALLS.missed), width)
    const { page } = watch
    expect(watch.status).toBe(200)
    expect(await page.getByRole('heading', { name: 'Bu arama için kayıt yok.' }).isVisible()).toBe(true)
    expect(await page.locator('.facts').innerText()).toContain('Cevapsız')
    expect(await page.locator('audio').count()).toBe(0)
    await expectSound(watch)
    await screenshot(page, `recording-none-${width}`)
  })
})

describe('the link pages, in detail', () => {
  it('have landmarks and text with enough contrast (WCAG AA)', async () => {
    for (const path of [
      links.groupDay(),
      links.onlineHelp(SESSIONS.ended),
      links.recording(CALLS.recorded),
    ]) {
      const { page } = await open(path, 1280)
      const outline = await page.locator('body').ariaSnapshot()
      for (const landmark of ['- banner:', '- main:', '- contentinfo:']) expect(outline).toContain(landmark)
      expect(await page.getByRole('main').getByRole('heading', { level: 1 }).count()).toBe(1)
      const contrast = await lowestContrast(page, [
        '.brand',
        '.facts dt',
        '.facts dd',
        '.facts .sub',
        '.state',
        '.members li',
        '.members .role',
        '.who',
        '.who .role',
        '.text',
        '.when',
        '.player h2',
        '.player p',
        '.site-footer',
      ])
      for (const [selector, ratio] of Object.entries(contrast)) {
        expect.soft(ratio, `contrast of ${selector} on ${path.split('?')[0]}`).toBeGreaterThanOrEqual(4.5)
      }
    }
  })

  it('print without the player, the facts kept', async () => {
    const { page } = await open(links.recording(CALLS.recorded), 1280)
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('audio').isVisible()).toBe(false)
    expect(await page.locator('.player h2').isVisible()).toBe(true)
    expect(await page.locator('.facts').isVisible()).toBe(true)
    await screenshot(page, 'recording-print')
    const day = await open(links.groupDay(), 1280)
    await day.page.emulateMedia({ media: 'print' })
    const messages = day.page.locator('.msg')
    for (let i = 0; i < (await messages.count()); i++) expect(await messages.nth(i).isVisible()).toBe(true)
    await screenshot(day.page, 'day-page-print')
  })

  it('refuse a tampered link with the Turkish 403 page, and an expired one with 410', async () => {
    const tampered = links.recording(CALLS.recorded).replace(CALLS.recorded, CALLS.long)
    const refused = await open(tampered, 360)
    expect(refused.status).toBe(403)
    expect(await refused.page.getByRole('heading', { level: 1 }).innerText()).toBe('Bağlantı geçersiz')
    expect(await refused.page.locator('main').innerText()).toContain(
      'Bu arama kaydı bağlantısı geçerli değil',
    )
    await screenshot(refused.page, 'recording-invalid-360')
    server.clock.advance(1800 * 1000)
    try {
      const expired = await open(links.onlineHelp(SESSIONS.ended), 360)
      expect(expired.status).toBe(410)
      expect(await expired.page.locator('main').innerText()).toContain(
        'Bu bağlantının süresi 9 Mart 2021 16:58 (Europe/Istanbul) itibarıyla doldu.',
      )
    } finally {
      server.clock.set(DOCS_NOW)
    }
  })
})
