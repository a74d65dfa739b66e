import { isDateRange } from '../clock.js'
import { createLinkSigner, CONVERSATION_PATH } from '../links/link-signer.js'
import { visible } from '../http/header-value.js'
import { createPageFormat } from '../views/format.js'
import { REVERSED_WINDOW } from '../routes/reporting/getmessagingdetail.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { httpUrl, parse } from './options.js'
import { time } from './time-option.js'

export const LINK_HELP = `Usage: diyalog-mock link mint --staff ID --customer ID --start WHEN --end WHEN [options]
       diyalog-mock link inspect URL [options]

mint     prints a conversation link, as getmessagingdetail would return it; refuses (exit 2) a
         window whose start is after its end and a link secret the server would refuse
inspect  prints a link's fields and expiry and, given the link secret, whether it opens:
         exit 0 valid (or not checked without a secret), 1 invalid, expired or not a
         conversation link (not a URL, another path, a missing, repeated or malformed parameter)

  --staff ID, --customer ID
  --start WHEN, --end WHEN   epoch milliseconds or an ISO 8601 date; the start not after the end
  --link-secret S            the server's DLG_LINK_SECRET (or the DLG_LINK_SECRET variable): at
                             least 16 characters, none of the access key secrets (DLG_ACCESS_KEYS,
                             default the demo pair)
  --ttl SECONDS              how long a minted link opens (default 1800)
  --base-url URL             the server's public http(s) URL (default http://localhost:3000)
  --now WHEN                 the time to check expiry against (default: now)
  --time-zone ZONE           zone of the times shown (default Europe/Istanbul)
`

const OPTIONS = {
  staff: { type: 'string' },
  customer: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  'link-secret': { type: 'string' },
  ttl: { type: 'string', default: '1800' },
  'base-url': { type: 'string', default: 'http://localhost:3000' },
  now: { type: 'string' },
  'time-zone': { type: 'string', default: 'Europe/Istanbul' },
} as const

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`${name} is required`)
  return value
}

/**
 * Why the server would refuse `secret` as its DLG_LINK_SECRET (with the access keys of `env`), or
 * undefined: the server's own rule, applied by loading a configuration with it.
 */
async function linkSecretProblem(secret: string, env: CliIo['env']): Promise<string | undefined> {
  const { ConfigError, loadConfig } = await import('../config.js')
  try {
    loadConfig({ DLG_LINK_SECRET: secret, DLG_ACCESS_KEYS: env['DLG_ACCESS_KEYS'] })
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    const problem = error.problems.find((text) => text.startsWith('DLG_LINK_SECRET '))
    return problem?.slice('DLG_LINK_SECRET '.length)
  }
  return undefined
}

/** The link's query, or why it is not a conversation link (one line). */
function readLink(text: string): { url?: URL; problem?: string } {
  let url: URL
  try {
    // A whole link, or its path and query as the page receives them.
    url = new URL(text, text.startsWith('/') ? 'http://localhost' : undefined)
  } catch {
    return { problem: `"${visible(text, 80)}" is not a URL` }
  }
  // Behind DLG_PUBLIC_URL with a path (https://gateway/diyalog) the path ends the same.
  if (!url.pathname.endsWith(CONVERSATION_PATH) && !url.pathname.endsWith(`${CONVERSATION_PATH}.json`)) {
    return { url, problem: `the path is ${visible(url.pathname, 80)}, not ${CONVERSATION_PATH}` }
  }
  const missing = LINK_PARAMETERS.filter((name) => !url.searchParams.has(name))
  if (missing.length > 0) {
    return {
      url,
      problem: `missing ${missing.length === 1 ? 'parameter' : 'parameters'} ${missing.join(', ')}`,
    }
  }
  const repeated = LINK_PARAMETERS.find((name) => url.searchParams.getAll(name).length > 1)
  if (repeated !== undefined) return { url, problem: `the parameter ${repeated} is given more than once` }
  const notTime = (['startDate', 'endDate', 'expiresAt'] as const).find((name) => {
    const value = url.searchParams.get(name) ?? ''
    return !/^-?\d+$/.test(value) || !isDateRange(Number(value))
  })
  if (notTime !== undefined) return { url, problem: `${notTime} is not epoch milliseconds` }
  return { url }
}

