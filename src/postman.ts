import { DEMO_ACCESS_KEY } from './auth/keyring.js'
import { RECORDING_PATH, type LINK_KINDS } from './links/link-kinds.js'
import { exampleBodyOf, fullPath, type SignedRoute } from './routes/signed-route.js'
import { SIGNED_ROUTES } from './routes/signed-routes.js'
import { BOTS_PREFIX, DEMO_BOT_TOKEN } from './messaging/bots.js'
import { botOpenApiPath } from './routes/bot-route.js'
import { BOT_ROUTES } from './routes/bots/index.js'

/**
 * A Postman collection of every operation in the OpenAPI document, in an order that runs
 * green from top to bottom (newman in CI does), with example bodies, a test per request, and a
 * collection-level pre-request script that signs the `/v1` requests with crypto-js (the
 * sandbox's `require('crypto-js')`; the global `CryptoJS` is deprecated), as Postman users
 * expect (not the recording links under `/v1/playrecords`: a link carries its own signature).
 * Variables: baseUrl, keyId, secret, requesterUserId, adminToken; the link steps keep what they
 * open in collection variables (`LINKS`).
 *
 * Two folders: `API` passes against a plain `npm start` (demo key, demo bot, no admin API); `Admin`
 * (every `/__admin` operation, and the few steps that prepare or open what an admin call acts on) needs a server with the admin API and `adminToken`. With `adminToken`
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
  /** Request headers, beyond the ones the collection adds. */
  readonly headers?: Readonly<Record<string, string>>
  /** Tells two steps of one operation apart, after its summary. */
  readonly label?: string
  /** More test script lines. */
  readonly test?: readonly string[]
  /** The `Admin` folder although the path is not under `/__admin` (it opens what an admin call made). */
  readonly admin?: true
}

/**
 * A link the link steps open, taken from the example answer of the signed route that gives it:
 * its parts go into collection variables named `<prefix><part>` — its query parameters, and
 * (`pathParam`) the last segment of its path, where a kind names its subject.
 */
interface LinkCapture {
  /** The full path of the route whose answer gives the link (a signed route's, or the admin API's). */
  readonly route: string
  /** The answer's field holding the link (of each item, in a list). */
  readonly field: string
  readonly prefix: string
  readonly pathParam?: string
  /** The link's query parameters, as its kind writes them. */
  readonly query: readonly string[]
}

/** One per kind of link (a new kind without one does not compile). */
export const LINKS = {
  conversation: {
    route: '/v1/reporting/getmessagingdetail',
    field: 'conversationDetailLink',
    prefix: 'link_',
    query: ['staffId', 'customerId', 'startDate', 'endDate', 'expiresAt', 'sig'],
  },
  day: {
    route: '/v1/reporting/getstaffmessaginglist',
    field: 'conversationDetailLink',
    prefix: 'day_',
    query: ['party', 'other', 'startDate', 'endDate', 'expiresAt', 'sig'],
  },
  onlineHelp: {
    route: '/v1/reporting/getonlinehelplist',
    field: 'conversationDetailLink',
    prefix: 'help_',
    pathParam: 'onlineHelpId',
    query: ['expiresAt', 'sig'],
  },
  recording: {
    route: '/v1/reporting/getcalllist',
    field: 'callViewUrl',
    prefix: 'recording_',
    pathParam: 'callId',
    query: ['signature', 'expires'],
  },
  bot: {
    route: '/__admin/bots/{bot}/links',
    field: 'link',
    prefix: 'bot_',
    pathParam: 'botName',
    query: ['with', 'expiresAt', 'sig'],
  },
} as const satisfies Readonly<Record<keyof typeof LINK_KINDS, LinkCapture>>

/** The fields of an answer: an object's, or a list's items'. */
function answerFields(reply: unknown): Readonly<Record<string, unknown>> {
  const schema = reply as {
    readonly properties?: Readonly<Record<string, unknown>>
    readonly items?: { readonly properties?: Readonly<Record<string, unknown>> }
  }
  return schema.properties ?? schema.items?.properties ?? {}
}

/**
 * Test script lines keeping `link`'s parts, from the answer's first non-empty `link.field` (a
 * list's link is in each item; a row without one, e.g. a call without a recording, has it empty
 * or leaves it out). The values are kept as sent, still percent-encoded, and go back into the
 * URL as they were; the sandbox has no URL class.
 */
