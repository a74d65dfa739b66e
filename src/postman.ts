import { DEMO_ACCESS_KEY } from './auth/keyring.js'

/**
 * A Postman collection of every operation in the OpenAPI document, in an order that runs
 * green from top to bottom (newman in CI does), with example bodies, a test per request, and a
 * collection-level pre-request script that signs the `/v1` requests with CryptoJS, as Postman
 * users expect. Variables: baseUrl, keyId, secret, requesterUserId, adminToken.
 */

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

/** The run order: state an earlier step changes is put back by a later one. */
const STEPS: readonly Step[] = [
  { method: 'GET', path: '/health', status: 200 },
  {
    method: 'POST',
    path: '/v1/reporting/getmessagingdetail',
    status: 200,
    body: { staffId: '45188', customerId: '5667067', startDate: 1610856400000, endDate: 1635892494000 },
    test: [
      'const answer = pm.response.json()',
      "pm.test('isSuccess', () => pm.expect(answer.isSuccess).to.equal(true))",
      "// The link's parameters, for the two requests that open it (the sandbox has no URL class).",
      "const query = answer.conversationDetailLink.split('?')[1] || ''",
      "query.split('&').forEach((pair) => {",
      "  const [name, value] = pair.split('=')",
      "  pm.collectionVariables.set('link_' + name, decodeURIComponent(value))",
      '})',
    ],
  },
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

/** Signs `/v1` requests exactly as CONTRACT §2 says; runs before every request. */
const SIGNING_SCRIPT = [
  '// Diyalog HMAC: METHOD\\nContent-Type\\nx-dlg-date\\n + body + resource, HMAC-SHA256, base64.',
  'const resource = pm.request.url.getPathWithQuery()',
  "if (resource.startsWith('/v1/')) {",
  "  const date = new Date().toUTCString() // 'Tue, 09 Mar 2021 13:28:32 GMT'",
  "  const body = pm.request.body && pm.request.body.raw ? pm.variables.replaceIn(pm.request.body.raw) : ''",
  "  const contentType = pm.request.headers.get('Content-Type') || ''",
  "  const stringToSign = pm.request.method + '\\n' + contentType + '\\n' + date + '\\n' + body + resource",
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

  return {
    info: {
      name: 'diyalog-mock',
      description: `Every operation of diyalog-mock ${version}. The collection signs /v1 requests itself (pre-request script); set keyId and secret to your key, adminToken to DLG_ADMIN_TOKEN.`,
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
    item: STEPS.map((step) => item(step, summaries.get(`${step.method} ${step.path}`) ?? '')),
  }
}
