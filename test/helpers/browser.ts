/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { chromiumPath, missingMessage, systemProbe } from '../setup/environment.mjs'

/**
 * Real headless Chromium for the pages a person sees: Debian's `chromium` package driven by
 * playwright-core (no browser download). `CHROMIUM_PATH` points elsewhere, e.g. on a laptop.
 * `npm test` installs or asks for what is missing first (test/setup/environment.mjs); run alone,
 * a test fails with a message naming the missing piece.
 */

export const CHROMIUM_PATH = chromiumPath(process.env)

/** Flags for a sandbox with no network but loopback: nothing phones home, nothing updates. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots')

export async function launchChromium(): Promise<Browser> {
  if (!systemProbe().isExecutable(CHROMIUM_PATH)) throw new Error(missingMessage('chromium', process.env))
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS })
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]
    throw new Error(
      `Chromium at ${CHROMIUM_PATH} did not start (reinstall chromium, or set CHROMIUM_PATH to a working ` +
        `Chromium or Chrome binary): ${reason}`,
      { cause: error },
    )
  }
}

/** What a page did that a test may want to forbid. */
export interface PageWatch {
  readonly page: Page
  readonly context: BrowserContext
  /** Console messages of type `error`, uncaught exceptions (CSP violations are console errors). */
  readonly errors: string[]
  /** Every URL the page requested. */
  readonly requests: string[]
  /** `alert`, `confirm`, `prompt` the page opened. */
  readonly dialogs: string[]
}

export async function watchedPage(browser: Browser, width: number, height = 900): Promise<PageWatch> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'tr-TR' })
  const page = await context.newPage()
  const watch: PageWatch = { page, context, errors: [], requests: [], dialogs: [] }
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(message.text())
  })
  page.on('pageerror', (error) => watch.errors.push(String(error)))
  page.on('request', (request) => watch.requests.push(request.url()))
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  return watch
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/**
 * WCAG contrast ratio of each element's text against the first opaque background behind it.
 * Runs in the page; returns `selector → lowest ratio found`.
 */
export function lowestContrast(page: Page, selectors: readonly string[]): Promise<Record<string, number>> {
  return page.evaluate((list) => {
    const parse = (color: string) => {
      const parts = color.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 1]
      return { rgb: parts.slice(0, 3), alpha: parts[3] ?? 1 }
    }
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((v) => {
        const c = v / 255
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)
    }
    const background = (element: Element | null): number[] => {
      for (let node = element; node !== null; node = node.parentElement) {
        const { rgb, alpha } = parse(getComputedStyle(node).backgroundColor)
        if (alpha >= 1) return rgb
      }
      return [255, 255, 255]
    }
    const result: Record<string, number> = {}
    for (const selector of list) {
      for (const element of Array.from(document.querySelectorAll(selector))) {
        const a = luminance(parse(getComputedStyle(element).color).rgb)
        const b = luminance(background(element))
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
        result[selector] = Math.min(result[selector] ?? Infinity, Math.round(ratio * 100) / 100)
      }
    }
    return result
  }, selectors)
}
