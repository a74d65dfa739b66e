import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { AUTH_ERRORS } from '../src/auth/auth-errors.js'
import { openApiDocument } from '../src/cli/openapi-command.js'
import { createLinkSigner } from '../src/links/link-signer.js'
import { MESSAGING_ERRORS } from '../src/messaging/messaging-errors.js'
import { LINKS_TAG } from '../src/openapi.js'
import { fullPath } from '../src/routes/signed-route.js'
import { SIGNED_ROUTES } from '../src/routes/signed-routes.js'
import { DOCS_NOW, testApp } from './helpers/app.js'
import { testSigner } from './helpers/link-pages.js'
import { REPO_ROOT } from './helpers/server-process.js'

interface Parameter {
  name: string
  in: string
  required?: boolean
  description?: string
}

interface Operation {
  summary?: string
  description?: string
  tags?: string[]
  security?: unknown
  parameters?: Parameter[]
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>
}

const document = JSON.parse(await openApiDocument()) as {
  tags: { name: string; description: string }[]
  paths: Record<string, Record<string, Operation>>
}

const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    key: `${method.toUpperCase()} ${path}`,
    operation,
  })),
)

const operation = (key: string): Operation => {
  const found = operations.find((candidate) => candidate.key === key)
  if (found === undefined) throw new Error(`not in the document: ${key}`)
  return found.operation
}

/** The page each link opens, and its JSON twin (and the recording's audio). */
const LINK_OPERATIONS = [
  'GET /views/messaging',
  'GET /views/messaging.json',
  'GET /views/messaging/day',
  'GET /views/messaging/day.json',
  'GET /views/onlinehelp/{onlineHelpId}',
  'GET /views/onlinehelp/{onlineHelpId}.json',
  'GET /v1/playrecords/{callId}',
  'GET /v1/playrecords/{callId}.json',
  'GET /v1/playrecords/{callId}/audio.wav',
  'GET /views/bot/{botName}',
  'GET /views/bot/{botName}.json',
]

/** The Messaging API: the bot's token in the path, no HMAC signature. */
const MESSAGING_OPERATIONS = ['POST /v1/bots/sendmessage/{token}', 'POST /v1/bots/sendmok/{token}']

const SIGNED_OPERATIONS = SIGNED_ROUTES.map((route) => `${route.method} ${fullPath(route)}`)

const signer = createLinkSigner({ secret: 'openapi-test-link-secret', ttlSeconds: 60 })
const NOW = Date.UTC(2021, 2, 9)

/** The query parameters a minted link carries, by name. */
const queryNames = (link: string) => [...new URL(link, 'http://mock.test').searchParams.keys()]

/** The new kinds: the parameters of each link as the signer writes it, and the operations that open it. */
const LINK_KINDS = [
  {
    kind: 'day',
    link: signer.mintDay(
      {
        party: { kind: 'staff', id: '45186' },
        other: { kind: 'group', id: 7 },
        startDate: NOW,
        endDate: NOW + 1,
      },
      NOW,
    ),
    path: [],
    paged: true,
    operations: ['GET /views/messaging/day', 'GET /views/messaging/day.json'],
  },
  {
    kind: 'online help',
    link: signer.mintOnlineHelp({ onlineHelpId: '-4611686018427387905' }, NOW),
    path: ['onlineHelpId'],
    paged: true,
    operations: ['GET /views/onlinehelp/{onlineHelpId}', 'GET /views/onlinehelp/{onlineHelpId}.json'],
  },
  {
    kind: 'recording',
    link: signer.mintRecording({ callId: '3387307531615898478' }, NOW),
    path: ['callId'],
    paged: false,
    operations: [
      'GET /v1/playrecords/{callId}',
      'GET /v1/playrecords/{callId}.json',
      'GET /v1/playrecords/{callId}/audio.wav',
    ],
  },
  {
    kind: 'bot',
    link: signer.mintBot({ botName: 'demo_bot', recipient: { kind: 'customer', id: '70021' } }, NOW),
    path: ['botName'],
    paged: true,
    operations: ['GET /views/bot/{botName}', 'GET /views/bot/{botName}.json'],
  },
]

const contentTypes = (operation: Operation, status: number) =>
  Object.keys(operation.responses[status]?.content ?? {})

