import { randomBytes } from 'node:crypto'
import { serveOrExit } from '../serve.js'
import { EXIT, type CliIo } from './io.js'
import { httpUrl, parse } from './options.js'

export const SERVE_HELP = `Usage: diyalog-mock serve [options]

Starts the mock server, as npm start does. Flags set the environment variables of the same
meaning (see docs/configuration.md); the variables work too. A start-up problem
(an invalid setting, a port in use, bad fixtures) ends it with one line and exit code 1.

  --port N              PORT (default 3000)
  --host H              HOST (default 0.0.0.0)
  --keys ID:SECRET,…    DLG_ACCESS_KEYS (default: the demo pair)
  --link-secret S       DLG_LINK_SECRET
  --public-url URL      DLG_PUBLIC_URL
  --fixtures DIR        DLG_FIXTURES_DIR
  --max-skew SECONDS    DLG_MAX_SKEW_SECONDS (default 900)
  --log-level LEVEL     LOG_LEVEL (default info)
  --log-format F        LOG_FORMAT: auto, json, pretty
  --admin               turn the admin API on with a fresh random token, printed on stderr
                        (or set DLG_ADMIN_TOKEN yourself)
`

const FLAGS = {
  port: 'PORT',
  host: 'HOST',
  keys: 'DLG_ACCESS_KEYS',
  'link-secret': 'DLG_LINK_SECRET',
  'public-url': 'DLG_PUBLIC_URL',
  fixtures: 'DLG_FIXTURES_DIR',
  'max-skew': 'DLG_MAX_SKEW_SECONDS',
  'log-level': 'LOG_LEVEL',
  'log-format': 'LOG_FORMAT',
} as const

const OPTIONS = {
  ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
  admin: { type: 'boolean' as const },
}

export async function serveCommand(args: readonly string[], io: CliIo): Promise<number | 'running'> {
  const { values } = parse(args, OPTIONS)
  if (values.help) return (io.out(SERVE_HELP), EXIT.ok)
  // Checked here, so a mistyped flag is a usage error (exit 2) naming it; the server normalises it.
  const publicUrl = (values as Record<string, unknown>)['public-url']
  if (typeof publicUrl === 'string') httpUrl(publicUrl, '--public-url')
  const env: Record<string, string | undefined> = { ...io.env }
  for (const [flag, variable] of Object.entries(FLAGS)) {
    const value = (values as Record<string, unknown>)[flag]
    if (typeof value === 'string') env[variable] = value
  }
  if (values.admin === true && env['DLG_ADMIN_TOKEN'] === undefined) {
    env['DLG_ADMIN_TOKEN'] = randomBytes(24).toString('base64url')
    io.err(`diyalog-mock: admin API on: Authorization: Bearer ${env['DLG_ADMIN_TOKEN']}\n`)
  }
  // Start-up problems (a bad setting, a busy port) end the process with one line and exit 1.
  serveOrExit(env)
  return 'running'
}
