import { buildApp } from '../app.js'
import { packageVersion } from '../openapi.js'
import { postmanCollection } from '../postman.js'
import { loadConfig } from '../config.js'
import { createStore } from '../store/store.js'
import { EXIT, type CliIo } from './io.js'
import { parse } from './options.js'

export const OPENAPI_HELP = `Usage: diyalog-mock openapi [--yaml]

Prints the OpenAPI document of the mock, admin API included (a running server serves the same
at /openapi.json, /openapi.yaml and /docs). npm run openapi writes it to openapi.json.
`

/** The document as the server builds it, for any configuration: admin API on, no data needed. */
export async function openApiDocument(yaml = false): Promise<string> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DLG_ADMIN_TOKEN: 'openapi-document-only',
    DLG_LINK_SECRET: 'openapi-document-only',
  })
  const app = buildApp({ config, store: createStore({ staff: [], customers: [], conversations: [] }) })
  await app.ready()
  const document = yaml ? app.swagger({ yaml: true }) : `${JSON.stringify(app.swagger(), null, 2)}\n`
  await app.close()
  return document
}

export async function openApiCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { yaml: { type: 'boolean', default: false } })
  if (values.help) return (io.out(OPENAPI_HELP), EXIT.ok)
  io.out(await openApiDocument(values.yaml))
  return EXIT.ok
}

export const POSTMAN_HELP = `Usage: diyalog-mock postman

Prints a Postman collection (v2.1) of every operation, with example bodies, a test per
request, and a pre-request script that signs /v1 requests. npm run postman writes it to
diyalog-mock.postman_collection.json. Variables: baseUrl, keyId, secret, requesterUserId,
adminToken.
`

export async function postmanCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {})
  if (values.help) return (io.out(POSTMAN_HELP), EXIT.ok)
  const document = JSON.parse(await openApiDocument()) as Parameters<typeof postmanCollection>[0]
  io.out(`${JSON.stringify(postmanCollection(document, packageVersion()), null, 2)}\n`)
  return EXIT.ok
}
