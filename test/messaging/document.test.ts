import { describe, expect, it } from 'vitest'
import {
  base64Problem,
  checkFileData,
  decodedLength,
  imageTypeOf,
  MAX_FILE_BYTES,
} from '../../src/messaging/document.js'

/** Base64 of `bytes` zero bytes, built without allocating them. */
function zeroBase64(bytes: number): string {
  const rest = bytes % 3
  return 'A'.repeat(Math.floor(bytes / 3) * 4) + (rest === 0 ? '' : rest === 1 ? 'AA==' : 'AAA=')
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01])
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00', 'latin1')
const WEBP = Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1')
const BMP = Buffer.from('BM\x46\x00\x00\x00\x00\x00\x00\x00\x36\x00', 'latin1')
const PDF = Buffer.from('%PDF-1.7\n%\x81\x81\x81\x81\n\n', 'latin1')

describe('base64 as the server reads it (D44)', () => {
  it('takes the standard alphabet, with or without padding', () => {
    for (const text of ['', 'AA', 'AAA', 'AAAA', 'AA==', 'AAA=', 'ab+/', PDF.toString('base64')]) {
      expect(base64Problem(text), text).toBeUndefined()
    }
  })

  it('refuses line breaks, spaces, base64url, a data: prefix and other characters, saying which', () => {
    expect(base64Problem('AAAA\r\nAAAA')).toMatch(/line break at character 5/)
    expect(base64Problem('AAAA AAAA')).toMatch(/white space at character 5/)
    expect(base64Problem('ab-_')).toMatch(/has - at character 3: that is base64url/)
    expect(base64Problem('data:application/pdf;base64,JVBE')).toMatch(/data: URL header/)
    expect(base64Problem('AA*A')).toMatch(/has \* at character 3, which is not a base64 character/)
    expect(base64Problem('AAé=')).toMatch(/U\+00E9/)
  })

  it('refuses padding that is in the middle, too long, or does not complete a group', () => {
    expect(base64Problem('AA==AAAA')).toMatch(/= at character 3, before its end/)
    expect(base64Problem('A===')).toBeDefined()
    expect(base64Problem('AAAA=')).toMatch(/padding must complete the last group of 4/)
    expect(base64Problem('AA=')).toMatch(/padding must complete/)
    expect(base64Problem('====')).toBeDefined()
  })

  it('refuses a length no bytes encode to', () => {
    expect(base64Problem('AAAAA')).toMatch(/5 base64 characters/)
  })

  it('agrees with Node on the decoded length, padded or not', () => {
    for (let size = 0; size < 20; size++) {
      const bytes = Buffer.alloc(size, 0xab)
      const padded = bytes.toString('base64')
      expect(decodedLength(padded)).toBe(size)
      expect(decodedLength(padded.replace(/=+$/, ''))).toBe(size)
    }
    expect(decodedLength(zeroBase64(MAX_FILE_BYTES))).toBe(MAX_FILE_BYTES)
  })
})

describe('image types by magic number', () => {
  it.each([
    ['jpeg', JPEG],
    ['png', PNG],
    ['gif', GIF],
    ['webp', WEBP],
    ['bmp', BMP],
  ] as const)('knows %s', (type, bytes) => {
    expect(imageTypeOf(bytes)).toBe(type)
  })

  it('knows a PDF, a RIFF that is not WebP and a GIF of an unknown version are not images', () => {
    expect(imageTypeOf(PDF)).toBeUndefined()
    expect(imageTypeOf(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBeUndefined()
    expect(imageTypeOf(Buffer.from('GIF88a', 'latin1'))).toBeUndefined()
    expect(imageTypeOf(Buffer.alloc(0))).toBeUndefined()
  })
})

describe('the Document Message table, row by row', () => {
  it('File data bytes is empty: fileData ""', () => {
    expect(checkFileData('', { asPhoto: false })).toEqual({ ok: false, problem: 'fileEmpty' })
  })

  it('File data bytes not valid: not base64, with the reason for the notes', () => {
    expect(checkFileData('JVBERi0xLjcKJYGBgYEKCj....', { asPhoto: false })).toMatchObject({
      ok: false,
      problem: 'fileNotValid',
      detail: expect.stringMatching(/\./),
    })
  })

  it('Exceeded max file size of 5MB: more than 5 MiB decoded; exactly 5 MiB passes', () => {
    expect(checkFileData(zeroBase64(MAX_FILE_BYTES + 1), { asPhoto: false })).toMatchObject({
      ok: false,
      problem: 'fileTooLarge',
      detail: `fileData decodes to ${MAX_FILE_BYTES + 1} bytes; the limit is ${MAX_FILE_BYTES} (5 MiB)`,
    })
    expect(checkFileData(zeroBase64(MAX_FILE_BYTES), { asPhoto: false })).toEqual({
      ok: true,
      size: MAX_FILE_BYTES,
    })
  })

  it('File as photo cannot be parsed…: a photo whose bytes are not an image', () => {
    expect(checkFileData(PDF.toString('base64'), { asPhoto: true })).toMatchObject({
      ok: false,
      problem: 'notAnImage',
    })
    expect(checkFileData(PDF.toString('base64'), { asPhoto: false })).toEqual({ ok: true, size: PDF.length })
  })

  it('reads an image as a photo and says which type it is', () => {
    for (const [type, bytes] of [
      ['jpeg', JPEG],
      ['png', PNG],
      ['gif', GIF],
      ['webp', WEBP],
      ['bmp', BMP],
    ] as const) {
      expect(checkFileData(bytes.toString('base64'), { asPhoto: true })).toEqual({
        ok: true,
        size: bytes.length,
        imageType: type,
      })
    }
  })

  it('checks in the order empty, valid, size, image', () => {
    // Not base64 and far too long: the base64 is wrong first.
    expect(checkFileData(`${zeroBase64(MAX_FILE_BYTES + 3)}*`, { asPhoto: true })).toMatchObject({
      problem: 'fileNotValid',
    })
    // Too long and not an image: the size first.
    expect(checkFileData(zeroBase64(MAX_FILE_BYTES + 3), { asPhoto: true })).toMatchObject({
      problem: 'fileTooLarge',
    })
  })
})
