import type { MessageSlice, SliceRange } from './store.js'

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

/**
 * Describes the page the store answered. A number past the last page describes an empty
 * page; callers refuse it by comparing `number` with `count`.
 */
export function describePage(number: number, size: number, slice: MessageSlice): Page {
  const shown = slice.messages.length
  const first = shown === 0 ? 0 : (number - 1) * size + 1
  return {
    number,
    size,
    count: pageCount(slice.total, size),
    total: slice.total,
    first,
    last: shown === 0 ? 0 : first + shown - 1,
  }
}

/** The pages a pager links to; `null` where there is none (before the first, after the last). */
export interface PageLinks {
  readonly first: number
  readonly prev: number | null
  readonly next: number | null
  readonly last: number
}

export function pageLinks(page: Page): PageLinks {
  return {
    first: 1,
    prev: page.number > 1 ? page.number - 1 : null,
    next: page.number < page.count ? page.number + 1 : null,
    last: page.count,
  }
}
