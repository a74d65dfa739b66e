import { onTestFinished } from 'vitest'
import type { Store } from '../../src/store/store.js'
import { DOCS_NOW, testApp } from './app.js'
import { signedRequest } from './signing.js'

/**
 * One app for the test, closed after it, with the default fixtures unless `store` is given;
 * `ask` signs a body at DOCS_NOW and sends it to `url` (an object is sent as JSON, a string as is).
 */
export function listClient(url: string, store?: Store) {
  const { app } = testApp(store === undefined ? {} : { store })
  onTestFinished(() => app.close())
  return {
    ask: (body: unknown) =>
      app.inject(
        signedRequest({
          now: DOCS_NOW,
          url,
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    app,
  }
}

/**
 * The values of the integer field `field` in an answer, read from its text in order: exact, as a
 * BigInt-aware client reads them (a 64-bit id is not rounded through a JavaScript number).
 */
export function idsIn(text: string, field: string): string[] {
  return [...text.matchAll(new RegExp(`"${field}":(-?\\d+)`, 'g'))].map((match) => match[1] as string)
}
