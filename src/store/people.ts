import type { Person } from './fixture-schema.js'

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

/** The person a fixture record's side names: `{ staffId }` or `{ customerId }`. */
export const personOfRecord = (person: Person): PersonRef =>
  'staffId' in person ? { kind: 'staff', id: person.staffId } : { kind: 'customer', id: person.customerId }

export const staffKey = (staffId: string): PersonKey => `s:${staffId}`
export const customerKey = (customerId: string): PersonKey => `c:${customerId}`

/** The same key for the two people whichever is named first. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`
}

/** The key a query lists under: the pair's when both people are named, else the one named, else none (all). */
export function queryKey(a: PersonKey | undefined, b: PersonKey | undefined): string | undefined {
  return a !== undefined && b !== undefined ? pairKey(a, b) : (a ?? b)
}
