import { MAX_EPOCH_MS } from '../schemas.js'

/**
 * The day a message belongs to in the messaging lists (docs/contract.md D15): days are cut at
 * 00:00 in a zone, UTC by default (the documentation's `messagingDate` values are 00:00 UTC).
 */

export const DEFAULT_MESSAGING_DAY_ZONE = 'UTC'

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

/** A day: its first and last millisecond (a day in a zone with summer time may be 23 or 25 hours). */
export interface Day {
  readonly start: number
  readonly end: number
}

const startOfUtcDay = (ms: number) => ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS)

/** `dayOf(ms)` for one zone; each day is worked out once (its first and last millisecond). */
export function dayCutter(zone: string): (ms: number) => Day {
  if (zone === 'UTC') {
    return (ms) => {
      const start = startOfUtcDay(ms)
      return { start, end: start + DAY_MS - 1 }
    }
  }
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
  /** The zone's offset from UTC at `ms`, in milliseconds (whole seconds: zones have no finer offsets). */
  const offsetAt = (ms: number): number => {
    const at = Math.min(MAX_EPOCH_MS, Math.max(-MAX_EPOCH_MS, ms))
    const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]))
    // The proleptic year: 1 BC is year 0. `Date.UTC` would read years 0–99 as 1900–1999.
    const year = parts['era'] === 'BC' ? 1 - Number(parts['year']) : Number(parts['year'])
    const local = new Date(0)
    local.setUTCFullYear(year, Number(parts['month']) - 1, Number(parts['day']))
    local.setUTCHours(Number(parts['hour']), Number(parts['minute']), Number(parts['second']), 0)
    return local.getTime() - (at - (((at % 1000) + 1000) % 1000))
  }
  const localOf = (ms: number) => ms + offsetAt(ms)
  /**
   * The first instant of the local date whose midnight, written as if it were UTC, is
   * `localMidnight`. It is `localMidnight - offset` for one of the offsets in force within 14
   * hours of it (no zone is further from UTC, none changes twice in a day): the earliest of
   * those candidates whose local time is already that date. Where midnight itself is skipped
   * (America/Santiago springs from 00:00 to 01:00), that is the instant of the change.
   */
  const dayStart = (localMidnight: number): number => {
    let start = Number.POSITIVE_INFINITY
    for (const around of [-14 * HOUR_MS, 0, 14 * HOUR_MS]) {
      const candidate = localMidnight - offsetAt(localMidnight + around)
      if (candidate < start && localOf(candidate) >= localMidnight) start = candidate
    }
    return start
  }
  const days = new Map<number, Day>()
  let last: Day | undefined
  return (ms) => {
    if (last !== undefined && ms >= last.start && ms <= last.end) return last
    const localMidnight = startOfUtcDay(localOf(ms))
    let day = days.get(localMidnight)
    if (day === undefined) {
      day = { start: dayStart(localMidnight), end: dayStart(localMidnight + DAY_MS) - 1 }
      days.set(localMidnight, day)
    }
    last = day
    return day
  }
}
