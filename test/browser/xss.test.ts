/// <reference lib="dom" />
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listeningPort } from '../../src/app.js'
import { parseFixtureData } from '../../src/store/fixture-loader.js'
import { createStore } from '../../src/store/store.js'
import { testApp } from '../helpers/app.js'
import { launchChromium, screenshot, watchedPage } from '../helpers/browser.js'
import { signedRequest } from '../helpers/signing.js'

/**
 * A corpus of XSS payloads as staff and customer names, message texts and attachment names,
 * rendered by the conversation page in headless Chromium with its CSP in force: no dialog
 * opens, no script of theirs runs, no request leaves the page's origin, no CSP violation is
 * even attempted (the payloads never become markup), and each reads as the text it is.
 */
const PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 1">',
  '<svg onload="window.__xss = 1">',
  '"><script>window.__xss = 1</script>',
  "'><img src=x onerror=alert(1)>",
  '<iframe src="javascript:alert(1)"></iframe>',
  '</textarea><script>alert(1)</script>',
  '<a href="javascript:alert(1)">tıkla</a>',
  '<body onload=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  "<style>@import 'http://evil.test/x.css';</style>",
  '<link rel=stylesheet href=http://evil.test/x.css>',
  '<meta http-equiv="refresh" content="0;url=http://evil.test/">',
  '<base href="http://evil.test/">',
  '<object data="http://evil.test/x"></object>',
  '<img src="http://evil.test/pixel.png">',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '<!-- ]]> --> <![CDATA[ x ]]>',
  'javascript:alert(1)',
  '\u2028\u2029<script>alert(1)</script>',
]

const start = Date.UTC(2021, 0, 18, 9)
const data = {
  staff: [{ staffId: '45188', name: PAYLOADS[0], appName: PAYLOADS[1] }],
  customers: [{ customerId: '5667067', name: PAYLOADS[2], userType: 5 }],
  conversations: [
    {
      staffId: '45188',
      customerId: '5667067',
      messages: PAYLOADS.map((payload, i) => ({
        id: `x-${i}`,
        sentAt: new Date(start + i * 60_000).toISOString(),
        from: i % 2 === 0 ? 'customer' : 'staff',
        text: payload,
        attachment: { type: 'file', name: payload.slice(0, 255), sizeBytes: 1024 },
      })),
    },
  ],
}

const { app, clock } = testApp({
  store: createStore(parseFixtureData(data, 'xss corpus')),
  env: { DLG_PUBLIC_URL: '' },
})
let browser: Browser
beforeAll(async () => {
  await app.listen({ host: '127.0.0.1', port: 0 })
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await app.close()
})

describe('XSS payloads in fixture data', () => {
  it(`render inert: ${PAYLOADS.length} payloads as names, texts and attachment names`, async () => {
    const body = JSON.stringify({
      staffId: '45188',
      customerId: '5667067',
      startDate: start,
      endDate: start + 3_600_000,
    })
    const request = signedRequest({ now: clock.now(), body })
    const origin = `http://127.0.0.1:${listeningPort(app.server)}`
    const minted = await fetch(`${origin}${request.url}`, {
      method: 'POST',
      headers: request.headers,
      body: request.payload,
    })
    const link = (await minted.json()) as { conversationDetailLink: string }
    const url = new URL(link.conversationDetailLink)
    const pageUrl = `${origin}${url.pathname}${url.search}`

    const watch = await watchedPage(browser, 1280)
    const response = await watch.page.goto(pageUrl)
    expect(response?.status()).toBe(200)
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'")
    await watch.page.waitForLoadState('load')
    await screenshot(watch.page, 'xss-corpus')

    expect(watch.dialogs).toEqual([])
    expect(await watch.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined()
    expect(watch.errors).toEqual([])
    expect(watch.requests).toEqual([pageUrl])
    const text = await watch.page.evaluate(() => document.body.innerText)
    for (const payload of PAYLOADS.slice(0, 12))
      expect(text).toContain(payload.replace(/[\u2028\u2029]/g, '').trim())
    // Nothing of the payloads became an element.
    const injected = await watch.page.evaluate(
      () =>
        document.querySelectorAll(
          'script, iframe, object, svg, math, img, video, link[href*="evil"], base, meta[http-equiv]',
        ).length,
    )
    expect(injected).toBe(0)
    await watch.context.close()
  })
})
