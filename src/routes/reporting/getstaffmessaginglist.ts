import { Type, type Static } from 'typebox'
import { signedRoute } from '../signed-route.js'
import { EndDate, PageNumber, PageSize, StartDate } from './lists.js'
import { IsGroupMessaging, messagingList, messagingListReply, STAFF_SIDE } from './messaging-list.js'

// `POST /v1/reporting/getstaffmessaginglist` (docs/contract.md §4.3, D11–D17; docs/reporting/getstaffmessaginglist.md).

/** The request body, in the documentation's field order; its first example is the documentation's. */
export const GetStaffMessagingListBody = Type.Object(
  {
    startDate: StartDate,
    endDate: EndDate,
    staffId: Type.String({
      description: "Staff number (sicil) whose messaging is listed: the rows' sender.",
    }),
    customerId: Type.Optional(Type.String({ description: 'Only the rows whose receiver is this customer.' })),
    isGroupMessaging: Type.Optional(IsGroupMessaging),
    pageNumber: PageNumber,
    pageSize: PageSize,
  },
  {
    examples: [
      {
        startDate: 1610014524000,
        endDate: 1617969609000,
        staffId: '45186',
        customerId: '2337368',
        isGroupMessaging: true,
        pageNumber: 1,
        pageSize: 20,
      },
    ],
  },
)

export type GetStaffMessagingListRequest = Static<typeof GetStaffMessagingListBody>

/**
 * The documentation's example answer: its values, the mock's day links (derived), the documented field
 * order, and its two rows of one day in the mock's order (D35: private first; the page lists the
 * group row first).
 */
export const GetStaffMessagingListResponse = messagingListReply(STAFF_SIDE, [
  {
    senderId: '45188',
    nameOfSender: 'Agent 45153',
    receiverId: '113344',
    nameOfReceiver: 'Cust 113344',
    messagingDate: 1617580800000,
    sendMessageCount: 19,
    isGroupMessaging: false,
    groupId: 0,
  },
  {
    senderId: '45188',
    nameOfSender: 'Agent 45153',
    receiverId: '113344',
    nameOfReceiver: 'Cust 113344',
    messagingDate: 1617580800000,
    sendMessageCount: 6,
    isGroupMessaging: true,
    groupId: 2128893729,
  },
])

export const GET_STAFF_MESSAGING_LIST = signedRoute({
  method: 'POST',
  path: '/reporting/getstaffmessaginglist',
  family: 'Reporting API',
  summary:
    "A staff member's messages per day and receiver, paged, each row with a link to that day's conversation",
  body: GetStaffMessagingListBody,
  reply: GetStaffMessagingListResponse,
  answer: (body, deps, nowMs, note) => messagingList(STAFF_SIDE, body, deps, nowMs, note),
})
