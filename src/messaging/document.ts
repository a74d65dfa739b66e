/**
 * The file of a Document Message (`message.document.fileData`, docs/contract.md D22, D44): what
 * the server checks before it answers — "api token, recepient, file data, file size" — without
 * keeping the bytes. The base64 is read as Java's basic decoder (`java.util.Base64.getDecoder()`)
 * reads it: the standard alphabet (`A–Z a–z 0–9 + /`) and nothing else — no line breaks, no
 * spaces, no base64url `-`/`_`, no `data:` prefix; the `=` padding may be left out, but padding
 * that is there must be right. The size is of the decoded bytes, computed from the length, and
 * "is it an image" reads only the first bytes, so a 5 MB file costs one scan of its text.
 */

/** Largest file, decoded: the page's "smaller than 5MB", read as 5 MiB (a file of exactly 5 MiB passes). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024

export type ImageType = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp'

export type FileCheck =
  | { readonly ok: true; readonly size: number; readonly imageType?: ImageType }
  | {
      readonly ok: false
      readonly problem: 'fileEmpty' | 'fileNotValid' | 'fileTooLarge' | 'notAnImage'
      /** Why, for `x-dlg-mock-notes` (the documented text says no more). */
      readonly detail?: string
    }

const ALPHABET_PREFIX = /^[A-Za-z0-9+/]*/

/** What a character that stops the base64 is, for the note. */
function describeStop(text: string, at: number): string {
  const char = text.codePointAt(at) ?? 0
  const where = `at character ${at + 1}`
  if (/^data:/i.test(text)) {
    return 'fileData starts with a data: URL header (data:…;base64,): send the base64 alone'
  }
  if (char === 0x0a || char === 0x0d) {
    return `fileData has a line break ${where}: send base64 on one line (no MIME line wrapping)`
  }
  if (char === 0x20 || char === 0x09) return `fileData has white space ${where}: send base64 without spaces`
  if (char === 0x2d || char === 0x5f) {
    return `fileData has ${String.fromCodePoint(char)} ${where}: that is base64url; send standard base64 (+ and /)`
  }
  if (char === 0x3d) return `fileData has = ${where}, before its end: padding goes only at the end`
  const shown =
    char >= 0x21 && char <= 0x7e
      ? String.fromCodePoint(char)
      : `U+${char.toString(16).toUpperCase().padStart(4, '0')}`
  return `fileData has ${shown} ${where}, which is not a base64 character`
}

/**
 * Why `text` is not base64 as the server reads it (see the module comment), or undefined when it
 * is. The empty string is valid base64 of nothing.
 */
export function base64Problem(text: string): string | undefined {
  const letters = (ALPHABET_PREFIX.exec(text) as RegExpExecArray)[0].length
  let padding = 0
  while (letters + padding < text.length && text.charCodeAt(letters + padding) === 0x3d) padding++
  if (letters + padding < text.length) return describeStop(text, letters)
  if (letters % 4 === 1) {
    return `fileData has ${letters} base64 characters, which no bytes encode to (a multiple of 4, or 2 or 3 more): is it cut short?`
  }
  if (padding > 0 && (padding > 2 || (letters + padding) % 4 !== 0)) {
    return `fileData ends in ${padding} = after ${letters} characters: padding must complete the last group of 4`
  }
  return undefined
}

/** How many bytes valid base64 `text` decodes to. */
export function decodedLength(text: string): number {
  let letters = text.length
  while (letters > 0 && text.charCodeAt(letters - 1) === 0x3d) letters--
  const rest = letters % 4
  return Math.floor(letters / 4) * 3 + (rest === 0 ? 0 : rest - 1)
}

/** The image type of a file by its first bytes (magic numbers), or undefined. */
export function imageTypeOf(head: Uint8Array): ImageType | undefined {
  const starts = (...bytes: number[]) => bytes.every((byte, i) => head[i] === byte)
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg'
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png'
  if (starts(0x47, 0x49, 0x46, 0x38) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61)
    return 'gif'
  if (
    starts(0x52, 0x49, 0x46, 0x46) &&
    head[8] === 0x57 &&
    head[9] === 0x45 &&
    head[10] === 0x42 &&
    head[11] === 0x50
  ) {
    return 'webp'
  }
  if (starts(0x42, 0x4d)) return 'bmp'
  return undefined
}

/** The first 12 bytes of valid base64 `text`: enough for every magic number above. */
function headOf(text: string): Buffer {
  return Buffer.from(text.slice(0, 16), 'base64')
}

/**
 * The checks of the Document Message table, in this order: empty (`File data bytes is empty`),
 * not base64 (`… not valid`), over 5 MiB decoded (`Exceeded max file size of 5MB`), then, when
 * the client asks for a photo, not an image (`File as photo cannot be parsed…`).
 */
export function checkFileData(fileData: string, options: { readonly asPhoto: boolean }): FileCheck {
  if (fileData.length === 0) return { ok: false, problem: 'fileEmpty' }
  const problem = base64Problem(fileData)
  if (problem !== undefined) return { ok: false, problem: 'fileNotValid', detail: problem }
  const size = decodedLength(fileData)
  if (size > MAX_FILE_BYTES) {
    return {
      ok: false,
      problem: 'fileTooLarge',
      detail: `fileData decodes to ${size} bytes; the limit is ${MAX_FILE_BYTES} (5 MiB)`,
    }
  }
  const imageType = imageTypeOf(headOf(fileData))
  if (options.asPhoto && imageType === undefined) {
    return {
      ok: false,
      problem: 'notAnImage',
      detail: 'document.photo needs a JPEG, PNG, GIF, WebP or BMP file (read by its first bytes)',
    }
  }
  return { ok: true, size, ...(imageType === undefined ? {} : { imageType }) }
}
