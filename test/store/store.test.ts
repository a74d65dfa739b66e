import { describe, expect, it } from 'vitest'
import type { Fixtures, Message, MessageInput } from '../../src/store/fixture-schema.js'
import { createStore } from '../../src/store/store.js'

function message(id: string, sentAt: number, from: Message['from'] = 'customer'): MessageInput {
  return { id, sentAt, from, text: id }
}

const fixtures: Fixtures = {
  staff: [{ staffId: 's1', name: 'Ayşe' }],
  customers: [
    { customerId: 'c1', name: 'Ömer' },
    { customerId: 'c2', name: 'İpek' },
  ],
  conversations: [
    { staffId: 's1', customerId: 'c1', messages: [message('d', 400), message('a', 100), message('c', 300)] },
    { staffId: 's1', customerId: 'c2', messages: [message('x', 200)] },
    // A second record for the same pair merges into one conversation.
    { staffId: 's1', customerId: 'c1', messages: [message('b2', 200), message('b1', 200, 'staff')] },
  ],
}
const store = createStore(fixtures)
const ids = (found: readonly (Message | MessageInput)[] | { messages: readonly Message[] }) =>
  ('messages' in found ? found.messages : found).map((m) => m.id)

describe('message store', () => {
  it('finds staff and customers by id', () => {
    expect(store.staff('s1')?.name).toBe('Ayşe')
    expect(store.customer('c2')?.name).toBe('İpek')
    expect(store.staff('c1')).toBeUndefined()
    expect(store.customer('s1')).toBeUndefined()
  })

  it('returns a conversation oldest first, same-millisecond messages by id', () => {
    expect(ids(store.messagesBetween('s1', 'c1', { start: 0, end: 1000 }))).toEqual([
      'a',
      'b1',
      'b2',
      'c',
      'd',
    ])
  })

  it('includes both ends of the window', () => {
    expect(ids(store.messagesBetween('s1', 'c1', { start: 100, end: 300 }))).toEqual(['a', 'b1', 'b2', 'c'])
    expect(ids(store.messagesBetween('s1', 'c1', { start: 200, end: 200 }))).toEqual(['b1', 'b2'])
  })

  it('excludes what lies one millisecond outside', () => {
    expect(ids(store.messagesBetween('s1', 'c1', { start: 101, end: 299 }))).toEqual(['b1', 'b2'])
    expect(ids(store.messagesBetween('s1', 'c1', { start: 401, end: 10_000 }))).toEqual([])
    expect(ids(store.messagesBetween('s1', 'c1', { start: -10_000, end: 99 }))).toEqual([])
  })

  it('keeps pairs apart and answers empty for pairs that never talked or reversed windows', () => {
    expect(ids(store.messagesBetween('s1', 'c2', { start: 0, end: 1000 }))).toEqual(['x'])
    const none = { total: 0, messages: [] }
    expect(store.messagesBetween('s1', 'nobody', { start: 0, end: 1000 })).toEqual(none)
    expect(store.messagesBetween('nobody', 'c1', { start: 0, end: 1000 })).toEqual(none)
    expect(store.messagesBetween('s1', 'c1', { start: 1000, end: 0 })).toEqual(none)
  })

  it('copies out only the requested range, and still counts the whole window', () => {
    const window = { start: 100, end: 400 }
    const slice = (offset: number, limit: number) => {
      const found = store.messagesBetween('s1', 'c1', window, { offset, limit })
      return [found.total, ...ids(found)]
    }
    expect(slice(0, 2)).toEqual([5, 'a', 'b1'])
    expect(slice(2, 2)).toEqual([5, 'b2', 'c'])
    expect(slice(4, 2)).toEqual([5, 'd'])
    expect(slice(5, 2)).toEqual([5])
    expect(slice(99, 2)).toEqual([5])
    expect(slice(0, 0)).toEqual([5])
    // The range counts positions inside the window, not in the whole conversation.
    expect(store.messagesBetween('s1', 'c1', { start: 200, end: 300 }, { offset: 1, limit: 5 })).toEqual({
      total: 3,
      messages: [expect.objectContaining({ id: 'b2' }), expect.objectContaining({ id: 'c' })],
    })
  })

  it('holds a conversation of 200,000 messages (no spread into push)', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => message(`m${i}`, i))
    const big = createStore({
      staff: [{ staffId: 's', name: 'S' }],
      customers: [{ customerId: 'c', name: 'C' }],
      conversations: [{ staffId: 's', customerId: 'c', messages: many }],
    })
    expect(big.messagesBetween('s', 'c', { start: 0, end: 1e6 }, { offset: 199_999, limit: 5 }).total).toBe(
      200_000,
    )
  })

  it('counts what it holds', () => {
    expect(store.counts).toEqual({
      staff: 1,
      customers: 2,
      groups: 0,
      messages: 6,
      calls: 0,
      onlineHelpSessions: 0,
      bots: 0,
    })
  })

  it('agrees with a full scan on a larger random store', () => {
    let seed = 42
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
    const messages = Array.from({ length: 5000 }, (_, i) => message(`m${i}`, Math.floor(random() * 100_000)))
    const big = createStore({
      staff: [{ staffId: 's', name: 'S' }],
      customers: [{ customerId: 'c', name: 'C' }],
      conversations: [{ staffId: 's', customerId: 'c', messages }],
    })
    for (let i = 0; i < 200; i++) {
      const a = Math.floor(random() * 110_000) - 5000
      const b = a + Math.floor(random() * 20_000)
      const expected = messages
        .filter((m) => m.sentAt >= a && m.sentAt <= b)
        .sort((x, y) => x.sentAt - y.sentAt || (x.id < y.id ? -1 : 1))
      expect(ids(big.messagesBetween('s', 'c', { start: a, end: b }))).toEqual(ids(expected))
    }
  })
})
