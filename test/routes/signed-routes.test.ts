import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Value } from 'typebox/value'
import { describe, expect, it } from 'vitest'
import { DEFAULT_RESOURCE } from '../../src/cli/options.js'
import { openApiDocument } from '../../src/cli/openapi-command.js'
import { exampleBodyOf, fullPath } from '../../src/routes/signed-route.js'
import { SIGNED_ROUTES } from '../../src/routes/signed-routes.js'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import { signedRequest } from '../helpers/signing.js'
import { REPO_ROOT } from '../helpers/server-process.js'

/**
 * The signed API's table is the one list of endpoints: each entry carries its summary and its
 * example, and OpenAPI, the Postman collection and the CLI find every entry there.
 */
interface Operation {
  readonly summary?: string
  readonly tags?: readonly string[]
  readonly requestBody?: { content: Record<string, { example?: unknown }> }
  readonly responses?: Record<
    string,
    { content?: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }> }> }
  >
}
const openapi = JSON.parse(await openApiDocument()) as { paths: Record<string, Record<string, Operation>> }
const postman = JSON.parse(readFileSync(join(REPO_ROOT, 'diyalog-mock.postman_collection.json'), 'utf8')) as {
  item: {
    name: string
    item: { request: { method: string; url: { raw: string }; body?: { raw: string } } }[]
  }[]
}
const postmanRequests = postman.item.flatMap((folder) => folder.item.map((entry) => entry.request))

describe.each(SIGNED_ROUTES.map((route) => [fullPath(route), route] as const))('%s', (path, route) => {
  it('has a summary, and an example body and answer that fit its schemas', () => {
    expect(route.summary.length).toBeGreaterThan(10)
    const example = exampleBodyOf(route)
    expect(example, 'the body schema needs an examples entry').toBeDefined()
    expect(Value.Check(route.body, example)).toBe(true)
    const replies = (route.reply as { examples?: unknown[] }).examples ?? []
    expect(replies.length, 'the answer schema needs an examples entry').toBeGreaterThan(0)
    for (const reply of replies) expect(Value.Check(route.reply, reply)).toBe(true)
  })

  it('is in the OpenAPI document with its summary, family and example', () => {
    const operation = openapi.paths[path]?.[route.method.toLowerCase()]
    expect(operation?.summary).toBe(route.summary)
    expect(operation?.tags).toEqual([route.family])
    expect(operation?.requestBody?.content['application/json']?.example).toEqual(exampleBodyOf(route))
    // One example is written as `example`, several as `examples` (by @fastify/swagger).
    const media = operation?.responses?.['200']?.content?.['application/json']
    const answers =
      media?.example !== undefined
        ? [media.example]
        : Object.values(media?.examples ?? {}).map((example) => example.value)
    expect(answers).toEqual((route.reply as { examples?: unknown[] }).examples)
  })

  it('answers its signed example body with 200 and an answer that fits its schema; names an unknown field; refuses an unsigned call', async () => {
    const { app } = testApp()
    const body = JSON.stringify(exampleBodyOf(route))
    const answer = await app.inject(signedRequest({ now: DOCS_NOW, url: path, body }))
    expect(answer.statusCode).toBe(200)
    expect(Value.Check(route.reply, answer.json())).toBe(true)
    const extra = await app.inject(
      signedRequest({
        now: DOCS_NOW,
        url: path,
        body: JSON.stringify({ ...exampleBodyOf(route), zzExtra: 1 }),
      }),
    )
    expect(extra.headers['x-dlg-mock-ignored-fields']).toBe('zzExtra')
    const unsigned = await app.inject({ method: route.method, url: path, payload: body })
    expect([unsigned.statusCode, unsigned.body]).toEqual([400, 'Required headers not found'])
    await app.close()
  })

  it('is in the Postman collection with its example body', () => {
    const request = postmanRequests.find(
      (entry) => entry.method === route.method && entry.url.raw.endsWith(path),
    )
    expect(request, `no Postman request for ${path}`).toBeDefined()
    expect(JSON.parse(request?.body?.raw ?? 'null')).toEqual(exampleBodyOf(route))
  })
})

it("the CLI's default resource is an entry of the table", () => {
  expect(SIGNED_ROUTES.map(fullPath)).toContain(DEFAULT_RESOURCE)
})
