import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import {
  fuzzApp,
  garbageGetsDocumentedAnswers,
  hostileBodiesAreRefusedCleanly,
  mutationsNeverVerify,
} from './properties.js'

/**
 * The fuzz properties at a fixed seed, 10,000 cases in all (`npm run fuzz` runs more). A
 * failure prints the seed and path that replay it: `npm run fuzz -- --seed S --path P`.
 */
const seed = Number(process.env['FUZZ_SEED'] ?? 20261124)
const app = fuzzApp()
afterAll(() => app.close())

describe('fuzzing (fast-check, seeded)', () => {
  it('6,000 mutations of a signed request: none verifies unless it changed nothing', () => {
    const result = fc.check(mutationsNeverVerify, { numRuns: 6000, seed })
    expect(result.failed ? fc.defaultReportMessage(result) : 'ok').toBe('ok')
    expect(result.numRuns).toBe(6000)
  })

  it('2,500 garbage requests: documented statuses only, no crash', async () => {
    const result = await fc.check(garbageGetsDocumentedAnswers(app), { numRuns: 2500, seed })
    expect(result.failed ? fc.defaultReportMessage(result) : 'ok').toBe('ok')
  }, 60_000)

  it('1,500 hostile signed bodies: 200 or a named 500, no prototype polluted', async () => {
    const result = await fc.check(hostileBodiesAreRefusedCleanly(app), { numRuns: 1500, seed })
    expect(result.failed ? fc.defaultReportMessage(result) : 'ok').toBe('ok')
  }, 60_000)
})
