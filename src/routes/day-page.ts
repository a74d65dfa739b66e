import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Clock } from '../clock.js'
import { DAY_PATH, type LinkSigner } from '../links/link-signer.js'
import { personRefOf, type PersonRef } from '../store/people.js'
import type { Store } from '../store/store.js'
import type { DayViews } from '../views/day-page.js'
import { DayDocument, dayDocument } from '../views/link-json.js'
import { EXPIRY, isRefused, PageParam, registerLinkPage, SignatureParam, TimeParam } from './link-page.js'

export interface DayPageDeps {
  readonly store: Store
  readonly linkSigner: LinkSigner
  readonly clock: Clock
  readonly views: DayViews
  /** Most messages one page shows. */
  readonly pageSize: number
  readonly publicUrl: () => string
}

/** The JSON twin of the day page: same query, same signature. */
export const DAY_JSON_PATH = `${DAY_PATH}.json`

const PERSON = '`staff:<staffId>` or `customer:<customerId>`'

/** The link's query, as `dayKind` writes it: the row's two ends and day, signed; the page. */
const DayQuery = Type.Object({
  party: Type.String({
    description: `The row's queried party, its \`senderId\`: ${PERSON}. Signed.`,
    examples: ['staff:45186'],
  }),
  other: Type.String({
    description: `The other end: ${PERSON} for a private row, \`group:<groupId>\` for a group row. Signed.`,
    examples: ['customer:2337368', 'group:1473829105'],
  }),
  startDate: TimeParam("The day's first millisecond (its `messagingDate`), inclusive. Signed."),
  endDate: TimeParam("The day's last millisecond, inclusive. Signed."),
  expiresAt: TimeParam(EXPIRY),
  sig: SignatureParam('base64url'),
  page: PageParam,
})

/** Whether `message`'s sender is `person`. */
const sentBy = (person: PersonRef) => (message: { from: string; senderId: string }) =>
  message.from === person.kind && message.senderId === person.id

/**
 * `GET /views/messaging/day?party=…&other=…&startDate=…&endDate=…&expiresAt=…&sig=…[&page=N]`: the
 * day of a messaging-list row (`getstaffmessaginglist`, `getcustomermessaginglist`), private or a
 * group's; `GET /views/messaging/day.json?…` (or `Accept: application/json`) as JSON. The day's
 * messages are read once: the page is cut from them and the party's count (the row's
 * `sendMessageCount`) counted over all of them — a day link covers one day, at most.
 */
export const dayPageRoute: FastifyPluginAsyncTypebox<DayPageDeps> = async (app, deps) => {
  const { store, views } = deps

  registerLinkPage(
    app,
    {
      page: DAY_PATH,
      json: DAY_JSON_PATH,
      summary:
        "A messaging-list row's day, the page its link opens (HTML; JSON with Accept: application/json)",
      jsonSummary: "The same day's messages as JSON",
      description:
        "The day of a row of `getstaffmessaginglist` or `getcustomermessaginglist`, as its `conversationDetailLink` opens it, without API credentials: the messages between the row's party and the other end (a person, or the row's group) that day, oldest first, each bubble naming its sender; the party's count of them is the row's `sendMessageCount`.",
      querystring: DayQuery,
      document: DayDocument,
      paged: true,
    },
    {
      clock: deps.clock,
      refusals: views,
      pageSize: deps.pageSize,
      publicUrl: deps.publicUrl,
      jsonPath: () => DAY_JSON_PATH,
      verify: (request, nowMs) => deps.linkSigner.verifyDay(request.query as Record<string, unknown>, nowMs),
      show(link, opened) {
        const all = store.conversation(link.party, link.other, { start: link.startDate, end: link.endDate })
        const paged = opened.page((range) => ({
          total: all.total,
          messages: all.messages.slice(range.offset, range.offset + range.limit),
        }))
        if (isRefused(paged)) return paged
        const { other } = link
        const stored = other.kind === 'group' ? store.group(other.id) : undefined
        const view = {
          link,
          nameOf: (person: PersonRef) => store.person(person)?.name,
          group:
            other.kind === 'group'
              ? {
                  groupId: other.id,
                  name: stored?.name,
                  members: (stored?.members ?? []).map(personRefOf),
                }
              : undefined,
          sentByParty: all.messages.filter(sentBy(link.party)).length,
          ...paged,
        }
        return { html: () => views.day(view), json: () => dayDocument(view) }
      },
    },
  )
}
