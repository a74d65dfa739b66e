import { describe, expect, it } from 'vitest'
import type { Message } from '../../src/store/fixture-schema.js'
import { describePage, pageCount, pageLinks, pageRange, parsePageNumber } from '../../src/store/paging.js'

const messages = (n: number): Message[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    sentAt: i,
    from: 'staff',
    senderId: 's1',
    receiverKind: 'customer',
    receiverId: 'c1',
    text: 'x',
  }))

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

  it('describes a number past the last page as empty, for the caller to refuse', () => {
    expect(describePage(4, 10, { total: 25, messages: [] })).toMatchObject({ number: 4, count: 3, first: 0 })
    expect(describePage(2, 10, { total: 0, messages: [] })).toMatchObject({ number: 2, count: 1 })
  })

  it('links the first, previous, next and last pages that exist', () => {
    const page = (number: number, total: number) => describePage(number, 10, { total, messages: [] })
    expect(pageLinks(page(1, 25))).toEqual({ first: 1, prev: null, next: 2, last: 3 })
    expect(pageLinks(page(2, 25))).toEqual({ first: 1, prev: 1, next: 3, last: 3 })
    expect(pageLinks(page(3, 25))).toEqual({ first: 1, prev: 2, next: null, last: 3 })
    expect(pageLinks(page(1, 0))).toEqual({ first: 1, prev: null, next: null, last: 1 })
    expect(pageLinks(page(2, 20))).toEqual({ first: 1, prev: 1, next: null, last: 2 })
  })
})
