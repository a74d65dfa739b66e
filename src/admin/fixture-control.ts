import { watch, type FSWatcher } from 'node:fs'
import { FixtureError, loadFixturesDir, parseFixtures } from '../store/fixture-loader.js'
import { FIXTURE_FILES } from '../store/fixture-schema.js'
import { createStore, type MessageStore, type SwappableStore } from '../store/message-store.js'

/**
 * Swaps the data the server answers from: reload the fixtures directory, replace it with a
 * posted data set (validated exactly like the files), or go back to what the server started
 * with. A set that does not validate changes nothing: the previous data stays served.
 */

export interface FixtureSummary {
  /** Where the data being served came from. */
  readonly source: string
  readonly counts: MessageStore['counts']
}

export interface FixtureControl {
  summary(): FixtureSummary
  /** Reads the fixtures directory again. */
  reload(): Promise<FixtureSummary>
  /** Serves a data set of the same shape as the three files: `{staff, customers, conversations}`. */
  replace(data: unknown): FixtureSummary
  /** Back to the data the server started with. */
  reset(): FixtureSummary
  /** Reloads whenever a file of the directory changes; returns a stop function. */
  watch(onReload: (result: FixtureSummary | FixtureError) => void): () => void
}

export function createFixtureControl(
  store: SwappableStore,
  initial: MessageStore,
  dir: string,
): FixtureControl {
  let source = dir
  const summary = () => ({ source, counts: store.counts })
  const serve = (next: MessageStore, from: string) => {
    store.replace(next)
    source = from
    return summary()
  }

  const reload = async () => serve(createStore(await loadFixturesDir(dir)), dir)

  return {
    summary,
    reload,
    replace(data) {
      const from = 'posted data set'
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new FixtureError(from, [
          'the data set must be an object {"staff": [...], "customers": [...], "conversations": [...]}',
        ])
      }
      const record = data as Record<string, unknown>
      const unknown = Object.keys(record).filter((key) => !(key in FIXTURE_FILES))
      if (unknown.length > 0)
        throw new FixtureError(from, [
          `unknown field(s) ${unknown.join(', ')}: expected staff, customers, conversations`,
        ])
      // Each part is checked exactly as its file would be.
      const texts = {
        staff: JSON.stringify(record['staff'] ?? null),
        customers: JSON.stringify(record['customers'] ?? null),
        conversations: JSON.stringify(record['conversations'] ?? null),
      }
      return serve(createStore(parseFixtures(texts, from)), from)
    },
    reset: () => serve(initial, dir),
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
        onReload(new FixtureError(dir, [`cannot watch the directory: ${String(error)}`]))
      }
      return () => {
        clearTimeout(timer)
        watcher?.close()
      }
    },
  }
}
