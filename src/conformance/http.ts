import { request as httpRequest, Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https'

/**
 * The conformance runner's view of HTTP: one request out, one answer back. Requests keep
 * their header names and body exactly as built (the runner tests a server's reading of
 * them); answers carry lower-case header names and the body as text, cut at a bound.
 */

export interface HttpRequest {
  readonly method: string
  /** Absolute URL. */
  readonly url: string
  /** Header names as they are sent. */
  readonly headers: Readonly<Record<string, string>>
  /** The body, sent byte for byte as this UTF-8 text. */
  readonly body?: string
}

export interface HttpResponse {
  readonly status: number
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Sends one request; rejects with a `ConnectionError` when no HTTP answer came. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>

/** No HTTP answer: refused, reset, timed out, or a URL that cannot be called. */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConnectionError'
  }
}

/** Answers are read up to this size; a conformance verdict never needs more. */
export const MAX_RESPONSE_BYTES = 1024 * 1024

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

export interface HttpTransport {
  readonly send: Transport
  /** Closes the kept-alive connections. */
  close(): void
}

/** A transport over Node.js's own HTTP client, with a per-request timeout and kept-alive connections. */
export function httpTransport(options: { readonly timeoutMs: number }): HttpTransport {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) }
  const send: Transport = (request) =>
    new Promise((resolve, reject) => {
      let url: URL
      try {
        url = new URL(request.url)
      } catch {
        return reject(new ConnectionError(`${JSON.stringify(request.url)} is not a URL`))
      }
      const secure = url.protocol === 'https:'
      if (!secure && url.protocol !== 'http:') {
        return reject(new ConnectionError(`${url.protocol} URLs cannot be called (http or https only)`))
      }
      const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8')
      const headers: Record<string, string> = { ...request.headers }
      if (body !== undefined) headers['Content-Length'] = String(body.length)
      const outgoing = (secure ? httpsRequest : httpRequest)(url, {
        method: request.method,
        headers,
        agent: secure ? agents.https : agents.http,
        timeout: options.timeoutMs,
      })
      const target = `${request.method} ${url.origin}${url.pathname}`
      outgoing.on('timeout', () =>
        outgoing.destroy(new ConnectionError(`no answer within ${options.timeoutMs} ms (${target})`)),
      )
      outgoing.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          error instanceof ConnectionError
            ? error
            : new ConnectionError(`${error.code ?? error.message} (${target})`),
        ),
      )
      outgoing.on('response', (incoming) => {
        const chunks: Buffer[] = []
        let size = 0
        incoming.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size))
          size += chunk.length
        })
        incoming.on('error', (error: Error) => reject(new ConnectionError(`${error.message} (${target})`)))
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: flatten(incoming.headers),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      })
      outgoing.end(body)
    })
  return {
    send,
    close() {
      agents.http.destroy()
      agents.https.destroy()
    },
  }
}
