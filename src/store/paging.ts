import type { MessageSlice, SliceRange } from './message-store.js'

/**
 * Numbered pages over the messages of a window, oldest first. Page numbers are 1-based and
 * an empty window still has page 1, so every valid link opens.
 */

export interface Page {
  /** 1-based. */
  readonly number: number
  readonly size: number
  /** How many pages the window fills, at least 1. */
  readonly count: number
  /** How many messages the window holds. */
  readonly total: number
  /** 1-based position of the first message shown; 0 when none is. */
  readonly first: number
  /** 1-based position of the last message shown; 0 when none is. */
  readonly last: number
}

const PAGE_NUMBER = /^[1-9][0-9]{0,8}$/

/** Reads a `page` query value: absent is page 1; anything but one plain positive integer is `undefined`. */
export function parsePageNumber(raw: unknown): number | undefined {
  if (raw === undefined) return 1
  return typeof raw === 'string' && PAGE_NUMBER.test(raw) ? Number(raw) : undefined
}

/** The positions a page covers, to ask the store for. */
export function pageRange(number: number, size: number): SliceRange {
  return { offset: (number - 1) * size, limit: size }
}

export function pageCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size))
}

/** Describes the page the store answered; `undefined` when the number lies past the last page. */
export function describePage(number: number, size: number, slice: MessageSlice): Page | undefined {
  const count = pageCount(slice.total, size)
  if (number > count) return undefined
  const shown = slice.messages.length
  const first = shown === 0 ? 0 : (number - 1) * size + 1
  return { number, size, count, total: slice.total, first, last: shown === 0 ? 0 : first + shown - 1 }
}
