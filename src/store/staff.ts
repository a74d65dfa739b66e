import type { StaffMember } from './fixture-schema.js'

/** Staff members by staff number (sicil), with the documented defaults filled in. */

/** 4: DomainUser, the in-house staff member (docs/contract.md §4.1). */
export const DEFAULT_STAFF_USER_TYPE = 4
export const DEFAULT_STAFF_APP_NAME = 'Agent Web App'

export type Staff = Required<StaffMember>

export function indexStaff(records: readonly StaffMember[]): ReadonlyMap<string, Staff> {
  return new Map(
    records.map((member) => [
      member.staffId,
      {
        staffId: member.staffId,
        name: member.name,
        userType: member.userType ?? DEFAULT_STAFF_USER_TYPE,
        appName: member.appName ?? DEFAULT_STAFF_APP_NAME,
      },
    ]),
  )
}