function captureScript(link: LinkCapture): string[] {
  const { field, prefix, pathParam } = link
  return [
    '{',
    `  // The first ${field}: the link the ${prefix}* steps open.`,
    `  const link = [].concat(answer).map((item) => item && item.${field}).find(Boolean) || ''`,
    `  pm.test('gives a ${field} to open', () => pm.expect(link, 'none in the answer').to.not.equal(''))`,
    "  const [address, query = ''] = link.split('?')",
    ...(pathParam === undefined
      ? []
      : [`  pm.collectionVariables.set('${prefix}${pathParam}', address.split('/').pop())`]),
    "  query.split('&').forEach((pair) => {",
    "    const [name, value = ''] = pair.split('=')",
    `    pm.collectionVariables.set('${prefix}' + name, value)`,
    '  })',
    '}',
  ]
}

/**
 * The step of a signed API route, from its table entry: its example body, and tests by the shape
 * of its answer (`isSuccess`; a list), and the links (`LINKS`) it gives, kept for the link steps.
 */
function signedStep(route: SignedRoute): Step {
  const reply = route.reply as {
    readonly properties?: Readonly<Record<string, unknown>>
    readonly type?: unknown
  }
  const fields = answerFields(route.reply)
  const captures = Object.values(LINKS).filter((link: LinkCapture) => link.route === fullPath(route))
  for (const link of captures) {
    if (!Object.hasOwn(fields, link.field))
      throw new Error(
        `${link.route} answers no ${link.field}: the ${link.prefix}* steps have no link to open`,
      )
  }
  const checks = [
    ...(reply.type === 'array' ? ["pm.test('a list', () => pm.expect(answer).to.be.an('array'))"] : []),
    ...(Object.hasOwn(reply.properties ?? {}, 'isSuccess')
      ? ["pm.test('isSuccess', () => pm.expect(answer.isSuccess).to.equal(true))"]
      : []),
    ...captures.flatMap(captureScript),
  ]
  const test = checks.length === 0 ? [] : ['const answer = pm.response.json()', ...checks]
  return { method: route.method, path: fullPath(route), status: 200, body: exampleBodyOf(route), test }
}

/** A step opening `link` (its parts from the collection variables) at `path`, a page or its twin. */
function linkStep(link: LinkCapture, path: string, test: readonly string[], more: Partial<Step> = {}): Step {
  return {
    method: 'GET',
    path,
    status: 200,
    query: Object.fromEntries(link.query.map((name) => [name, `{{${link.prefix}${name}}}`])),
    ...(link.pathParam === undefined
      ? {}
      : { params: { [link.pathParam]: `{{${link.prefix}${link.pathParam}}}` } }),
    test,
    ...more,
  }
}

const answersType = (type: string) =>
  `pm.test('answers ${type}', () => pm.expect(pm.response.headers.get('Content-Type')).to.include('${type}'))`
const HTML = answersType('text/html')
const JSON_ANSWER = answersType('application/json')
/** The JSON's 64-bit id is exactly the link's (D18: an exact integer, not one rounded through a double). */
const exactId = (field: string, variable: string) =>
  `pm.test('${field} exactly as in the link', () => pm.expect(pm.response.text()).to.include('"${field}":' + pm.collectionVariables.get('${variable}')))`

/** Opening each kind of link: its page, its JSON twin, and the recording's audio. */
const LINK_STEPS: readonly Step[] = [
  linkStep(LINKS.conversation, '/views/messaging', [HTML]),
  linkStep(LINKS.conversation, '/views/messaging.json', [
    JSON_ANSWER,
    "pm.test('has messages', () => pm.expect(pm.response.json().messages.length).to.be.above(0))",
  ]),
  linkStep(LINKS.day, '/views/messaging/day', [HTML]),
  linkStep(LINKS.day, '/views/messaging/day.json', [
    JSON_ANSWER,
    "pm.test('the party sent messages that day (its sendMessageCount)', () => pm.expect(pm.response.json().party.sendMessageCount).to.be.above(0))",
  ]),
  linkStep(LINKS.onlineHelp, '/views/onlinehelp/{onlineHelpId}', [HTML]),
  linkStep(LINKS.onlineHelp, '/views/onlinehelp/{onlineHelpId}.json', [
    JSON_ANSWER,
    exactId('onlineHelpId', 'help_onlineHelpId'),
  ]),
  linkStep(LINKS.recording, '/v1/playrecords/{callId}', [HTML]),
  linkStep(LINKS.recording, '/v1/playrecords/{callId}.json', [
    JSON_ANSWER,
    exactId('callId', 'recording_callId'),
    "pm.test('has a recording', () => pm.expect(pm.response.json().recording.mimeType).to.equal('audio/wav'))",
  ]),
  linkStep(LINKS.recording, '/v1/playrecords/{callId}/audio.wav', [
    answersType('audio/wav'),
    "pm.test('a WAV file', () => pm.expect(pm.response.text().slice(0, 4)).to.equal('RIFF'))",
  ]),
  linkStep(
    LINKS.recording,
    '/v1/playrecords/{callId}/audio.wav',
    [
      answersType('audio/wav'),
      "pm.test('the range asked for', () => pm.expect(pm.response.headers.get('Content-Range')).to.match(/^bytes 0-43\\/\\d+$/))",
    ],
    {
      status: 206,
      headers: { Range: 'bytes=0-43' },
      label: 'its first 44 bytes (the WAV header), Range: bytes=0-43',
    },
  ),
]

