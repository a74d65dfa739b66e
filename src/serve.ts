import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { Socket } from 'node:net'
import { DEMO_ACCESS_KEY } from './auth/keyring.js'
import { BOTS_PREFIX, DEMO_BOT } from './messaging/bots.js'
import { BOT_ROUTES } from './routes/bots/index.js'
import { redactUrl } from './webhooks/redact-url.js'
import { buildApp, listeningPort } from './app.js'
import { TEXT_PLAIN } from './http/plain-text.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { createLogger } from './logger.js'
import { FixtureError, loadFixturesDir } from './store/fixture-loader.js'
import { V1_PREFIX } from './routes/signed-route.js'
import { SIGNED_ROUTES } from './routes/signed-routes.js'
import { createStore } from './store/store.js'
import { OPENAPI_PATHS } from './openapi.js'

/**
 * Runs the server as a process: configuration from the environment, fixtures, listen, and a
 * graceful stop on SIGTERM/SIGINT. `server.ts` (npm start, Docker) and `diyalog-mock serve`
 * call it. Start-up problems end the process with one line on stderr and exit code 1.
 */

/** During a stop, a connection with nothing in flight and silent this long is closed. */
const QUIET_MS = 250
/** After the grace period: time for the last answers to go out before the process exits anyway. */
const FLUSH_MS = 1000

/** Collapses a message to one line. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}

function stop(message: string): never {
  process.stderr.write(`diyalog-mock: ${oneLine(message)}\n`)
  process.exit(1)
}

/**
 * `invalid fixtures in DIR: <the first problem> (and N more found)`: one line, however many
 * problems ("found": the schema check stops after a few per file).
 */
export function fixtureErrorLine(error: FixtureError): string {
  const [first, ...rest] = error.problems
  const more = rest.length > 0 ? ` (and ${rest.length} more found)` : ''
  return `invalid fixtures in ${error.source}: ${first ?? 'no data'}${more}`
}

/** An unexpected error as `Name: message (at file:line:col)`: its first stack frame, not the trace. */
export function unexpectedErrorLine(error: unknown): string {
  if (!(error instanceof Error)) return `cannot start: ${String(error)}`
  const frame = /\n\s+at (?:.*?\()?([^()\s]+:\d+:\d+)\)?/.exec(error.stack ?? '')?.[1]
  return `cannot start: ${error.name}: ${error.message}${frame === undefined ? '' : ` (at ${frame})`}`
}

const LISTEN_REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'host name lookup failed',
}

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty')
    return true
  } catch {
    return false
  }
}

export interface ServeOptions {
  /** Called once the server listens (the CLI prints the admin token then, never before a failure). */
  readonly onListening?: (port: number) => void
  /** Whether pino-pretty can be loaded; tests replace it. */
  readonly prettyAvailable?: () => boolean
}

export async function serve(
  env: Readonly<Record<string, string | undefined>>,
  options: ServeOptions = {},
): Promise<void> {
  let config: Config
  try {
    config = loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) stop(error.message)
    throw error
  }
  const pretty = (options.prettyAvailable ?? prettyAvailable)()
  if (config.logFormat === 'pretty' && !pretty) {
    stop('LOG_FORMAT=pretty needs pino-pretty, a dev dependency: run `npm install` or use LOG_FORMAT=json')
  }

  let store
  const loading = performance.now()
  try {
    store = createStore(await loadFixturesDir(config.fixturesDir), {
      messagingDayZone: config.messagingDayZone,
    })
  } catch (error) {
    if (error instanceof FixtureError) stop(fixtureErrorLine(error))
    throw error
  }

  const fixturesLoadMs = Math.round(performance.now() - loading)
  const logger = createLogger(config, pretty)
  const app = buildApp({ config, store, logger })
  const drain = connectionDrain(app.server)
  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (error) {
    const { code, syscall } = error as NodeJS.ErrnoException
    // Anything else (a plugin failing to start) is not about the address.
    if (
      syscall !== 'listen' &&
      syscall !== 'getaddrinfo' &&
      !(code !== undefined && code in LISTEN_REASONS)
    ) {
      throw error
    }
    const reason = (code !== undefined ? LISTEN_REASONS[code] : undefined) ?? (error as Error).message
    stop(`cannot listen on ${config.host}:${config.port}: ${reason}`)
  }

  const port = listeningPort(app.server) ?? config.port
  logger.info(
    {
      port,
      fixturesDir: config.fixturesDir,
      fixtures: store.counts,
      fixturesLoadMs,
      maxSkewSeconds: config.maxSkewSeconds,
    },
    `diyalog-mock ready: ${SIGNED_ROUTES.length} signed endpoints under http://localhost:${port}${V1_PREFIX} (${SIGNED_ROUTES.map((route) => route.path.split('/').pop()).join(', ')}), the Messaging API under http://localhost:${port}${BOTS_PREFIX} (${BOT_ROUTES.map((route) => route.path.slice(1)).join(', ')}); OpenAPI at ${OPENAPI_PATHS.ui}`,
  )
  if (config.usingDemoBot) {
    logger.warn(
      `using the public DEMO bot (${DEMO_BOT.name}, token ${DEMO_BOT.token}): ` +
        `POST http://localhost:${port}${BOTS_PREFIX}/sendmessage/${DEMO_BOT.token}; for local testing only; set DLG_BOTS to use your own`,
    )
  }
  if (config.webhook !== undefined) {
    logger.info(
      {
        webhook: { id: config.webhook.id, url: redactUrl(config.webhook.url), events: config.webhook.events },
      },
      `webhooks go to ${redactUrl(config.webhook.url)} (X-Signature ${config.webhook.signature})`,
    )
  }
  if (config.usingDemoWebhookSecret) {
    logger.warn(
      "webhooks are signed with the docs' public example app_secret (DLG_WEBHOOK_SECRET unset): for local testing only",
    )
  }
  if (config.usingDemoAccessKey) {
    logger.warn(
      `using the public DEMO access key (AccessKeyId ${DEMO_ACCESS_KEY.keyId}, AccessKeySecret ${DEMO_ACCESS_KEY.secret}): ` +
        'for local testing only; set DLG_ACCESS_KEYS to use your own',
    )
  }
  options.onListening?.(port)

  let stopping = false
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down: finishing requests in flight')
    let exitCode = 0
    drain.start()
    app.close().then(
      () => process.exit(exitCode),
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down')
        process.exit(1)
      },
    )
    setTimeout(() => {
      const { refused, unanswered } = drain.end()
      logger.warn(
        { refused, graceMs: config.shutdownGraceMs },
        'grace period over: every connection closed, each request still in flight answered 503',
      )
      if (unanswered > 0) {
        exitCode = 1
        logger.error({ unanswered }, 'requests received in full were still unanswered after the grace period')
      }
      setTimeout(() => {
        logger.error('connections still open after the grace period; exiting')
        process.exit(1)
      }, FLUSH_MS).unref()
    }, config.shutdownGraceMs).unref()
  }
  process.once('SIGTERM', shutdown)
  process.once('SIGINT', shutdown)
}

