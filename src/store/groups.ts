import type { Group } from './fixture-schema.js'
import { customerKey, staffKey, type PersonKey } from './people.js'

/** Group conversations by group id, each with its members. */

export interface StoredGroup extends Group {
  /** Every member, staff first, in the fixture's order. */
  readonly members: readonly PersonKey[]
}

export function indexGroups(records: readonly Group[]): ReadonlyMap<number, StoredGroup> {
  return new Map(
    records.map((group) => [
      group.groupId,
      { ...group, members: [...group.staffIds.map(staffKey), ...group.customerIds.map(customerKey)] },
    ]),
  )
}
