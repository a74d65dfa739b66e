import fc from 'fast-check'
import { createKeyring, DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { createVerifier, type RequestToVerify } from '../../src/auth/verifier.js'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import { DOCS_BODY_TEXT, DOCS_RESOURCE, signedRequest } from '../helpers/signing.js'

/**
 * Property-based fuzzing (fast-check), shared by the test suite (a fixed number of runs in CI)
 * and `npm run fuzz` (as many as asked). Three properties:
 *
 * 1. a valid signed request with any one part changed — a body byte, a signed header, the path,
 *    the date, the key id, the signature — never verifies unless the change is a no-op;
 * 2. garbage at the app (any method and path under /v1, binary bodies, odd and huge headers,
 *    NUL bytes, invalid UTF-8) gets a documented status, never an undocumented one or a crash;
 * 3. hostile bodies, correctly signed so they reach the parser (deep nesting, numbers past
 *    2^53, `__proto__` keys, invalid UTF-8), get 200 or D8's 500 naming the problem, and
 *    never pollute a prototype.
 */

function validRequest(): RequestToVerify & { headers: Record<string, string> } {
  const { method, url, headers, payload } = signedRequest({ now: DOCS_NOW })
  return { method, resource: url, body: Buffer.from(payload), headers }
}

type Mutation =
  | { readonly part: 'body'; readonly index: number; readonly byte: number }
  | { readonly part: 'header'; readonly name: string; readonly value: string }
  | { readonly part: 'resource' | 'method'; readonly value: string }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    part: fc.constant('body' as const),
    index: fc.nat({ max: DOCS_BODY_TEXT.length - 1 }),
    byte: fc.nat({ max: 255 }),
  }),
  fc.record({
    part: fc.constant('header' as const),
    name: fc.constantFrom('content-type', 'x-dlg-date', 'x-dlg-authorization'),
    value: fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 })),
  }),
  // A one-character edit of a signed header: the signature, the key id, the date, the type.
  fc
    .record({
      name: fc.constantFrom('content-type', 'x-dlg-date', 'x-dlg-authorization'),
      at: fc.nat(),
      char: fc.string({ minLength: 1, maxLength: 1 }),
    })
    .map(({ name, at, char }): Mutation => {
      const original = validRequest().headers[name] ?? ''
      const index = at % original.length
      return { part: 'header', name, value: `${original.slice(0, index)}${char}${original.slice(index + 1)}` }
    }),
  fc.record({
    part: fc.constantFrom('resource' as const, 'method' as const),
    value: fc.string({ maxLength: 60 }),
  }),
)

function applyMutation(
  request: ReturnType<typeof validRequest>,
  change: Mutation,
): ReturnType<typeof validRequest> {
  switch (change.part) {
    case 'body': {
      const body = Buffer.from(request.body)
      body[change.index] = change.byte
      return { ...request, body }
    }
    case 'header':
      return { ...request, headers: { ...request.headers, [change.name]: change.value } }
    case 'resource':
      return { ...request, resource: change.value }
    case 'method':
      return { ...request, method: change.value }
  }
}

function isNoOp(request: ReturnType<typeof validRequest>, changed: ReturnType<typeof validRequest>): boolean {
  return (
    Buffer.from(changed.body).equals(Buffer.from(request.body)) &&
    changed.resource === request.resource &&
    changed.method === request.method &&
    Object.entries(request.headers).every(([name, value]) => changed.headers[name] === value)
  )
}

const verifier = createVerifier({ keyring: createKeyring([DEMO_ACCESS_KEY]), maxSkewSeconds: 900 })

/** 1: no mutation of a signed part authenticates, unless it changed nothing. */
export const mutationsNeverVerify = fc.property(mutation, (change) => {
  const request = validRequest()
  const changed = applyMutation(request, change)
  const verified = verifier.verify(changed, DOCS_NOW).ok
  return verified === isNoOp(request, changed)
})

