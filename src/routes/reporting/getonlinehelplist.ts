import { Type, type Static } from 'typebox'
import { EpochMillis, Int64 } from '../../schemas.js'
import { HELP_STATES, type OnlineHelpInput } from '../../store/fixture-schema.js'
import { onlineHelpTimes } from '../../store/online-help.js'
import { signedRoute, type SignedRouteDeps } from '../signed-route.js'
import { EndDate, MAX_LIST_ITEMS, noteUnknownIds, StartDate, windowOf } from './lists.js'

// `POST /v1/reporting/getonlinehelplist` (docs/contract.md §4.2, §4.5, D8, D12, D13, D17–D21, D34).

export const GetOnlineHelpListBody = Type.Object(
  {
    startDate: StartDate,
    endDate: EndDate,
    customerId: Type.Optional(
      Type.String({ description: 'Customer number: the sessions this customer requested.' }),
    ),
    agentId: Type.Optional(
      Type.String({
        description:
          'Agent staff number (sicil): the sessions this agent took. With customerId: the sessions between the two. ' +
          'Its old name agentUserId is ignored (D20).',
      }),
    ),
  },
  {
    // The documentation's example request.
    examples: [{ customerId: '2337368', agentId: '45186', startDate: 1612984180000, endDate: 1615403380000 }],
  },
)

const Seconds = Type.Integer({ minimum: 0 })

/**
 * One session, its fields in the documentation's table order (the order the mock writes them).
 * Optional fields are left out, never `null`.
 */
export const OnlineHelpListItem = Type.Object({
  onlineHelpId: { ...Int64, description: 'A Java long, written as an exact JSON integer (D18).' },
  customerNo: Type.String(),
  customerName: Type.String(),
  agentId: Type.Optional(Type.String({ description: 'Absent when the help never started.' })),
  agentName: Type.Optional(Type.String({ description: 'Absent when the help never started.' })),
  // D19: the documented enum, not the example's "Ended by customer".
  helpState: Type.Enum(HELP_STATES),
  helpRequestedAt: {
    ...EpochMillis,
    description: 'Puts the session in the window (D12); the paging cursor (D13).',
  },
  helpStartedAt: Type.Optional({ ...EpochMillis, description: 'Absent when the help never started.' }),
  helpEndedAt: Type.Optional({
    ...EpochMillis,
    description: 'Absent when the help never started or has not ended.',
  }),
  waitTime: Type.Optional({
    ...Seconds,
    description:
      'Seconds until an agent joined, or until the customer cancelled; absent while the request still waits (D34).',
  }),
  helpTime: Type.Optional({
    ...Seconds,
    description: 'Seconds from start to end; absent when the help never started or has not ended.',
  }),
  // D19: a string, though the documentation types it (int).
  conversationDetailLink: Type.Optional(
    Type.String({
      description:
        "A signed, expiring link to the session's messages (D21); absent when the help never started.",
    }),
  ),
})

/**
 * The answer: the documentation's example with D19's corrections (the states from the enum, the
 * link a string, the mock's); its placeholder times (1, 2, 3) are kept.
 */
export const GetOnlineHelpListResponse = Type.Array(OnlineHelpListItem, {
  maxItems: MAX_LIST_ITEMS,
  examples: [
    [
      {
        onlineHelpId: 12345,
        customerNo: '2337368',
        customerName: 'Customer Name1',
        agentId: '45186',
        agentName: 'Agent 45186',
        helpState: 'onlinehelp_ended_by_customer',
        helpRequestedAt: 1,
        helpStartedAt: 2,
        helpEndedAt: 3,
        waitTime: 4,
        helpTime: 12,
        conversationDetailLink: 'http://localhost:3000/views/onlinehelp/12345?expiresAt=1615298312000&sig=…',
      },
      {
        onlineHelpId: 12346,
        customerNo: '7403713',
        customerName: 'Customer Naem2',
        agentId: '45187',
        agentName: 'Agent 45187',
        helpState: 'onlinehelp_ended_by_agent',
        helpRequestedAt: 1,
        helpStartedAt: 2,
        helpEndedAt: 3,
        waitTime: 4,
        helpTime: 12,
        conversationDetailLink: 'http://localhost:3000/views/onlinehelp/12346?expiresAt=1615298312000&sig=…',
      },
    ],
  ],
})

