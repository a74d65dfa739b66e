import { parseArgs, type ParseArgsConfig } from 'node:util'
import { formatDlgDate, parseDlgDate } from '../auth/dlg-date.js'
import { DEMO_ACCESS_KEY, parseAccessKeys, type AccessKey } from '../auth/keyring.js'
import type { Credentials } from '../auth/signer.js'
import type { StringToSignParts } from '../auth/string-to-sign.js'
import { UsageError, type CliIo } from './io.js'
import { readBaseUrl } from '../base-url.js'

/**
 * Options shared by the commands, and their parsing into the project's own types. Kept free of
 * TypeBox (through clock.ts) and Fastify, so that `sign` starts fast: `time()` is in time-option.ts.
 */

export type Options = ParseArgsConfig['options']

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const

type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{
    args: string[]
    options: T & typeof HELP_OPTION
    allowPositionals: boolean
    strict: true
  }>
>

/** Parses a command's arguments strictly (with `--help`); a mistake is a usage error. */
export function parse<T extends Options>(
  args: readonly string[],
  options: T,
  positionals = false,
): Parsed<T> {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, ...HELP_OPTION },
      allowPositionals: positionals,
      strict: true,
    })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/**
 * The resource `sign`, `curl` and `verify` default to: the seed endpoint's path (a test keeps it
 * an entry of the signed API's table, which is not imported here: it would load TypeBox).
 */
export const DEFAULT_RESOURCE = '/v1/reporting/getmessagingdetail'

export const REQUEST_OPTIONS = {
  method: { type: 'string', default: 'POST' },
  resource: { type: 'string', default: DEFAULT_RESOURCE },
  'content-type': { type: 'string', default: 'application/json' },
  date: { type: 'string' },
  data: { type: 'string' },
  body: { type: 'string' },
  'key-id': { type: 'string' },
  secret: { type: 'string' },
  requester: { type: 'string', default: '45186' },
  json: { type: 'boolean', default: false },
} as const satisfies Options

export const REQUEST_HELP = `  --method M            HTTP method (default POST)
  --resource PATH       path and query as sent (default ${DEFAULT_RESOURCE})
  --content-type T      Content-Type as sent (default application/json)
  --date D              x-dlg-date value (default: now, in GMT)
  --data TEXT           the body, exactly as sent (default: the route's example body, if it
                        has one; else empty)
  --body FILE           the body from a file, byte for byte (- for standard input)
  --key-id ID           AccessKeyId (or DLG_KEY_ID; default: the demo pair)
  --secret S            AccessKeySecret (or DLG_SECRET, which keeps it out of shell history)
  --requester ID        x-dlg-requester-userid (default 45186)
  --json                print JSON instead of text`

export function credentials(
  values: { 'key-id'?: string | undefined; secret?: string | undefined },
  io: CliIo,
): Credentials {
  const keyId = values['key-id'] ?? io.env['DLG_KEY_ID']
  const secret = values.secret ?? io.env['DLG_SECRET']
  if (keyId === undefined && secret === undefined) {
    io.err('diyalog-mock: no --key-id/--secret (or DLG_KEY_ID/DLG_SECRET): using the public demo key pair\n')
    return DEMO_ACCESS_KEY
  }
  if (keyId === undefined || secret === undefined)
    throw new UsageError('give both --key-id and --secret (or DLG_KEY_ID and DLG_SECRET)')
  return { keyId, secret }
}

/** Without `--data` or `--body`: the route's example body, or an empty one; either way said on stderr. */
async function defaultBody(method: string, resource: string, io: CliIo): Promise<string> {
  const { exampleBody } = await import('./example-body.js')
  const example = exampleBody(method, resource)
  io.err(
    example === undefined
      ? `diyalog-mock: no --data or --body, and ${method} ${resource} has no example body: signing an empty body\n`
      : `diyalog-mock: no --data or --body: using the example body of ${method} ${resource}\n`,
  )
  return example ?? ''
}

export async function requestParts(
  values: {
    method: string
    resource: string
    'content-type': string
    date?: string | undefined
    data?: string | undefined
    body?: string | undefined
  },
  io: CliIo,
): Promise<StringToSignParts> {
  if (values.data !== undefined && values.body !== undefined)
    throw new UsageError('give --data or --body, not both')
  const body =
    values.body !== undefined
      ? await io.readFile(values.body)
      : (values.data ?? (await defaultBody(values.method, values.resource, io)))
  if (values.date !== undefined && !parseDlgDate(values.date).ok) {
    io.err(
      `diyalog-mock: warning: --date ${JSON.stringify(values.date)} is not a valid x-dlg-date; the server will answer 400\n`,
    )
  }
  return {
    method: values.method,
    resource: values.resource,
    contentType: values['content-type'],
    date: values.date ?? formatDlgDate(io.now()),
    body,
  }
}

/** The base URL an option names (`readBaseUrl`'s rule); anything else is a usage error naming `flag`. */
export function httpUrl(value: string, flag: string): string {
  const read = readBaseUrl(value, flag)
  if ('problem' in read) throw new UsageError(read.problem)
  return read.url
}

/** A whole number ≥ `min` from an option's text; anything else is a usage error naming the option. */
export function wholeNumber(value: string, name: string, min: number): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    throw new UsageError(`--${name} must be a whole number ≥ ${min} (got ${JSON.stringify(value)})`)
  }
  return parsed
}

export function accessKeys(spec: string | undefined, io: CliIo): readonly AccessKey[] {
  const text = spec ?? io.env['DLG_ACCESS_KEYS']
  if (text === undefined) return [DEMO_ACCESS_KEY]
  const parsed = parseAccessKeys(text)
  if (!parsed.ok) throw new UsageError(`--keys: ${parsed.problem}`)
  return parsed.keys
}

/** A string as one single-quoted shell word. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`
}
