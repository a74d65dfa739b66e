import { GET_CUSTOMER_MESSAGING_LIST } from '../../routes/reporting/getcustomermessaginglist.js'
import { GET_STAFF_MESSAGING_LIST } from '../../routes/reporting/getstaffmessaginglist.js'
import { exampleOf, followedBy, signedPost, type ConformanceCase, type RouteEntry } from '../case.js'
import {
  apiFailure,
  emptyList,
  everyItem,
  fail,
  itemWithLink,
  jsonItems,
  linkOpens,
  listOf,
  newestFirst,
  notApplicable,
  numberOf,
  openItemLink,
  PASS,
  plainTextFailure,
  shown,
  WIDE_WINDOW,
  type ItemRule,
  type ItemSpec,
  type ListItem,
} from '../checks.js'

/**
 * `POST /v1/reporting/getstaffmessaginglist` and `getcustomermessaginglist` (docs/contract.md §4.3,
 * §4.4, §4.5, D14–D17): the same cases for both, each list queried by the party its example names
 * (staff 45186, customer 2337368, 7 January to 9 April 2021). The decisions the two share in the
 * mock (D14, D15, D16, D17's reversed window) are asked of the staff list only, to keep the run
 * within its request budget.
 */

/** The nine documented fields of a row. */
const MESSAGING_ROW: ItemSpec = {
  senderId: 'string',
  nameOfSender: 'string',
  receiverId: 'string',
  nameOfReceiver: 'string',
  messagingDate: 'long',
  sendMessageCount: 'int',
  isGroupMessaging: 'boolean',
  groupId: 'int',
  conversationDetailLink: 'string',
}

const QUARTER_HOUR = 15 * 60_000
const DAY = 24 * 60 * 60_000

/** Which list: its table entry, the queried party's field and the other side's filter. */
interface ListSide {
  readonly group: string
  readonly route: RouteEntry
  /** The queried party: every row's sender. */
  readonly idField: 'staffId' | 'customerId'
  readonly filterField: 'staffId' | 'customerId'
  /** The required field the missing-field case leaves out. */
  readonly missing: 'pageNumber' | 'pageSize'
  /** The staff list also carries the decisions both lists share. */
  readonly sharedDecisions: boolean
}

/** What the field table and the examples say beyond the types (§4.3, §4.5). */
function rowRules(queried: string, filter: string): ItemRule[] {
  return [
    // "Mesaj gönderen kişinin sicil numarası": the sender is the party queried.
    (row) => (row['senderId'] === queried ? undefined : `senderId ${shown(row['senderId'])}, not ${queried}`),
    // "Zaman her zaman 00:00 döner": the day's start, in some zone (every zone is whole quarter hours off UTC).
    (row) =>
      numberOf(row['messagingDate']) % QUARTER_HOUR === 0
        ? undefined
        : `messagingDate ${shown(row['messagingDate'])} is not the start of a day`,
    (row) =>
      row['isGroupMessaging'] === false && numberOf(row['groupId']) !== 0
        ? `a private row with groupId ${shown(row['groupId'])}, not 0`
        : row['isGroupMessaging'] === true && numberOf(row['groupId']) === 0
          ? 'a group row with groupId 0'
          : undefined,
    // "With a customer number, only the messaging with that customer": a private row is with them.
    (row) =>
      row['isGroupMessaging'] === false && row['receiverId'] !== filter
        ? `a private row with ${shown(row['receiverId'])}, not ${filter}`
        : undefined,
    (row) =>
      numberOf(row['sendMessageCount']) >= 0
        ? undefined
        : `sendMessageCount ${shown(row['sendMessageCount'])}`,
  ]
}

/** D16: the row with the fewest messages, so that its day most likely fits one page of its link. */
const fewestMessages = (rows: readonly ListItem[]) =>
  rows.reduce<ListItem | undefined>(
    (fewest, row) =>
      fewest === undefined || numberOf(row['sendMessageCount']) < numberOf(fewest['sendMessageCount'])
        ? row
        : fewest,
    undefined,
  )

/**
 * D16 against the link's JSON view (D21: `page.total`, `messages[].senderId`): the row's count is
 * the number of the day's messages its sender sent. A link without that view (a real server's web
 * client) or a day over several pages is not applicable.
 */
function countMatchesLink([list, view]: readonly Parameters<typeof jsonItems>[0][]) {
  const rows = jsonItems(list)
  if (typeof rows === 'string') return fail(rows)
  const chosen = itemWithLink(list, 'conversationDetailLink', fewestMessages)
  if (chosen === undefined) return notApplicable('no row with a link to count')
  if (view === undefined) return fail('the link was not opened')
  if (view.status !== 200) return fail(`the link answered ${view.status}`)
  let document: unknown
  try {
    document = JSON.parse(view.body)
  } catch {
    return notApplicable('the link has no JSON view (not the mock): the count cannot be compared')
  }
  const { page, messages } = (document ?? {}) as { page?: { total?: unknown }; messages?: unknown }
  if (!Array.isArray(messages) || typeof page?.total !== 'number') {
    return notApplicable('the JSON view has no page.total and messages: the count cannot be compared')
  }
  if (messages.length < page.total)
    return notApplicable(`the day spans more than one page (${page.total} messages)`)
  const { senderId } = chosen.item
  const sent = messages.filter((message) => (message as { senderId?: unknown }).senderId === senderId).length
  const count = shown(chosen.item['sendMessageCount'])
  return String(sent) === count
    ? PASS
    : fail(`sendMessageCount ${count}, the link shows ${sent} sent by ${shown(senderId)}`)
}

