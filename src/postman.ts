import { DEMO_ACCESS_KEY } from './auth/keyring.js'
import { exampleBodyOf, fullPath, type SignedRoute } from './routes/signed-route.js'
import { SIGNED_ROUTES } from './routes/signed-routes.js'

/**
 * A Postman collection of every operation in the OpenAPI document, in an order that runs
 * green from top to bottom (newman in CI does), with example bodies, a test per request, and a
 * collection-level pre-request script that signs the `/v1` requests with crypto-js (the
 * sandbox's `require('crypto-js')`; the global `CryptoJS` is deprecated), as Postman users
 * expect. Variables: baseUrl, keyId, secret, requesterUserId, adminToken.
 *
 * Two folders: `API` passes against a plain `npm start` (demo key, no admin API); `Admin` (every
 * `/__admin` operation) needs a server with the admin API and `adminToken`. With `adminToken`
 * empty, the `Admin` folder's pre-request script skips its requests and says why in the console,
 * so running the whole collection against `npm start` passes, with the admin requests skipped.
 */

/** Folder names: one word each, so `newman run --folder <name>` needs no quoting. */
export const API_FOLDER = 'API'
export const ADMIN_FOLDER = 'Admin'

const COLLECTION_FILE = 'diyalog-mock.postman_collection.json'
/** How to start a server with the admin API, for the messages. */
const ADMIN_SERVER =
  'DLG_ADMIN_TOKEN=<token> npm start, or with npx diyalog-mock serve --admin (it prints a token)'

interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, { summary?: string }>>>>
}

interface Step {
  readonly method: string
  /** The OpenAPI path, e.g. `/__admin/faults/{id}`. */
  readonly path: string
  readonly status: number
  readonly body?: unknown
  readonly query?: Readonly<Record<string, string>>
  /** Path parameters by name, as Postman expressions. */
  readonly params?: Readonly<Record<string, string>>
  /** More test script lines. */
  readonly test?: readonly string[]
}

const LINK_PARAMS = ['staffId', 'customerId', 'startDate', 'endDate', 'expiresAt', 'sig'] as const

/**
 * The step of a signed API route, from its table entry: its example body, and tests by the shape
 * of its answer (`isSuccess`; a `conversationDetailLink`, whose parameters the link steps open).
 */
function signedStep(route: SignedRoute): Step {
  // An object answer's fields; a list answer (the Reporting lists) is checked to be an array.
  const reply = route.reply as { readonly properties?: Readonly<Record<string, unknown>>; readonly type?: unknown }
  const fields = reply.properties ?? {}
  const checks = [
    ...(reply.type === 'array' ? ["pm.test('a list', () => pm.expect(answer).to.be.an('array'))"] : []),
    ...(Object.hasOwn(fields, 'isSuccess')
      ? ["pm.test('isSuccess', () => pm.expect(answer.isSuccess).to.equal(true))"]
      : []),
    ...(Object.hasOwn(fields, 'conversationDetailLink')
      ? [
          "// The link's parameters, for the requests that open it (the sandbox has no URL class).",
          "const query = answer.conversationDetailLink.split('?')[1] || ''",
          "query.split('&').forEach((pair) => {",
          "  const [name, value] = pair.split('=')",
          "  pm.collectionVariables.set('link_' + name, decodeURIComponent(value))",
          '})',
        ]
      : []),
  ]
  const test = checks.length === 0 ? [] : ['const answer = pm.response.json()', ...checks]
  return { method: route.method, path: fullPath(route), status: 200, body: exampleBodyOf(route), test }
}

