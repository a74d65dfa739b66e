import { MAX_EPOCH_MS } from './schemas.js'

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

/** What a controllable clock is doing, as the admin API reports it. */
export interface ClockState {
  readonly mode: 'system' | 'offset' | 'frozen'
  /** The time the server uses now, epoch milliseconds. */
  readonly now: number
  /** How far it is from the underlying clock, milliseconds (positive: ahead). */
  readonly offsetMs: number
}

/**
 * The server's clock as the admin API controls it: running with the underlying clock,
 * shifted by an offset, or frozen at an instant. The skew check, link expiry and the
 * `Date` response header all read it.
 */
export interface ControllableClock extends Clock {
  state(): ClockState
  /** Stops the clock at `atMs` (default: the current time), rounded to a whole millisecond. */
  freeze(atMs?: number): void
  /** Runs `seconds` ahead of (negative: behind) the underlying clock, to the nearest millisecond. */
  offset(seconds: number): void
  /** Moves the clock `seconds` forward (negative: back), frozen or running, to the nearest millisecond. */
  advance(seconds: number): void
  /** Back to the underlying clock. */
  reset(): void
  /** True unless it simply follows the underlying clock. */
  readonly shifted: boolean
  /**
   * Calls `listener` after every freeze, offset, advance or reset (the simulation re-reads the
   * time then, so a frozen clock moved by the admin API fires exactly what became due).
   * Returns a function that removes it.
   */
  onChange(listener: () => void): () => void
}

/**
 * Reads an instant given as text, epoch milliseconds or an ISO 8601 date (admin API, CLI);
 * undefined when it is neither. Whether a Date can hold it is `isDateRange`'s question.
 */
export function parseInstant(text: string): number | undefined {
  const parsed = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text)
  return Number.isFinite(parsed) ? parsed : undefined
}

export function isDateRange(time: number): boolean {
  return Number.isFinite(time) && Math.abs(time) <= MAX_EPOCH_MS
}

/** Thrown when a clock operation would leave the range a Date can hold; nothing changes. */
export class ClockRangeError extends RangeError {
  /** An admin API caller asked for it: a client error. */
  readonly statusCode = 400
}

export function controllableClock(base: Clock = systemClock): ControllableClock {
  let offsetMs = 0
  let frozenAt: number | undefined
  const now = () => frozenAt ?? base.now() + offsetMs
  const checked = (time: number) => {
    if (!isDateRange(time)) {
      throw new ClockRangeError('the clock would leave the range of a date (±8.64e15 ms around 1970)')
    }
    return time
  }
  // Whole milliseconds only: links and the skew check read the clock as an integer (a
  // fractional `expiresAt` would never verify), so fractions of a millisecond are rounded away.
  const ms = (seconds: number) => Math.round(seconds * 1000)
  const listeners = new Set<() => void>()
  const changed = () => {
    for (const listener of [...listeners]) listener()
  }
  return {
    now,
    state: () => ({
      mode: frozenAt !== undefined ? 'frozen' : offsetMs !== 0 ? 'offset' : 'system',
      now: now(),
      offsetMs: now() - base.now(),
    }),
    freeze: (atMs) => {
      frozenAt = checked(Math.round(atMs ?? now()))
      changed()
    },
    offset: (seconds) => {
      checked(base.now() + ms(seconds))
      frozenAt = undefined
      offsetMs = ms(seconds)
      changed()
    },
    advance: (seconds) => {
      checked(now() + ms(seconds))
      if (frozenAt !== undefined) frozenAt += ms(seconds)
      else offsetMs += ms(seconds)
      changed()
    },
    reset: () => {
      frozenAt = undefined
      offsetMs = 0
      changed()
    },
    get shifted() {
      return frozenAt !== undefined || offsetMs !== 0
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
