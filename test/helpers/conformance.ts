import { createServer } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { DEFAULT_BOT_CUSTOMER } from '../../src/cli/conformance-command.js'
import type { Target } from '../../src/conformance/case.js'
import { DEMO_BOT_TOKEN } from '../../src/messaging/bots.js'
import { UNKNOWN_CUSTOMER_ID, UNKNOWN_STAFF_ID } from '../../src/conformance/cases/getmessagingdetail.js'
import type { HttpResponse, Transport } from '../../src/conformance/http.js'

/** The target the runner uses against a test app: the demo key and the example pair. */
export function mockTarget(baseUrl: string): Target {
  return {
    baseUrl,
    credentials: DEMO_ACCESS_KEY,
    requesterUserId: '45186',
    staffId: '45188',
    customerId: '5667067',
    unknownStaffId: UNKNOWN_STAFF_ID,
    unknownCustomerId: UNKNOWN_CUSTOMER_ID,
    botToken: DEMO_BOT_TOKEN,
    botCustomerId: DEFAULT_BOT_CUSTOMER,
    // The mock delivers to no one: every case runs.
    sendMessages: true,
  }
}

/** The runner's transport into an app without a socket: the host is ignored, path and query kept. */
export function injectTransport(app: FastifyInstance): Transport {
  return async (request) => {
    const url = new URL(request.url)
    const response = await app.inject({
      method: request.method as 'GET' | 'POST',
      url: `${url.pathname}${url.search}`,
      headers: request.headers,
      ...(request.body === undefined ? {} : { payload: request.body }),
    })
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value)
    }
    return { status: response.statusCode, headers, body: response.body } satisfies HttpResponse
  }
}

/**
 * Any transport (e.g. a wrong server) listening on a loopback port, for runs over real HTTP;
 * `build` gets the URL first, so the links it mints can point at it.
 */
export async function serveTransport(
  build: (url: string) => Transport,
): Promise<{ url: string; close(): Promise<void> }> {
  let transport: Transport = () => Promise.reject(new Error('not listening yet'))
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
      }
      const body = Buffer.concat(chunks).toString('utf8')
      transport({
        method: request.method ?? 'GET',
        url: `http://${request.headers.host ?? 'localhost'}${request.url ?? '/'}`,
        headers,
        ...(request.method === 'GET' ? {} : { body }),
      }).then(
        (answer) => response.writeHead(answer.status, answer.headers).end(answer.body),
        () => response.destroy(),
      )
    })
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  const address = server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  transport = build(url)
  return {
    url,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  }
}
