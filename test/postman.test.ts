import { readFile } from 'node:fs/promises'
import newman, { type ConsoleEvent, type NewmanRunSummary } from 'newman'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listeningPort } from '../src/app.js'
import { postmanCommand } from '../src/cli/openapi-command.js'
import { ADMIN_FOLDER, API_FOLDER } from '../src/postman.js'
import { testApp } from './helpers/app.js'
import { REPO_ROOT } from './helpers/server-process.js'

const COLLECTION = `${REPO_ROOT}/diyalog-mock.postman_collection.json`
const TOKEN = 'postman-admin-token-0123'

interface Folder {
  name: string
  item: { name: string }[]
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

describe('the Postman collection', () => {
  it('is current (npm run postman regenerates it)', async () => {
    expect(await readFile(COLLECTION, 'utf8'), 'the collection is stale: run npm run postman').toBe(
      await generated(),
    )
  })

  it(`has two folders, ${API_FOLDER} and ${ADMIN_FOLDER} (every /__admin operation, nothing else)`, async () => {
    const folders = (await collection()).item
    expect(folders.map((folder) => folder.name)).toEqual([API_FOLDER, ADMIN_FOLDER])
    const [api, admin] = folders
    expect(api?.item.length).toBeGreaterThan(0)
    expect(api?.item.filter((request) => request.name.includes(' /__admin'))).toEqual([])
    expect(admin?.item.length).toBeGreaterThan(0)
    expect(admin?.item.filter((request) => !request.name.includes(' /__admin/'))).toEqual([])
  })

  describe('run by newman against a server without the admin API (as npm start)', () => {
    const server = listening({})

    it(`runs the ${API_FOLDER} folder green, the signed request signed by its own crypto-js script`, async () => {
      const { summary, failures, executed } = await run(server.baseUrl, { folder: API_FOLDER })
      expect(failures).toEqual([])
      expect(executed).toEqual(await requestNames(API_FOLDER))
      const signed = summary.run.executions.find((execution) => execution.item.name.startsWith('POST /v1/'))
      expect(signed?.response.code).toBe(200)
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

    it(`fails the ${ADMIN_FOLDER} folder with a token, each request saying the server has no admin API`, async () => {
      const { failures, executed } = await run(server.baseUrl, { folder: ADMIN_FOLDER, adminToken: TOKEN })
      expect(executed).toEqual(await requestNames(ADMIN_FOLDER))
      for (const name of executed) {
        expect(failures).toContainEqual(
          expect.stringMatching(
            new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*no admin API`),
          ),
        )
      }
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
      const { failures, executed } = await run(server.baseUrl, {
        folder: ADMIN_FOLDER,
        adminToken: 'not-the-admin-token-0123',
      })
      expect(executed).toEqual(await requestNames(ADMIN_FOLDER))
      expect(
        failures.filter((failure) => failure.includes('401: the server refused adminToken')),
      ).toHaveLength(executed.length)
    })
  })
})
