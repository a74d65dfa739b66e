import { Type, type Static } from 'typebox'
import { signedRoute } from '../signed-route.js'
import { EndDate, PageNumber, PageSize, StartDate } from './lists.js'
import { CUSTOMER_SIDE, IsGroupMessaging, messagingList, messagingListReply } from './messaging-list.js'

// `POST /v1/reporting/getcustomermessaginglist` (docs/contract.md §4.4, D11–D17; docs/reporting/getcustomermessaginglist.md).
// The mirror of getstaffmessaginglist: what they share is messaging-list.ts.

/** The request body, in the documentation's field order; its first example is the documentation's. */
export const GetCustomerMessagingListBody = Type.Object(
  {
    startDate: StartDate,
    endDate: EndDate,
    customerId: Type.String({ description: "Customer number whose messaging is listed: the rows' sender." }),
    staffId: Type.Optional(
      Type.String({ description: 'Only the rows whose receiver is this staff member.' }),
    ),
    isGroupMessaging: Type.Optional(IsGroupMessaging),
    pageNumber: PageNumber,
    pageSize: PageSize,
  },
  {
    examples: [
      {
        startDate: 1610014524000,
        endDate: 1617969609000,
        customerId: '2337368',
        staffId: '45186',
        isGroupMessaging: true,
        pageNumber: 1,
        pageSize: 20,
      },
    ],
  },
)

export type GetCustomerMessagingListRequest = Static<typeof GetCustomerMessagingListBody>

/** The documentation's example answer: its values (two days, newest first), the mock's day links (derived), the documented field order. */
export const GetCustomerMessagingListResponse = messagingListReply(CUSTOMER_SIDE, [
  {
    senderId: '113377',
    nameOfSender: 'Cust 113377',
    receiverId: '45188',
    nameOfReceiver: 'Agent 45153',
    messagingDate: 1617667200000,
    sendMessageCount: 5,
    isGroupMessaging: false,
    groupId: 0,
  },
  {
    senderId: '113377',
    nameOfSender: 'Cust 113377',
    receiverId: '45186',
    nameOfReceiver: 'Agent 45186',
    messagingDate: 1617580800000,
    sendMessageCount: 7,
    isGroupMessaging: true,
    groupId: 909267850,
  },
])

export const GET_CUSTOMER_MESSAGING_LIST = signedRoute({
  method: 'POST',
  path: '/reporting/getcustomermessaginglist',
  family: 'Reporting API',
  summary:
    "A customer's messages per day and receiver, paged, each row with a link to that day's conversation",
  body: GetCustomerMessagingListBody,
  reply: GetCustomerMessagingListResponse,
  answer: (body, deps, nowMs, note) => messagingList(CUSTOMER_SIDE, body, deps, nowMs, note),
})
