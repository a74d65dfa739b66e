/**
 * The shape of JSON text from one scan of its bytes, without parsing it: how deep arrays and
 * objects nest, and how many structural tokens (`[ ] { } ,` outside strings) it has. The body
 * parser refuses deep bodies with it before parsing; the signature diagnosis bounds its
 * re-serialisations with it.
 */
export interface JsonShape {
  /** The deepest nesting seen (stops counting past `stopAbove`). */
  readonly depth: number
  /** Brackets and commas outside strings, up to where the scan stopped. */
  readonly tokens: number
}

/** Scans `bytes`; stops as soon as the nesting passes `stopAbove` (a 1 MiB `[[[…` costs little). */
export function jsonShape(bytes: Uint8Array, stopAbove = Infinity): JsonShape {
  let depth = 0
  let deepest = 0
  let tokens = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]
    if (inString) {
      if (byte === 0x5c)
        i++ // a backslash escapes the next byte
      else if (byte === 0x22) inString = false
    } else if (byte === 0x22) inString = true
    else if (byte === 0x5b || byte === 0x7b) {
      tokens++
      if (++depth > deepest) {
        deepest = depth
        if (deepest > stopAbove) break
      }
    } else if (byte === 0x5d || byte === 0x7d) {
      tokens++
      depth--
    } else if (byte === 0x2c) tokens++
  }
  return { depth: deepest, tokens }
}
