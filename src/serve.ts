import { createRequire } from 'node:module'
import { DEMO_ACCESS_KEY } from './auth/keyring.js'
import { buildApp, listeningPort } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { createLogger } from './logger.js'
import { FixtureError, loadFixturesDir } from './store/fixture-loader.js'
import { createStore } from './store/message-store.js'

/**
 * Runs the server as a process: configuration from the environment, fixtures, listen, and a
 * graceful stop on SIGTERM/SIGINT. `server.ts` (npm start, Docker) and `diyalog-mock serve`
 * call it. Start-up problems end the process with one line on stderr and exit code 1.
 */

const SHUTDOWN_GRACE_MS = 10_000

function stop(message: string): never {
  process.stderr.write(`diyalog-mock: ${message}\n`)
  process.exit(1)
}

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty')
    return true
  } catch {
    return false
  }
}

export async function serve(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  let config: Config
  try {
    config = loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) stop(error.message)
    throw error
  }
  if (config.logFormat === 'pretty' && !prettyAvailable()) {
    stop('LOG_FORMAT=pretty needs pino-pretty, a dev dependency: run `npm install` or use LOG_FORMAT=json')
  }

  let store
  const loading = performance.now()
  try {
    store = createStore(await loadFixturesDir(config.fixturesDir))
  } catch (error) {
    if (error instanceof FixtureError) stop(error.message)
    throw error
  }

  const fixturesLoadMs = Math.round(performance.now() - loading)
  const logger = createLogger(config, prettyAvailable())
  const app = buildApp({ config, store, logger })
  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'EADDRINUSE'
        ? 'address already in use'
        : code === 'EACCES'
          ? 'permission denied'
          : String(error)
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
    `diyalog-mock ready: POST http://localhost:${port}/v1/reporting/getmessagingdetail`,
  )
  if (config.usingDemoAccessKey) {
    logger.warn(
      `using the public DEMO access key (AccessKeyId ${DEMO_ACCESS_KEY.keyId}, AccessKeySecret ${DEMO_ACCESS_KEY.secret}): ` +
        'for local testing only; set DLG_ACCESS_KEYS to use your own',
    )
  }

  let stopping = false
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down: finishing requests in flight')
    setTimeout(() => {
      logger.error('requests still open after the grace period; exiting')
      process.exit(1)
    }, SHUTDOWN_GRACE_MS).unref()
    // A connection whose request finishes during the close would otherwise idle on until its
    // keep-alive deadline and hold the process past the grace period: close each one as soon
    // as it is idle.
    setInterval(() => app.server.closeIdleConnections(), 100).unref()
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', shutdown)
  process.once('SIGINT', shutdown)
}

/** `serve`, turning an unexpected start-up error into the same one-line exit. */
export function serveOrExit(env: Readonly<Record<string, string | undefined>>): void {
  serve(env).catch((error: unknown) =>
    stop(`cannot start: ${error instanceof Error ? error.message : String(error)}`),
  )
}
