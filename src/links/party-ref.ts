import { PARTY_ID_PATTERN } from '../schemas.js'

/**
 * References to the two ends of a messaging-list row, as a day link carries them:
 * `staff:45186`, `customer:2337368` or `group:2128893729`. The kind is part of the text, so a
 * staff number and a customer number that happen to be equal never name the same party.
 */

/** A person: a staff number (sicil) or a customer number. */
export interface PartyRef {
  readonly kind: 'staff' | 'customer'
  readonly id: string
}

/** A group conversation: the API's `groupId`, a positive 32-bit integer. */
export interface GroupRef {
  readonly kind: 'group'
  readonly id: number
}

export type Ref = PartyRef | GroupRef

/** The largest group id: the API's `groupId` is a Java `int`. */
export const MAX_GROUP_ID = 2_147_483_647

const PERSON_ID = new RegExp(PARTY_ID_PATTERN)
const GROUP_ID = /^[1-9][0-9]{0,9}$/

/** `staff:45186`, `customer:2337368`, `group:2128893729`. */
export function formatRef(ref: Ref): string {
  return `${ref.kind}:${ref.id}`
}

/**
 * The reference `text` names, or undefined when it is malformed: an unknown kind, a person id
 * outside `PARTY_ID_PATTERN`, a group id that is not a canonical decimal in 1…2^31−1. Never throws.
 */
export function parseRef(text: string): Ref | undefined {
  if (typeof text !== 'string') return undefined
  const colon = text.indexOf(':')
  if (colon < 0) return undefined
  const kind = text.slice(0, colon)
  const id = text.slice(colon + 1)
  if (kind === 'staff' || kind === 'customer') return PERSON_ID.test(id) ? { kind, id } : undefined
  if (kind === 'group' && GROUP_ID.test(id)) {
    const number = Number(id)
    return number <= MAX_GROUP_ID ? { kind, id: number } : undefined
  }
  return undefined
}

export function isPartyRef(ref: Ref | undefined): ref is PartyRef {
  return ref !== undefined && ref.kind !== 'group'
}
