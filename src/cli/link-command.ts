import { isDateRange } from '../clock.js'
import { createLinkSigner, CONVERSATION_PATH } from '../links/link-signer.js'
import { visible } from '../http/diagnosis-headers.js'
import { createPageFormat } from '../views/format.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { parse } from './options.js'
import { time } from './time-option.js'

export const LINK_HELP = `Usage: diyalog-mock link mint --staff ID --customer ID --start WHEN --end WHEN [options]
       diyalog-mock link inspect URL [options]

mint     prints a conversation link, as getmessagingdetail would return it
inspect  prints a link's fields and expiry and, given the link secret, whether it opens:
         exit 0 valid (or not checked without a secret), 1 invalid or expired

  --staff ID, --customer ID
  --start WHEN, --end WHEN   epoch milliseconds or an ISO 8601 date
  --link-secret S            the server's DLG_LINK_SECRET (or the DLG_LINK_SECRET variable)
  --ttl SECONDS              how long a minted link opens (default 1800)
  --base-url URL             the server's public URL (default http://localhost:3000)
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
  if (value === undefined) throw new UsageError(`${name} is required`)
  return value
}

export async function linkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, true)
  const [action, url, ...rest] = positionals
  if (values.help || action === undefined) return (io.out(LINK_HELP), values.help ? EXIT.ok : EXIT.usage)
  if (rest.length > 0) throw new UsageError(`unexpected ${JSON.stringify(rest[0])}`)
  const secret = values['link-secret'] ?? io.env['DLG_LINK_SECRET']
  const now = values.now === undefined ? io.now() : time(values.now, '--now')
  const ttlSeconds = Number(values.ttl)
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
    throw new UsageError('--ttl must be a whole number of seconds, at least 1')

  if (action === 'mint') {
    const signer = createLinkSigner({
      secret: required(secret, '--link-secret (or DLG_LINK_SECRET)'),
      ttlSeconds,
    })
    const path = signer.mint(
      {
        staffId: required(values.staff, '--staff'),
        customerId: required(values.customer, '--customer'),
        startDate: time(required(values.start, '--start'), '--start'),
        endDate: time(required(values.end, '--end'), '--end'),
      },
      now,
    )
    io.out(`${String(values['base-url']).replace(/\/+$/, '')}${path}\n`)
    return EXIT.ok
  }
  if (action !== 'inspect')
    throw new UsageError(`unknown link action ${JSON.stringify(action)}: use mint or inspect`)

  const text = required(url, 'the link')
  let parsed: URL
  try {
    parsed = new URL(text, 'http://localhost')
  } catch {
    throw new UsageError(`not a URL: ${JSON.stringify(text)}`)
  }
  if (
    !parsed.pathname.endsWith(CONVERSATION_PATH) &&
    !parsed.pathname.endsWith(`${CONVERSATION_PATH}.json`)
  ) {
    io.err(`diyalog-mock: the path is not ${CONVERSATION_PATH}; reading the query anyway\n`)
  }
  let format
  try {
    format = createPageFormat(values['time-zone'])
  } catch {
    throw new UsageError(`--time-zone: unknown zone ${JSON.stringify(values['time-zone'])}`)
  }
  const query = Object.fromEntries(parsed.searchParams)
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
