import { describe, expect, it, onTestFinished } from 'vitest'
import { controllableClock, manualClock } from '../../src/clock.js'
import { createScheduler, type Timers } from '../../src/simulation/scheduler.js'

/** Timed work by the mock's clock (D28): ticks, the one real timer, the admin API's clock moves. */

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0)

/** Timers that never fire by themselves: the test fires them. */
function fakeTimers() {
  const active = new Map<number, { readonly run: () => void; readonly ms: number }>()
  let next = 0
  const timers: Timers & { fire(): void; readonly active: typeof active; armed: number } = {
    active,
    armed: 0,
    setTimeout(run, ms) {
      next += 1
      timers.armed += 1
      active.set(next, { run, ms })
      return next
    },
    clearTimeout(timer) {
      active.delete(timer as number)
    },
    fire() {
      const first = [...active][0]
      if (first === undefined) throw new Error('no timer is armed')
      active.delete(first[0])
      first[1].run()
    },
  }
  return timers
}

function frozen() {
  const clock = controllableClock(manualClock(T0))
  clock.freeze()
  return clock
}

describe('scheduler, frozen clock', () => {
  it('runs what is due by the clock, earliest first, ties in the order planned', () => {
    const clock = frozen()
    const timers = fakeTimers()
    const scheduler = createScheduler({ clock, timers })
    onTestFinished(() => scheduler.stop())
    const ran: string[] = []
    scheduler.at(T0 + 100, () => ran.push('a'))
    scheduler.at(T0 + 50, () => ran.push('b'))
    scheduler.at(T0 + 100, () => ran.push('c'))
    expect(scheduler.tick()).toBe(0)
    expect(scheduler.pending()).toBe(3)
    expect(scheduler.nextAt()).toBe(T0 + 50)
    clock.advance(0.049)
    expect(ran).toEqual([])
    clock.advance(0.001)
    expect(ran).toEqual(['b'])
    clock.advance(10)
    expect(ran).toEqual(['b', 'a', 'c'])
    expect(scheduler.pending()).toBe(0)
    expect(timers.armed).toBe(0)
  })

  it('a clock moved forward runs exactly what became due, at once; moved back, nothing early', () => {
    const clock = frozen()
    const scheduler = createScheduler({ clock, timers: fakeTimers() })
    onTestFinished(() => scheduler.stop())
    const ran: number[] = []
    for (const offset of [100, 200, 300]) scheduler.at(T0 + offset, () => ran.push(offset))
    clock.advance(0.2)
    expect(ran).toEqual([100, 200])
    clock.advance(-1)
    clock.freeze(T0 + 250)
    expect(ran).toEqual([100, 200])
    clock.freeze(T0 + 299)
    expect(ran).toEqual([100, 200])
    clock.freeze(T0 + 300)
    expect(ran).toEqual([100, 200, 300])
  })

  it('arms no timer while frozen, and runs nothing until the clock is moved or ticked', () => {
    const clock = frozen()
    const timers = fakeTimers()
    const scheduler = createScheduler({ clock, timers })
    onTestFinished(() => scheduler.stop())
    let ran = 0
    scheduler.at(T0, () => (ran += 1))
    scheduler.at(T0 + 5, () => (ran += 1))
    expect(timers.armed).toBe(0)
    expect(ran).toBe(0)
    expect(scheduler.tick()).toBe(1)
    expect(ran).toBe(1)
    clock.advance(0.005)
    expect(ran).toBe(2)
    expect(timers.armed).toBe(0)
  })

  it('cancels', () => {
    const clock = frozen()
    const scheduler = createScheduler({ clock })
    onTestFinished(() => scheduler.stop())
    const ran: string[] = []
    const a = scheduler.at(T0 + 10, () => ran.push('a'))
    scheduler.at(T0 + 20, () => ran.push('b'))
    expect(scheduler.cancel(a)).toBe(true)
    expect(scheduler.cancel(a)).toBe(false)
    expect(scheduler.cancel(12345)).toBe(false)
    expect(scheduler.pending()).toBe(1)
    expect(scheduler.nextAt()).toBe(T0 + 20)
    clock.advance(1)
    expect(ran).toEqual(['b'])
  })

  it('runs within the same tick a task planned by a task for a time already due', () => {
    const clock = frozen()
    const scheduler = createScheduler({ clock })
    onTestFinished(() => scheduler.stop())
    const ran: string[] = []
    scheduler.at(T0 + 10, () => {
      ran.push('first')
      scheduler.at(T0 + 10, () => ran.push('same time'))
      scheduler.at(T0 + 11, () => ran.push('later'))
      scheduler.at(T0 + 1000, () => ran.push('not yet'))
    })
    clock.advance(0.5)
    expect(ran).toEqual(['first', 'same time', 'later'])
    expect(scheduler.pending()).toBe(1)
  })

  it('runs what became due while the wrap finished a tick (a clock moved by what the tasks caused)', () => {
    const clock = frozen()
    const ran: string[] = []
    const scheduler = createScheduler({
      clock,
      wrap: (runDue) => {
        const count = runDue()
        if (ran.length === 1) clock.advance(1)
        return count
      },
    })
    onTestFinished(() => scheduler.stop())
    scheduler.at(T0 + 10, () => ran.push('first'))
    scheduler.at(T0 + 900, () => ran.push('second'))
    expect(scheduler.tick()).toBe(0)
    clock.advance(0.01)
    expect(ran).toEqual(['first', 'second'])
  })

  it('wraps each tick that runs tasks', () => {
    const clock = frozen()
    const calls: number[] = []
    const scheduler = createScheduler({
      clock,
      wrap: (runDue) => {
        const ran = runDue()
        calls.push(ran)
        return ran
      },
    })
    onTestFinished(() => scheduler.stop())
    scheduler.at(T0 + 1, () => {})
    scheduler.at(T0 + 2, () => {})
    clock.advance(1)
    expect(calls).toEqual([2])
  })

  it('a task that throws: onError is told and the tick goes on; without onError, tick throws and the rest stays due', () => {
    const clock = frozen()
    const errors: unknown[] = []
    const told = createScheduler({ clock, onError: (error) => errors.push(error) })
    onTestFinished(() => told.stop())
    const ran: string[] = []
    told.at(T0, () => {
      throw new Error('boom')
    })
    told.at(T0, () => ran.push('after'))
    told.tick()
    expect(errors).toEqual([new Error('boom')])
    expect(ran).toEqual(['after'])

    const other = controllableClock(manualClock(T0))
    other.freeze()
    const untold = createScheduler({ clock: other })
    onTestFinished(() => untold.stop())
    untold.at(T0, () => {
      throw new Error('bang')
    })
    untold.at(T0, () => ran.push('next tick'))
    expect(() => untold.tick()).toThrow('bang')
    expect(untold.pending()).toBe(1)
    expect(untold.tick()).toBe(1)
    expect(ran).toEqual(['after', 'next tick'])
  })

  it('stop cancels everything, disarms, and stops listening to the clock', () => {
    const clock = controllableClock(manualClock(T0))
    const timers = fakeTimers()
    const scheduler = createScheduler({ clock, timers })
    let ran = 0
    scheduler.at(T0 + 100, () => (ran += 1))
    expect(timers.active.size).toBe(1)
    scheduler.stop()
    expect(scheduler.stopped).toBe(true)
    expect(timers.active.size).toBe(0)
    expect(scheduler.pending()).toBe(0)
    scheduler.at(T0, () => (ran += 1))
    expect(scheduler.pending()).toBe(0)
    clock.freeze(T0 + 1000)
    expect(scheduler.tick()).toBe(0)
    expect(ran).toBe(0)
    expect(timers.active.size).toBe(0)
  })

  it('clear cancels every task and disarms', () => {
    const clock = controllableClock(manualClock(T0))
    const timers = fakeTimers()
    const scheduler = createScheduler({ clock, timers })
    onTestFinished(() => scheduler.stop())
    scheduler.at(T0 + 100, () => {})
    scheduler.at(T0 + 200, () => {})
    expect(scheduler.clear()).toBe(2)
    expect(scheduler.pending()).toBe(0)
    expect(timers.active.size).toBe(0)
  })
})

