import { Writable } from 'node:stream'
import { pino } from 'pino'
import { buildApp } from '../../src/app.js'
import type { DiagnosisBudget } from '../../src/auth/diagnosis-budget.js'
import { manualClock, type ManualClock } from '../../src/clock.js'
import { loadConfig, type Config } from '../../src/config.js'
import { loggerOptions } from '../../src/logger.js'
import { loadFixturesDir } from '../../src/store/fixture-loader.js'
import { createStore, type Store } from '../../src/store/store.js'

/** 2021-03-09T13:28:32Z, the documentation's example date. */
export const DOCS_NOW = Date.UTC(2021, 2, 9, 13, 28, 32)
export const TEST_LINK_SECRET = 'test-link-secret-0123456789'
export const TEST_PUBLIC_URL = 'http://mock.test:8080'

export const defaultStore: Store = createStore(await loadFixturesDir(loadConfig({}).fixturesDir))

/**
 * The configuration of a test app: the test link secret and public URL unless `env` overrides
 * them. An empty value in `env` removes a variable (the server itself refuses empty values).
 */
export function testConfig(env: Record<string, string> = {}): Config {
  const merged = { DLG_LINK_SECRET: TEST_LINK_SECRET, DLG_PUBLIC_URL: TEST_PUBLIC_URL, ...env }
  return loadConfig(Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== '')))
}

export interface TestAppOptions {
  env?: Record<string, string>
  now?: number
  store?: Store
  /** The signature diagnosis's budget; default: the process's. */
  diagnosisBudget?: DiagnosisBudget
}

/** A built app with a pinned clock and captured JSON log lines. */
export function testApp(options: TestAppOptions = {}) {
  const clock: ManualClock = manualClock(options.now ?? DOCS_NOW)
  const logs: Record<string, unknown>[] = []
  const rawLogs: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        rawLogs.push(line)
        logs.push(JSON.parse(line) as Record<string, unknown>)
      }
      done()
    },
  })
  const app = buildApp({
    config: testConfig(options.env),
    store: options.store ?? defaultStore,
    clock,
    logger: pino(loggerOptions('debug'), stream),
    ...(options.diagnosisBudget === undefined ? {} : { diagnosisBudget: options.diagnosisBudget }),
  })
  return { app, clock, logs, rawLogs }
}

/** A store that counts how often handlers asked it anything. */
export function countingStore(store: Store = defaultStore): {
  readonly store: Store
  readonly queries: () => number
} {
  let queries = 0
  const counting = {} as Store
  // Every query the store has, counted: a new one needs nothing here.
  for (const [key, value] of Object.entries(store)) {
    Object.defineProperty(counting, key, {
      enumerable: true,
      value:
        typeof value === 'function'
          ? (...args: unknown[]) => {
              queries++
              return (value as (...args: unknown[]) => unknown).apply(store, args)
            }
          : value,
    })
  }
  return { store: counting, queries: () => queries }
}
