/**
 * JSON text that keeps big integers exact: the Diyalog API's `callId` and `onlineHelpId` are
 * Java `long`s beyond 2^53 (`-1527120504243668640`), which a `number` cannot hold and which
 * `JSON.stringify` refuses as a `bigint`. `jsonText` writes the same text as `JSON.stringify`
 * (no indentation) except that a `bigint` is written as its exact integer literal.
 *
 * What it shares with `JSON.stringify`: keys in `Object.keys` order; properties whose value is
 * `undefined`, a function or a symbol left out of objects, written `null` in arrays; `toJSON`
 * honoured (a `Date` becomes its ISO string); non-finite numbers written `null`; strings
 * escaped by `JSON.stringify` itself. What it does not do: replacers, indentation, unwrapping
 * boxed primitives (`new Number(1)` is written as an object), and cycle detection — the mock
 * builds its answers from fresh plain data, and a cycle would end in a `RangeError` (stack
 * depth) rather than `JSON.stringify`'s `TypeError`.
 */
export function jsonText(value: unknown): string {
  const text = write(value, '')
  if (text === undefined) throw new TypeError(`jsonText: a ${typeof value} has no JSON text`)
  return text
}

/** The text of `value`, or undefined for what an object leaves out (undefined, functions, symbols). */
function write(value: unknown, key: string | number): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value)
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return value.toString()
    case 'object':
      if (value === null) return 'null'
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return write((value as { toJSON: (key: string) => unknown }).toJSON(String(key)), key)
      }
      return Array.isArray(value) ? writeArray(value) : writeObject(value as Record<string, unknown>)
    default:
      return undefined
  }
}

function writeArray(array: readonly unknown[]): string {
  let text = '['
  for (let i = 0; i < array.length; i++) {
    if (i > 0) text += ','
    text += write(array[i], i) ?? 'null'
  }
  return `${text}]`
}

function writeObject(object: Record<string, unknown>): string {
  let text = '{'
  let first = true
  for (const key of Object.keys(object)) {
    const member = write(object[key], key)
    if (member === undefined) continue
    text += `${first ? '' : ','}${quote(key)}:${member}`
    first = false
  }
  return `${text}}`
}

/** What JSON.stringify escapes in a string: `"`, `\\`, control characters, lone surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`
}
