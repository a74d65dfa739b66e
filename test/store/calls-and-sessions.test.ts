import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { callParties, callUseTypeName } from '../../src/store/calls.js'
import { parseFixtureData } from '../../src/store/fixture-loader.js'
import { HELP_STATES, type HelpState, type OnlineHelpInput } from '../../src/store/fixture-schema.js'
import { newestFirst } from '../../src/store/newest-first.js'
import { helpStateFields, onlineHelpTimes, onlineHelpWindow } from '../../src/store/online-help.js'
import { createStore } from '../../src/store/store.js'

const at = (iso: string) => `2021-04-0${iso}Z`

function world() {
  return createStore(
    parseFixtureData(
      {
        staff: [
          { staffId: 's1', name: 'Ayşe' },
          { staffId: 's2', name: 'Mehmet' },
        ],
        customers: [
          { customerId: 'c1', name: 'Ömer' },
          { customerId: 'c2', name: 'İpek' },
        ],
        conversations: [],
        calls: [
          call('1', { staffId: 's1' }, { customerId: 'c1' }, at('1T10:00:00.000'), 'voice', 3),
          call('-2', { customerId: 'c1' }, { staffId: 's1' }, at('1T11:00:00.000'), 'video', 1),
          call('9007199254740993', { staffId: 's1' }, { customerId: 'c2' }, at('1T11:00:00.000'), 'voice', 3),
          call('9007199254740992', { staffId: 's2' }, { customerId: 'c1' }, at('1T11:00:00.000'), '', 0),
          call('5', { staffId: 's1' }, { staffId: 's2' }, at('2T09:00:00.000'), 'voice', 1),
        ],
        onlineHelp: [
          {
            onlineHelpId: '10',
            customerId: 'c1',
            state: 'onlinehelp_requested',
            requestedAt: at('1T10:00:00.000'),
          },
          {
            onlineHelpId: '11',
            customerId: 'c1',
            agentId: 's1',
            state: 'onlinehelp_ended_by_agent',
            requestedAt: at('1T11:00:00.000'),
            startedAt: at('1T11:01:00.000'),
            endedAt: at('1T11:09:00.000'),
          },
          {
            onlineHelpId: '-12',
            customerId: 'c2',
            agentId: 's1',
            state: 'onlinehelp_started',
            requestedAt: at('1T11:00:00.000'),
            startedAt: at('1T11:00:30.000'),
          },
        ],
      },
      'test',
    ),
  )
}

function call(
  callId: string,
  initiator: object,
  receiver: object,
  startedAt: string,
  callType: string,
  useType: number,
) {
  const ended = new Date(Date.parse(startedAt) + 30_000).toISOString()
  return {
    callId,
    initiator,
    receiver,
    startedAt,
    endedAt: ended,
    connectedSeconds: 20,
    callType,
    state: 'ENDED',
    useType,
    recording: false,
  }
}

const ALL = { start: 0, end: 1e15 }
const ids = (items: readonly { callId?: string; onlineHelpId?: string }[]) =>
  items.map((item) => item.callId ?? item.onlineHelpId)

describe('calls', () => {
  const store = world()

  it('lists newest first, equal times by id as 64-bit integers, descending', () => {
    expect(ids(store.calls({ window: ALL, limit: 20 }))).toEqual([
      '5',
      '9007199254740993',
      '9007199254740992',
      '-2',
      '1',
    ])
  })

  it('matches a person as caller or callee, and a pair in both directions', () => {
    expect(ids(store.calls({ window: ALL, staffId: 's1', limit: 20 }))).toEqual([
      '5',
      '9007199254740993',
      '-2',
      '1',
    ])
    expect(ids(store.calls({ window: ALL, customerId: 'c1', limit: 20 }))).toEqual([
      '9007199254740992',
      '-2',
      '1',
    ])
    expect(ids(store.calls({ window: ALL, staffId: 's1', customerId: 'c1', limit: 20 }))).toEqual(['-2', '1'])
    expect(store.calls({ window: ALL, staffId: 'nobody', limit: 20 })).toEqual([])
  })

  it('filters by type and use type; no type means every type, the old "" too', () => {
    expect(ids(store.calls({ window: ALL, callType: 'voice', limit: 20 }))).toEqual([
      '5',
      '9007199254740993',
      '1',
    ])
    expect(ids(store.calls({ window: ALL, useType: 0, limit: 20 }))).toEqual(['9007199254740992'])
    expect(
      ids(store.calls({ window: ALL, callType: 'voice', useType: 3, staffId: 's1', limit: 20 })),
    ).toEqual(['9007199254740993', '1'])
  })

  it('keeps both ends of the window and the limit', () => {
    const t = Date.parse(at('1T11:00:00.000'))
    expect(ids(store.calls({ window: { start: t, end: t }, limit: 20 }))).toEqual([
      '9007199254740993',
      '9007199254740992',
      '-2',
    ])
    expect(ids(store.calls({ window: { start: t + 1, end: 1e15 }, limit: 20 }))).toEqual(['5'])
    expect(ids(store.calls({ window: { start: 0, end: t - 1 }, limit: 20 }))).toEqual(['1'])
    expect(ids(store.calls({ window: ALL, limit: 2 }))).toEqual(['5', '9007199254740993'])
    expect(store.calls({ window: { start: 10, end: 0 }, limit: 20 })).toEqual([])
  })

  it('finds a call by id, and fills the people in', () => {
    expect(store.call('-2')?.initiatorKey).toBe('c:c1')
    expect(store.call('2')).toBeUndefined()
    expect(store.person({ kind: 'staff', id: 's1' })).toMatchObject({ userType: 4, appName: 'Agent Web App' })
    expect(store.person({ kind: 'customer', id: 'c1' })).toMatchObject({
      userType: 5,
      appName: 'Diyalog Android',
    })
  })
})

