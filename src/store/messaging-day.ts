/**
 * The day a message belongs to in the messaging lists (docs/contract.md D15): days are cut at
 * 00:00 in a zone, UTC by default (the documentation's `messagingDate` values are 00:00 UTC).
 */

export const DEFAULT_MESSAGING_DAY_ZONE = 'UTC'

const DAY_MS = 86_400_000

/** A day: its first and last millisecond (a day in a zone with summer time may be 23 or 25 hours). */
export interface Day {
  readonly start: number
  readonly end: number
}

/** `dayOf(ms)` for one zone; remembers the last day, as messages come in time order. */
export function dayCutter(zone: string): (ms: number) => Day {
  if (zone === 'UTC') {
    return (ms) => {
      const start = ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS)
      return { start, end: start + DAY_MS - 1 }
    }
  }
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
  /** The zone's offset from UTC at `ms`, in milliseconds (whole seconds: zones have no finer offsets). */
  const offsetAt = (ms: number): number => {
    const parts = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]))
    const local = Date.UTC(
      Number(parts['year']),
      Number(parts['month']) - 1,
      Number(parts['day']),
      Number(parts['hour']),
      Number(parts['minute']),
      Number(parts['second']),
    )
    return local - (ms - (((ms % 1000) + 1000) % 1000))
  }
  /** The instant of local midnight of the local date `localMidnightAsUtc` names. */
  const midnight = (localMidnightAsUtc: number): number => {
    let guess = localMidnightAsUtc - offsetAt(localMidnightAsUtc)
    guess = localMidnightAsUtc - offsetAt(guess)
    return guess
  }
  let last: Day | undefined
  return (ms) => {
    if (last !== undefined && ms >= last.start && ms <= last.end) return last
    const local = ms + offsetAt(ms)
    const localDay = local - (((local % DAY_MS) + DAY_MS) % DAY_MS)
    const start = midnight(localDay)
    last = { start, end: midnight(localDay + DAY_MS) - 1 }
    return last
  }
}
