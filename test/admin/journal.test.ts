import { describe, expect, it } from 'vitest'
import { createJournal, entrySize, MAX_BODY, type JournalEntry } from '../../src/admin/journal.js'
import { journalBody } from '../../src/admin/request-hooks.js'

const entry = (body: string | null, url = '/v1/x'): Omit<JournalEntry, 'id'> => ({
  time: 0,
  method: 'POST',
  url,
  headers: { host: 'mock' },
  body,
  status: 200,
  auth: 'ok',
  durationMs: 1,
})

describe('the journal', () => {
  it('keeps at most `limit` entries, newest first', () => {
    const journal = createJournal(3)
    for (const url of ['/a', '/b', '/c', '/d']) journal.record(entry(null, url))
    expect(journal.list().map((e) => e.url)).toEqual(['/d', '/c', '/b'])
    expect(journal.size).toBe(3)
  })

  it('keeps at most `maxBytes`: large entries push out the oldest, the count of bytes follows', () => {
    const big = 'x'.repeat(MAX_BODY)
    const size = entrySize(entry(big, '/0'))
    const journal = createJournal(1000, size * 4 + 10)
    for (let i = 0; i < 10; i++) journal.record(entry(big, `/${i}`))
    expect(journal.list().map((e) => e.url)).toEqual(['/9', '/8', '/7', '/6'])
    expect(journal.bytes).toBe(size * 4)
    // Small entries fit again as the large ones go.
    for (let i = 0; i < 4; i++) journal.record(entry(null, `/small${i}`))
    expect(journal.size).toBe(7)
    expect(journal.bytes).toBeLessThanOrEqual(journal.maxBytes)
    journal.clear()
    expect([journal.size, journal.bytes]).toEqual([0, 0])
  })

  it('keeps an entry larger than its byte bound alone', () => {
    const journal = createJournal(10, 10)
    journal.record(entry('a'))
    journal.record(entry('b'))
    expect(journal.list().map((e) => e.body)).toEqual(['b'])
  })
})

describe('journalBody', () => {
  it('decodes only the bytes it keeps, and never cuts a character in two', () => {
    expect(journalBody(null)).toBeNull()
    expect(journalBody(Buffer.from('{"a":"ş"}'))).toBe('{"a":"ş"}')
    const raw = Buffer.concat([Buffer.from('x'), Buffer.from('ş'.repeat(MAX_BODY))])
    const body = journalBody(raw) as string
    expect(body).toMatch(new RegExp(`^xş+\\.\\.\\.\\[cut, ${raw.length} bytes in all\\]$`))
    expect(Buffer.byteLength(body.split('...')[0] as string)).toBeLessThanOrEqual(MAX_BODY)
    expect(body).not.toContain('\ufffd')
  })

  it('cuts bytes that are not UTF-8 where they are', () => {
    const body = journalBody(Buffer.alloc(MAX_BODY + 10, 0x80)) as string
    expect(body.split('...[cut')[0]?.length).toBeGreaterThanOrEqual(MAX_BODY - 3)
  })
})
