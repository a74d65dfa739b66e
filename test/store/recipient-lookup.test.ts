import { describe, expect, it } from 'vitest'
import { derivedDiyalogId } from '../../src/messaging/bots.js'
import { DEFAULT_BEHAVIOUR } from '../../src/messaging/recipient.js'
import { resolveRecipient } from '../../src/store/recipient-lookup.js'
import { loadFixturesDir } from '../../src/store/fixture-loader.js'
import { DEFAULT_FIXTURES_DIR } from '../../src/config.js'
import { createStore } from '../../src/store/store.js'

/** `resolveRecipient` (src/store/recipient-lookup.ts): the user a bot's message names, by any of the three ids. */

const store = createStore({
  staff: [
    { staffId: '45186', name: 'Ayşe Yılmaz', messaging: { reading: 'at-once' } },
    { staffId: '70021', name: 'Mehmet Çelik' },
  ],
  customers: [
    { customerId: '70021', name: 'Selin Yıldız', diyalogId: '243540663', messaging: { presence: 'offline' } },
    { customerId: '1231232', name: 'Deniz Kaya' },
  ],
  conversations: [],
  bots: [{ name: 'bot_a', token: 'x'.repeat(16), diyalogId: '1614379680' }],
})

describe('resolveRecipient', () => {
  it('appCustomerId: the customer of that number', () => {
    expect(resolveRecipient(store, { appCustomerId: '70021' })).toEqual({
      kind: 'customer',
      id: '70021',
      diyalogId: '243540663',
      name: 'Selin Yıldız',
      behaviour: { presence: 'offline', reading: 'delayed' },
    })
  })

  it('appStaffId: the staff member of that number, never the customer of the same one', () => {
    expect(resolveRecipient(store, { appStaffId: '70021' })).toEqual({
      kind: 'staff',
      id: '70021',
      diyalogId: derivedDiyalogId('staff', '70021'),
      name: 'Mehmet Çelik',
      behaviour: DEFAULT_BEHAVIOUR,
    })
    expect(resolveRecipient(store, { appStaffId: '45186' })?.behaviour).toEqual({
      presence: 'online',
      reading: 'at-once',
    })
  })

  it('id: whichever user holds that Diyalog id, own or derived', () => {
    expect(resolveRecipient(store, { id: '243540663' })).toEqual(
      resolveRecipient(store, { appCustomerId: '70021' }),
    )
    expect(resolveRecipient(store, { id: derivedDiyalogId('customer', '1231232') })).toEqual({
      kind: 'customer',
      id: '1231232',
      diyalogId: derivedDiyalogId('customer', '1231232'),
      name: 'Deniz Kaya',
      behaviour: DEFAULT_BEHAVIOUR,
    })
    expect(resolveRecipient(store, { id: derivedDiyalogId('staff', '45186') })?.id).toBe('45186')
  })

  it.each([
    ['an unknown customer', { appCustomerId: '99999' }],
    ['a staff number as a customer', { appCustomerId: '45186' }],
    ['an unknown staff member', { appStaffId: '1231232' }],
    ['an unknown Diyalog id', { id: '2074022437' }],
    ['a bot’s Diyalog id', { id: '1614379680' }],
    ['a customer number as a Diyalog id', { id: '1231232' }],
    ['a Diyalog id that is not canonical', { id: '0243540663' }],
  ])('nobody for %s', (_label, query) => {
    expect(resolveRecipient(store, query)).toBeUndefined()
  })

  it('finds the Messaging pages’ example recipients in the bundled fixtures, with their behaviours', async () => {
    const bundled = createStore(await loadFixturesDir(DEFAULT_FIXTURES_DIR))
    // The docs: SendMessage's `appCustomerId` 1231232 answers `recipient_id` 2074022437; the webhook
    // envelope's recipient 70021 is Diyalog id 243540663; 70022 is the second recipient, not delivered.
    expect(resolveRecipient(bundled, { appCustomerId: '1231232' })?.diyalogId).toBe('2074022437')
    expect(resolveRecipient(bundled, { id: '2074022437' })?.id).toBe('1231232')
    expect(resolveRecipient(bundled, { id: '243540663' })).toMatchObject({
      id: '70021',
      behaviour: { presence: 'online', reading: 'at-once' },
    })
    expect(resolveRecipient(bundled, { appCustomerId: '70022' })?.behaviour).toEqual({
      presence: 'offline',
      reading: 'delayed',
    })
    expect(resolveRecipient(bundled, { appCustomerId: '123456789' })?.behaviour).toEqual(DEFAULT_BEHAVIOUR)
    const readings = ['2337368', '5667067', '113377', '113344', '7403713', '2337391', '4471209'].map(
      (id) => bundled.behaviourOf({ kind: 'customer', id })?.reading,
    )
    expect(readings).toContain('never')
    expect(bundled.bots).toEqual([])
  })
})
