import { describe, expect, it } from 'vitest'
import type { Message } from '../../src/store/fixture-schema.js'
import { describePage, pageCount, pageRange, parsePageNumber } from '../../src/store/paging.js'

const messages = (n: number): Message[] =>
  Array.from({ length: n }, (_, i) => ({ id: `m${i}`, sentAt: i, from: 'staff', text: 'x' }))

describe('paging', () => {
  it.each<[unknown, number | undefined]>([
    [undefined, 1],
    ['1', 1],
    ['12', 12],
    ['999999999', 999_999_999],
    ['0', undefined],
    ['-1', undefined],
    ['01', undefined],
    ['1.5', undefined],
    ['1e3', undefined],
    [' 2', undefined],
    ['', undefined],
    ['1234567890', undefined],
    [['1', '2'], undefined],
  ])('reads page=%j as %j', (raw, expected) => {
    expect(parsePageNumber(raw)).toBe(expected)
  })

  it('turns a page number into the positions to fetch', () => {
    expect(pageRange(1, 50)).toEqual({ offset: 0, limit: 50 })
    expect(pageRange(3, 10)).toEqual({ offset: 20, limit: 10 })
  })

  it('counts at least one page, so an empty window still opens', () => {
    expect([pageCount(0, 10), pageCount(1, 10), pageCount(10, 10), pageCount(11, 10)]).toEqual([1, 1, 1, 2])
  })

  it('describes full, partial and empty pages', () => {
    expect(describePage(1, 10, { total: 25, messages: messages(10) })).toEqual({
      number: 1,
      size: 10,
      count: 3,
      total: 25,
      first: 1,
      last: 10,
    })
    expect(describePage(3, 10, { total: 25, messages: messages(5) })).toMatchObject({ first: 21, last: 25 })
    expect(describePage(1, 10, { total: 0, messages: [] })).toMatchObject({ count: 1, first: 0, last: 0 })
  })

  it('has no page past the last', () => {
    expect(describePage(4, 10, { total: 25, messages: [] })).toBeUndefined()
    expect(describePage(2, 10, { total: 0, messages: [] })).toBeUndefined()
  })
})
