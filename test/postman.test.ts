import { readFile } from 'node:fs/promises'
import newman, { type ConsoleEvent, type NewmanRunSummary } from 'newman'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listeningPort } from '../src/app.js'
import { postmanCommand } from '../src/cli/openapi-command.js'
import { createLinkSigner } from '../src/links/link-signer.js'
import { ADMIN_FOLDER, API_FOLDER, LINKS, postmanCollection } from '../src/postman.js'
import { testApp } from './helpers/app.js'
import { REPO_ROOT } from './helpers/server-process.js'

const COLLECTION = `${REPO_ROOT}/diyalog-mock.postman_collection.json`
const TOKEN = 'postman-admin-token-0123'

/** The Messaging API's steps of the API folder: the bot token in the path, no HMAC signature. */
const MESSAGING_API = ['POST /v1/bots/sendmessage/{token}', 'POST /v1/bots/sendmok/{token}']
/**
 * The Admin folder's steps outside /__admin, in order: the OTP the simulation steps act on, and
 * the page of the bot link the admin API mints, and its JSON twin.
 */
const ADMIN_FOLDER_EXTRAS = [
  'POST /v1/bots/sendmok/{token}',
  'GET /views/bot/{botName}',
  'GET /views/bot/{botName}.json',
]
/** Whether a request (or a failure, which starts with its name) is a step of `METHOD path`. */
const isStep = (key: string) => (name: string) => name.startsWith(`${key} — `)
/** `METHOD path` of a request the collection names `METHOD path — summary`. */
const keyOf = (name: string) => name.slice(0, name.indexOf(' — '))

interface Request {
  name: string
  request: {
    header: { key: string; value: string }[]
    url: { raw: string; path: string[]; query?: { key: string; value: string }[] }
  }
  event: { listen: string; script: { exec: string[] } }[]
}

interface Folder {
  name: string
  item: Request[]
}

async function generated(): Promise<string> {
  let out = ''
  await postmanCommand([], {
    env: {},
    now: Date.now,
    out: (text) => void (out += text),
    err: () => undefined,
    readFile: () => Promise.reject(new Error('unused')),
    writeFile: (path, text) => import('node:fs/promises').then((fs) => fs.writeFile(path, text)),
  })
  return out
}

async function collection(): Promise<{ item: Folder[] }> {
  return JSON.parse(await readFile(COLLECTION, 'utf8')) as { item: Folder[] }
}

async function requestNames(folder?: string): Promise<string[]> {
  return (await collection()).item
    .filter((candidate) => folder === undefined || candidate.name === folder)
    .flatMap((candidate) => candidate.item.map((request) => request.name))
}