/** The Messaging API's steps: the token from the `botToken` variable, each route's example body. */
const BOT_STEPS: readonly Step[] = BOT_ROUTES.map((route) => ({
  method: 'POST',
  path: botOpenApiPath(route),
  status: 200,
  params: { token: '{{botToken}}' },
  body: exampleBodyOf(route),
  test: [
    'const answer = pm.response.json()',
    "pm.test('gives a recipient_id', () => pm.expect(answer.recipient_id).to.be.a('string'))",
    "pm.test('gives back the messageId', () => pm.expect(answer.message_id).to.equal(JSON.parse(pm.request.body.raw).message ? JSON.parse(pm.request.body.raw).message.messageId : JSON.parse(pm.request.body.raw).messageId))",
  ],
}))

/** The OTP the simulation steps act on: sendmok's example (messageId-74, to customer 123456789). */
const OTP_MID = 'messageId-74'
const SEND_MOK_ROUTE = BOT_ROUTES.find((route) => route.path === '/sendmok')
/** A user of the default fixtures the demo bot writes to in the examples. */
const BOT_USER = 'customer:1231232'

/** The admin API's Messaging steps: bots, a conversation and its link, the simulated users, the webhooks. */
const MESSAGING_ADMIN_STEPS: readonly Step[] = [
  { method: 'GET', path: '/__admin/bots', status: 200 },
  ...(SEND_MOK_ROUTE === undefined
    ? []
    : [
        {
          method: 'POST',
          path: botOpenApiPath(SEND_MOK_ROUTE),
          status: 200,
          params: { token: '{{botToken}}' },
          body: exampleBodyOf(SEND_MOK_ROUTE),
          label: 'the OTP the simulation steps below act on',
          admin: true,
        } satisfies Step,
      ]),
  { method: 'GET', path: '/__admin/bots/{bot}/conversations', status: 200, params: { bot: 'demo_bot' } },
  {
    method: 'GET',
    path: '/__admin/bots/{bot}/conversations/{user}',
    status: 200,
    params: { bot: 'demo_bot', user: 'customer:123456789' },
  },
  {
    method: 'POST',
    path: '/__admin/bots/{bot}/links',
    status: 201,
    params: { bot: 'demo_bot' },
    body: { user: 'customer:123456789' },
    test: ['const answer = pm.response.json()', ...captureScript(LINKS.bot)],
  },
  { ...linkStep(LINKS.bot, '/views/bot/{botName}', [HTML]), admin: true },
  {
    ...linkStep(LINKS.bot, '/views/bot/{botName}.json', [
      JSON_ANSWER,
      "pm.test('has the OTP', () => pm.expect(pm.response.code === 200 && pm.response.json().messages.length).to.be.above(0))",
    ]),
    admin: true,
  },
  { method: 'GET', path: '/__admin/simulation', status: 200 },
  { method: 'POST', path: '/__admin/simulation/deliver', status: 200, body: { messageId: OTP_MID } },
  { method: 'POST', path: '/__admin/simulation/read', status: 200, body: { messageId: OTP_MID } },
  {
    method: 'POST',
    path: '/__admin/simulation/press',
    status: 200,
    body: { messageId: OTP_MID, button: 'Dismiss' },
  },
  {
    method: 'POST',
    path: '/__admin/simulation/otp',
    status: 200,
    body: { messageId: OTP_MID, action: 'approve' },
  },
  {
    method: 'POST',
    path: '/__admin/simulation/reply',
    status: 200,
    body: { messageId: OTP_MID, text: 'Teşekkürler' },
  },
  {
    method: 'PUT',
    path: '/__admin/simulation/users/{user}',
    status: 200,
    params: { user: BOT_USER },
    body: { presence: 'online', reading: 'delayed' },
  },
  { method: 'GET', path: '/__admin/webhooks', status: 200 },
]

