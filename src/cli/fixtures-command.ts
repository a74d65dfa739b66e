import { defaultCounts, MESSAGE_SHARES, writeFixtures } from '../store/fixture-generator.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { parse, wholeNumber } from './options.js'

export const FIXTURES_HELP = `Usage: diyalog-mock fixtures generate --out DIR [--staff N] [--customers N] [--messages N]
                                   [--groups N] [--calls N] [--sessions N] [--seed S]

Writes a deterministic fixture set of every kind (staff.json, customers.json, groups.json,
conversations.json, calls.json, online-help.json) and a manifest.json naming a 50-message
window and a sample query of each Reporting list, for load tests: the same options and seed
give the same files. One private conversation per customer, customers spread over the staff;
the messages shared out ${MESSAGE_SHARES.private} / ${MESSAGE_SHARES.staffStaff} / ${MESSAGE_SHARES.group} % over private, staff–staff and group conversations and
spread over 2020–2021. Serve it with DLG_FIXTURES_DIR=DIR.

  --staff N       staff members (default 20)
  --customers N   customers, one private conversation each (default 100)
  --messages N    messages in all (default 10000)
  --groups N      groups of 2–6 members (default customers / 50, at least 1)
  --calls N       calls (default messages / 10)
  --sessions N    online-help sessions (default messages / 10)
  --seed S        seed of the generator (default 1)
  --out DIR       the directory to write (created if missing; its seven files are overwritten)
`

const OPTIONS = {
  staff: { type: 'string', default: '20' },
  customers: { type: 'string', default: '100' },
  messages: { type: 'string', default: '10000' },
  groups: { type: 'string' },
  calls: { type: 'string' },
  sessions: { type: 'string' },
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
  const staff = wholeNumber(values.staff, 'staff', 1)
  const customers = wholeNumber(values.customers, 'customers', 1)
  const messages = wholeNumber(values.messages, 'messages', 0)
  const defaults = defaultCounts({ customers, messages })
  const optional = (value: string | undefined, name: 'groups' | 'calls' | 'sessions') =>
    value === undefined ? defaults[name] : wholeNumber(value, name, 0)
  const options = {
    staff,
    customers,
    messages,
    groups: optional(values.groups, 'groups'),
    calls: optional(values.calls, 'calls'),
    sessions: optional(values.sessions, 'sessions'),
    seed: wholeNumber(values.seed, 'seed', 0),
  }
  const started = io.now()
  let manifest
  try {
    manifest = writeFixtures(values.out, options)
  } catch (error) {
    // An option beyond the generator's range (e.g. --groups 200000) is a usage error.
    if (error instanceof RangeError) throw new UsageError(`--${error.message}`)
    throw error
  }
  const { counts, sample, samples } = manifest
  io.out(
    `wrote ${counts.staff} staff, ${counts.customers} customers, ${counts.groups} groups, ${counts.messages} messages, ` +
      `${counts.calls} calls, ${counts.onlineHelpSessions} online-help sessions to ${values.out} in ${io.now() - started} ms\n` +
      `sample window: staff ${sample.staffId}, customer ${sample.customerId}, ${sample.messages} messages from ${sample.startDate} to ${sample.endDate}\n` +
      `sample queries (manifest.json samples): calls ${samples.calls.items}, online help ${samples.onlineHelp.items}, ` +
      `staff messaging ${samples.staffMessaging.items}, customer messaging ${samples.customerMessaging.items} items\n`,
  )
  return EXIT.ok
}