/** The run order: state an earlier step changes is put back by a later one. */
const STEPS: readonly Step[] = [
  { method: 'GET', path: '/health', status: 200 },
  ...SIGNED_ROUTES.map(signedStep),
  {
    method: 'GET',
    path: '/views/messaging',
    status: 200,
    query: Object.fromEntries(LINK_PARAMS.map((name) => [name, `{{link_${name}}}`])),
  },
  {
    method: 'GET',
    path: '/views/messaging.json',
    status: 200,
    query: Object.fromEntries(LINK_PARAMS.map((name) => [name, `{{link_${name}}}`])),
    test: ["pm.test('has messages', () => pm.expect(pm.response.json().messages.length).to.be.above(0))"],
  },
  { method: 'GET', path: '/__admin/requests', status: 200, query: { limit: '5' } },
  { method: 'GET', path: '/__admin/clock', status: 200 },
  { method: 'POST', path: '/__admin/clock/offset', status: 200, body: { seconds: 0 } },
  { method: 'POST', path: '/__admin/clock/advance', status: 200, body: { seconds: 0 } },
  { method: 'POST', path: '/__admin/clock/freeze', status: 200, body: {} },
  { method: 'POST', path: '/__admin/clock/reset', status: 200 },
  {
    method: 'POST',
    path: '/__admin/faults',
    status: 201,
    body: { kind: 'delay', delayMs: 1, path: '/v1/example-only', times: 1 },
    test: ["pm.collectionVariables.set('faultId', pm.response.json().id)"],
  },
  { method: 'GET', path: '/__admin/faults', status: 200 },
  { method: 'DELETE', path: '/__admin/faults/{id}', status: 204, params: { id: '{{faultId}}' } },
  { method: 'DELETE', path: '/__admin/faults', status: 200 },
  { method: 'GET', path: '/__admin/fixtures', status: 200 },
  { method: 'POST', path: '/__admin/fixtures/reload', status: 200 },
  {
    method: 'PUT',
    path: '/__admin/fixtures',
    status: 200,
    body: {
      staff: [{ staffId: '45188', name: 'Mehmet Çelik' }],
      customers: [{ customerId: '5667067', name: 'İpek Doğan' }],
      conversations: [
        {
          staffId: '45188',
          customerId: '5667067',
          messages: [{ id: 'm1', sentAt: '2021-03-09T16:28:32+03:00', from: 'staff', text: 'Merhaba' }],
        },
      ],
    },
  },
  { method: 'DELETE', path: '/__admin/fixtures', status: 200 },
  { method: 'DELETE', path: '/__admin/requests', status: 200 },
  { method: 'POST', path: '/__admin/reset', status: 200 },
]

/**
 * Runs before each request of the `Admin` folder: with `adminToken` empty, skips the request
 * (`pm.execution.skipRequest()`: newman 6.1+, Postman apps since late 2023) and says why, in full
 * once a run.
 */
const ADMIN_SKIP_SCRIPT = [
  "if (!pm.variables.get('adminToken')) {",
  "  const reason = pm.variables.get('adminSkipNoted')",
  "    ? 'Skipped: adminToken is empty.'",
  `    : ${JSON.stringify(`Skipped: adminToken is empty. The ${ADMIN_FOLDER} folder calls the admin API (/__admin): start the server with ${ADMIN_SERVER}, and set adminToken to that token (newman: --env-var adminToken=<token>).`)}`,
  "  pm.variables.set('adminSkipNoted', 'yes')",
  '  console.warn(reason)',
  '  // Older runners have no skipRequest: the request goes out and the test below explains the answer.',
  '  if (pm.execution && pm.execution.skipRequest) pm.execution.skipRequest()',
  '}',
]

/** Runs after each request of the `Admin` folder: a 404 or 401 from the admin gate says what to fix. */
const ADMIN_TEST_SCRIPT = [
  "// The server's own 404 (no such route), not a route's (e.g. no fault with that id).",
  "if (pm.response.code === 404 && pm.response.text().startsWith('Not found: ')) {",
  "  pm.test('the server has the admin API (start it with DLG_ADMIN_TOKEN=<token>, or with npx diyalog-mock serve --admin)', () => {",
  "    pm.expect.fail('404: this server has no admin API')",
  '  })',
  '}',
  'if (pm.response.code === 401) {',
  '  pm.test("adminToken is the server\'s admin token (DLG_ADMIN_TOKEN, or the one serve --admin printed)", () => {',
  "    pm.expect.fail(pm.variables.get('adminToken') ? '401: the server refused adminToken' : '401: adminToken is empty')",
  '  })',
  '}',
]

/** Signs `/v1` requests exactly as docs/contract.md §2 says; runs before every request. */
const SIGNING_SCRIPT = [
  '// Diyalog HMAC: METHOD\\nContent-Type\\nx-dlg-date\\n + body + resource, HMAC-SHA256, base64.',
  'const resource = pm.request.url.getPathWithQuery()',
  "if (resource.startsWith('/v1/')) {",
  "  const date = new Date().toUTCString() // 'Tue, 09 Mar 2021 13:28:32 GMT'",
  "  const body = pm.request.body && pm.request.body.raw ? pm.variables.replaceIn(pm.request.body.raw) : ''",
  "  const contentType = pm.request.headers.get('Content-Type') || ''",
  "  const stringToSign = pm.request.method + '\\n' + contentType + '\\n' + date + '\\n' + body + resource",
  "  const CryptoJS = require('crypto-js')",
  "  const signature = CryptoJS.enc.Base64.stringify(CryptoJS.HmacSHA256(stringToSign, pm.variables.get('secret')))",
  "  pm.request.headers.upsert({ key: 'x-dlg-date', value: date })",
  "  pm.request.headers.upsert({ key: 'x-dlg-requester-userid', value: pm.variables.get('requesterUserId') })",
  "  pm.request.headers.upsert({ key: 'x-dlg-authorization', value: 'DLGA ' + pm.variables.get('keyId') + ':' + signature })",
  '}',
]

