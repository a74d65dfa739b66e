import { existsSync, readFileSync } from 'node:fs'
import { Value } from 'typebox/value'
import { describe, expect, it, onTestFinished } from 'vitest'
import { jsonText } from '../../src/json-text.js'
import { REPORTING_ROUTES } from '../../src/routes/reporting/index.js'
import { GET_MESSAGING_DETAIL } from '../../src/routes/reporting/getmessagingdetail.js'
import { exampleBodyOf, fullPath, type SignedRoute } from '../../src/routes/signed-route.js'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import { snippet } from '../helpers/docs.js'
import { REPO_ROOT } from '../helpers/server-process.js'
import { signedRequest } from '../helpers/signing.js'

/**
 * The Reporting lists' pages show the documentation's example request and what the mock answers
 * to it, checked here: the request snippet is the route's example body, and the answer snippet is
 * the first two items of the answer to that request, as the mock writes them, with the bundled
 * fixtures, the clock at the documentation's date and the public URL of `npm start` (port 3000).
 * Items are compared as exact JSON text, so a 64-bit id that a double would round must be written
 * to its last digit. A link's signature or expiry may be shown as `…` (the reader's link secret is
 * random per start, their clock is not 2021's): where the page masks one, the answer's is masked
 * too; where it shows one, it is compared as it is.
 */

/** The public URL a reader's `npm start` links to, the default port's. */
const READER_PUBLIC_URL = 'http://localhost:3000'
/** How many items of an answer a page shows. */
const SHOWN = 2
/** The query parameters of a link that carry its signature or expiry. */
const LINK_SECRETS = ['sig', 'signature', 'expiresAt', 'expires'] as const

/** Every list of the Reporting API: getmessagingdetail answers one object, not a list. */
const LISTS: readonly SignedRoute[] = REPORTING_ROUTES.filter((route) => route !== GET_MESSAGING_DETAIL)

/** A route's page: docs/reporting/<its path's last segment>.md, from the repository's root. */
const nameOf = (route: SignedRoute) => route.path.split('/').at(-1) ?? ''
const pageOf = (route: SignedRoute) => `docs/reporting/${nameOf(route)}.md`

/** Marks an integer literal beyond 2^53 as a string for `JSON.parse`'s reviver to make a BigInt. */
const BIG = '\u0000int:'

/**
 * JSON text parsed as `JSON.parse` does, except that an integer a double cannot hold exactly
 * becomes a `bigint` (so `jsonText` writes it back to its last digit). Strings are matched first,
 * so digits inside them are left alone.
 */
function parseExactJson(text: string): unknown {
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token) =>
    /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token)) ? `"\\u0000int:${token}"` : token,
  )
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(BIG) ? BigInt(value.slice(BIG.length)) : value,
  )
}

/** The items of a JSON array text, each as compact exact JSON text. */
function itemTexts(text: string): string[] {
  const parsed = parseExactJson(text)
  if (!Array.isArray(parsed)) throw new Error(`not a JSON array: ${text.slice(0, 80)}`)
  return parsed.map((item) => jsonText(item))
}

/** The values of a link parameter in an item's text, e.g. `sig=…` → `…`. */
const PARAMETER = (name: string) => new RegExp(`([?&]${name}=)([^&"]*)`, 'g')

/**
 * The answer's item with the link parameters masked that the page's item masks (`…`), and the
 * page's item with nothing changed: a parameter the page shows is compared as it is.
 */
function maskLike(answerItem: string, pageItem: string): string {
  let masked = answerItem
  for (const name of LINK_SECRETS) {
    if ([...pageItem.matchAll(PARAMETER(name))].some((match) => match[2] === '…')) {
      masked = masked.replace(PARAMETER(name), '$1…')
    }
  }
  return masked
}

/** The page's example request, signed at the documentation's date and sent as written. */
async function answerTo(route: SignedRoute, body: string) {
  const { app } = testApp({ env: { DLG_PUBLIC_URL: READER_PUBLIC_URL } })
  onTestFinished(() => app.close())
  return app.inject(signedRequest({ url: fullPath(route), body, now: DOCS_NOW }))
}

describe('the exact reader the comparison uses', () => {
  it('reads answers exactly: an id beyond 2^53 to its last digit, digits inside strings left alone', () => {
    expect(itemTexts('[ {"id": -1527120504243668640, "n": 1.5e3, "s": "x\\"9007199254740993"} ]')).toEqual([
      '{"id":-1527120504243668640,"n":1500,"s":"x\\"9007199254740993"}',
    ])
    expect(itemTexts('[996142566694264259]')).not.toEqual(itemTexts('[996142566694264258]'))
  })
})

describe('docs/reporting: a page per list endpoint', () => {
  it('every Reporting list has its page (docs/reporting/<endpoint>.md)', () => {
    expect(LISTS.length).toBeGreaterThan(0)
    expect(LISTS.filter((route) => !existsSync(`${REPO_ROOT}/${pageOf(route)}`)).map(fullPath)).toEqual([])
  })
})

/** The lists whose page exists, as [page, route]; a missing page fails the test above. */
const PAGES = LISTS.filter((route) => existsSync(`${REPO_ROOT}/${pageOf(route)}`)).map(
  (route) => [pageOf(route), route] as const,
)

describe.each(PAGES)('%s: the example it shows', (page, route) => {
  const name = nameOf(route)

  it("the request is the documentation's example request (the body schema's first example)", () => {
    expect(JSON.parse(snippet(page, `${name}-request`))).toEqual(exampleBodyOf(route))
  })

  it('the answer is the first two items of what the mock answers that request, exact to the digit', async () => {
    const response = await answerTo(route, snippet(page, `${name}-request`))
    expect(response.statusCode, response.body).toBe(200)
    const answer = itemTexts(response.body)
    const shown = itemTexts(snippet(page, `${name}-answer`))
    expect(shown.length).toBe(Math.min(SHOWN, answer.length))
    expect(shown).toEqual(answer.slice(0, SHOWN).map((item, i) => maskLike(item, shown[i] ?? '')))
  })

  it('the text says how many items the answer has', async () => {
    const response = await answerTo(route, snippet(page, `${name}-request`))
    const text = readFileSync(`${REPO_ROOT}/${page}`, 'utf8')
    const said = /the first two of (\d+) items/.exec(text)?.[1]
    expect(said, `${page} does not say "the first two of N items"`).toBeDefined()
    expect(Number(said)).toBe(itemTexts(response.body).length)
  })

  it("the answer's items fit the route's reply schema", () => {
    // The schema checks shape, not precision: JSON.parse's doubles are integers as well.
    const items = JSON.parse(snippet(page, `${name}-answer`)) as unknown
    expect(Value.Errors(route.reply, items)).toEqual([])
    expect(Value.Check(route.reply, items)).toBe(true)
  })
})
