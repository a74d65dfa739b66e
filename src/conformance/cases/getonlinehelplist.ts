import { GET_ONLINE_HELP_LIST } from '../../routes/reporting/getonlinehelplist.js'
import { exampleOf, followedBy, idleRequest, signedPost, type ConformanceCase } from '../case.js'
import {
  apiFailure,
  everyItem,
  fail,
  jsonItems,
  linkOpens,
  listOf,
  longOf,
  newestFirst,
  notApplicable,
  openItemLink,
  optional,
  PASS,
  shown,
  WIDE_WINDOW,
  type ItemRule,
  type ItemSpec,
} from '../checks.js'

/**
 * `POST /v1/reporting/getonlinehelplist` (docs/contract.md §4.2, §4.5, D12, D19, D20). Requests are the
 * documentation's example (customer 2337368 and agent 45186, 10 February to 10 March 2021) with a
 * field changed; every check holds for any data, and a rule the answer cannot show is not
 * applicable.
 */

const EXAMPLE = exampleOf(GET_ONLINE_HELP_LIST)
const [CUSTOMER, AGENT] = [String(EXAMPLE.customerId), String(EXAMPLE.agentId)]

/** The documented `helpState` values (the example answer's "Ended by customer" is not one, D19). */
const HELP_STATES = [
  'onlinehelp_requested',
  'onlinehelp_cancelled_by_customer',
  'onlinehelp_started',
  'onlinehelp_ended_by_customer',
  'onlinehelp_ended_by_agent',
  'onlinehelp_ended_customer_kill_app',
] as const

/** States of a session no agent ever joined: the fields marked * are absent. */
const NEVER_STARTED = new Set<unknown>(['onlinehelp_requested', 'onlinehelp_cancelled_by_customer'])
const ABSENT_UNLESS_STARTED = [
  'agentId',
  'agentName',
  'helpStartedAt',
  'helpEndedAt',
  'helpTime',
  'conversationDetailLink',
] as const

/**
 * docs/contract.md §4.2, §4.5: `waitTime` is "Opsiyoneldir"; the fields marked * may be absent. The
 * link's type is D19's question (the table says `(int)`), so any value is taken here.
 */
const ONLINE_HELP_ITEM: ItemSpec = {
  onlineHelpId: 'long',
  customerNo: 'string',
  customerName: 'string',
  agentId: optional('string'),
  agentName: optional('string'),
  helpState: HELP_STATES,
  helpRequestedAt: 'long',
  helpStartedAt: optional('long'),
  helpEndedAt: optional('long'),
  waitTime: optional('int'),
  helpTime: optional('int'),
}

const absentUnlessStarted: ItemRule = (session) => {
  if (!NEVER_STARTED.has(session['helpState'])) return undefined
  const present = ABSENT_UNLESS_STARTED.filter(
    (field) => session[field] !== undefined && session[field] !== null,
  )
  return present.length === 0
    ? undefined
    : `a session ${String(session['helpState'])} (never started) has ${present.join(', ')}`
}

const post = signedPost(GET_ONLINE_HELP_LIST)

/** "Her istekte maximum 20 adet" (§4.2). */
const CAP = 20

/** The oldest (last) session of a list answer, with its time and id as exact integers. */
function oldestSession(answer: Parameters<typeof jsonItems>[0]) {
  const sessions = jsonItems(answer)
  if (typeof sessions === 'string') return sessions
  const oldest = sessions.at(-1)
  if (oldest === undefined) return undefined
  return { at: longOf(oldest['helpRequestedAt']), id: longOf(oldest['onlineHelpId']), oldest }
}

/**
 * D12's follow-up: the example again, its window the single millisecond at which the oldest
 * returned session was requested — both ends that instant.
 */
const oneInstant = followedBy(
  post(),
  'the example with startDate = endDate = the oldest returned helpRequestedAt (D12)',
  (answer, c) => {
    const found = oldestSession(answer)
    const at = typeof found === 'object' ? found.at : undefined
    // Times are epoch milliseconds, well within 2^53.
    return at === undefined
      ? idleRequest(c.target)
      : c.signed({ route: GET_ONLINE_HELP_LIST, body: { startDate: Number(at), endDate: Number(at) } })
  },
)