describe('scheduler, running clock', () => {
  it('keeps one timer, for the next task, and re-arms when an earlier one is planned', () => {
    const base = manualClock(T0)
    const clock = controllableClock(base)
    const timers = fakeTimers()
    const scheduler = createScheduler({ clock, timers })
    onTestFinished(() => scheduler.stop())
    const ran: string[] = []
    scheduler.at(T0 + 300, () => ran.push('300'))
    scheduler.at(T0 + 500, () => ran.push('500'))
    expect([...timers.active.values()].map((timer) => timer.ms)).toEqual([300])
    scheduler.at(T0 + 100, () => ran.push('100'))
    expect([...timers.active.values()].map((timer) => timer.ms)).toEqual([100])
    base.advance(100)
    timers.fire()
    expect(ran).toEqual(['100'])
    expect([...timers.active.values()].map((timer) => timer.ms)).toEqual([200])
    // A timer that fires early (the machine's clock and the timers disagree) runs nothing and waits again.
    base.advance(150)
    timers.fire()
    expect(ran).toEqual(['100'])
    expect([...timers.active.values()].map((timer) => timer.ms)).toEqual([50])
    base.advance(50)
    timers.fire()
    expect(ran).toEqual(['100', '300'])
  })

  it('re-reads the clock when it changes: an offset runs what became due and re-arms; freezing disarms', () => {
    const clock = controllableClock(manualClock(T0))
    const timers = fakeTimers()
    const scheduler = createScheduler({ clock, timers })
    onTestFinished(() => scheduler.stop())
    const ran: string[] = []
    scheduler.at(T0 + 1000, () => ran.push('1000'))
    scheduler.at(T0 + 5000, () => ran.push('5000'))
    clock.offset(2)
    expect(ran).toEqual(['1000'])
    expect([...timers.active.values()].map((timer) => timer.ms)).toEqual([3000])
    clock.freeze()
    expect(timers.active.size).toBe(0)
    clock.reset()
    expect([...timers.active.values()].map((timer) => timer.ms)).toEqual([5000])
  })

  it('waits at most 2^31 - 1 ms at a time', () => {
    const clock = controllableClock(manualClock(T0))
    const timers = fakeTimers()
    const scheduler = createScheduler({ clock, timers })
    onTestFinished(() => scheduler.stop())
    scheduler.at(T0 + 10 * 2 ** 31, () => {})
    expect([...timers.active.values()].map((timer) => timer.ms)).toEqual([2 ** 31 - 1])
  })

  it('fires by itself with real timers (short delays)', async () => {
    const clock = controllableClock()
    const scheduler = createScheduler({ clock })
    onTestFinished(() => scheduler.stop())
    const order: string[] = []
    const done = new Promise<void>((resolve) => {
      scheduler.at(clock.now() + 15, () => order.push('first'))
      scheduler.at(clock.now() + 30, () => {
        order.push('second')
        resolve()
      })
    })
    expect(order).toEqual([])
    await done
    expect(order).toEqual(['first', 'second'])
    expect(scheduler.pending()).toBe(0)
  })
})
