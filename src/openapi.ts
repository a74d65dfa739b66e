import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import { createRequire } from 'node:module'
import type { FastifyInstance } from 'fastify'
import { AUTH_ERRORS } from './auth/auth-errors.js'
import { V1_PREFIX } from './routes/signed-route.js'
import { DLG_DATE_EXAMPLE, DLG_DATE_PATTERN } from './auth/dlg-date.js'
import { LINK_KINDS } from './links/link-kinds.js'
import { BOTS_PREFIX } from './messaging/bots.js'
import { MESSAGING_ERROR_WHEN, MESSAGING_ERRORS } from './messaging/messaging-errors.js'

/**
 * The OpenAPI document, built by @fastify/swagger from the routes' TypeBox schemas, plus what
 * the schemas cannot say: the HMAC security scheme, its two companion headers and the
 * documented error table on every signed route. Served at `/openapi.json`, `/openapi.yaml`
 * and browsable at `/docs`. `npm run openapi` writes the committed `openapi.json`.
 */

export const OPENAPI_PATHS = { json: '/openapi.json', yaml: '/openapi.yaml', ui: '/docs' } as const

const SIGNING = `Every call of the API under \`/v1\` is signed (docs/contract.md §2); the pages links open are not, \`/v1/playrecords/...\` included (they carry their own signature):

\`\`\`
stringToSign = METHOD + "\\n" + Content-Type + "\\n" + x-dlg-date + "\\n" + body + resource
x-dlg-authorization: DLGA <AccessKeyId>:base64(HMAC-SHA256(AccessKeySecret, UTF-8 bytes of stringToSign))
\`\`\`

\`resource\` is the path and query as sent (\`/v1/reporting/getmessagingdetail\`), the body the exact
bytes sent, \`x-dlg-date\` the header value as sent (\`${DLG_DATE_PATTERN}\`, e.g. \`${DLG_DATE_EXAMPLE}\`),
within 15 minutes of the server clock either way. Checks run in this order, and a failure answers
plain text:

| status | body | when |
| --- | --- | --- |
${Object.entries(AUTH_ERRORS)
  .map(([reason, error]) => `| ${error.status} | \`${error.message}\` | ${reason} |`)
  .join('\n')}

The mock explains each failure in \`x-dlg-mock-*\` response headers (reason, detail, hint, mistake,
the server's string-to-sign).`

const SIGNED_HEADERS = {
  type: 'object',
  required: ['x-dlg-date', 'x-dlg-requester-userid'],
  properties: {
    'x-dlg-date': {
      type: 'string',
      description: `Request time, ${DLG_DATE_PATTERN}`,
      examples: [DLG_DATE_EXAMPLE],
    },
    'x-dlg-requester-userid': {
      type: 'string',
      description: 'Staff number of the person the call is made for (not signed).',
      examples: ['45186'],
    },
  },
}

const TEXT = (description: string, messages: readonly string[]) => ({
  description,
  content: {
    'text/plain': { schema: { type: 'string', ...(messages.length > 0 ? { enum: messages } : {}) } },
  },
})

/** The documented answers of a signed route, by status. */
const AUTH_RESPONSES = Object.fromEntries(
  [400, 401, 403].map((status) => {
    const messages = Object.values(AUTH_ERRORS)
      .filter((error) => error.status === status)
      .map((error) => error.message)
    return [status, TEXT('Authentication failed (plain text, see the security scheme).', messages)]
  }),
)

type RouteSchema = Record<string, unknown> & { response?: Record<string, unknown> }

/**
 * The Messaging API's documented answers (the Document Message page's table, D22), by status,
 * each message with when it is given; plus the mock's own 404, 413 and 415.
 */
