import { describe, expect, it } from 'vitest'
import { diffStringToSign } from '../../src/auth/string-to-sign-diff.js'

const server =
  'POST\napplication/json\nTue, 09 Mar 2021 13:28:32 GMT\n{"a":1}/v1/reporting/getmessagingdetail'

describe('string-to-sign diff', () => {
  it('is empty for equal strings', () => {
    expect(diffStringToSign(server, server)).toEqual([])
  })

  it('names the line and the first differing column, with the characters on both sides', () => {
    expect(diffStringToSign(server.replace('POST', 'post'), server)).toEqual([
      'line 1 (method), column 1: client has "p", server has "P"; client "post", server "POST"',
    ])
  })

  it('shows control characters and spaces by code point', () => {
    expect(diffStringToSign(server.replace('{"a":1}', '{"a":1}\r'), server)).toEqual([
      'line 4 (body end + resource), column 8: client has U+000D, server has "/"; client "{\\"a\\":1}\\r/v1/reporting/getmessag...", server "{\\"a\\":1}/v1/reporting/getmessagi..."',
    ])
  })

  it('shows an excerpt around a difference deep in a long line', () => {
    const long = `${'x'.repeat(100)}A${'y'.repeat(100)}`
    const [entry] = diffStringToSign(`a\nb\nc\n${long}`, `a\nb\nc\n${long.replace('A', 'B')}`)
    expect(entry).toBe(
      `line 4 (body end + resource), column 101: client has "A", server has "B"; client "...${'x'.repeat(24)}A${'y'.repeat(23)}...", server "...${'x'.repeat(24)}B${'y'.repeat(23)}..."`,
    )
  })

  it('lists lines only one side has: the newline before the resource (D3)', () => {
    const client = server.replace('}/v1', '}\n/v1')
    expect(diffStringToSign(client, server)).toEqual([
      'client has 5 lines, server has 4',
      'line 4 (body end + resource), column 8: client has end of line, server has "/"; client "{\\"a\\":1}", server "{\\"a\\":1}/v1/reporting/getmessagi..."',
      'line 5: only the client has "/v1/reporting/getmessagingdetail"',
    ])
  })

  it('lists the lines the server has and the client lacks', () => {
    expect(diffStringToSign('POST\napplication/json', server)).toEqual([
      'client has 2 lines, server has 4',
      'line 3 (x-dlg-date): only the server has "Tue, 09 Mar 2021 13:28:32 GMT"',
      'line 4 (body end + resource): only the server has "{\\"a\\":1}/v1/reporting/getmessagingdetail"',
    ])
  })

  it('cuts a long line only one side has', () => {
    const [, entry] = diffStringToSign(`a\nb\nc\nd\n${'z'.repeat(200)}`, 'a\nb\nc\nd')
    expect(entry).toBe(`line 5: only the client has "${'z'.repeat(80)}..."`)
  })

  it('stops after a number of differences', () => {
    const many = Array.from({ length: 30 }, (_, i) => `line${i}`).join('\n')
    const other = Array.from({ length: 30 }, (_, i) => `LINE${i}`).join('\n')
    const entries = diffStringToSign(many, other, 5)
    expect(entries).toHaveLength(6)
    expect(entries.at(-1)).toBe('... 25 more differences')
  })
})