const LINK_PARAMETERS = ['staffId', 'customerId', 'startDate', 'endDate', 'expiresAt', 'sig'] as const

export async function linkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, true)
  const [action, url, ...rest] = positionals
  if (values.help || action === undefined) return (io.out(LINK_HELP), values.help ? EXIT.ok : EXIT.usage)
  if (rest.length > 0) throw new UsageError(`unexpected ${JSON.stringify(rest[0])}`)
  const secretFrom = values['link-secret'] !== undefined ? '--link-secret' : 'DLG_LINK_SECRET'
  const secret = values['link-secret'] ?? io.env['DLG_LINK_SECRET']
  const now = values.now === undefined ? io.now() : time(values.now, '--now')
  const ttlSeconds = Number(values.ttl)
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
    throw new UsageError('--ttl must be a whole number of seconds, at least 1')

  if (action === 'mint') {
    const checked = required(secret, '--link-secret (or DLG_LINK_SECRET)')
    const refused = await linkSecretProblem(checked, io.env)
    if (refused !== undefined) {
      throw new UsageError(`${secretFrom} ${refused}: the server refuses such a link secret`)
    }
    const baseUrl = httpUrl(values['base-url'], '--base-url')
    const startDate = time(required(values.start, '--start'), '--start')
    const endDate = time(required(values.end, '--end'), '--end')
    if (startDate > endDate) {
      throw new UsageError(
        `--start is after --end (${startDate} > ${endDate}): the server answers "${REVERSED_WINDOW}" for such a window`,
      )
    }
    const path = createLinkSigner({ secret: checked, ttlSeconds }).mint(
      {
        staffId: required(values.staff, '--staff'),
        customerId: required(values.customer, '--customer'),
        startDate,
        endDate,
      },
      now,
    )
    io.out(`${baseUrl}${path}\n`)
    return EXIT.ok
  }
  if (action !== 'inspect')
    throw new UsageError(`unknown link action ${JSON.stringify(action)}: use mint or inspect`)

  const link = readLink(required(url, 'the link'))
  let format
  try {
    format = createPageFormat(values['time-zone'])
  } catch {
    throw new UsageError(`--time-zone: unknown zone ${JSON.stringify(values['time-zone'])}`)
  }
  if (link.url === undefined) return (io.out(`not a link: ${link.problem}\n`), EXIT.failed)
  const query = Object.fromEntries(link.url.searchParams)
  // Decoded query values may hold anything, terminal escapes included: shown escaped.
  const show = (name: string) => (query[name] === undefined ? '(missing)' : visible(query[name], 200))
  const when = (name: string) => {
    const ms = Number(query[name])
    return query[name] !== undefined && isDateRange(ms)
      ? `${ms} = ${new Date(ms).toISOString()} = ${format.dateTime(ms)} ${format.timeZone}`
      : show(name)
  }
  io.out(
    [
      `staffId:    ${show('staffId')}`,
      `customerId: ${show('customerId')}`,
      `startDate:  ${when('startDate')}`,
      `endDate:    ${when('endDate')}`,
      `expiresAt:  ${when('expiresAt')}`,
      ...(query['page'] === undefined ? [] : [`page:       ${show('page')}`]),
      '',
    ].join('\n'),
  )
  if (link.problem !== undefined) return (io.out(`not a link: ${link.problem}\n`), EXIT.failed)
  if (secret === undefined) {
    io.out('signature: not checked (give --link-secret or DLG_LINK_SECRET)\n')
    return EXIT.ok
  }
  const verdict = createLinkSigner({ secret, ttlSeconds }).verify(query, now)
  if (verdict.status === 'valid') {
    io.out(`valid: opens for ${Math.round((verdict.link.expiresAt - now) / 1000)} s more\n`)
    return EXIT.ok
  }
  io.out(
    verdict.status === 'expired'
      ? `expired: ${Math.round((now - verdict.link.expiresAt) / 1000)} s ago (the page answers 410)\n`
      : 'invalid: changed, cut short or signed with another secret (the page answers 403)\n',
  )
  return EXIT.failed
}