const MESSAGING_RESPONSES = {
  ...Object.fromEntries(
    [400, 500, 503].map((status) => {
      const rows = (Object.keys(MESSAGING_ERRORS) as (keyof typeof MESSAGING_ERRORS)[]).filter(
        (reason) => MESSAGING_ERRORS[reason].status === status,
      )
      return [
        status,
        {
          description: rows
            .map(
              (reason) => `\`${MESSAGING_ERRORS[reason].message.trim()}\`: ${MESSAGING_ERROR_WHEN[reason]}`,
            )
            .join('; '),
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      ]
    }),
  ),
  404: TEXT('No such Messaging API, or no token in the path (the answer says what to send instead).', []),
  413: TEXT('The body is larger than the Messaging API takes.', []),
  415: TEXT('A Content-Type other than application/json.', []),
}

/** The OpenAPI tag of every page a link opens, whatever its kind and wherever it lives. */
export const LINKS_TAG = 'Links'

/** The tags, in the document's order, each with what its routes share. */
const TAGS = [
  {
    name: 'Reporting API',
    description:
      'The Diyalog Reporting API (`POST /v1/reporting/...`): HMAC-signed (the DLGA scheme), JSON bodies, the documented error table.',
  },
  {
    name: 'Messaging API',
    description:
      "The Diyalog Messaging API (`POST /v1/bots/<api>/<bot token>`): the bot's access token in the path, no signature, JSON bodies, the Document Message page's error table for every call (D22). A sent message is delivered, read and answered by the simulated users, and reported to the webhook.",
  },
  {
    name: LINKS_TAG,
    description:
      "The pages the API's links open (`conversationDetailLink`, `callViewUrl`, and the bot-conversation links the admin API mints), each with a JSON twin (`.json`, or `Accept: application/json`). Not HMAC-signed: a link carries its own signature and expiry in its query and opens without API credentials, `/v1/playrecords/...` (the real server's recording links) included. A link that does not verify is 403, an expired one 410.",
  },
  {
    name: 'Admin API',
    description:
      "Test control (`/__admin`): journal, clock, faults, fixtures, the bots' conversations and their links, the simulated users, the webhooks, reset. Only when DLG_ADMIN_TOKEN is set.",
  },
  { name: 'Operations', description: 'The health check.' },
]

/** Where a page a link opens lives: at or under a link kind's path (`/views/onlinehelp/:id`, `/v1/playrecords/:callId`). */
const LINK_PATHS = Object.values(LINK_KINDS).map((kind) => kind.path)

function isLinkPage(url: string): boolean {
  return LINK_PATHS.some((path) => url === path || url.startsWith(`${path}/`) || url.startsWith(`${path}.`))
}

/**
 * Adds what a family of routes shares to each route's own schema (its summary, tags, body and
 * answer come with it: the signed API's from its table, the admin API's from its operations
 * table, the others from their route files). A route is HMAC-signed when it is registered in the
 * `/v1` scope (`prefix`), the scope whose hook verifies the signature — not by its path: the
 * recording links have `/v1/playrecords/...` paths but live outside that scope, unsigned.
 */
function documentRoute(url: string, prefix: string | undefined, schema: RouteSchema): RouteSchema {
  if (prefix === V1_PREFIX) {
    return {
      ...schema,
      security: [{ DLGA: [] }],
      headers: SIGNED_HEADERS,
      response: {
        ...schema.response,
        ...AUTH_RESPONSES,
        500: {
          description:
            'API error: a malformed or incomplete body (after authentication), as plain text naming the field.',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      },
    }
  }
  if (prefix === BOTS_PREFIX) {
    return { ...schema, response: { ...schema.response, ...MESSAGING_RESPONSES } }
  }
  if (url.startsWith('/__admin')) return { ...schema, tags: ['Admin API'], security: [{ adminToken: [] }] }
  if (isLinkPage(url)) return { ...schema, tags: [LINKS_TAG] }
  return { ...schema, tags: ['Operations'] }
}

/** The prefix of the scope a route was registered in: Fastify's `onRoute` options carry it (@fastify/swagger's types leave it out). */
const prefixOf = (route: object): string | undefined => (route as { readonly prefix?: string }).prefix

/** The package's version, for the document's `info`. */
export function packageVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version
}

/**
 * The Content-Security-Policy of `/docs` (Swagger UI) and its files: its own files only, nothing
 * from another origin, no inline script; the one inline style attribute its bundle writes is
 * allowed by its hash (a new Swagger UI that writes another shows as a violation in the
 * browser test).
 */
const SWAGGER_UI_STYLE_HASH = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"
export const DOCS_CSP =
  `default-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-hashes' ${SWAGGER_UI_STYLE_HASH}; ` +
  "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'self'; object-src 'none'"

/** Registers on the root instance, before any route, so every route is seen. */
export function registerOpenApi(app: FastifyInstance): void {
  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'diyalog-mock',
        version: packageVersion(),
        description:
          'A local stand-in for the Diyalog server API: HMAC-authenticated Reporting API, the Messaging API (bots) with its webhooks and simulated users, the pages its signed links open (conversations, messaging days, online-help sessions, call recordings), and an admin API for tests.',
      },
      tags: TAGS,
      components: {
        securitySchemes: {
          DLGA: { type: 'apiKey', in: 'header', name: 'x-dlg-authorization', description: SIGNING },
          adminToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'DLG_ADMIN_TOKEN; the admin API exists only when it is set.',
          },
        },
      },
    },
    transform: ({ schema, url, route }) => ({
      schema: documentRoute(url, prefixOf(route), (schema ?? {}) as RouteSchema) as never,
      url,
    }),
  })
  app.register(fastifySwaggerUi, {
    routePrefix: OPENAPI_PATHS.ui,
    // No request to another origin: not even the swagger.io validator badge.
    staticCSP: DOCS_CSP,
    uiConfig: { validatorUrl: null },
  })
  app.get(OPENAPI_PATHS.json, { schema: { hide: true } }, async () => app.swagger())
  app.get(OPENAPI_PATHS.yaml, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/yaml; charset=utf-8').send(app.swagger({ yaml: true })),
  )
}
