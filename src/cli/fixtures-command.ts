import { writeFixtures } from '../store/fixture-generator.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { parse, wholeNumber } from './options.js'

export const FIXTURES_HELP = `Usage: diyalog-mock fixtures generate --staff N --customers N --messages N [--seed S] --out DIR

Writes a deterministic fixture set (staff.json, customers.json, conversations.json, and a
manifest.json naming a 50-message window) for load tests: the same options and seed give the
same files. One conversation per customer, customers spread over the staff, messages shared out
evenly and spread over 2020–2021. Serve it with DLG_FIXTURES_DIR=DIR.

  --staff N       staff members (default 20)
  --customers N   customers, one conversation each (default 100)
  --messages N    messages in all (default 10000)
  --seed S        seed of the generator (default 1)
  --out DIR       the directory to write (created if missing; the four files are overwritten)
`

const OPTIONS = {
  staff: { type: 'string', default: '20' },
  customers: { type: 'string', default: '100' },
  messages: { type: 'string', default: '10000' },
  seed: { type: 'string', default: '1' },
  out: { type: 'string' },
} as const

export async function fixturesCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, true)
  if (values.help) return (io.out(FIXTURES_HELP), EXIT.ok)
  if (positionals[0] !== 'generate' || positionals.length > 1) {
    throw new UsageError('the fixtures command is "fixtures generate"')
  }
  if (values.out === undefined) throw new UsageError('--out DIR is required')
  const started = io.now()
  const manifest = writeFixtures(values.out, {
    staff: wholeNumber(values.staff, 'staff', 1),
    customers: wholeNumber(values.customers, 'customers', 1),
    messages: wholeNumber(values.messages, 'messages', 0),
    seed: wholeNumber(values.seed, 'seed', 0),
  })
  const { counts, sample } = manifest
  io.out(
    `wrote ${counts.staff} staff, ${counts.customers} customers, ${counts.messages} messages to ${values.out} in ${io.now() - started} ms\n` +
      `sample window: staff ${sample.staffId}, customer ${sample.customerId}, ${sample.messages} messages from ${sample.startDate} to ${sample.endDate}\n`,
  )
  return EXIT.ok
}
