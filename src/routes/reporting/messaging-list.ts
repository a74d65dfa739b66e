import { Type, type Static } from 'typebox'
import { DAY_PATH } from '../../links/link-signer.js'
import { MAX_GROUP_ID, type PartyRef } from '../../links/party-ref.js'
import { EpochMillis } from '../../schemas.js'
import { personRefOf } from '../../store/people.js'
import { ApiFailure, type SignedRouteDeps } from '../signed-route.js'
import { MAX_PAGE_SIZE, noteUnknownIds, servedPageSize, windowOf } from './lists.js'

/**
 * What `getstaffmessaginglist` and `getcustomermessaginglist` share (docs/contract.md §4.3/4.4,
 * D11–D17): they are mirrors — the queried party is a staff member in one and a customer in the
 * other, the other side's id is an optional filter — so the row schema and the decision live here
 * and each endpoint's file holds its body schema and its table entry.
 */

/** Which side a list is queried by: its required id field, and the optional filter's. */
export interface ListSide {
  readonly kind: PartyRef['kind']
  /** The queried party's field (`staffId` in the staff list). */
  readonly idField: 'staffId' | 'customerId'
  /** The receiver filter's field and side (`customerId`, a customer, in the staff list). */
  readonly filterField: 'staffId' | 'customerId'
  readonly filterKind: PartyRef['kind']
}

export const STAFF_SIDE: ListSide = {
  kind: 'staff',
  idField: 'staffId',
  filterField: 'customerId',
  filterKind: 'customer',
}
export const CUSTOMER_SIDE: ListSide = {
  kind: 'customer',
  idField: 'customerId',
  filterField: 'staffId',
  filterKind: 'staff',
}

/** The body of either list, as its answer reads it (each endpoint's schema makes its own id required). */
export interface MessagingListBody {
  readonly startDate: number
  readonly endDate: number
  readonly staffId?: string
  readonly customerId?: string
  readonly isGroupMessaging?: boolean
  readonly pageNumber: number
  readonly pageSize: number
}

export const IsGroupMessaging = Type.Boolean({
  description: 'Absent: group and private rows; true: group rows only; false: private rows only.',
})

/** One row: the documentation's fields in the documentation's order (the answer keeps it). */
export const MessagingRow = Type.Object({
  senderId: Type.String({ description: 'The queried party (D16): the staff number or the customer number.' }),
  nameOfSender: Type.String(),
  receiverId: Type.String({
    description:
      'A person, also on a group row: a staff number or a customer number (a staff list can name staff).',
  }),
  nameOfReceiver: Type.String(),
  messagingDate: {
    ...EpochMillis,
    description:
      'The first millisecond of the day, 00:00 UTC unless DLG_MESSAGING_DAY_ZONE says otherwise (D15).',
  },
  sendMessageCount: Type.Integer({
    minimum: 1,
    description: 'Exactly how many messages the sender sent the receiver that day within the window (D16).',
  }),
  isGroupMessaging: Type.Boolean(),
  groupId: Type.Integer({ minimum: 0, maximum: MAX_GROUP_ID, description: 'The group, 0 on a private row.' }),
  conversationDetailLink: Type.String({
    description: "A signed, expiring link to that day's conversation within the window (D21).",
  }),
})
export type MessagingListRow = Static<typeof MessagingRow>

/** An example row's day link, as the mock writes it for the documentation's expiry, the signature elided. */
function exampleDayLink(side: ListSide, row: Omit<MessagingListRow, 'conversationDetailLink'>): string {
  const query = new URLSearchParams({
    party: `${side.kind}:${row.senderId}`,
    other: row.isGroupMessaging ? `group:${row.groupId}` : `${side.filterKind}:${row.receiverId}`,
    startDate: String(row.messagingDate),
    endDate: String(row.messagingDate + 86_400_000 - 1),
    expiresAt: '1615299212000',
  })
  return `http://localhost:3000${DAY_PATH}?${query.toString()}&sig=…`
}

/**
 * The answer: at most `MAX_PAGE_SIZE` rows, newest day first; `examples` are the documentation's,
 * each given its day link.
 */
export function messagingListReply(
  side: ListSide,
  examples: readonly Omit<MessagingListRow, 'conversationDetailLink'>[],
) {
  return Type.Array(MessagingRow, {
    maxItems: MAX_PAGE_SIZE,
    description:
      'Newest day first; within a day private rows, then group rows by groupId, each by receiver (D35).',
    examples: [examples.map((row) => ({ ...row, conversationDetailLink: exampleDayLink(side, row) }))],
  })
}

/**
 * The decision of either list, without HTTP, in this order:
 *
 * 1. a reversed window is D8's 500 (D17) — whatever the data, as a malformed body is;
 * 2. `pageSize` above 20 is served as 20, with a note (D14);
 * 3. an unknown queried id, or an unknown filter id, answers `[]` with a note naming each (D17);
 * 4. otherwise the page `pageNumber` (from 1, D14) of the queried party's daily rows (D15, D16),
 *    each with a day link covering exactly the part of that day inside the window.
 */
export function messagingList(
  side: ListSide,
  body: MessagingListBody,
  deps: SignedRouteDeps,
  nowMs: number,
  note: (text: string) => void,
): MessagingListRow[] {
  const window = windowOf(body)
  const size = servedPageSize(body.pageSize, note)
  const id = body[side.idField]
  // The endpoint's schema requires it; this keeps the function honest on its own.
  if (id === undefined) throw new ApiFailure(`Invalid request body: missing required field ${side.idField}`)
  const party: PartyRef = { kind: side.kind, id }
  const filterId = body[side.filterField]
  const receiver: PartyRef | undefined =
    filterId === undefined ? undefined : { kind: side.filterKind, id: filterId }

  const given = [
    [side.idField, party],
    [side.filterField, receiver],
  ] as const
  if (noteUnknownIds(deps.store, given, note)) return []

  const rows = deps.store.messagingRows(party, {
    window,
    ...(receiver === undefined ? {} : { receiver }),
    ...(body.isGroupMessaging === undefined ? {} : { group: body.isGroupMessaging }),
    offset: (body.pageNumber - 1) * size,
    limit: size,
  })
  const nameOfSender = deps.store.person(party)?.name ?? ''
  const base = deps.publicUrl()
  return rows.map((row) => {
    const to = personRefOf(row.receiver)
    const link = deps.linkSigner.mintDay(
      {
        party,
        other: row.groupId > 0 ? { kind: 'group', id: row.groupId } : to,
        startDate: row.from,
        endDate: row.to,
      },
      nowMs,
    )
    return {
      senderId: party.id,
      nameOfSender,
      receiverId: to.id,
      nameOfReceiver: deps.store.person(to)?.name ?? '',
      messagingDate: row.day,
      sendMessageCount: row.count,
      isGroupMessaging: row.groupId > 0,
      groupId: row.groupId,
      conversationDetailLink: `${base}${link}`,
    }
  })
}
