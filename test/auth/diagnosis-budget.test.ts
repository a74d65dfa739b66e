import { describe, expect, it } from 'vitest'
import { createDiagnosisBudget, UNLIMITED_BUDGET } from '../../src/auth/diagnosis-budget.js'

describe('the diagnosis budget (a leaky bucket)', () => {
  it("lets searches start while less than a second's worth is held, and drains it with time", () => {
    let now = 0
    const budget = createDiagnosisBudget(100, () => now)
    budget.spend(60)
    expect(budget.available()).toBe(true)
    budget.spend(45)
    expect(budget.available()).toBe(false)
    now += 49 // drains 4.9 ms: 100.1 held
    expect(budget.available()).toBe(false)
    now += 2 // 99.9 held
    expect(budget.available()).toBe(true)
    now += 10_000
    budget.spend(99)
    expect(budget.available()).toBe(true)
  })

  it('keeps a burst across a window edge within msPerSecond × (T + 1) plus the last search', () => {
    let now = 0
    const budget = createDiagnosisBudget(100, () => now)
    let spent = 0
    // Searches of 30 ms each, started whenever allowed, for 2 s of time in 1 ms steps.
    for (; now < 2000; now++) {
      if (budget.available()) {
        budget.spend(30)
        spent += 30
      }
    }
    expect(spent).toBeLessThanOrEqual(100 * 3 + 30)
    expect(spent).toBeGreaterThanOrEqual(200)
  })

  it('never runs out when unlimited', () => {
    UNLIMITED_BUDGET.spend(1e9)
    expect(UNLIMITED_BUDGET.available()).toBe(true)
  })
})
