import { Type } from 'typebox'
import { EpochMillis } from '../../schemas.js'
import type { TimeWindow } from '../../store/store.js'
import { ApiFailure } from '../signed-route.js'

/**
 * What the four Reporting lists share (docs/contract.md §4, D12–D17): the window fields, the
 * caps, and the documented or decided messages — in one place, so each endpoint's file holds
 * only its own fields and decision.
 */

/** "Her istekte maximum 20 adet": getcalllist and getonlinehelplist answer at most this many. */
export const MAX_LIST_ITEMS = 20
/** The messaging lists' `pageSize` above this is served as this (D14). */
export const MAX_PAGE_SIZE = 20

export const StartDate = {
  ...EpochMillis,
  description: 'Start of the window, Unix epoch milliseconds, inclusive (D12).',
}
export const EndDate = {
  ...EpochMillis,
  description:
    "End of the window, Unix epoch milliseconds, inclusive (D12). To read further, send the oldest returned item's time here (D13).",
}

export const PageNumber = Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'From 1 (D14).' })
export const PageSize = Type.Integer({
  minimum: 1,
  maximum: 1_000_000,
  description: `Items per page; above ${MAX_PAGE_SIZE} served as ${MAX_PAGE_SIZE} (D14).`,
})

/** D17: a reversed window is D8's 500, naming the problem. */
export const REVERSED_LIST_WINDOW = 'startDate is after endDate: the window is reversed'

/** The body's window, or the D17 failure. */
export function windowOf(body: { readonly startDate: number; readonly endDate: number }): TimeWindow {
  if (body.startDate > body.endDate) throw new ApiFailure(REVERSED_LIST_WINDOW)
  return { start: body.startDate, end: body.endDate }
}

/** D17: the note an unknown id gets (the answer is `[]`). */
export function unknownIdNote(field: string, id: string): string {
  return `no ${field === 'customerId' ? 'customer' : 'staff member'} ${id} (${field}) in the fixtures: the list is empty`
}

/** D14: the page size actually served, and the note when it was cut. */
export function servedPageSize(asked: number, note: (text: string) => void): number {
  if (asked <= MAX_PAGE_SIZE) return asked
  note(`pageSize ${asked} served as ${MAX_PAGE_SIZE}, the documented maximum`)
  return MAX_PAGE_SIZE
}
