/**
 * The only source of "now" in the server. Everything that depends on time (clock skew,
 * link expiry) receives a Clock, so tests and the CLI can pin or move time.
 */
export interface Clock {
  /** Current time in Unix epoch milliseconds. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that stands still until it is told to move. */
export interface ManualClock extends Clock {
  set(epochMs: number): void
  advance(ms: number): void
}

export function manualClock(startMs: number): ManualClock {
  let current = startMs
  return {
    now: () => current,
    set: (epochMs) => {
      current = epochMs
    },
    advance: (ms) => {
      current += ms
    },
  }
}
