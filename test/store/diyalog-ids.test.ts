import { describe, expect, it } from 'vitest'
import { derivedDiyalogId } from '../../src/messaging/bots.js'
import { indexDiyalogIds, type DiyalogIdSources } from '../../src/store/diyalog-ids.js'
import type { UserFields } from '../../src/store/people.js'
import { createStore } from '../../src/store/store.js'

/** The users' Diyalog ids (D54): their own or derived, each a different one, the reverse index built on first use. */

const users = (entries: Record<string, UserFields>) => new Map(Object.entries(entries))

/** The real derivation, counted. */
function countingDerive() {
  let calls = 0
  return {
    derive: (kind: 'staff' | 'customer', id: string) => {
      calls++
      return derivedDiyalogId(kind, id)
    },
    calls: () => calls,
  }
}

describe('indexDiyalogIds', () => {
  const sources = (derive?: DiyalogIdSources['derive']): DiyalogIdSources => ({
    staff: users({ '45186': {}, '7': {}, '45188': { diyalogId: '1614379681' } }),
    customers: users({ '7': {}, '70021': { diyalogId: '243540663' }, '1231232': {} }),
    botIds: [],
    ...(derive === undefined ? {} : { derive }),
  })

  it('derives nothing until asked, and builds the reverse index once, on the first lookup', () => {
    const counted = countingDerive()
    const ids = indexDiyalogIds(sources(counted.derive))
    expect(counted.calls()).toBe(0)
    // A user's own id needs no index.
    expect(ids.of({ kind: 'customer', id: '70021' })).toBe('243540663')
    expect(ids.of({ kind: 'staff', id: '45188' })).toBe('1614379681')
    expect(counted.calls()).toBe(0)
    expect(ids.user('243540663')).toEqual({ kind: 'customer', id: '70021' })
    // One derivation per user without an id of its own: 4.
    expect(counted.calls()).toBe(4)
    for (let i = 0; i < 10; i++) {
      expect(ids.user(derivedDiyalogId('customer', '1231232'))).toEqual({ kind: 'customer', id: '1231232' })
      expect(ids.user('1614379681')).toEqual({ kind: 'staff', id: '45188' })
    }
    expect(counted.calls()).toBe(4)
  })

  it('the first derived id asked for builds the index too, once', () => {
    const counted = countingDerive()
    const ids = indexDiyalogIds(sources(counted.derive))
    expect(ids.of({ kind: 'staff', id: '45186' })).toBe(derivedDiyalogId('staff', '45186'))
    const built = counted.calls()
    expect(built).toBe(4 + 1)
    ids.user('1')
    ids.of({ kind: 'staff', id: '7' })
    expect(counted.calls()).toBe(built + 1)
  })

  it('answers both ways alike for derived and own ids; staff 7 and customer 7 are two users', () => {
    const ids = indexDiyalogIds(sources())
    const people = [
      { kind: 'staff', id: '45186' },
      { kind: 'staff', id: '7' },
      { kind: 'staff', id: '45188' },
      { kind: 'customer', id: '7' },
      { kind: 'customer', id: '70021' },
      { kind: 'customer', id: '1231232' },
    ] as const
    const found = people.map((person) => ids.of(person))
    expect(new Set(found).size).toBe(people.length)
    for (const [i, person] of people.entries()) expect(ids.user(found[i] as string)).toEqual(person)
    expect(ids.of({ kind: 'staff', id: '7' })).toBe(derivedDiyalogId('staff', '7'))
    expect(ids.of({ kind: 'customer', id: '7' })).toBe(derivedDiyalogId('customer', '7'))
  })

  it('knows nobody by an id nobody has, nor by one that is no canonical Diyalog id', () => {
    const ids = indexDiyalogIds(sources())
    expect(ids.of({ kind: 'customer', id: '45186' })).toBeUndefined()
    expect(ids.of({ kind: 'staff', id: '70021' })).toBeUndefined()
    for (const text of [
      '1',
      '0243540663',
      '+243540663',
      '243540663.0',
      '2.4354066e8',
      ' 243540663',
      '',
      'abc',
    ]) {
      expect(ids.user(text), text).toBeUndefined()
    }
  })

  it('finds a 19-digit own id (beyond what a double holds exactly), and not its neighbour', () => {
    const ids = indexDiyalogIds({
      staff: users({ big: { diyalogId: '9223372036854775807' } }),
      customers: users({}),
      botIds: [],
    })
    expect(ids.user('9223372036854775807')).toEqual({ kind: 'staff', id: 'big' })
    expect(ids.user('9223372036854775806')).toBeUndefined()
  })

  describe('ids that hash alike (a derivation that gives everyone the same id)', () => {
    const SAME = '100000000'
    const derive = (kind: 'staff' | 'customer', id: string) =>
      id.includes('#') ? derivedDiyalogId(kind, id) : SAME

    it('the first user in load order keeps it, the next is derived again from <id>#1, #2 …', () => {
      const ids = indexDiyalogIds({
        staff: users({ a: {} }),
        customers: users({ b: {}, c: {} }),
        botIds: [],
        derive,
      })
      expect(ids.of({ kind: 'staff', id: 'a' })).toBe(SAME)
      expect(ids.of({ kind: 'customer', id: 'b' })).toBe(derivedDiyalogId('customer', 'b#1'))
      expect(ids.of({ kind: 'customer', id: 'c' })).toBe(derivedDiyalogId('customer', 'c#1'))
      expect(ids.user(SAME)).toEqual({ kind: 'staff', id: 'a' })
      expect(ids.user(derivedDiyalogId('customer', 'b#1'))).toEqual({ kind: 'customer', id: 'b' })
    })

    it('an own id wins over a derived one, whoever comes first', () => {
      const ids = indexDiyalogIds({
        staff: users({ a: {} }),
        customers: users({ b: { diyalogId: SAME } }),
        botIds: [],
        derive,
      })
      expect(ids.user(SAME)).toEqual({ kind: 'customer', id: 'b' })
      expect(ids.of({ kind: 'customer', id: 'b' })).toBe(SAME)
      const a = ids.of({ kind: 'staff', id: 'a' }) as string
      expect(a).toBe(derivedDiyalogId('staff', 'a#1'))
      expect(ids.user(a)).toEqual({ kind: 'staff', id: 'a' })
    })

    it('a fixture bot’s id is nobody’s: no user is derived it, and it finds no user', () => {
      const ids = indexDiyalogIds({ staff: users({ a: {} }), customers: users({}), botIds: [SAME], derive })
      expect(ids.user(SAME)).toBeUndefined()
      expect(ids.of({ kind: 'staff', id: 'a' })).toBe(derivedDiyalogId('staff', 'a#1'))
    })

    it('keeps deriving until an id is free', () => {
      // a, a#1 and a#2 all hash alike here; a#3 does not.
      const ids = indexDiyalogIds({
        staff: users({ x: {}, y: {}, z: {} }),
        customers: users({}),
        botIds: [],
        derive: (kind, id) => (/#[3-9]$/.test(id) ? derivedDiyalogId(kind, id) : SAME),
      })
      expect(ids.of({ kind: 'staff', id: 'x' })).toBe(SAME)
      expect(ids.of({ kind: 'staff', id: 'y' })).toBe(derivedDiyalogId('staff', 'y#3'))
      expect(ids.of({ kind: 'staff', id: 'z' })).toBe(derivedDiyalogId('staff', 'z#3'))
    })
  })

  it('gives 30 000 customers 30 000 different ids, each found again', () => {
    const customers = new Map(Array.from({ length: 30_000 }, (_, i) => [String(1_000_000 + i), {}]))
    const ids = indexDiyalogIds({ staff: users({}), customers, botIds: [] })
    const seen = new Set<string>()
    const lost: string[] = []
    for (const id of customers.keys()) {
      const diyalogId = ids.of({ kind: 'customer', id }) as string
      seen.add(diyalogId)
      if (ids.user(diyalogId)?.id !== id) lost.push(id)
    }
    expect(lost).toEqual([])
    expect(seen.size).toBe(customers.size)
  })
})

describe('the store’s Diyalog ids', () => {
  const store = createStore({
    staff: [{ staffId: '45186', name: 'Ayşe' }],
    customers: [
      { customerId: '70021', name: 'Selin', diyalogId: '243540663' },
      { customerId: '5667067', name: 'İpek' },
    ],
    conversations: [],
    bots: [{ name: 'bot_a', token: 'x'.repeat(16), diyalogId: '1614379680' }],
  })

  it('diyalogIdOf: the own id, the derived one, undefined for a stranger', () => {
    expect(store.diyalogIdOf({ kind: 'customer', id: '70021' })).toBe('243540663')
    expect(store.diyalogIdOf({ kind: 'customer', id: '5667067' })).toBe(
      derivedDiyalogId('customer', '5667067'),
    )
    expect(store.diyalogIdOf({ kind: 'staff', id: '45186' })).toBe(derivedDiyalogId('staff', '45186'))
    expect(store.diyalogIdOf({ kind: 'customer', id: '45186' })).toBeUndefined()
  })

  it('userByDiyalogId: the user of an own or derived id; a bot’s id is no user’s', () => {
    expect(store.userByDiyalogId('243540663')).toEqual({ kind: 'customer', id: '70021' })
    expect(store.userByDiyalogId(derivedDiyalogId('staff', '45186'))).toEqual({ kind: 'staff', id: '45186' })
    expect(store.userByDiyalogId('1614379680')).toBeUndefined()
    expect(store.userByDiyalogId(derivedDiyalogId('customer', '70021'))).toBeUndefined()
  })
})