function listCases(side: ListSide): ConformanceCase[] {
  const { group, route, idField, filterField, missing } = side
  const example = exampleOf(route) as Record<string, unknown>
  const [queried, filter] = [String(example[idField]), String(example[filterField])]
  const post = signedPost(route)
  /** The example, private and group rows alike. */
  const bothKinds = { isGroupMessaging: undefined }
  const must: ConformanceCase[] = [
    {
      id: `${group}.answer`,
      level: 'MUST',
      ref: `${side.idField === 'staffId' ? '§4.3' : '§4.4'}, §4.5`,
      description: `the example (${idField} ${queried}, ${filterField} ${filter}), group and private rows: the documented fields`,
      request: post(bothKinds),
      ...listOf(
        `rows (senderId ${queried}, messagingDate a day's start, groupId 0 on private rows)`,
        MESSAGING_ROW,
        rowRules(queried, filter),
      ),
    },
    {
      id: `${group}.newest-first`,
      level: 'MUST',
      ref: '§4.3, §4.4',
      description: `every row of ${queried} in a wide window, pageSize 25 (above 20): at most 20, newest first`,
      request: post({ ...WIDE_WINDOW, ...bothKinds, [filterField]: undefined, pageSize: 25 }),
      ...newestFirst('messagingDate', 20),
    },
    {
      id: `${group}.missing-${missing === 'pageNumber' ? 'page-number' : 'page-size'}`,
      level: 'MUST',
      ref: '§4.5, §1',
      description: `the example without ${missing}, which the page does not mark optional`,
      request: post({ [missing]: undefined }),
      ...apiFailure,
    },
    {
      id: `${group}.group-only`,
      level: 'MUST',
      ref: '§4.3, §4.4',
      description: 'the example (isGroupMessaging true) over a wide window: group rows only',
      request: post(WIDE_WINDOW),
      ...everyItem('every row isGroupMessaging true with its groupId', (row) =>
        row['isGroupMessaging'] !== true
          ? `isGroupMessaging ${shown(row['isGroupMessaging'])}, not true`
          : numberOf(row['groupId']) === 0
            ? 'groupId 0'
            : undefined,
      ),
    },
    {
      id: `${group}.link-opens`,
      level: 'MUST',
      ref: '§4.3, §4.4',
      description: "the first row's conversationDetailLink of the example answer opens in a plain GET",
      ...followedBy(
        post(bothKinds),
        'GET the first conversationDetailLink (Accept: text/html, no credentials)',
        openItemLink('conversationDetailLink', 'text/html'),
      ),
      ...linkOpens('conversationDetailLink', 'the first row'),
    },
  ]
  const unknown: ConformanceCase = {
    id: `${group}.D17.unknown-${idField === 'staffId' ? 'staff' : 'customer'}`,
    level: 'DECISION',
    ref: 'D17',
    description: `the example with a ${idField} the server does not know (--unknown-${idField === 'staffId' ? 'staff' : 'customer'})`,
    request: (c) =>
      c.signed({
        route,
        body: { [idField]: idField === 'staffId' ? c.target.unknownStaffId : c.target.unknownCustomerId },
      }),
    ...emptyList,
  }
  if (!side.sharedDecisions) return [...must, unknown]
  return [
    ...must,
    {
      id: `${group}.D14.page-zero`,
      level: 'DECISION',
      ref: 'D14',
      description: 'the example with pageNumber 0 (pages count from 1)',
      request: post({ pageNumber: 0 }),
      ...plainTextFailure('pageNumber'),
    },
    {
      id: `${group}.D14.past-the-end`,
      level: 'DECISION',
      ref: 'D14',
      description: 'the example with pageNumber 100000, a page past the end',
      request: post({ pageNumber: 100_000 }),
      ...emptyList,
    },
    {
      id: `${group}.D15.utc-midnight`,
      level: 'DECISION',
      ref: 'D15',
      description: 'the example, group and private rows: every messagingDate is 00:00 UTC',
      request: post(bothKinds),
      ...everyItem('every messagingDate a multiple of 86400000 (00:00 UTC)', (row) =>
        numberOf(row['messagingDate']) % DAY === 0
          ? undefined
          : `messagingDate ${shown(row['messagingDate'])}`,
      ),
    },
    {
      id: `${group}.D16.count-matches-link`,
      level: 'DECISION',
      ref: 'D16',
      description:
        "the row with the fewest messages: its sendMessageCount is exactly what its link's JSON view shows its sender sent",
      ...followedBy(
        post(bothKinds),
        "GET that row's conversationDetailLink (Accept: application/json, no credentials)",
        openItemLink('conversationDetailLink', 'application/json', fewestMessages),
      ),
      expected: "sendMessageCount = the messages of the row's sender in its link's JSON view",
      check: countMatchesLink,
    },
    unknown,
    {
      id: `${group}.D17.reversed-window`,
      level: 'DECISION',
      ref: 'D17',
      description: 'the example with startDate and endDate swapped',
      request: post({ startDate: example['endDate'], endDate: example['startDate'] }),
      ...plainTextFailure(),
    },
  ]
}

export const staffMessagingListCases: readonly ConformanceCase[] = listCases({
  group: 'getstaffmessaginglist',
  route: GET_STAFF_MESSAGING_LIST,
  idField: 'staffId',
  filterField: 'customerId',
  missing: 'pageNumber',
  sharedDecisions: true,
})

export const customerMessagingListCases: readonly ConformanceCase[] = listCases({
  group: 'getcustomermessaginglist',
  route: GET_CUSTOMER_MESSAGING_LIST,
  idField: 'customerId',
  filterField: 'staffId',
  missing: 'pageSize',
  sharedDecisions: false,
})
