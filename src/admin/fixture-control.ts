import { watch, type FSWatcher } from 'node:fs'
import { FixtureError, loadFixturesDir, parseFixtureData } from '../store/fixture-loader.js'
import { createStore, type Store, type StoreOptions, type SwappableStore } from '../store/store.js'

/**
 * Swaps the data the server answers from: reload the fixtures directory, replace it with a
 * posted data set (validated exactly like the files), or go back to what the server started
 * with. A set that does not validate changes nothing: the previous data stays served.
 */

export interface FixtureSummary {
  /** Where the data being served came from. */
  readonly source: string
  readonly counts: Store['counts']
}

export interface FixtureControl {
  summary(): FixtureSummary
  /** Reads the fixtures directory again. */
  reload(): Promise<FixtureSummary>
  /** Serves a data set of the same shape as the files: `{staff, customers, groups, conversations, calls, onlineHelp}`. */
  replace(data: unknown): Promise<FixtureSummary>
  /** Back to the data the server started with. */
  reset(): Promise<FixtureSummary>
  /** Reloads whenever a file of the directory changes; returns a stop function. */
  watch(onReload: (result: FixtureSummary | FixtureError) => void): () => void
}

export function createFixtureControl(
  store: SwappableStore,
  initial: Store,
  dir: string,
  storeOptions: StoreOptions = {},
): FixtureControl {
  let source = dir
  const summary = () => ({ source, counts: store.counts })
  // One change at a time, in the order asked: a reload still reading the directory never
  // overwrites a data set posted after it.
  let queue: Promise<unknown> = Promise.resolve()
  const inTurn = <T>(change: () => T | Promise<T>): Promise<T> => {
    const next = queue.then(change)
    queue = next.catch(() => undefined)
    return next
  }
  const serve = (next: Store, from: string) => {
    store.replace(next)
    source = from
    return summary()
  }
  const reload = () => inTurn(async () => serve(createStore(await loadFixturesDir(dir), storeOptions), dir))

  return {
    summary,
    reload,
    replace: (data) =>
      inTurn(() =>
        serve(createStore(parseFixtureData(data, 'posted data set'), storeOptions), 'posted data set'),
      ),
    reset: () => inTurn(() => serve(initial, dir)),
    watch(onReload) {
      let timer: NodeJS.Timeout | undefined
      let watcher: FSWatcher | undefined
      try {
        watcher = watch(dir, () => {
          // Editors write a file in several steps: reload once they are done.
          clearTimeout(timer)
          timer = setTimeout(() => {
            reload().then(onReload, (error: unknown) =>
              onReload(error instanceof FixtureError ? error : new FixtureError(dir, [String(error)])),
            )
          }, 200)
        })
      } catch (error) {
        onReload(
          new FixtureError(dir, [`cannot watch the directory, so no reload will happen: ${String(error)}`]),
        )
      }
      return () => {
        clearTimeout(timer)
        watcher?.close()
      }
    },
  }
}
