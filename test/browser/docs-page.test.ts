import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { listeningPort } from '../../src/app.js'
import { DOCS_CSP } from '../../src/openapi.js'
import { testApp } from '../helpers/app.js'
import { launchChromium, screenshot, watchedPage } from '../helpers/browser.js'

/** `/docs` (Swagger UI) in headless Chromium: it works under its strict CSP, from this origin alone. */
const { app } = testApp()
let browser: Browser
let base = ''
beforeAll(async () => {
  await app.listen({ host: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${listeningPort(app.server)}`
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await app.close()
})

it('serves every /docs file under the CSP', async () => {
  for (const path of ['/docs', '/docs/', '/docs/static/index.html', '/docs/static/swagger-ui-bundle.js']) {
    const response = await app.inject({ method: 'GET', url: path })
    expect([path, response.headers['content-security-policy']]).toEqual([path, DOCS_CSP])
  }
})

it('renders the API in Chromium with no CSP violation and no request to another origin', async () => {
  const watch = await watchedPage(browser, 1280)
  await watch.page.goto(`${base}/docs`)
  await watch.page.getByText('/v1/reporting/getmessagingdetail').first().waitFor({ timeout: 15_000 })
  await screenshot(watch.page, 'docs-1280')
  expect(watch.errors).toEqual([])
  expect(watch.requests.filter((url) => !url.startsWith(base))).toEqual([])
  await watch.context.close()
})
