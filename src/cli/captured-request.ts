/**
 * A request as captured by a proxy, a log or `curl -v`: an optional request line
 * (`POST /v1/… HTTP/1.1`), `Name: value` header lines, and after an empty line, the body.
 * From `curl -v` output the `> ` lines are the request; `< ` and `* ` lines are skipped.
 * Header bytes are read as Latin-1, as Node.js reads them.
 */
export interface CapturedRequest {
  readonly method?: string
  readonly resource?: string
  /** Lower-case names; a header given twice has its values joined with `, `, as Node.js does. */
  readonly headers: Readonly<Record<string, string>>
  /** The bytes after the empty line, if there is one. */
  readonly body?: Buffer
}

const REQUEST_LINE = /^([A-Za-z]+) (\S+) HTTP\/\d(?:\.\d)?$/

function headerEnd(bytes: Buffer): { end: number; next: number } | undefined {
  const crlf = bytes.indexOf('\r\n\r\n')
  const lf = bytes.indexOf('\n\n')
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { end: crlf, next: crlf + 4 }
  if (lf >= 0) return { end: lf, next: lf + 2 }
  return undefined
}

export function parseCapturedRequest(bytes: Buffer): CapturedRequest | { problem: string } {
  const split = headerEnd(bytes)
  const head = bytes.subarray(0, split?.end ?? bytes.length).toString('latin1')
  const lines = head
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('< ') && !line.startsWith('* '))
    .map((line) => (line.startsWith('> ') ? line.slice(2) : line))
    .filter((line) => line !== '' && line !== '>')
  const headers: Record<string, string> = {}
  let method: string | undefined
  let resource: string | undefined
  for (const [index, line] of lines.entries()) {
    const requestLine = index === 0 ? REQUEST_LINE.exec(line) : null
    if (requestLine !== null) {
      method = requestLine[1]
      resource = requestLine[2]
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0)
      return { problem: `line ${index + 1} is not "Name: value": ${JSON.stringify(line.slice(0, 60))}` }
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
  }
  return {
    ...(method === undefined ? {} : { method }),
    ...(resource === undefined ? {} : { resource }),
    headers,
    ...(split === undefined ? {} : { body: bytes.subarray(split.next) }),
  }
}
