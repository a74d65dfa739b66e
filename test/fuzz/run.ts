import fc from 'fast-check'
import {
  fuzzApp,
  garbageGetsDocumentedAnswers,
  hostileBodiesAreRefusedCleanly,
  mutationsNeverVerify,
} from './properties.js'

/**
 * `npm run fuzz -- --runs 100000 [--seed S] [--path P]`: the fuzz properties with as many
 * cases as asked (shared 60/25/15 like the suite); prints the count per property and any
 * counter-example with the seed and path that replay it. Exit 1 when a property fails.
 */

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`)
  return index < 0 ? undefined : process.argv[index + 1]
}
const runs = Number(option('runs') ?? 10_000)
const seed = Number(option('seed') ?? Date.now() % 2 ** 31)
const path = option('path')
if (!Number.isSafeInteger(runs) || runs < 3 || !Number.isSafeInteger(seed)) {
  throw new Error('--runs takes a whole number ≥ 3, --seed a whole number')
}

const app = fuzzApp()
const settings = (share: number) => ({
  numRuns: Math.round(runs * share),
  seed,
  ...(path === undefined ? {} : { path }),
})
function summary<Ts>(name: string, result: fc.RunDetails<Ts>) {
  return {
    name,
    numRuns: result.numRuns,
    failed: result.failed,
    report: fc.defaultReportMessage(result) ?? '',
  }
}
const results = [
  summary('mutations of a signed request never verify', fc.check(mutationsNeverVerify, settings(0.6))),
  summary(
    'garbage gets documented answers',
    await fc.check(garbageGetsDocumentedAnswers(app), settings(0.25)),
  ),
  summary(
    'hostile signed bodies are refused cleanly',
    await fc.check(hostileBodiesAreRefusedCleanly(app), settings(0.15)),
  ),
]
await app.close()

let total = 0
for (const result of results) {
  total += result.numRuns
  process.stdout.write(
    `${result.failed ? 'FAIL' : 'ok  '}  ${String(result.numRuns).padStart(7)} cases  ${result.name}\n`,
  )
  if (result.failed) process.stdout.write(`${result.report}\n`)
}
const failed = results.some((result) => result.failed)
process.stdout.write(
  `${total} cases, seed ${seed}: ${failed ? 'counter-examples above' : 'no counter-example'}\n`,
)
process.exitCode = failed ? 1 : 0