/** Runs the committed collection as `npx newman run` does; the console lines its scripts print. */
async function run(baseUrl: string, options: { folder?: string; adminToken?: string } = {}) {
  const consoleLines: string[] = []
  const summary = await new Promise<NewmanRunSummary>((resolve, reject) => {
    void collection().then((json) =>
      newman
        .run(
          {
            collection: json as never,
            ...(options.folder === undefined ? {} : { folder: options.folder }),
            envVar: [
              { key: 'baseUrl', value: baseUrl },
              ...(options.adminToken === undefined ? [] : [{ key: 'adminToken', value: options.adminToken }]),
            ],
            reporters: [],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        )
        .on('console', (_error: unknown, event: ConsoleEvent) => consoleLines.push(event.messages.join(' '))),
    )
  })
  return {
    summary,
    consoleLines,
    failures: summary.run.failures.map((failure) => `${failure.source?.name}: ${failure.error.message}`),
    executed: summary.run.executions.map((execution) => execution.item.name),
  }
}

/** A listening server on a free port; the collection dates its requests with the real clock. */
function listening(env: Record<string, string>) {
  const { app } = testApp({ now: Date.now(), env: { DLG_PUBLIC_URL: '', ...env } })
  const server = { app, baseUrl: '' }
  beforeAll(async () => {
    await app.listen({ host: '127.0.0.1', port: 0 })
    server.baseUrl = `http://127.0.0.1:${listeningPort(app.server)}`
  })
  afterAll(() => app.close())
  return server
}

/**
 * The Admin folder's steps outside /__admin when its admin calls failed: the OTP still goes out
 * (any server has the Messaging API), and the bot link's pages answer the link's 403, since no
 * link was minted; none of them blames the admin API.
 */
function expectExtrasWithoutALink({ summary, failures }: Awaited<ReturnType<typeof run>>) {
  const extras = summary.run.executions.filter((execution) => !execution.item.name.includes(' /__admin/'))
  expect(extras.map((execution) => [keyOf(execution.item.name), execution.response.code])).toEqual([
    ['POST /v1/bots/sendmok/{token}', 200],
    ['GET /views/bot/{botName}', 403],
    ['GET /views/bot/{botName}.json', 403],
  ])
  /** What failed in the step of `key`, each failure without the step's name. */
  const failuresOf = (key: string) =>
    extras
      .filter((execution) => keyOf(execution.item.name) === key)
      .flatMap(({ item }) =>
        failures
          .filter((failure) => failure.startsWith(`${item.name}: `))
          .map((failure) => failure.slice(item.name.length + 2)),
      )
  expect(failuresOf('POST /v1/bots/sendmok/{token}')).toEqual([])
  for (const key of ['GET /views/bot/{botName}', 'GET /views/bot/{botName}.json']) {
    expect(failuresOf(key)[0], key).toBe('expected response to have status code 200 but got 403')
    expect(
      failuresOf(key).filter((failure) => /admin|401|404/.test(failure)),
      key,
    ).toEqual([])
  }
}

describe('the Postman collection', () => {
  it('is current (npm run postman regenerates it)', async () => {
    expect(await readFile(COLLECTION, 'utf8'), 'the collection is stale: run npm run postman').toBe(
      await generated(),
    )
  })

  it(`has two folders, ${API_FOLDER} and ${ADMIN_FOLDER} (every /__admin operation, and what they act on)`, async () => {
    const folders = (await collection()).item
    expect(folders.map((folder) => folder.name)).toEqual([API_FOLDER, ADMIN_FOLDER])
    const [api, admin] = folders
    expect(api?.item.length).toBeGreaterThan(0)
    expect(api?.item.filter((request) => request.name.includes(' /__admin'))).toEqual([])
    // The Messaging API is part of the API folder, its bot token from the variable.
    for (const key of MESSAGING_API) {
      const steps = api?.item.filter((request) => keyOf(request.name) === key) ?? []
      expect(steps, key).toHaveLength(1)
      expect(steps[0]?.request.url.path.at(-1), key).toBe('{{botToken}}')
    }
    // Every /__admin operation of the document, in the Admin folder only.
    const document = JSON.parse(await readFile(`${REPO_ROOT}/openapi.json`, 'utf8')) as {
      paths: Record<string, Record<string, object>>
    }
    const adminOperations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/__admin/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
    expect(adminOperations.length).toBeGreaterThan(0)
    const adminSteps = admin?.item.filter((request) => request.name.includes(' /__admin/')) ?? []
    expect([...new Set(adminSteps.map((request) => keyOf(request.name)))].sort()).toEqual(
      adminOperations.sort(),
    )
    // Besides them, exactly the steps that prepare or open what an admin call acts on.
    expect(
      admin?.item
        .filter((request) => !request.name.includes(' /__admin/'))
        .map((request) => keyOf(request.name)),
    ).toEqual(ADMIN_FOLDER_EXTRAS)
    for (const request of admin?.item ?? []) {
      // The admin token goes to the admin API only.
      const headers = request.request.header.map((header) => header.key)
      if (request.name.includes(' /__admin/')) expect(headers, request.name).toContain('Authorization')
      else expect(headers, request.name).not.toContain('Authorization')
    }
  })

  it('signs the Reporting API in its pre-request script, not the Messaging API nor the recording links', async () => {
    const json = (await collection()) as unknown as {
      event: { listen: string; script: { exec: string[] } }[]
    }
    const script = json.event.find((event) => event.listen === 'prerequest')?.script.exec.join('\n') ?? ''
    expect(script).toContain("if (resource.startsWith('/v1/')")
    expect(script).toContain("!resource.startsWith('/v1/playrecords/')")
    expect(script).toContain("!resource.startsWith('/v1/bots/')")
    for (const folder of (await collection()).item) {
      for (const request of folder.item.filter((candidate) => candidate.name.includes(' /v1/bots/')))
        expect(request.request.header.map((header) => header.key)).not.toContain('x-dlg-authorization')
    }
  })

  it('opens every kind of link: its page, its JSON twin and the audio, with the parts the route that gave it kept', async () => {
    const folders = (await collection()).item
    // A signed route's link is opened in the API folder; the admin API's (the bot link) in the Admin folder.
    const folderOf = (route: string) => (route.startsWith('/__admin/') ? ADMIN_FOLDER : API_FOLDER)
    const itemsOf = (folder: string) => folders.find((candidate) => candidate.name === folder)?.item ?? []
    const named = (folder: string, prefix: string) =>
      itemsOf(folder).filter((request) => isStep(prefix)(request.name))
    const signer = createLinkSigner({ secret: 'postman-test-link-secret', ttlSeconds: 60 })
    // The parameters each kind writes, in its order: the steps send them all, from the variables.
    const minted = {
      conversation: signer.mint({ staffId: '45186', customerId: '2337368', startDate: 0, endDate: 1 }, 0),
      day: signer.mintDay(
        { party: { kind: 'staff', id: '45186' }, other: { kind: 'group', id: 7 }, startDate: 0, endDate: 1 },
        0,
      ),
      onlineHelp: signer.mintOnlineHelp({ onlineHelpId: '-4611686018427387905' }, 0),
      recording: signer.mintRecording({ callId: '3387307531615898478' }, 0),
      bot: signer.mintBot({ botName: 'demo_bot', recipient: { kind: 'customer', id: '123456789' } }, 0),
    }
    const steps = {
      bot: ['GET /views/bot/{botName}', 'GET /views/bot/{botName}.json'],
      conversation: ['GET /views/messaging', 'GET /views/messaging.json'],
      day: ['GET /views/messaging/day', 'GET /views/messaging/day.json'],
      onlineHelp: ['GET /views/onlinehelp/{onlineHelpId}', 'GET /views/onlinehelp/{onlineHelpId}.json'],
      recording: [
        'GET /v1/playrecords/{callId}',
        'GET /v1/playrecords/{callId}.json',
        'GET /v1/playrecords/{callId}/audio.wav',
      ],
    }
    for (const [kind, link] of Object.entries(LINKS)) {
      const names = [...new URL(minted[kind as keyof typeof LINKS], 'http://mock.test').searchParams.keys()]
      expect(link.query, kind).toEqual(names)
      // The route that gives the link (a signed route; the bot link: the admin API) keeps its parts.
      const folder = folderOf(link.route)
      const source = named(folder, `POST ${link.route}`)
      expect(source, link.route).toHaveLength(1)
      const script = source[0]?.event.find((event) => event.listen === 'test')?.script.exec.join('\n') ?? ''
      expect(script, link.route).toContain(`item.${link.field}`)
      expect(script, link.route).toContain(`pm.collectionVariables.set('${link.prefix}' + name, value)`)
      for (const key of steps[kind as keyof typeof steps]) {
        const requests = named(folder, key)
        expect(requests.length, key).toBeGreaterThan(0)
        for (const step of requests) {
          // Opened after the step that gives the link.
          expect(itemsOf(folder).indexOf(step), key).toBeGreaterThan(
            itemsOf(folder).indexOf(source[0] as Request),
          )
          const { request } = step
          expect(request.url.query, key).toEqual(
            names.map((name) => ({ key: name, value: `{{${link.prefix}${name}}}` })),
          )
          if ('pathParam' in link) {
            expect(request.url.path.join('/'), key).toContain(`{{${link.prefix}${link.pathParam}}}`)
            expect(script, link.route).toContain(
              `pm.collectionVariables.set('${link.prefix}${link.pathParam}'`,
            )
          }
          expect(request.header.map((header) => header.key)).not.toContain('x-dlg-authorization')
        }
      }
    }
    // The audio twice: whole, and a range.
    expect(
      named(API_FOLDER, 'GET /v1/playrecords/{callId}/audio.wav').map(({ request }) => request.header),
    ).toEqual([[], [{ key: 'Range', value: 'bytes=0-43' }]])
  })

  it('refuses to build without a step for a documented operation, or with a step for an undocumented one', async () => {
    const document = JSON.parse(await readFile(`${REPO_ROOT}/openapi.json`, 'utf8')) as {
      paths: Record<string, Record<string, object>>
    }
    expect(() => postmanCollection(document, '0.0.0')).not.toThrow()
    const more = {
      ...document,
      paths: { ...document.paths, '/views/other': { get: { summary: 'Another page' } } },
    }
    expect(() => postmanCollection(more, '0.0.0')).toThrow('no step for: GET /views/other')
    const { '/v1/playrecords/{callId}/audio.wav': _audio, ...fewer } = document.paths
    expect(() => postmanCollection({ paths: fewer }, '0.0.0')).toThrow(
      'steps the OpenAPI document lacks: GET /v1/playrecords/{callId}/audio.wav',
    )
  })

  describe('run by newman against a server without the admin API (as npm start)', () => {
    const server = listening({})

    it(`runs the ${API_FOLDER} folder green, the signed request signed by its own crypto-js script`, async () => {
      const { summary, failures, executed } = await run(server.baseUrl, { folder: API_FOLDER })
      expect(failures).toEqual([])
      expect(executed).toEqual(await requestNames(API_FOLDER))
      const byName = (prefix: string) =>
        summary.run.executions.filter((execution) => execution.item.name.startsWith(prefix))
      const signed = byName('POST /v1/reporting/')
      expect(signed.map((execution) => execution.response.code)).toEqual(signed.map(() => 200))
      // The Messaging API goes out unsigned (its bot token is in the path), and answers.
      const messaging = byName('POST /v1/bots/')
      expect(messaging.map((execution) => keyOf(execution.item.name))).toEqual(MESSAGING_API)
      expect(messaging.map((execution) => execution.response.code)).toEqual([200, 200])
      for (const execution of messaging) {
        expect(execution.request.headers.has('x-dlg-authorization'), execution.item.name).toBe(false)
        expect(execution.request.headers.has('x-dlg-date'), execution.item.name).toBe(false)
      }
      expect(byName('POST /v1/')).toHaveLength(signed.length + messaging.length)
      // The recording links under /v1 go out unsigned: they carry their own signature.
      const recordings = byName('GET /v1/playrecords/')
      expect(recordings.map((execution) => execution.response.code)).toEqual([200, 200, 200, 206])
      for (const execution of recordings)
        expect(execution.request.headers.has('x-dlg-authorization')).toBe(false)
      for (const execution of signed) expect(execution.request.headers.has('x-dlg-authorization')).toBe(true)
      // Every link step ran its checks of the status and the content type, and they passed.
      for (const execution of byName('GET /views/').concat(recordings)) {
        expect(
          execution.assertions?.map((assertion) => assertion.assertion),
          execution.item.name,
        ).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^answers \d{3}$/),
            expect.stringMatching(/^answers [a-z]+\/[a-z]+$/),
          ]),
        )
      }
    })

    it(`runs the whole collection green without adminToken: the ${ADMIN_FOLDER} requests are skipped, saying why`, async () => {
      const { failures, executed, consoleLines } = await run(server.baseUrl)
      expect(failures).toEqual([])
      expect(executed).toEqual(await requestNames(API_FOLDER))
      const skipped = (await requestNames(ADMIN_FOLDER)).length
      expect(consoleLines).toHaveLength(skipped)
      expect(consoleLines[0]).toContain('Skipped: adminToken is empty.')
      expect(consoleLines[0]).toContain('npx diyalog-mock serve --admin')
      expect(consoleLines[0]).toContain('--env-var adminToken=<token>')
      expect(consoleLines.slice(1)).toEqual(Array(skipped - 1).fill('Skipped: adminToken is empty.'))
    })

    it(`fails the ${ADMIN_FOLDER} folder with a token, each admin request saying the server has no admin API`, async () => {
      const result = await run(server.baseUrl, { folder: ADMIN_FOLDER, adminToken: TOKEN })
      const { failures, executed } = result
      expect(executed).toEqual(await requestNames(ADMIN_FOLDER))
      const admin = executed.filter((name) => name.includes(' /__admin/'))
      expect(admin.length).toBe(executed.length - ADMIN_FOLDER_EXTRAS.length)
      for (const name of admin) {
        expect(failures).toContainEqual(
          expect.stringMatching(
            new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*no admin API`),
          ),
        )
      }
      expectExtrasWithoutALink(result)
    })
  })

  describe('run by newman against a server with the admin API', () => {
    const server = listening({ DLG_ADMIN_TOKEN: TOKEN })

    it('runs every request of every folder green with adminToken', async () => {
      const { failures, executed, consoleLines } = await run(server.baseUrl, { adminToken: TOKEN })
      expect(failures).toEqual([])
      expect(executed).toEqual(await requestNames())
      expect(executed.length).toBeGreaterThan((await requestNames(API_FOLDER)).length)
      expect(consoleLines).toEqual([])
    })

    it(`says in each ${ADMIN_FOLDER} failure when the server refuses adminToken`, async () => {
      const result = await run(server.baseUrl, {
        folder: ADMIN_FOLDER,
        adminToken: 'not-the-admin-token-0123',
      })
      const { failures, executed } = result
      expect(executed).toEqual(await requestNames(ADMIN_FOLDER))
      const refused = failures.filter((failure) => failure.includes('401: the server refused adminToken'))
      const admin = executed.filter((name) => name.includes(' /__admin/'))
      expect(refused).toHaveLength(admin.length)
      for (const name of admin) expect(refused.filter(isStep(keyOf(name))), name).toHaveLength(1)
      expectExtrasWithoutALink(result)
    })
  })
})
