import { sign } from '../auth/signer.js'
import { visible } from '../http/header-value.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import {
  credentials,
  httpUrl,
  parse,
  REQUEST_HELP,
  REQUEST_OPTIONS,
  requestParts,
  shellQuote,
} from './options.js'

export const SIGN_HELP = `Usage: diyalog-mock sign [options]

Signs a request the way a Diyalog client must and prints its headers and the string-to-sign.

${REQUEST_HELP}

Example:
  DLG_SECRET=… diyalog-mock sign --key-id my-key --data '{"staffId":"45188"}'
`

export const CURL_HELP = `Usage: diyalog-mock curl [options]

Prints a ready-to-run curl command for a signed request (the date is now unless --date is given,
so run it within the server's clock-skew window).

  --base-url URL        server to call, an http(s) URL (default http://localhost:3000)
${REQUEST_HELP}
`

type RequestValues = ReturnType<typeof parse<typeof REQUEST_OPTIONS>>['values']

async function signed(values: RequestValues, io: CliIo) {
  const parts = await requestParts(values, io)
  const result = sign(parts, credentials(values, io))
  const headers = {
    'Content-Type': parts.contentType,
    'x-dlg-date': parts.date,
    'x-dlg-requester-userid': values.requester,
    'x-dlg-authorization': result.authorization,
  }
  return { parts, result, headers }
}

export async function signCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, REQUEST_OPTIONS)
  if (values.help) return (io.out(SIGN_HELP), EXIT.ok)
  const { result, headers } = await signed(values, io)
  if (values.json) {
    io.out(
      `${JSON.stringify({ headers, stringToSign: result.stringToSign, signature: result.signature }, null, 2)}\n`,
    )
  } else {
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`)
    io.out(
      `${lines.join('\n')}\n\nstring-to-sign (newlines shown as \\n):\n${visible(result.stringToSign, Infinity)}\n`,
    )
  }
  return EXIT.ok
}

const CURL_OPTIONS = { 'base-url': { type: 'string', default: 'http://localhost:3000' } } as const

export async function curlCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...REQUEST_OPTIONS, ...CURL_OPTIONS })
  if (values.help) return (io.out(CURL_HELP), EXIT.ok)
  const baseUrl = httpUrl(values['base-url'], '--base-url')
  const { parts, headers } = await signed(values, io)
  // A body from a file is sent from that file, byte for byte; a --data body inline.
  let data: string[] = []
  if (values.body !== undefined && values.body !== '-') data = [`--data-binary @${shellQuote(values.body)}`]
  else if (parts.body.length > 0) {
    const text = typeof parts.body === 'string' ? parts.body : Buffer.from(parts.body).toString('utf8')
    if (text.includes('\u0000') || !Buffer.from(text).equals(Buffer.from(parts.body))) {
      throw new UsageError(
        'a body with NUL bytes or invalid UTF-8 cannot go on a command line: give it as --body FILE',
      )
    }
    data = [`--data-raw ${shellQuote(text)}`]
  }
  const lines = [
    `curl -sS -i -X ${shellQuote(parts.method)} ${shellQuote(`${baseUrl}${parts.resource}`)}`,
    ...Object.entries(headers).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`),
    ...data,
  ]
  io.out(`${lines.join(' \\\n  ')}\n`)
  return EXIT.ok
}
