import { randomBytes } from 'node:crypto'
import { serveOrExit } from '../serve.js'
import { emptyValueProblem } from '../config.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { httpUrl, parse } from './options.js'

export const SERVE_HELP = `Usage: diyalog-mock serve [options]

Starts the mock server, as npm start does. Flags set the environment variables of the same
meaning (see docs/configuration.md); the variables work too. A start-up problem
(an invalid setting, a port in use, bad fixtures) ends it with one line and exit code 1; a
mistyped or empty flag, with one line and exit code 2.

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

/** The flags that set a variable, and the variable each sets. */
export const SERVE_FLAGS = {
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
  ...Object.fromEntries(Object.keys(SERVE_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
  admin: { type: 'boolean' as const },
}

export async function serveCommand(args: readonly string[], io: CliIo): Promise<number | 'running'> {
  try {
    return start(args, io)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    // One line, like every other start-up failure of the server.
    io.err(`diyalog-mock serve: ${error.message} (diyalog-mock serve --help lists the options)\n`)
    return EXIT.usage
  }
}

function start(args: readonly string[], io: CliIo): number | 'running' {
  const { values } = parse(args, OPTIONS)
  if (values.help) return (io.out(SERVE_HELP), EXIT.ok)
  const env: Record<string, string | undefined> = { ...io.env }
  for (const [flag, variable] of Object.entries(SERVE_FLAGS)) {
    const value = (values as Record<string, unknown>)[flag]
    if (typeof value !== 'string') continue
    // The variable's own rule, said of the flag: an empty value is not the default.
    if (value.trim() === '') {
      const problem = emptyValueProblem(variable).slice(variable.length)
      throw new UsageError(`--${flag}${problem.replace('unset it', 'leave it out')}`)
    }
    env[variable] = value
  }
  // Checked here, so a mistyped flag is a usage error (exit 2) naming it; the server normalises it.
  const publicUrl = (values as Record<string, unknown>)['public-url']
  if (typeof publicUrl === 'string') httpUrl(publicUrl, '--public-url')
  let token: string | undefined
  if (values.admin === true && env['DLG_ADMIN_TOKEN'] === undefined) {
    token = randomBytes(24).toString('base64url')
    env['DLG_ADMIN_TOKEN'] = token
  }
  // Start-up problems (a bad setting, a busy port) end the process with one line and exit 1;
  // the token is printed once the server listens, so a failed start prints that line alone.
  serveOrExit(env, {
    onListening: () => {
      if (token !== undefined) io.err(`diyalog-mock: admin API on: Authorization: Bearer ${token}\n`)
    },
  })
  return 'running'
}
