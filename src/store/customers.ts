import type { Customer } from './fixture-schema.js'
import { withUserFields, type UserFields } from './people.js'

/** Customers by customer number, with the documented defaults filled in. */

/** 5: DomainCustomer (docs/contract.md §4.1; 7 is AnonymousCustomer). */
export const DEFAULT_CUSTOMER_USER_TYPE = 5
export const DEFAULT_CUSTOMER_APP_NAME = 'Diyalog Android'

/** A customer as the store keeps it: the defaults filled in; a Diyalog id and a behaviour only when the fixtures give them. */
export type StoredCustomer = Required<Omit<Customer, keyof UserFields>> & UserFields

export function indexCustomers(records: readonly Customer[]): ReadonlyMap<string, StoredCustomer> {
  return new Map(
    records.map((customer) => [
      customer.customerId,
      withUserFields(
        {
          customerId: customer.customerId,
          name: customer.name,
          userType: customer.userType ?? DEFAULT_CUSTOMER_USER_TYPE,
          appName: customer.appName ?? DEFAULT_CUSTOMER_APP_NAME,
        },
        customer,
      ),
    ]),
  )
}
