/**
 * How much time the server may spend looking for known signature mistakes, across all
 * requests: a leaky bucket that drains `msPerSecond` each second and lets a search start only
 * while it holds less than that. Over any stretch of T seconds the searches take at most
 * `msPerSecond × (T + 1)` plus the one that started last (a few milliseconds at most). Past it, a
 * wrong signature is still refused with the documented answer, and its diagnosis says the search
 * was skipped. Without this, anyone with the public demo key id and a new wrong signature each
 * time could keep the CPU busy with searches (docs/reliability.md, "Signature diagnosis").
 *
 * Time is a monotonic timer (`performance.now` by default), not the mock's clock: the admin API
 * may freeze or move that one, and CPU time goes on regardless.
 */
export interface DiagnosisBudget {
  /** Whether a search may start now. */
  available(): boolean
  /** Records the milliseconds a search took. */
  spend(ms: number): void
  /** The monotonic timer the budget reads. */
  now(): number
  readonly msPerSecond: number
}

/** 10 % of one core: a flood of wrong signatures costs the server a tenth, never all of it. */
export const DEFAULT_DIAGNOSIS_MS_PER_SECOND = 100

export function createDiagnosisBudget(
  msPerSecond = DEFAULT_DIAGNOSIS_MS_PER_SECOND,
  now: () => number = () => performance.now(),
): DiagnosisBudget {
  /** Milliseconds of searching not yet drained, as of `at`. */
  let held = 0
  let at = now()
  const drain = () => {
    const time = now()
    held = Math.max(0, held - ((time - at) * msPerSecond) / 1000)
    at = time
  }
  return {
    available() {
      drain()
      return held < msPerSecond
    },
    spend(ms) {
      drain()
      held += ms
    },
    now,
    msPerSecond,
  }
}

/** A budget that never runs out (the CLI's `verify`, tests of the search itself). */
export const UNLIMITED_BUDGET: DiagnosisBudget = {
  available: () => true,
  spend: () => {},
  now: () => 0,
  msPerSecond: Infinity,
}

/**
 * The process's budget: CPU is shared by every app in the process, so by default they share
 * one budget too.
 */
export const PROCESS_DIAGNOSIS_BUDGET = createDiagnosisBudget()
