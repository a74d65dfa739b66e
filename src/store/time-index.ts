/** Binary searches over sorted times, shared by the store's indexes. */

/** First index whose time is >= `time` (or > `time` when `after`), in ascending `times`. */
export function boundAscending(times: Float64Array, time: number, after: boolean): number {
  let low = 0
  let high = times.length
  while (low < high) {
    const mid = (low + high) >>> 1
    const t = times[mid] as number
    if (t < time || (after && t === time)) low = mid + 1
    else high = mid
  }
  return low
}

/** First index whose time is <= `time`, in descending `times`. */
export function firstAtOrBefore(times: Float64Array, time: number): number {
  let low = 0
  let high = times.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if ((times[mid] as number) > time) low = mid + 1
    else high = mid
  }
  return low
}

/** A closed time window in epoch milliseconds: `start <= t <= end`. */
export interface TimeWindow {
  readonly start: number
  readonly end: number
}