describe('OpenAPI', () => {
  it('the committed openapi.json is current (npm run openapi regenerates it)', async () => {
    const committed = await readFile(`${REPO_ROOT}/openapi.json`, 'utf8')
    expect(committed, 'openapi.json is stale: run npm run openapi').toBe(await openApiDocument())
  })

  it('documents the signed API with the HMAC scheme, its headers and every row of the error table', async () => {
    const document = JSON.parse(await openApiDocument())
    const operation = document.paths['/v1/reporting/getmessagingdetail'].post
    expect(operation.security).toEqual([{ DLGA: [] }])
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual([
      'x-dlg-date',
      'x-dlg-requester-userid',
    ])
    const documented = [400, 401, 403].flatMap(
      (status) => operation.responses[status].content['text/plain'].schema.enum,
    )
    expect(documented.sort()).toEqual(
      Object.values(AUTH_ERRORS)
        .map((error) => error.message)
        .sort(),
    )
    expect(operation.requestBody.content['application/json'].schema.required).toEqual([
      'staffId',
      'customerId',
      'startDate',
      'endDate',
    ])
    const scheme = document.components.securitySchemes.DLGA
    expect(scheme).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-dlg-authorization' })
    expect(scheme.description).toContain('| 403 | `Request time may not be correct.` | clock-skew |')
    expect(document.paths['/__admin/faults'].post.security).toEqual([{ adminToken: [] }])
    // Summaries are kept by path: a renamed route without one would go unnoticed.
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, { summary?: string }>).map(([method, operation]) => [
        `${method} ${path}`,
        operation.summary,
      ]),
    )
    expect(operations.filter(([, summary]) => summary === undefined)).toEqual([])
  })

  it(`tags every page a link opens ${LINKS_TAG}, and nothing else`, () => {
    expect(
      operations.filter(({ operation }) => operation.tags?.includes(LINKS_TAG)).map(({ key }) => key),
    ).toEqual(LINK_OPERATIONS)
    for (const key of LINK_OPERATIONS) expect(operation(key).tags, key).toEqual([LINKS_TAG])
    // Each tag the operations use is described once, and no other.
    const used = new Set(operations.flatMap(({ operation }) => operation.tags ?? []))
    expect(document.tags.map((tag) => tag.name).sort()).toEqual([...used].sort())
    expect(document.tags.find((tag) => tag.name === LINKS_TAG)?.description).toContain('/v1/playrecords')
  })

  it('marks exactly the signed API HMAC-signed: not the link pages, /v1/playrecords included, nor the Messaging API', () => {
    for (const key of SIGNED_OPERATIONS) {
      const signed = operation(key)
      expect(signed.security, key).toEqual([{ DLGA: [] }])
      expect(
        signed.parameters?.filter((p) => p.in === 'header').map((p) => p.name),
        key,
      ).toEqual(['x-dlg-date', 'x-dlg-requester-userid'])
      expect(Object.keys(signed.responses), key).toEqual(expect.arrayContaining(['401', '500']))
    }
    for (const key of LINK_OPERATIONS) {
      const link = operation(key)
      expect(link.security, key).toBeUndefined()
      expect(link.parameters?.filter((p) => p.name.startsWith('x-dlg-')) ?? [], key).toEqual([])
      expect(link.responses['401'], key).toBeUndefined()
      expect(link.responses['500'], key).toBeUndefined()
    }
    // The Messaging API: its token in the path, its own error table (D22), none of the DLGA scheme's.
    for (const key of MESSAGING_OPERATIONS) {
      const messaging = operation(key)
      expect(messaging.security, key).toBeUndefined()
      expect(messaging.tags, key).toEqual(['Messaging API'])
      expect(
        messaging.parameters?.map((p) => [p.in, p.name, p.required]),
        key,
      ).toEqual([['path', 'token', true]])
      expect(Object.keys(messaging.responses).sort(), key).toEqual(
        ['200', '400', '404', '413', '415', '500', '503'].sort(),
      )
      for (const status of ['400', '404', '413', '415', '500', '503'])
        expect(contentTypes(messaging, Number(status)), `${key} ${status}`).toEqual(['text/plain'])
      // Each documented text under its status, and no message under another.
      for (const { status, message } of Object.values(MESSAGING_ERRORS)) {
        for (const documented of [400, 500, 503]) {
          const description = messaging.responses[documented]?.description ?? ''
          if (documented === status) expect(description, `${key} ${status}`).toContain(message.trim())
          else expect(description, `${key} ${documented}`).not.toContain(message.trim())
        }
      }
    }
    // Every other /v1 operation is a signed one.
    const v1 = operations.filter(({ key }) => key.includes(' /v1/')).map(({ key }) => key)
    expect(v1.filter((key) => key.includes(' /v1/bots/')).sort()).toEqual([...MESSAGING_OPERATIONS].sort())
    expect(
      v1.filter((key) => !LINK_OPERATIONS.includes(key) && !MESSAGING_OPERATIONS.includes(key)).sort(),
    ).toEqual([...SIGNED_OPERATIONS].sort())
  })

  describe.each(LINK_KINDS)('the $kind link', ({ link, path, paged, operations: keys }) => {
    it('documents the parameters the link carries, each described', () => {
      const query = [...queryNames(link), ...(paged ? ['page'] : [])]
      for (const key of keys) {
        const parameters = operation(key).parameters ?? []
        expect(
          parameters.filter((p) => p.in === 'query').map((p) => p.name),
          key,
        ).toEqual(query)
        expect(
          parameters.filter((p) => p.in === 'path').map((p) => p.name),
          key,
        ).toEqual(path)
        for (const parameter of parameters) {
          expect(parameter.description, `${key} ${parameter.name}`).toMatch(/\S/)
          // Every part of the link is required; only the page is not (nor a request header).
          expect(parameter.required, `${key} ${parameter.name}`).toBe(
            parameter.name !== 'page' && parameter.in !== 'header',
          )
        }
      }
    })

    it('documents its answers: the page (HTML, or JSON), the JSON twin, the refusals', () => {
      for (const key of keys) {
        const documented = operation(key)
        expect(documented.summary, key).toMatch(/\S/)
        expect(documented.description, key).toMatch(/\S/)
        const refusals = paged ? ['400', '403', '404', '410'] : ['403', '410']
        if (key.endsWith('/audio.wav')) {
          expect(Object.keys(documented.responses)).toEqual(['200', '206', '403', '404', '410', '416'])
          expect(contentTypes(documented, 200)).toEqual(['audio/wav'])
          expect(contentTypes(documented, 206)).toEqual(['audio/wav'])
          expect(contentTypes(documented, 416)).toEqual([])
          for (const status of [403, 404, 410])
            expect(contentTypes(documented, status)).toEqual(['text/html', 'application/json'])
          continue
        }
        expect(Object.keys(documented.responses), key).toEqual(['200', ...refusals])
        const types = key.endsWith('.json') ? ['application/json'] : ['text/html', 'application/json']
        for (const status of ['200', ...refusals]) {
          expect(contentTypes(documented, Number(status)), `${key} ${status}`).toEqual(types)
        }
      }
    })
  })

  it('gives the link pages the documents of src/views/link-json.ts', () => {
    const json = (key: string) =>
      operation(key).responses['200']?.content?.['application/json']?.schema as { required: string[] }
    expect(json('GET /views/messaging/day.json').required).toContain('party')
    expect(json('GET /views/onlinehelp/{onlineHelpId}').required).toContain('onlineHelpId')
    expect(json('GET /v1/playrecords/{callId}.json').required).toContain('recording')
    const refusal = operation('GET /v1/playrecords/{callId}/audio.wav').responses['404']?.content?.[
      'application/json'
    ]?.schema as { properties: { error: { enum: string[] } } }
    expect(refusal.properties.error.enum).toContain('no-recording')
  })

  it("only documents the links: a missing or repeated part is still the link's 403, a bad page its 400", async () => {
    const { app } = testApp()
    const signer = testSigner()
    const day = signer.mintDay(
      {
        party: { kind: 'staff', id: '45186' },
        other: { kind: 'group', id: 7 },
        startDate: DOCS_NOW,
        endDate: DOCS_NOW,
      },
      DOCS_NOW,
    )
    const help = signer.mintOnlineHelp({ onlineHelpId: '-4611686018427387905' }, DOCS_NOW)
    const recording = signer.mintRecording({ callId: '3387307531615898478' }, DOCS_NOW)
    const bot = signer.mintBot(
      { botName: 'demo_bot', recipient: { kind: 'customer', id: '1231232' } },
      DOCS_NOW,
    )
    const [helpPath, helpQuery] = help.split('?')
    const [recordingPath, recordingQuery] = recording.split('?')
    const links = [
      { url: day.replace('?', '.json?'), signature: 'sig', paged: true },
      { url: `${helpPath}.json?${helpQuery}`, signature: 'sig', paged: true },
      { url: `${recordingPath}.json?${recordingQuery}`, signature: 'signature', paged: false },
      { url: `${recordingPath}/audio.wav?${recordingQuery}`, signature: 'signature', paged: false },
      { url: bot.replace('?', '.json?'), signature: 'sig', paged: true },
    ]
    const answer = async (url: string) => {
      const response = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } })
      return [response.statusCode, (response.json() as { error: string }).error]
    }
    for (const { url, signature, paged } of links) {
      const [path, query] = url.split('?') as [string, string]
      const without = new URLSearchParams(query)
      const value = without.get(signature) ?? ''
      without.delete(signature)
      expect(await answer(`${path}?${without.toString()}`), url).toEqual([403, 'invalid-link'])
      expect(await answer(`${url}&${signature}=${value}`), url).toEqual([403, 'invalid-link'])
      if (paged) expect(await answer(`${url}&page=first`), url).toEqual([400, 'no-such-page'])
    }
  })

  it('is served as JSON and YAML, and browsable at /docs', async () => {
    const { app } = testApp()
    const json = await app.inject({ method: 'GET', url: '/openapi.json' })
    expect(json.json().info.title).toBe('diyalog-mock')
    // Without DLG_ADMIN_TOKEN the served document has no admin API, like the server.
    expect(Object.keys(json.json().paths).some((path) => path.startsWith('/__admin'))).toBe(false)
    const yaml = await app.inject({ method: 'GET', url: '/openapi.yaml' })
    expect([yaml.statusCode, yaml.headers['content-type']]).toEqual([200, 'application/yaml; charset=utf-8'])
    expect(yaml.body).toContain('title: diyalog-mock')
    const ui = await app.inject({ method: 'GET', url: '/docs/' })
    expect([ui.statusCode, ui.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8'])
  })
})
