import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { AUTH_ERRORS } from '../src/auth/auth-errors.js'
import { openApiDocument } from '../src/cli/openapi-command.js'
import { testApp } from './helpers/app.js'
import { REPO_ROOT } from './helpers/server-process.js'

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
