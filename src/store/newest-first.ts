import { firstAtOrBefore, type TimeWindow } from './time-index.js'

/**
 * Items listed newest first by a time, ties broken by a 64-bit id descending (docs/contract.md
 * D13: the order a "call again with the oldest date" cursor needs to never skip an item), under
 * several keys at once (everything, each person, each pair). A query is a binary search for the
 * window's end and a scan that stops at its start or at the limit.
 */

interface Listed<T> {
  readonly items: T[]
  times: Float64Array
}

export interface NewestFirst<T> {
  /**
   * At most `limit` items of the list under `key` (all items when `key` is undefined) whose time
   * lies in the window, newest first, that `accept` keeps.
   */
  list(key: string | undefined, window: TimeWindow, limit: number, accept?: (item: T) => boolean): T[]
}

export function newestFirst<T>(
  items: readonly T[],
  timeOf: (item: T) => number,
  idOf: (item: T) => bigint,
  keysOf: (item: T) => readonly string[],
): NewestFirst<T> {
  const order = (a: T, b: T) => {
    const byTime = timeOf(b) - timeOf(a)
    if (byTime !== 0) return byTime
    const idA = idOf(a)
    const idB = idOf(b)
    return idA > idB ? -1 : idA < idB ? 1 : 0
  }
  const sorted = [...items].sort(order)
  const all: Listed<T> = { items: sorted, times: Float64Array.from(sorted, timeOf) }
  const byKey = new Map<string, Listed<T>>()
  for (const item of sorted) {
    for (const key of keysOf(item)) {
      let listed = byKey.get(key)
      if (listed === undefined) byKey.set(key, (listed = { items: [], times: new Float64Array(0) }))
      // A key named twice by one item lists it once.
      if (listed.items.at(-1) !== item) listed.items.push(item)
    }
  }
  for (const listed of byKey.values()) listed.times = Float64Array.from(listed.items, timeOf)

  return {
    list(key, window, limit, accept) {
      const listed = key === undefined ? all : byKey.get(key)
      if (listed === undefined || window.start > window.end) return []
      const found: T[] = []
      for (
        let i = firstAtOrBefore(listed.times, window.end);
        i < listed.items.length && found.length < limit;
        i++
      ) {
        if ((listed.times[i] as number) < window.start) break
        const item = listed.items[i] as T
        if (accept === undefined || accept(item)) found.push(item)
      }
      return found
    },
  }
}
