import { describe, expect, it } from 'vitest'
import { headerLine } from '../../src/http/header-value.js'
import { REPORTING_ROUTES } from '../../src/routes/reporting/index.js'
import { exampleBodyOf, fullPath, type SignedRoute } from '../../src/routes/signed-route.js'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import { signedRequest } from '../helpers/signing.js'

/** The bounds of the lists' numbers (D14, D38): what a client may send, and what it gets. */

const LISTS = REPORTING_ROUTES.filter((route) => route.path !== '/reporting/getmessagingdetail')
const paged = LISTS.filter((route) => Object.hasOwn(route.body.properties, 'pageNumber'))

/** A list's documentation example, as plain fields. */
const exampleOf = (route: Pick<SignedRoute, 'body'>) => exampleBodyOf(route) as Record<string, unknown>

async function send(route: (typeof LISTS)[number], body: string) {
  const { app } = testApp()
  const response = await app.inject(signedRequest({ url: fullPath(route), body, now: DOCS_NOW }))
  await app.close()
  return response
}

describe('the lists take any whole number where the documentation sets no bound', () => {
  it.each(LISTS.map((route) => [route.path, route] as const))(
    '%s: endDate Long.MAX_VALUE (a Java "no end") and a start before any date: 200, the example\'s items',
    async (_path, route) => {
      const example = exampleOf(route)
      const plain = await send(route, JSON.stringify(example))
      // The raw literal, as a Java client writes it (JSON.stringify cannot: it is beyond 2^53).
      const body = JSON.stringify({ ...example, startDate: -1 }).replace(
        /"endDate":\d+/,
        '"endDate":9223372036854775807',
      )
      const wide = await send(route, body)
      expect(wide.statusCode).toBe(200)
      expect((wide.json() as unknown[]).length).toBeGreaterThanOrEqual((plain.json() as unknown[]).length)
    },
  )

  it.each(paged.flatMap((route) => [1_000_001, 2 ** 53, 1e300].map((n) => [route.path, n, route] as const)))(
    '%s: pageNumber %d is a page past the end, [] (D14)',
    async (_path, pageNumber, route) => {
      const response = await send(route, JSON.stringify({ ...exampleOf(route), pageNumber }))
      expect([response.statusCode, response.body]).toEqual([200, '[]'])
    },
  )

  it.each(paged.map((route) => [route.path, route] as const))(
    '%s: pageSize 2^53 is served as 20 and said so (D14)',
    async (_path, route) => {
      const response = await send(route, JSON.stringify({ ...exampleOf(route), pageSize: 2 ** 53 }))
      expect(response.statusCode).toBe(200)
      expect(response.headers['x-dlg-mock-notes']).toBe(
        'pageSize 9007199254740992 served as 20, the documented maximum',
      )
    },
  )
})

describe('headerLine', () => {
  it('keeps printable ASCII as it is and cuts it; anything else is escaped', () => {
    expect(headerLine('no customer "m\\u00fc" (customerId)')).toBe('no customer "m\\u00fc" (customerId)')
    expect(headerLine('x'.repeat(30), 10)).toBe('xxxxxxxxxx...[cut, 30 characters in all]')
    expect(headerLine('a\r\nb')).toBe('a\\r\\nb')
  })
})