export const getOnlineHelpListCases: readonly ConformanceCase[] = [
  {
    id: 'getonlinehelplist.answer',
    level: 'MUST',
    ref: '§4.2, §4.5',
    description: `the example for customer ${CUSTOMER}, any agent: the documented fields, none of * on a session never started`,
    request: post({ agentId: undefined }),
    ...listOf(
      'sessions (helpState from the enum, the * fields absent when the help never started)',
      ONLINE_HELP_ITEM,
      [absentUnlessStarted],
    ),
  },
  {
    id: 'getonlinehelplist.newest-first',
    level: 'MUST',
    ref: '§4.2',
    description: 'every session of a wide window (no filter): at most 20, newest first',
    request: post({ ...WIDE_WINDOW, customerId: undefined, agentId: undefined }),
    ...newestFirst('helpRequestedAt', 20),
  },
  {
    id: 'getonlinehelplist.missing-start-date',
    level: 'MUST',
    ref: '§4.2, §1',
    description: 'the example without startDate, which the page does not mark optional',
    request: post({ startDate: undefined }),
    ...apiFailure,
  },
  {
    id: 'getonlinehelplist.filters',
    level: 'MUST',
    ref: '§4.2',
    description: `the example (customer ${CUSTOMER}, agent ${AGENT}) over a wide window: only their sessions`,
    request: post(WIDE_WINDOW),
    ...everyItem(`every session customerNo ${CUSTOMER} and agentId ${AGENT}`, (session) =>
      session['customerNo'] !== CUSTOMER
        ? `customerNo ${shown(session['customerNo'])}, not ${CUSTOMER}`
        : session['agentId'] !== AGENT
          ? `agentId ${shown(session['agentId'])}, not ${AGENT}`
          : undefined,
    ),
  },
  {
    id: 'getonlinehelplist.link-opens',
    level: 'MUST',
    ref: '§4.2',
    description: "the first session's conversationDetailLink of the example answer opens in a plain GET",
    ...followedBy(
      post(),
      'GET the first conversationDetailLink (Accept: text/html, no credentials)',
      openItemLink('conversationDetailLink', 'text/html'),
    ),
    ...linkOpens('conversationDetailLink', 'the first session with one'),
  },
  {
    id: 'getonlinehelplist.D12.both-ends-inclusive',
    level: 'DECISION',
    ref: 'D12',
    description:
      "the oldest session's helpRequestedAt sent as both startDate and endDate: that session comes back, and only sessions requested then",
    ...oneInstant,
    expected:
      "200 JSON arrays; the second holds the onlineHelpId of the first one's oldest session, each of its sessions requested at that millisecond",
    check: ([first, second]) => {
      const found = oldestSession(first)
      if (typeof found === 'string') return fail(found)
      if (found === undefined) return notApplicable('the example window holds no session: no time to ask for')
      const { at, id, oldest } = found
      if (at === undefined)
        return fail(`the oldest session's helpRequestedAt ${shown(oldest['helpRequestedAt'])}`)
      if (id === undefined) return fail(`the oldest session's onlineHelpId ${shown(oldest['onlineHelpId'])}`)
      const sessions = jsonItems(second)
      if (typeof sessions === 'string') return fail(`the window ${String(at)}–${String(at)}: ${sessions}`)
      const other = sessions.findIndex((session) => longOf(session['helpRequestedAt']) !== at)
      if (other >= 0) {
        return fail(
          `the window ${String(at)}–${String(at)} holds item ${other + 1}, requested at ${shown(sessions[other]?.['helpRequestedAt'])}`,
        )
      }
      if (sessions.some((session) => longOf(session['onlineHelpId']) === id)) return PASS
      return sessions.length >= CAP
        ? notApplicable(
            `${sessions.length} sessions requested at ${String(at)}: the cap may hide session ${String(id)}`,
          )
        : fail(
            `the window ${String(at)}–${String(at)} (${sessions.length} sessions) does not hold session ${String(id)}, requested then`,
          )
    },
  },
  {
    id: 'getonlinehelplist.D19.enum-and-link',
    level: 'DECISION',
    ref: 'D19',
    description:
      'every session of a wide window: helpState from the enum (not the example\'s "Ended by customer"), the link a string',
    request: post({ ...WIDE_WINDOW, customerId: undefined, agentId: undefined }),
    ...everyItem('helpState one of the enum, conversationDetailLink a string where present', (session) =>
      !(HELP_STATES as readonly unknown[]).includes(session['helpState'])
        ? `helpState ${shown(session['helpState'])}`
        : session['conversationDetailLink'] !== undefined &&
            typeof session['conversationDetailLink'] !== 'string'
          ? `conversationDetailLink ${shown(session['conversationDetailLink'])}`
          : undefined,
    ),
  },
  {
    id: 'getonlinehelplist.D20.agent-user-id',
    level: 'DECISION',
    ref: 'D20',
    description: `the example with agentId sent under its old name agentUserId: not a filter`,
    request: post({ agentId: undefined, agentUserId: AGENT }),
    expected: `200 JSON array, the customer's sessions of any agent (agentUserId ignored)`,
    check: ([answer]) => {
      const sessions = jsonItems(answer)
      if (typeof sessions === 'string') return fail(sessions)
      if (sessions.length === 0) return notApplicable('the window holds no session of the customer')
      return sessions.some((session) => session['agentId'] !== AGENT)
        ? PASS
        : fail(
            `all ${sessions.length} sessions are agent ${AGENT}'s: agentUserId filtered (or the customer had no other)`,
          )
    },
  },
]