function item(step: Step, summary: string) {
  const segments = step.path
    .split('/')
    .filter(Boolean)
    .map((segment) =>
      segment.replace(/^\{(\w+)\}$/, (_match, name: string) => step.params?.[name] ?? `:${name}`),
    )
  const query = Object.entries(step.query ?? {}).map(([key, value]) => ({ key, value }))
  const raw = `{{baseUrl}}/${segments.join('/')}${query.length === 0 ? '' : `?${query.map((q) => `${q.key}=${q.value}`).join('&')}`}`
  const headers = [
    ...(step.path.startsWith('/__admin') ? [{ key: 'Authorization', value: 'Bearer {{adminToken}}' }] : []),
    ...(step.body === undefined ? [] : [{ key: 'Content-Type', value: 'application/json' }]),
  ]
  return {
    name: `${step.method} ${step.path} — ${summary}`,
    request: {
      method: step.method,
      header: headers,
      url: { raw, host: ['{{baseUrl}}'], path: segments, ...(query.length === 0 ? {} : { query }) },
      ...(step.body === undefined
        ? {}
        : {
            body: {
              mode: 'raw',
              raw: JSON.stringify(step.body, null, 2),
              options: { raw: { language: 'json' } },
            },
          }),
    },
    event: [
      {
        listen: 'test',
        script: {
          type: 'text/javascript',
          exec: [
            `pm.test('answers ${step.status}', () => pm.response.to.have.status(${step.status}))`,
            ...(step.test ?? []),
          ],
        },
      },
    ],
  }
}

export function postmanCollection(document: OpenApiDocument, version: string) {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      summary: operation.summary ?? '',
    })),
  )
  const stepKeys = new Set(STEPS.map((step) => `${step.method} ${step.path}`))
  const missing = operations
    .filter((operation) => !stepKeys.has(operation.key))
    .map((operation) => operation.key)
  if (missing.length > 0) throw new Error(`the Postman collection has no step for: ${missing.join(', ')}`)
  const summaries = new Map(operations.map((operation) => [operation.key, operation.summary]))
  const items = (admin: boolean) =>
    STEPS.filter((step) => step.path.startsWith('/__admin') === admin).map((step) =>
      item(step, summaries.get(`${step.method} ${step.path}`) ?? ''),
    )

  return {
    info: {
      name: 'diyalog-mock',
      description: [
        `Every operation of diyalog-mock ${version}, in two folders. The collection signs the /v1 requests itself (collection pre-request script) with keyId and secret, the demo key by default.`,
        '',
        `- **${API_FOLDER}**: health, the signed API (${SIGNED_ROUTES.map((route) => route.path.split('/').pop()).join(', ')}), the link's HTML and JSON views. Passes against a plain \`npm start\` (demo key, no admin API):`,
        `  \`npx newman run ${COLLECTION_FILE} --folder ${API_FOLDER}\``,
        `- **${ADMIN_FOLDER}**: every /__admin operation (journal, clock, faults, fixtures, reset). Needs a server with the admin API (\`DLG_ADMIN_TOKEN=<token> npm start\`, or \`npx diyalog-mock serve --admin\`, which prints a token) and adminToken set to that token. With adminToken empty, its requests are skipped with a message in the console. Every folder:`,
        `  \`npx newman run ${COLLECTION_FILE} --env-var adminToken=<token>\``,
        '',
        'Another server or port: add `--env-var baseUrl=http://127.0.0.1:4000`. Variables: baseUrl, keyId, secret, requesterUserId, adminToken.',
      ].join('\n'),
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    variable: [
      { key: 'baseUrl', value: 'http://localhost:3000' },
      { key: 'keyId', value: DEMO_ACCESS_KEY.keyId },
      { key: 'secret', value: DEMO_ACCESS_KEY.secret },
      { key: 'requesterUserId', value: '45186' },
      { key: 'adminToken', value: '' },
    ],
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: SIGNING_SCRIPT } }],
    item: [
      {
        name: API_FOLDER,
        description: `Runs against a plain \`npm start\` on the demo key: \`npx newman run ${COLLECTION_FILE} --folder ${API_FOLDER}\`.`,
        item: items(false),
      },
      {
        name: ADMIN_FOLDER,
        description: `Every /__admin operation, ending with POST /__admin/reset. Needs a server with the admin API (\`DLG_ADMIN_TOKEN=<token> npm start\`, or \`npx diyalog-mock serve --admin\`, which prints a token) and adminToken set to its token: \`npx newman run ${COLLECTION_FILE} --folder ${ADMIN_FOLDER} --env-var adminToken=<token>\`. With adminToken empty, the requests are skipped.`,
        event: [
          { listen: 'prerequest', script: { type: 'text/javascript', exec: ADMIN_SKIP_SCRIPT } },
          { listen: 'test', script: { type: 'text/javascript', exec: ADMIN_TEST_SCRIPT } },
        ],
        item: items(true),
      },
    ],
  }
}
