import { readFileSync } from 'node:fs'
import { Value } from 'typebox/value'
import { describe, expect, it } from 'vitest'
import { DEFAULT_RESOURCE } from '../../src/cli/options.js'
import { openApiDocument } from '../../src/cli/openapi-command.js'
import { exampleBodyOf, fullPath } from '../../src/routes/signed-route.js'
import { SIGNED_ROUTES } from '../../src/routes/signed-routes.js'

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
const postman = JSON.parse(readFileSync('diyalog-mock.postman_collection.json', 'utf8')) as {
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
