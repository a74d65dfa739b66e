import { describe, expect, it } from 'vitest'
import { FixtureError, parseFixtureData } from '../../src/store/fixture-loader.js'

/** The rules of groups, staff–staff and group conversations, calls and sessions (docs/data-model.md). */

const base = {
  staff: [
    { staffId: 's1', name: 'Ayşe' },
    { staffId: 's2', name: 'Mehmet' },
  ],
  customers: [{ customerId: 'c1', name: 'Ömer' }],
  groups: [{ groupId: 7, name: 'Destek', staffIds: ['s1'], customerIds: ['c1'] }],
  conversations: [] as unknown[],
}
const T = '2021-04-05T10:00:00Z'
const goodCall = {
  callId: '-1527120504243668640',
  initiator: { staffId: 's1' },
  receiver: { customerId: 'c1' },
  startedAt: T,
  endedAt: '2021-04-05T10:00:30Z',
  connectedSeconds: 20,
  callType: 'video',
  state: 'ENDED',
  useType: 2,
  recording: true,
}

function problems(data: object): readonly string[] {
  try {
    parseFixtureData(data, 'test')
  } catch (error) {
    if (error instanceof FixtureError) return error.problems
    throw error
  }
  return []
}

describe('fixture rules of the new kinds', () => {
  it('accepts a coherent world, and a data set without the optional kinds', () => {
    const fixtures = parseFixtureData(
      {
        ...base,
        conversations: [
          {
            staffIds: ['s1', 's2'],
            messages: [{ id: 'a', sentAt: T, from: { staffId: 's2' }, text: 'Günaydın' }],
          },
          { groupId: 7, messages: [{ id: 'a', sentAt: T, from: { customerId: 'c1' }, text: 'Merhaba' }] },
        ],
        calls: [goodCall],
        onlineHelp: [
          {
            onlineHelpId: '9223372036854775807',
            customerId: 'c1',
            state: 'onlinehelp_cancelled_by_customer',
            requestedAt: T,
            endedAt: '2021-04-05T10:01:00Z',
          },
        ],
      },
      'test',
    )
    expect(fixtures.calls?.[0]?.startedAt).toBe(Date.parse(T))
    expect(problems({ staff: [], customers: [], conversations: [] })).toEqual([])
  })

  it.each<[string, object, string]>([
    [
      'a group member nobody knows',
      { groups: [{ groupId: 7, name: 'G', staffIds: ['s9'], customerIds: ['c1'] }] },
      'groups.json: record 0 (groupId 7), field staffIds: no such staff s9',
    ],
    [
      'a group of one',
      { groups: [{ groupId: 7, name: 'G', staffIds: ['s1'], customerIds: [] }] },
      'a group needs at least two members',
    ],
    ['a group id twice', { groups: [base.groups[0], base.groups[0]] }, 'duplicate groupId 7'],
    [
      'a group id out of range',
      { groups: [{ ...base.groups[0], groupId: 2 ** 31 }] },
      'groups.json: record 0 (groupId 2147483648), field groupId',
    ],
    [
      'a group message from a non-member',
      {
        conversations: [
          { groupId: 7, messages: [{ id: 'a', sentAt: T, from: { staffId: 's2' }, text: 'x' }] },
        ],
      },
      'field from: staff s2 is not a member of group 7',
    ],
    [
      'a message in an unknown group',
      { conversations: [{ groupId: 8, messages: [] }] },
      'field groupId: no such group in groups.json',
    ],
    [
      'a staff–staff message from a third person',
      {
        conversations: [
          {
            staffIds: ['s1', 's2'],
            messages: [{ id: 'a', sentAt: T, from: { customerId: 'c1' }, text: 'x' }],
          },
        ],
      },
      'field from: must be one of the two staff members',
    ],
    [
      'a staff–staff conversation with one person twice',
      { conversations: [{ staffIds: ['s1', 's1'], messages: [] }] },
      'two different staff members are needed',
    ],
    [
      'a misspelt field in a group message',
      {
        conversations: [
          { groupId: 7, messages: [{ id: 'a', sentAt: T, from: { staffId: 's1' }, txt: 'x' }] },
        ],
      },
      'conversations.json: record 0 (groupId 7), messages[0] (id "a"): unknown field txt',
    ],
    [
      'a call id beyond 64 bits',
      { calls: [{ ...goodCall, callId: '9223372036854775808' }] },
      'field callId: not a signed 64-bit integer',
    ],
    [
      'a call id not canonical',
      { calls: [{ ...goodCall, callId: '-0' }] },
      'field callId: not a signed 64-bit integer',
    ],
    ['a call id as a number', { calls: [{ ...goodCall, callId: 1 }] }, 'field callId'],
    ['a call id twice', { calls: [goodCall, goodCall] }, 'duplicate callId -1527120504243668640'],
    [
      'a caller nobody knows',
      { calls: [{ ...goodCall, initiator: { staffId: 's9' } }] },
      'field initiator: no such staff s9',
    ],
    [
      'a call with oneself',
      { calls: [{ ...goodCall, receiver: { staffId: 's1' } }] },
      'a call needs two different people',
    ],
    [
      'a call that ends first',
      { calls: [{ ...goodCall, endedAt: '2021-04-05T09:59:59Z' }] },
      'field endedAt: before startedAt',
    ],
    [
      'more connected time than the call',
      { calls: [{ ...goodCall, connectedSeconds: 31 }] },
      'field connectedSeconds: longer than the call',
    ],
    [
      'a missed call with a recording',
      { calls: [{ ...goodCall, state: 'MISSED', connectedSeconds: 0 }] },
      'a MISSED call never connected: connectedSeconds 0 and recording false',
    ],
    ['an unknown call type', { calls: [{ ...goodCall, callType: 'VIDEO' }] }, 'field callType'],
    [
      'a requested session with an agent',
      {
        onlineHelp: [
          {
            onlineHelpId: '1',
            customerId: 'c1',
            agentId: 's1',
            state: 'onlinehelp_requested',
            requestedAt: T,
          },
        ],
      },
      'field agentId: a session in state onlinehelp_requested has none',
    ],
    [
      'an ended session without its end',
      {
        onlineHelp: [
          {
            onlineHelpId: '1',
            customerId: 'c1',
            agentId: 's1',
            state: 'onlinehelp_ended_by_agent',
            requestedAt: T,
            startedAt: T,
          },
        ],
      },
      'a session in state onlinehelp_ended_by_agent needs endedAt',
    ],
    [
      'a session that starts before it is requested',
      {
        onlineHelp: [
          {
            onlineHelpId: '1',
            customerId: 'c1',
            agentId: 's1',
            state: 'onlinehelp_started',
            requestedAt: T,
            startedAt: '2021-04-05T09:00:00Z',
          },
        ],
      },
      'requestedAt, startedAt and endedAt must come in that order',
    ],
    [
      'an unknown state',
      { onlineHelp: [{ onlineHelpId: '1', customerId: 'c1', state: 'Ended by customer', requestedAt: T }] },
      'online-help.json: record 0 (onlineHelpId 1), field state: must be one of "onlinehelp_requested", "onlinehelp_cancelled_by_customer"',
    ],
  ])('names the file, record and field: %s', (_name, change, expected) => {
    const found = problems({ ...base, ...change })
    expect(found.join('\n')).toContain(expected)
  })
})
