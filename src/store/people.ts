import { DEFAULT_BEHAVIOUR, type RecipientBehaviour } from '../messaging/recipient.js'
import type { MessagingBehaviour, Person } from './fixture-schema.js'

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

/**
 * What the Messaging API reads of a staff member or a customer, kept only when the fixtures give
 * it: a million customers without it cost no memory for it.
 */
export interface UserFields {
  /** The fixtures' own Diyalog id; without one the store derives it (`diyalog-ids.ts`, D54). */
  readonly diyalogId?: string
  /** The fixtures' behaviour completed with `DEFAULT_BEHAVIOUR`'s fields; without one, `DEFAULT_BEHAVIOUR` (D28). */
  readonly messaging?: RecipientBehaviour
}

/** A behaviour of the fixtures, each field it leaves out `DEFAULT_BEHAVIOUR`'s. */
export function completeBehaviour(messaging: MessagingBehaviour): RecipientBehaviour {
  return {
    presence: messaging.presence ?? DEFAULT_BEHAVIOUR.presence,
    reading: messaging.reading ?? DEFAULT_BEHAVIOUR.reading,
  }
}

/** `stored` with the user fields `record` gives (set in place: nothing is added when it gives none). */
export function withUserFields<Stored extends object>(
  stored: Stored,
  record: { readonly diyalogId?: string; readonly messaging?: MessagingBehaviour },
): Stored & UserFields {
  const target = stored as Stored & { -readonly [Field in keyof UserFields]?: UserFields[Field] }
  if (record.diyalogId !== undefined) target.diyalogId = record.diyalogId
  if (record.messaging !== undefined) target.messaging = completeBehaviour(record.messaging)
  return target
}