describe('callUseTypeName', () => {
  it('names 0–3 as the API spells them, and anything else UNKOWN', () => {
    expect([0, 1, 2, 3, 4, -1, 1.5].map(callUseTypeName)).toEqual([
      'UNKOWN',
      'DIYALOG_STANDART_CALL',
      'VIDEO_HELP_CALL',
      'ONLINE_HELP_CALL',
      'UNKOWN',
      'UNKOWN',
      'UNKOWN',
    ])
  })
})

describe('callParties', () => {
  const store = world()
  const person = (ref: Parameters<typeof store.person>[0]) => store.person(ref)

  it("names each side from the store, the call's own app name over the person's", () => {
    const stored = store.call('-2')
    expect(stored).toBeDefined()
    if (stored === undefined) return
    expect(callParties({ ...stored, receiverAppName: 'Diyalog Kurumsal' }, person)).toEqual({
      initiator: {
        ref: { kind: 'customer', id: 'c1' },
        name: 'Ömer',
        userType: 5,
        appName: 'Diyalog Android',
      },
      receiver: { ref: { kind: 'staff', id: 's1' }, name: 'Ayşe', userType: 4, appName: 'Diyalog Kurumsal' },
    })
  })

  it('gives a person the store does not know no name and their side’s defaults', () => {
    const stored = store.call('1')
    expect(stored).toBeDefined()
    if (stored === undefined) return
    expect(
      callParties({ ...stored, initiator: { staffId: 'gone' }, receiver: { customerId: 'gone' } }, person),
    ).toEqual({
      initiator: {
        ref: { kind: 'staff', id: 'gone' },
        name: undefined,
        userType: 4,
        appName: 'Agent Web App',
      },
      receiver: {
        ref: { kind: 'customer', id: 'gone' },
        name: undefined,
        userType: 5,
        appName: 'Diyalog Android',
      },
    })
  })
})

describe('online-help sessions', () => {
  const store = world()

  it('lists newest first by request time, ties by id descending, per customer, agent and pair', () => {
    expect(ids(store.onlineHelpSessions({ window: ALL, limit: 20 }))).toEqual(['11', '-12', '10'])
    expect(ids(store.onlineHelpSessions({ window: ALL, customerId: 'c1', limit: 20 }))).toEqual(['11', '10'])
    expect(ids(store.onlineHelpSessions({ window: ALL, agentId: 's1', limit: 20 }))).toEqual(['11', '-12'])
    expect(
      ids(store.onlineHelpSessions({ window: ALL, agentId: 's1', customerId: 'c2', limit: 20 })),
    ).toEqual(['-12'])
    expect(store.onlineHelpSession('-12')?.state).toBe('onlinehelp_started')
  })
})

