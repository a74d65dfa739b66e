import type { StaffMember } from './fixture-schema.js'
import { withUserFields, type UserFields } from './people.js'

/** Staff members by staff number (sicil), with the documented defaults filled in. */

/** 4: DomainUser, the in-house staff member (docs/contract.md §4.1). */
export const DEFAULT_STAFF_USER_TYPE = 4
export const DEFAULT_STAFF_APP_NAME = 'Agent Web App'

/** A staff member as the store keeps it: the defaults filled in; a Diyalog id and a behaviour only when the fixtures give them. */
export type Staff = Required<Omit<StaffMember, keyof UserFields>> & UserFields

export function indexStaff(records: readonly StaffMember[]): ReadonlyMap<string, Staff> {
  return new Map(
    records.map((member) => [
      member.staffId,
      withUserFields(
        {
          staffId: member.staffId,
          name: member.name,
          userType: member.userType ?? DEFAULT_STAFF_USER_TYPE,
          appName: member.appName ?? DEFAULT_STAFF_APP_NAME,
        },
        member,
      ),
    ]),
  )
}
