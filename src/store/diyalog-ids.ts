import { derivedDiyalogId } from '../messaging/bots.js'
import { DIYALOG_ID_PATTERN } from './fixture-schema.js'
import { personKey, type PersonKey, type PersonRef, type UserFields } from './people.js'

/**
 * The Diyalog ids of the store's users (D54): a staff member's or customer's own (`diyalogId` of
 * the fixtures) or else `derivedDiyalogId(kind, id)`, so that every user has one, the same on
 * every start, and no two users — nor a user and a bot of the fixtures — share one.
 *
 * Derived ids are 31-bit hashes: a million customers hold about 240 pairs that hash alike. The
 * claims therefore go in a fixed order — the fixtures' own ids (unique, the loader sees to it),
 * then the fixture bots', then the derived ones, staff before customers, each in file order — and
 * a derived id already taken is derived again from `<id>#1`, `<id>#2`, … (a party id never holds
 * `#`). Which ids are re-derived is known only once every user is hashed, so the index is built
 * on the first question that needs it (a million customers: about 2 s), never at load time, and
 * answers in O(1) after. A user with an id of its own is answered without it.
 */
export interface DiyalogIds {
  /** The user's Diyalog id; undefined for a person the store does not hold. */
  of(person: PersonRef): string | undefined
  /** Who holds this Diyalog id: undefined for nobody, a bot, or a text that is no Diyalog id. */
  user(diyalogId: string): PersonRef | undefined
}

export interface DiyalogIdSources {
  readonly staff: ReadonlyMap<string, UserFields>
  readonly customers: ReadonlyMap<string, UserFields>
  /** The Diyalog ids of the fixtures' bots: no user is given one of them. */
  readonly botIds: readonly string[]
  /** The derivation; a test counts its calls. */
  readonly derive?: (kind: 'staff' | 'customer', id: string) => string
}

const DIYALOG_ID = new RegExp(DIYALOG_ID_PATTERN)
/** Held by a bot: the index's owner value for an id no user may have. */
const BOT = -1

/**
 * An id as a key of the index: a number while it is exact as one (up to 15 digits: every
 * derived id), so a million entries hold no strings; the text beyond. Only canonical decimals
 * come here, so `"007"` never meets `"7"`.
 */
const keyOf = (diyalogId: string): number | string => (diyalogId.length <= 15 ? Number(diyalogId) : diyalogId)

export function indexDiyalogIds(sources: DiyalogIdSources): DiyalogIds {
  const derive = sources.derive ?? derivedDiyalogId
  let index:
    | {
        /** The owner of each id: staff `i` is `i`, customer `j` is `staff.size + j`, a bot `BOT`. */
        readonly owners: ReadonlyMap<number | string, number>
        readonly staffIds: readonly string[]
        readonly customerIds: readonly string[]
        /** The users whose derived id was taken, and the one they got instead. */
        readonly rederived: ReadonlyMap<PersonKey, string>
      }
    | undefined

  const build = () => {
    const staffIds = [...sources.staff.keys()]
    const customerIds = [...sources.customers.keys()]
    const owners = new Map<number | string, number>()
    const rederived = new Map<PersonKey, string>()
    const claim = (diyalogId: string, owner: number) => {
      const key = keyOf(diyalogId)
      if (owners.has(key)) return false
      owners.set(key, owner)
      return true
    }
    const sides = [
      { kind: 'staff', users: sources.staff, ids: staffIds, first: 0 },
      { kind: 'customer', users: sources.customers, ids: customerIds, first: staffIds.length },
    ] as const
    // The fixtures' own ids first: whatever hashes alike, they stay their users'.
    for (const side of sides) {
      let i = side.first
      for (const user of side.users.values()) {
        if (user.diyalogId !== undefined) claim(user.diyalogId, i)
        i++
      }
    }
    for (const botId of sources.botIds) claim(botId, BOT)
    for (const side of sides) {
      let i = side.first
      for (const [id, user] of side.users) {
        if (user.diyalogId === undefined && !claim(derive(side.kind, id), i)) {
          let again: string
          let n = 1
          do again = derive(side.kind, `${id}#${n++}`)
          while (!claim(again, i))
          rederived.set(personKey({ kind: side.kind, id }), again)
        }
        i++
      }
    }
    index = { owners, staffIds, customerIds, rederived }
    return index
  }

  return {
    of(person) {
      const user = (person.kind === 'staff' ? sources.staff : sources.customers).get(person.id)
      if (user === undefined) return undefined
      if (user.diyalogId !== undefined) return user.diyalogId
      return (index ?? build()).rederived.get(personKey(person)) ?? derive(person.kind, person.id)
    },
    user(diyalogId) {
      if (!DIYALOG_ID.test(diyalogId)) return undefined
      const { owners, staffIds, customerIds } = index ?? build()
      const owner = owners.get(keyOf(diyalogId))
      if (owner === undefined || owner === BOT) return undefined
      return owner < staffIds.length
        ? { kind: 'staff', id: staffIds[owner] as string }
        : { kind: 'customer', id: customerIds[owner - staffIds.length] as string }
    },
  }
}