export type GetOnlineHelpListRequest = Static<typeof GetOnlineHelpListBody>
export type OnlineHelpListEntry = Static<typeof OnlineHelpListItem>
export type GetOnlineHelpListResult = Static<typeof GetOnlineHelpListResponse>

type ListDeps = Omit<SignedRouteDeps, 'clock'>

/** One session as the list writes it: the documented field order, absent fields left out. */
export function onlineHelpListItem(
  session: OnlineHelpInput,
  deps: ListDeps,
  nowMs: number,
): OnlineHelpListEntry {
  const { startedAt, endedAt, waitTime, helpTime } = onlineHelpTimes(session)
  const agentId = startedAt === undefined ? undefined : session.agentId
  return {
    onlineHelpId: BigInt(session.onlineHelpId),
    customerNo: session.customerId,
    customerName: deps.store.customer(session.customerId)?.name ?? '',
    ...(agentId === undefined ? {} : { agentId, agentName: deps.store.staff(agentId)?.name ?? '' }),
    helpState: session.state,
    helpRequestedAt: session.requestedAt,
    ...(startedAt === undefined ? {} : { helpStartedAt: startedAt }),
    ...(endedAt === undefined ? {} : { helpEndedAt: endedAt }),
    ...(waitTime === undefined ? {} : { waitTime }),
    ...(helpTime === undefined ? {} : { helpTime }),
    ...(startedAt === undefined
      ? {}
      : {
          conversationDetailLink: `${deps.publicUrl()}${deps.linkSigner.mintOnlineHelp({ onlineHelpId: session.onlineHelpId }, nowMs)}`,
        }),
  }
}

/**
 * The endpoint's decision, without HTTP: a reversed window is D8's 500 (D17); an unknown customer
 * or agent answers `[]` and says so in a note (D17, each unknown id named); otherwise at most 20
 * sessions requested in the window, both ends inclusive (D12), newest first, ties by
 * `onlineHelpId` descending (D13). `agentId` matches only sessions that agent took; with
 * `customerId`, the sessions between the two. The window is checked before the ids.
 */
export function getOnlineHelpList(
  request: GetOnlineHelpListRequest,
  deps: ListDeps,
  nowMs: number,
  note: (text: string) => void,
): GetOnlineHelpListResult {
  const window = windowOf(request)
  const { customerId, agentId } = request
  const customer = customerId === undefined ? undefined : ({ kind: 'customer', id: customerId } as const)
  const agent = agentId === undefined ? undefined : ({ kind: 'staff', id: agentId } as const)
  if (
    noteUnknownIds(
      deps.store,
      [
        ['customerId', customer],
        ['agentId', agent],
      ],
      note,
    )
  )
    return []
  const sessions = deps.store.onlineHelpSessions({
    window,
    ...(customerId === undefined ? {} : { customerId }),
    ...(agentId === undefined ? {} : { agentId }),
    limit: MAX_LIST_ITEMS,
  })
  return sessions.map((session) => onlineHelpListItem(session, deps, nowMs))
}

export const GET_ONLINE_HELP_LIST = signedRoute({
  method: 'POST',
  path: '/reporting/getonlinehelplist',
  family: 'Reporting API',
  summary:
    'Online-help sessions requested in a date window, newest first, at most 20, with links to their messages',
  body: GetOnlineHelpListBody,
  reply: GetOnlineHelpListResponse,
  // D20: the field's name until March 2021, still in the Authentication page's example.
  oldNames: { agentUserId: 'agentId' },
  answer: getOnlineHelpList,
})
