/**
 * Response header values the mock derives from client input. A header value must be ASCII on
 * one line (Node.js throws on anything else, and the client would get a 500 instead of the
 * documented answer), and a long one can push the headers past a client's limit (16 KiB in
 * undici): every such value is escaped and cut here.
 */

/** Longest header value the mock writes from client input. */
export const MAX_HEADER_VALUE = 4096

function escapeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0
  if (char === '\\') return '\\\\'
  if (char === '\n') return '\\n'
  if (char === '\r') return '\\r'
  if (char === '\t') return '\\t'
  return `\\u{${code.toString(16)}}`
}

/** One printable ASCII line: `\` and everything outside 0x20-0x7e escaped, cut at `max` characters. */
export function visible(text: string, max = MAX_HEADER_VALUE): string {
  // Cut before escaping, so a huge string costs no more than a short one; escapes lengthen it.
  const escaped = text.slice(0, max).replace(/[^\x20-\x5b\x5d-\x7e]/gu, escapeChar)
  return escaped.length <= max && text.length <= max
    ? escaped
    : `${escaped.slice(0, max)}...[cut, ${text.length} characters in all]`
}

/**
 * A value built of already-quoted parts (the notes of D14/D17/D20, whose client ids went through
 * `nameList`): kept as it is when it is printable ASCII, only cut; anything else goes through
 * `visible`, so a header never throws.
 */
export function headerLine(text: string, max = MAX_HEADER_VALUE): string {
  if (!/^[\x20-\x7e]*$/.test(text)) return visible(text, max)
  return text.length <= max ? text : `${text.slice(0, max)}...[cut, ${text.length} characters in all]`
}

/** A name written as is: letters, digits and `_ $ . -`. */
const PLAIN_NAME = /^[\w$.-]{1,64}$/

/** Longest name shown of a list; longer ones are cut. */
const MAX_NAME = 64

/**
 * A list of client-chosen names (e.g. unknown body fields) as one header value: plain names as
 * they are, any other as a JSON string with non-ASCII characters as `\uXXXX` (so `"müşteriNo"`
 * reads `"m\u00fc\u015fteriNo"` and parses back with `JSON.parse`), joined with `, `. Past `max`
 * characters the list stops and says how many names there were.
 */
export function nameList(names: readonly string[], max = 1024): string {
  let value = ''
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string
    const shown = PLAIN_NAME.test(name) ? name : jsonAscii(name)
    const next = value === '' ? shown : `${value}, ${shown}`
    if (next.length > max) {
      return value === '' ? `...[cut, ${names.length} in all]` : `${value}, ...[cut, ${names.length} in all]`
    }
    value = next
  }
  return value
}

/** A JSON string of ASCII; a long name is cut, the mark outside the quotes (`"abc"...`). */
function jsonAscii(name: string): string {
  const cut = name.length > MAX_NAME
  const text = JSON.stringify(cut ? name.slice(0, MAX_NAME) : name).replace(/[^\x20-\x7e]/gu, (char) =>
    // Astral characters become their two UTF-16 escapes, as JSON writes them.
    Array.from(
      { length: char.length },
      (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`,
    ).join(''),
  )
  return cut ? `${text}...` : text
}
