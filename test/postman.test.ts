import { readFile } from 'node:fs/promises'
import newman, { type NewmanRunSummary } from 'newman'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listeningPort } from '../src/app.js'
import { postmanCommand } from '../src/cli/openapi-command.js'
import { testApp } from './helpers/app.js'
import { REPO_ROOT } from './helpers/server-process.js'

const COLLECTION = `${REPO_ROOT}/diyalog-mock.postman_collection.json`
const TOKEN = 'postman-admin-token-0123'

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

describe('the Postman collection', () => {
  it('is current (npm run postman regenerates it)', async () => {
    expect(await readFile(COLLECTION, 'utf8'), 'the collection is stale: run npm run postman').toBe(
      await generated(),
    )
  })

  describe('run by newman against a listening server', () => {
    // The collection dates its requests with the real clock, as Postman does.
    const { app } = testApp({ now: Date.now(), env: { DLG_ADMIN_TOKEN: TOKEN, DLG_PUBLIC_URL: '' } })
    let baseUrl = ''
    beforeAll(async () => {
      await app.listen({ host: '127.0.0.1', port: 0 })
      baseUrl = `http://127.0.0.1:${listeningPort(app.server)}`
    })
    afterAll(() => app.close())

    it('runs every request green, the signed ones signed by its own CryptoJS script', async () => {
      const collection = JSON.parse(await readFile(COLLECTION, 'utf8')) as { item: unknown[] }
      const summary = await new Promise<NewmanRunSummary>((resolve, reject) =>
        newman.run(
          {
            collection: collection as never,
            envVar: [
              { key: 'baseUrl', value: baseUrl },
              { key: 'adminToken', value: TOKEN },
            ],
            reporters: [],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        ),
      )
      const failures = summary.run.failures.map(
        (failure) => `${failure.source?.name}: ${failure.error.message}`,
      )
      expect(failures).toEqual([])
      expect(summary.run.executions).toHaveLength(collection.item.length)
      const signed = summary.run.executions.find((execution) => execution.item.name.startsWith('POST /v1/'))
      expect(signed?.response.code).toBe(200)
    })
  })
})
