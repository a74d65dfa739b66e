import { Type } from 'typebox'
import { nameList } from '../../http/header-value.js'
import { MAX_EPOCH_MS } from '../../schemas.js'
import type { PersonRef } from '../../store/people.js'
import type { Store, TimeWindow } from '../../store/store.js'
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

/**
 * A list's window ends: any integer (a Java client may send `Long.MAX_VALUE` for "no end"); the
 * window is then clamped to the times a date can hold (D38).
 */
export const StartDate = Type.Integer({
  description: 'Start of the window, Unix epoch milliseconds, inclusive (D12).',
})
export const EndDate = Type.Integer({
  description:
    "End of the window, Unix epoch milliseconds, inclusive (D12). To read further, send the oldest returned item's time here (D13).",
})

/** Any whole number from 1: a page past the end is `[]` (D14), however far past. */
export const PageNumber = Type.Integer({
  minimum: 1,
  description: 'From 1 (D14); a page past the end is [].',
})
export const PageSize = Type.Integer({
  minimum: 1,
  description: `Items per page; above ${MAX_PAGE_SIZE} served as ${MAX_PAGE_SIZE} (D14).`,
})

/** D17: a reversed window is D8's 500, naming the problem. */
export const REVERSED_LIST_WINDOW = 'startDate is after endDate: the window is reversed'

/** The body's window, or the D17 failure. */
export function windowOf(body: { readonly startDate: number; readonly endDate: number }): TimeWindow {
  if (body.startDate > body.endDate) throw new ApiFailure(REVERSED_LIST_WINDOW)
  return { start: Math.max(body.startDate, -MAX_EPOCH_MS), end: Math.min(body.endDate, MAX_EPOCH_MS) }
}

/**
 * D17: the note an unknown id gets (the answer is `[]`). The id is the client's: written as is
 * when it is a plain name, else as an ASCII JSON string (D30), so it cannot fake a second note.
 */
export function unknownIdNote(field: string, id: string): string {
  return `no ${field === 'customerId' ? 'customer' : 'staff member'} ${nameList([id])} (${field}) in the fixtures: the list is empty`
}

/**
 * D17: notes every id of `given` (field → person, absent ones skipped) the store does not know;
 * true when there was one, and the list is then `[]`.
 */
export function noteUnknownIds(
  store: Pick<Store, 'person'>,
  given: readonly (readonly [field: string, person: PersonRef | undefined])[],
  note: (text: string) => void,
): boolean {
  let unknown = false
  for (const [field, person] of given) {
    if (person !== undefined && store.person(person) === undefined) {
      note(unknownIdNote(field, person.id))
      unknown = true
    }
  }
  return unknown
}

/** D14: the page size actually served, and the note when it was cut. */
export function servedPageSize(asked: number, note: (text: string) => void): number {
  if (asked <= MAX_PAGE_SIZE) return asked
  note(`pageSize ${asked} served as ${MAX_PAGE_SIZE}, the documented maximum`)
  return MAX_PAGE_SIZE
}
