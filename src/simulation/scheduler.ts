import type { ControllableClock } from '../clock.js'

/**
 * Work planned for a time of the mock's clock (the simulated users' deliveries and reads,
 * docs/contract.md D28). Time is the clock's, never the machine's: `tick()` runs every task due
 * by `clock.now()`, earliest first (ties in the order they were planned). While the clock runs
 * (`system` or `offset`), one real timer waits for the next task; while it is frozen there is
 * none, and nothing runs until the clock is moved. Every change of the clock (the admin API's
 * freeze, offset, advance, reset) is a tick at once: a frozen clock moved forward runs exactly
 * what became due, in order; moved back, nothing runs early.
 */

export type TaskId = number

/** The timers it arms (Node's by default); tests may give their own. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown
  clearTimeout(timer: unknown): void
}

export interface SchedulerOptions {
  readonly clock: ControllableClock
  /**
   * Runs each tick's tasks, `runDue` doing the work: the simulation gathers what they do and
   * sends it once they have all run (one delivery event for what fell due together).
   */
  readonly wrap?: (runDue: () => number) => number
  /** A task that throws: told here, and the tick goes on. Unset: the error leaves `tick()` (the tasks still due stay planned). */
  readonly onError?: (error: unknown) => void
  readonly timers?: Timers
}

export interface Scheduler {
  /** Plans `task` for the clock's `timeMs`. After `stop()` nothing is planned (the id is never run). */
  at(timeMs: number, task: () => void): TaskId
  /** False when it already ran, was cancelled, or never existed. */
  cancel(id: TaskId): boolean
  /** Runs every task due by `clock.now()`, earliest first; returns how many ran. A tick within a task does nothing (the running one picks up what became due). */
  tick(): number
  /** Tasks planned and not run yet. */
  pending(): number
  /** When the next task is due; undefined: none. */
  nextAt(): number | undefined
  /** Cancels every task; returns how many there were. */
  clear(): number
  /** Cancels every task, disarms the timer and stops listening to the clock; for good. */
  stop(): void
  readonly stopped: boolean
}

/** Node's timers take at most 2^31 - 1 ms; a later task is waited for in steps. */
const MAX_TIMER_MS = 2_147_483_647

interface Task {
  readonly id: TaskId
  readonly time: number
  readonly run: () => void
}

const earlier = (a: Task, b: Task) => a.time < b.time || (a.time === b.time && a.id < b.id)

/** A binary min-heap of tasks by time, then id. */
function heap() {
  const items: Task[] = []
  const swap = (i: number, j: number) => {
    const item = items[i] as Task
    items[i] = items[j] as Task
    items[j] = item
  }
  return {
    get size() {
      return items.length
    },
    peek: (): Task | undefined => items[0],
    push(task: Task) {
      items.push(task)
      let index = items.length - 1
      while (index > 0) {
        const parent = (index - 1) >> 1
        if (!earlier(items[index] as Task, items[parent] as Task)) break
        swap(index, parent)
        index = parent
      }
    },
    pop(): Task | undefined {
      const top = items[0]
      const last = items.pop()
      if (top === undefined || last === undefined || items.length === 0) return top
      items[0] = last
      let index = 0
      for (;;) {
        const left = index * 2 + 1
        const right = left + 1
        let least = index
        if (left < items.length && earlier(items[left] as Task, items[least] as Task)) least = left
        if (right < items.length && earlier(items[right] as Task, items[least] as Task)) least = right
        if (least === index) break
        swap(index, least)
        index = least
      }
      return top
    },
    clear() {
      items.length = 0
    },
  }
}

const nodeTimers: Timers = {
  setTimeout: (run, ms) => {
    const timer = setTimeout(run, ms)
    // A planned delivery never keeps the process alive: the server's socket does that.
    timer.unref()
    return timer
  },
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { clock } = options
  const timers = options.timers ?? nodeTimers
  const wrap = options.wrap ?? ((runDue) => runDue())
  const tasks = heap()
  /** Tasks planned and neither run nor cancelled (the heap may still hold cancelled ones). */
  const live = new Set<TaskId>()
  let nextId = 0
  let running = false
  let stopped = false
  let timer: unknown
  let timerAt: number | undefined

  /** The next live task, dropping cancelled ones from the top. */
  function next(): Task | undefined {
    for (let top = tasks.peek(); top !== undefined; top = tasks.peek()) {
      if (live.has(top.id)) return top
      tasks.pop()
    }
    return undefined
  }

  function disarm(): void {
    if (timer !== undefined) timers.clearTimeout(timer)
    timer = undefined
    timerAt = undefined
  }

  /** One timer for the next task while the clock runs; none while it is frozen. */
  function arm(): void {
    if (stopped || running) return
    const task = next()
    if (task === undefined || clock.state().mode === 'frozen') return disarm()
    if (timer !== undefined && timerAt === task.time) return
    disarm()
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, task.time - clock.now()))
    timerAt = task.time
    timer = timers.setTimeout(() => {
      timer = undefined
      timerAt = undefined
      try {
        tick()
      } finally {
        arm()
      }
    }, wait)
  }

  function runDue(): number {
    let ran = 0
    let failure: { readonly error: unknown } | undefined
    for (let task = next(); task !== undefined && task.time <= clock.now(); task = next()) {
      tasks.pop()
      live.delete(task.id)
      ran += 1
      try {
        task.run()
      } catch (error) {
        if (options.onError === undefined) {
          failure = { error }
          break
        }
        options.onError(error)
      }
    }
    if (failure !== undefined) throw failure.error
    return ran
  }

  const due = () => {
    const task = next()
    return task !== undefined && task.time <= clock.now()
  }

  function tick(): number {
    if (running || stopped) return 0
    running = true
    try {
      // Again while something is due: what `wrap` does after the tasks (emitting) may move the clock.
      let ran = wrap(runDue)
      while (!stopped && due()) ran += wrap(runDue)
      return ran
    } finally {
      running = false
      arm()
    }
  }

  // The time moved or its mode changed: the armed timer's wait is stale either way.
  const unsubscribe = clock.onChange(() => {
    disarm()
    tick()
  })

  return {
    at(timeMs, run) {
      nextId += 1
      if (stopped) return nextId
      tasks.push({ id: nextId, time: timeMs, run })
      live.add(nextId)
      arm()
      return nextId
    },
    cancel(id) {
      if (!live.delete(id)) return false
      arm()
      return true
    },
    tick,
    pending: () => live.size,
    nextAt: () => next()?.time,
    clear() {
      const count = live.size
      live.clear()
      tasks.clear()
      disarm()
      return count
    },
    stop() {
      if (stopped) return
      stopped = true
      unsubscribe()
      live.clear()
      tasks.clear()
      disarm()
    },
    get stopped() {
      return stopped
    },
  }
}