/**
 * A stop that resets no one. Node's `server.close()` destroys every idle kept-alive connection at
 * once, racing a client that is sending its next request on it (ECONNRESET). Instead, once
 * `start` is called: a response not yet written says `Connection: close`, so its connection
 * closes after it; a request arriving on an open connection is served, with `Connection: close`
 * (buildApp turns Fastify's 503 on closing off); a connection with nothing in flight is closed once it has been silent
 * for `QUIET_MS`. `end` (the grace period is over) answers what is still in flight with 503
 * and closes every connection.
 */
function connectionDrain(server: Server) {
  const connections = new Set<Socket>()
  /** The latest request on each connection: the connection is busy until its response is out. */
  const latest = new WeakMap<Socket, ServerResponse>()
  /** Set by `start`: when each connection last received a byte, or `start`'s time. */
  const heard = new Map<Socket, number>()
  let draining = false
  let reaper: NodeJS.Timeout | undefined

  const listen = (socket: Socket) => {
    heard.set(socket, performance.now())
    // Only now: a 'data' listener moves the socket's parsing from C++ to JavaScript.
    socket.on('data', () => heard.set(socket, performance.now()))
  }
  server.on('connection', (socket: Socket) => {
    connections.add(socket)
    socket.once('close', () => {
      connections.delete(socket)
      heard.delete(socket)
    })
    if (draining) listen(socket)
  })
  // Before Fastify's listener, so every response of the stop is seen.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    latest.set(request.socket, response)
    if (draining) response.setHeader('connection', 'close')
  })
  const busy = (socket: Socket) => {
    const response = latest.get(socket)
    return response !== undefined && !response.writableFinished
  }

  return {
    start() {
      draining = true
      // `server.close()` (from `app.close()`) calls this: the reaper below does it instead.
      server.closeIdleConnections = () => {}
      for (const socket of connections) {
        listen(socket)
        const response = latest.get(socket)
        if (response !== undefined && !response.headersSent) response.setHeader('connection', 'close')
      }
      reaper = setInterval(() => {
        const now = performance.now()
        for (const socket of connections) {
          if (!busy(socket) && now - (heard.get(socket) ?? 0) >= QUIET_MS) socket.destroy()
        }
      }, QUIET_MS / 5)
      reaper.unref()
    },
    /** Answers and closes everything; counts the 503s and, of them, the requests received in full. */
    end(): { refused: number; unanswered: number } {
      clearInterval(reaper)
      let refused = 0
      let unanswered = 0
      for (const socket of connections) {
        const response = latest.get(socket)
        if (response === undefined || response.headersSent || !busy(socket)) {
          socket.destroy()
          continue
        }
        refused++
        // A client still sending its body is the usual case; a request received in full and
        // not answered in the grace period is the server's own failure.
        if (response.req.complete) unanswered++
        const body = 'Service unavailable: the server is shutting down'
        response.writeHead(503, {
          'content-type': TEXT_PLAIN,
          'content-length': Buffer.byteLength(body),
          'x-content-type-options': 'nosniff',
          connection: 'close',
        })
        response.end(body, () => socket.destroy())
      }
      return { refused, unanswered }
    },
  }
}

/** `serve`, turning an unexpected start-up error into the same one-line exit. */
export function serveOrExit(env: Readonly<Record<string, string | undefined>>, options?: ServeOptions): void {
  serve(env, options).catch((error: unknown) => stop(unexpectedErrorLine(error)))
}
