/**
 * Compares a client's string-to-sign with the server's, line by line and, where two lines
 * differ, character by character: the answer to "which part of my string-to-sign is wrong?".
 * Lines are named after what they hold: method, Content-Type, x-dlg-date, then the body,
 * whose last line ends with the resource.
 */

/** How much of a line to show on each side of the first difference. */
const CONTEXT = 24

function lineName(index: number, count: number): string {
  if (index === 0) return 'method'
  if (index === 1) return 'Content-Type'
  if (index === 2) return 'x-dlg-date'
  return index === count - 1 ? 'body end + resource' : 'body'
}

function excerpt(line: string, at: number): string {
  const start = Math.max(0, at - CONTEXT)
  const end = Math.min(line.length, at + CONTEXT)
  return `${start > 0 ? '...' : ''}${line.slice(start, end)}${end < line.length ? '...' : ''}`
}

/** A whole line, cut after 80 characters. */
function shorten(line: string): string {
  return line.length > 80 ? `${line.slice(0, 80)}...` : line
}

function describeChar(line: string, at: number): string {
  const code = line.codePointAt(at)
  if (code === undefined) return 'end of line'
  const char = String.fromCodePoint(code)
  return code < 0x20 || code === 0x7f || char.trim() === ''
    ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : JSON.stringify(char)
}

function compareLines(number: number, name: string, client: string, server: string): string {
  let at = 0
  while (at < client.length && at < server.length && client[at] === server[at]) at++
  return (
    `line ${number} (${name}), column ${at + 1}: client has ${describeChar(client, at)}, server has ` +
    `${describeChar(server, at)}; client ${JSON.stringify(excerpt(client, at))}, server ${JSON.stringify(excerpt(server, at))}`
  )
}

/**
 * One entry per difference, e.g. `line 3 (x-dlg-date), column 24: client has "3", server has
 * "2"; …`. Equal strings give an empty list. Lines that only one side has are listed as such.
 */
export function diffStringToSign(client: string, server: string, maxEntries = 10): string[] {
  if (client === server) return []
  const a = client.split('\n')
  const b = server.split('\n')
  // Common lines at both ends; what is left in the middle is what differs.
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++
  const clientMiddle = a.slice(head, a.length - tail)
  const serverMiddle = b.slice(head, b.length - tail)

  // Entries are made only up to the cap: a body of a million lines must not cost a million.
  const differing = Math.max(clientMiddle.length, serverMiddle.length)
  const entries: string[] =
    a.length === b.length ? [] : [`client has ${a.length} lines, server has ${b.length}`]
  const total = differing + entries.length
  for (let i = 0; i < differing && entries.length < maxEntries; i++) {
    const index = head + i
    const clientLine = clientMiddle[i]
    const serverLine = serverMiddle[i]
    if (clientLine !== undefined && serverLine !== undefined) {
      entries.push(compareLines(index + 1, lineName(index, b.length), clientLine, serverLine))
    } else if (clientLine !== undefined) {
      entries.push(`line ${index + 1}: only the client has ${JSON.stringify(shorten(clientLine))}`)
    } else {
      entries.push(
        `line ${index + 1} (${lineName(index, b.length)}): only the server has ${JSON.stringify(shorten(serverLine as string))}`,
      )
    }
  }
  if (total > entries.length) entries.push(`... ${total - entries.length} more differences`)
  return entries
}