/** The run order: state an earlier step changes is put back by a later one. */
const STEPS: readonly Step[] = [
  { method: 'GET', path: '/health', status: 200 },
  ...SIGNED_ROUTES.map(signedStep),
  ...LINK_STEPS,
  ...BOT_STEPS,
  ...MESSAGING_ADMIN_STEPS,
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
  `// Not the recording links (${RECORDING_PATH}/...): a link carries its own signature; nor the Messaging API (${BOTS_PREFIX}/...): its token is in the path.`,
  `if (resource.startsWith('/v1/') && !resource.startsWith('${RECORDING_PATH}/') && !resource.startsWith('${BOTS_PREFIX}/')) {`,
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
    // `{callId}`, or `{onlineHelpId}.json`: the step's value, else a Postman path variable.
    .map((segment) =>
      segment.replace(/\{(\w+)\}/g, (_match, name: string) => step.params?.[name] ?? `:${name}`),
    )
  const query = Object.entries(step.query ?? {}).map(([key, value]) => ({ key, value }))
  const raw = `{{baseUrl}}/${segments.join('/')}${query.length === 0 ? '' : `?${query.map((q) => `${q.key}=${q.value}`).join('&')}`}`
  const headers = [
    ...(step.path.startsWith('/__admin') ? [{ key: 'Authorization', value: 'Bearer {{adminToken}}' }] : []),
    ...(step.body === undefined ? [] : [{ key: 'Content-Type', value: 'application/json' }]),
    ...Object.entries(step.headers ?? {}).map(([key, value]) => ({ key, value })),
  ]
  return {
    name: `${step.method} ${step.path} — ${summary}${step.label === undefined ? '' : `: ${step.label}`}`,
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
  const documented = new Set(operations.map((operation) => operation.key))
  const undocumented = [...stepKeys].filter((key) => !documented.has(key))
  if (undocumented.length > 0)
    throw new Error(`the Postman collection has steps the OpenAPI document lacks: ${undocumented.join(', ')}`)
  const summaries = new Map(operations.map((operation) => [operation.key, operation.summary]))
  const items = (admin: boolean) =>
    STEPS.filter((step) => (step.admin === true || step.path.startsWith('/__admin')) === admin).map((step) =>
      item(step, summaries.get(`${step.method} ${step.path}`) ?? ''),
    )

  return {
    info: {
      name: 'diyalog-mock',
      description: [
        `Every operation of diyalog-mock ${version}, in two folders. The collection signs the /v1 requests itself (collection pre-request script) with keyId and secret, the demo key by default.`,
        '',
        `- **${API_FOLDER}**: health, the signed API (${SIGNED_ROUTES.map((route) => route.path.split('/').pop()).join(', ')}), the Messaging API (${BOT_ROUTES.map((route) => route.path.slice(1)).join(', ')}, with botToken), the pages its links open (conversation, messaging day, online-help session, call recording: HTML, JSON and the recording's audio, each link taken from an answer above). Passes against a plain \`npm start\` (demo key, no admin API):`,
        `  \`npx newman run ${COLLECTION_FILE} --folder ${API_FOLDER}\``,
        `- **${ADMIN_FOLDER}**: every /__admin operation (journal, clock, faults, fixtures, the bots' conversations, the simulated users, the webhooks, reset), with the OTP the simulation steps act on and the bot-conversation page an admin link opens. Needs a server with the admin API (\`DLG_ADMIN_TOKEN=<token> npm start\`, or \`npx diyalog-mock serve --admin\`, which prints a token) and adminToken set to that token. With adminToken empty, its requests are skipped with a message in the console. Every folder:`,
        `  \`npx newman run ${COLLECTION_FILE} --env-var adminToken=<token>\``,
        '',
        "Another server or port: add `--env-var baseUrl=http://127.0.0.1:4000`. Variables: baseUrl, keyId, secret, requesterUserId, adminToken, botToken (the Messaging API's bot token, the demo bot's by default: the Messaging steps send real messages to whoever the examples name, so against a real server set it only on purpose).",
      ].join('\n'),
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    variable: [
      { key: 'baseUrl', value: 'http://localhost:3000' },
      { key: 'keyId', value: DEMO_ACCESS_KEY.keyId },
      { key: 'secret', value: DEMO_ACCESS_KEY.secret },
      { key: 'requesterUserId', value: '45186' },
      { key: 'adminToken', value: '' },
      { key: 'botToken', value: DEMO_BOT_TOKEN },
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
        description: `Every /__admin operation, with the OTP the simulation steps act on and the bot-conversation page an admin link opens, ending with POST /__admin/reset. Needs a server with the admin API (\`DLG_ADMIN_TOKEN=<token> npm start\`, or \`npx diyalog-mock serve --admin\`, which prints a token) and adminToken set to its token: \`npx newman run ${COLLECTION_FILE} --folder ${ADMIN_FOLDER} --env-var adminToken=<token>\`. With adminToken empty, the requests are skipped.`,
        event: [
          { listen: 'prerequest', script: { type: 'text/javascript', exec: ADMIN_SKIP_SCRIPT } },
          { listen: 'test', script: { type: 'text/javascript', exec: ADMIN_TEST_SCRIPT } },
        ],
        item: items(true),
      },
    ],
  }
}