describe('D34: a session’s fields and times by state', () => {
  it('gives an agent and a start to the states an agent joined, an end to the ended and the cancelled', () => {
    expect(Object.fromEntries(HELP_STATES.map((state) => [state, helpStateFields(state)]))).toEqual({
      onlinehelp_requested: { agentId: false, startedAt: false, endedAt: false },
      onlinehelp_cancelled_by_customer: { agentId: false, startedAt: false, endedAt: true },
      onlinehelp_started: { agentId: true, startedAt: true, endedAt: false },
      onlinehelp_ended_by_customer: { agentId: true, startedAt: true, endedAt: true },
      onlinehelp_ended_by_agent: { agentId: true, startedAt: true, endedAt: true },
      onlinehelp_ended_customer_kill_app: { agentId: true, startedAt: true, endedAt: true },
    })
  })

  const T = Date.UTC(2021, 3, 1, 10)
  const session = (state: HelpState, startedAt?: number, endedAt?: number): OnlineHelpInput => ({
    onlineHelpId: '1',
    customerId: 'c1',
    state,
    requestedAt: T,
    ...(startedAt === undefined ? {} : { agentId: 's1', startedAt }),
    ...(endedAt === undefined ? {} : { endedAt }),
  })

  it('waits until the start or the cancel, helps from the start to the end, in whole seconds rounded down', () => {
    expect(onlineHelpTimes(session('onlinehelp_requested'))).toEqual({
      startedAt: undefined,
      endedAt: undefined,
      waitTime: undefined,
      helpTime: undefined,
    })
    expect(onlineHelpTimes(session('onlinehelp_cancelled_by_customer', undefined, T + 41_999))).toEqual({
      startedAt: undefined,
      endedAt: undefined,
      waitTime: 41,
      helpTime: undefined,
    })
    expect(onlineHelpTimes(session('onlinehelp_started', T + 4_500))).toEqual({
      startedAt: T + 4_500,
      endedAt: undefined,
      waitTime: 4,
      helpTime: undefined,
    })
    expect(onlineHelpTimes(session('onlinehelp_ended_by_agent', T + 4_500, T + 16_499))).toEqual({
      startedAt: T + 4_500,
      endedAt: T + 16_499,
      waitTime: 4,
      helpTime: 11,
    })
  })

  it('D36: a session’s messages run from its start to its end, or to now, never reversed', () => {
    const times = (state: HelpState, startedAt?: number, endedAt?: number) =>
      onlineHelpTimes(session(state, startedAt, endedAt))
    expect(onlineHelpWindow(times('onlinehelp_ended_by_agent', T + 1_000, T + 9_000), T)).toEqual({
      start: T + 1_000,
      end: T + 9_000,
    })
    expect(onlineHelpWindow(times('onlinehelp_started', T + 1_000), T + 5_000)).toEqual({
      start: T + 1_000,
      end: T + 5_000,
    })
    // Started after the clock's now: the start alone.
    expect(onlineHelpWindow(times('onlinehelp_started', T + 1_000), T)).toEqual({
      start: T + 1_000,
      end: T + 1_000,
    })
    expect(onlineHelpWindow(times('onlinehelp_requested'), T)).toBeUndefined()
    expect(
      onlineHelpWindow(times('onlinehelp_cancelled_by_customer', undefined, T + 9_000), T),
    ).toBeUndefined()
  })

  it('ignores a time its state does not give (a store built by hand)', () => {
    expect(onlineHelpTimes(session('onlinehelp_requested', T + 1_000, T + 2_000))).toEqual({
      startedAt: undefined,
      endedAt: undefined,
      waitTime: undefined,
      helpTime: undefined,
    })
    expect(onlineHelpTimes(session('onlinehelp_started', T + 1_000, T + 2_000)).endedAt).toBeUndefined()
  })
})

describe('newestFirst', () => {
  it('agrees with a sort and a filter on random items', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ t: fc.integer({ min: 0, max: 50 }), id: fc.bigInt(), key: fc.constantFrom('a', 'b') }),
          {
            maxLength: 60,
          },
        ),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom(undefined, 'a', 'b'),
        (items, a, b, limit, key) => {
          const window = { start: Math.min(a, b), end: Math.max(a, b) }
          const index = newestFirst(
            items,
            (item) => item.t,
            (item) => item.id,
            (item) => [item.key],
          )
          const expected = [...items]
            .filter(
              (item) =>
                (key === undefined || item.key === key) && item.t >= window.start && item.t <= window.end,
            )
            .sort((x, y) => y.t - x.t || (y.id > x.id ? 1 : y.id < x.id ? -1 : 0))
            .slice(0, limit)
          expect(index.list(key, window, limit).map((item) => [item.t, item.id])).toEqual(
            expected.map((item) => [item.t, item.id]),
          )
        },
      ),
    )
  })
})

describe('a large group', () => {
  it('costs one entry per sender and day, not one per member: 2,000 members, 20,000 messages', () => {
    const staffIds = Array.from({ length: 1000 }, (_, i) => `s${i}`)
    const customerIds = Array.from({ length: 1000 }, (_, i) => `c${i}`)
    const store = createStore(
      parseFixtureData(
        {
          staff: staffIds.map((staffId) => ({ staffId, name: staffId })),
          customers: customerIds.map((customerId) => ({ customerId, name: customerId })),
          groups: [{ groupId: 1, name: 'Herkes', staffIds, customerIds }],
          conversations: [
            {
              groupId: 1,
              messages: Array.from({ length: 20_000 }, (_, i) => ({
                id: `m${i}`,
                // Each on its own day: the worst case for daily rows.
                sentAt: new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString(),
                from: { staffId: staffIds[i % 7] as string },
                text: 'x',
              })),
            },
          ],
        },
        'test',
      ),
    )
    const all = { start: 0, end: 1e15 }
    const page = store.messagingRows({ kind: 'staff', id: 's0' }, { window: all, offset: 1_998, limit: 3 })
    // The newest day's entry expands to 1,999 rows (every member but the sender, by key): row 1,999
    // is its last, and the next are the next day's first.
    expect(page.map((row) => [row.day, row.receiver])).toEqual([
      [page[0]?.day, 's:s999'],
      [page[1]?.day, 'c:c0'],
      [page[1]?.day, 'c:c1'],
    ])
    expect(page[1]?.day).toBeLessThan(page[0]?.day as number)
    const toOne = store.messagingRows(
      { kind: 'staff', id: 's0' },
      { window: all, receiver: { kind: 'customer', id: 'c500' }, offset: 0, limit: 20 },
    )
    expect(toOne).toHaveLength(20)
    expect(toOne.every((row) => row.receiver === 'c:c500' && row.groupId === 1 && row.count === 1)).toBe(true)
  })
})