/** What the app may answer: the error table, D8, the page's refusals, 404/405, 413, 415. */
export const DOCUMENTED = new Set([200, 400, 401, 403, 404, 405, 410, 413, 415, 500])

const headerName = fc.constantFrom(
  'x-dlg-date',
  'x-dlg-requester-userid',
  'x-dlg-authorization',
  'content-type',
  'content-length-x',
  'accept',
  'x-dlg-mock-string-to-sign',
  'date',
  'x-authorization',
)
/** Header values Node.js would let through: no CR, LF or NUL (those never reach the app). */
const headerValue = fc
  .oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ minLength: 2000, maxLength: 9000 }),
    fc.constantFrom(
      'DLGA ',
      'DLGA :',
      'DLGA a:b',
      'Tue, 09 Mar 2021 13:28:32 GMT',
      'application/json',
      '',
      ' ',
    ),
  )
  .map((value) => value.replace(/[\r\n\u0000]/g, ''))

const garbage = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
  path: fc.oneof(
    fc.constant(DOCS_RESOURCE),
    fc.string({ maxLength: 40 }).map((tail) => `/v1/${encodeURIComponent(tail)}`),
    fc.string({ maxLength: 40 }).map((tail) => `/views/messaging?${encodeURIComponent(tail)}`),
  ),
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 6 }),
  body: fc.oneof(
    fc.uint8Array({ maxLength: 2000 }),
    fc.string({ unit: 'binary', maxLength: 500 }).map((s) => Buffer.from(s)),
  ),
})

const pollution = () =>
  (Object.prototype as Record<string, unknown>)['polluted'] === undefined &&
  ({} as Record<string, unknown>)['isAdmin'] === undefined

/** Builds a fresh app for a property run (clock at the documentation's date). */
export function fuzzApp() {
  return testApp().app
}

/** 2: garbage gets a documented status, and a 500 is only ever D8's named body problem. */
export function garbageGetsDocumentedAnswers(app: ReturnType<typeof fuzzApp>) {
  return fc.asyncProperty(garbage, async (request) => {
    const response = await app.inject({
      method: request.method as 'GET',
      url: request.path,
      headers: request.headers,
      ...(request.method === 'GET' || request.method === 'HEAD'
        ? {}
        : { payload: Buffer.from(request.body) }),
    })
    if (!DOCUMENTED.has(response.statusCode)) return false
    return !(response.statusCode === 500 && response.body === 'Internal server error')
  })
}

const hostileBody = fc.oneof(
  fc.nat({ max: 5000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.nat({ max: 5000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc
    .bigInt({ min: 2n ** 53n, max: 2n ** 200n })
    .map((n) => DOCS_BODY_TEXT.replace('1610856400000', n.toString())),
  fc.constantFrom(
    '{"__proto__":{"polluted":true},"staffId":"45188","customerId":"5667067","startDate":1,"endDate":2}',
    '{"constructor":{"prototype":{"isAdmin":true}},"staffId":"45188","customerId":"5667067","startDate":1,"endDate":2}',
    '{"staffId":"45188","customerId":"5667067","startDate":1e400,"endDate":2}',
    '{"staffId":"45188","customerId":"5667067","startDate":-0,"endDate":0.5}',
  ),
  fc.json({ maxDepth: 6 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
)

/** 3: hostile bodies that pass authentication get 200 or D8's 500, and pollute nothing. */
export function hostileBodiesAreRefusedCleanly(app: ReturnType<typeof fuzzApp>) {
  return fc.asyncProperty(hostileBody, async (body) => {
    const request = signedRequest({ now: DOCS_NOW, body: Buffer.from(body, 'latin1') })
    const response = await app.inject({ ...request, method: 'POST' })
    const clean =
      response.statusCode === 200 ||
      (response.statusCode === 500 &&
        response.body !== 'Internal server error' &&
        response.headers['content-type'] === 'text/plain; charset=utf-8')
    return clean && pollution()
  })
}
