import type { Customer } from './fixture-schema.js'

/** Customers by customer number, with the documented defaults filled in. */

/** 5: DomainCustomer (docs/contract.md §4.1; 7 is AnonymousCustomer). */
export const DEFAULT_CUSTOMER_USER_TYPE = 5
export const DEFAULT_CUSTOMER_APP_NAME = 'Diyalog Android'

export type StoredCustomer = Required<Customer>

export function indexCustomers(records: readonly Customer[]): ReadonlyMap<string, StoredCustomer> {
  return new Map(
    records.map((customer) => [
      customer.customerId,
      {
        customerId: customer.customerId,
        name: customer.name,
        userType: customer.userType ?? DEFAULT_CUSTOMER_USER_TYPE,
        appName: customer.appName ?? DEFAULT_CUSTOMER_APP_NAME,
      },
    ]),
  )
}
