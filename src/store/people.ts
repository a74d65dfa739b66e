/**
 * A person of the platform: a staff member (sicil) or a customer. Their ids are separate
 * namespaces, so a person is always named with its side. The key (`s:45186`, `c:2337368`) is
 * what the indexes use; ids never hold a colon (`PARTY_ID_PATTERN`).
 */
export interface PersonRef {
  readonly kind: 'staff' | 'customer'
  readonly id: string
}

export type PersonKey = `s:${string}` | `c:${string}`

export function personKey(person: PersonRef): PersonKey {
  return person.kind === 'staff' ? `s:${person.id}` : `c:${person.id}`
}

/** The person a key names: `s:45186` is staff 45186, `c:2337368` customer 2337368. */
export function personRefOf(key: PersonKey): PersonRef {
  return { kind: key.startsWith('s:') ? 'staff' : 'customer', id: key.slice(2) }
}

export const staffKey = (staffId: string): PersonKey => `s:${staffId}`
export const customerKey = (customerId: string): PersonKey => `c:${customerId}`

/** The same key for the two people whichever is named first. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`
}
