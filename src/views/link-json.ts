import { Type, type Static } from 'typebox'
import { EpochMillis, Int64, PartyId } from '../schemas.js'
import {
  CALL_STATES,
  CALL_TYPES,
  CALL_USE_TYPES,
  GroupId,
  HELP_STATES,
  MessageFields,
  type Message,
} from '../store/fixture-schema.js'
import { pageLinks, type Page } from '../store/paging.js'

/**
 * The JSON forms of the pages links open (`….json`, or `Accept: application/json`), so
 * integration tests can assert on the content without parsing HTML. Every kind carries `page`
 * (`page.total`: how many messages the link covers; 0 for a recording) and `messages[]`, each
 * with its `senderId` and `sentAt` (epoch ms): a messaging-list row's `sendMessageCount` is the
 * number of its link's messages whose `senderId` is the row's `senderId`. Ids beyond 2^53
 * (`onlineHelpId`, `callId`) are exact JSON integers, as in the API (D18). The schemas serialise
 * the answers: a field they do not name is never written.
 */

const Name = Type.Union([Type.String(), Type.Null()], {
  description: 'null when the fixtures do not know the id.',
})
const NullableTime = Type.Union([EpochMillis, Type.Null()])
const NullableSeconds = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])

export const PageJson = Type.Object({
  number: Type.Integer({ minimum: 1 }),
  size: Type.Integer({ minimum: 1 }),
  count: Type.Integer({ minimum: 1, description: 'How many pages the messages fill.' }),
  total: Type.Integer({ minimum: 0, description: 'How many messages the link covers.' }),
  first: Type.Integer({
    minimum: 0,
    description: '1-based position of the first message on this page; 0 if none.',
  }),
  last: Type.Integer({ minimum: 0 }),
})

export const PageLinksJson = Type.Object({
  first: Type.String(),
  prev: Type.Union([Type.String(), Type.Null()]),
  next: Type.Union([Type.String(), Type.Null()]),
  last: Type.String(),
})

export const MessageJson = Type.Object({
  ...MessageFields,
  senderId: {
    ...PartyId,
    description: 'The sender: a staff number when `from` is `staff`, else a customer number.',
  },
  sentAt: EpochMillis,
})

export type MessageJson = Static<typeof MessageJson>

/** A person: a staff member or a customer. */
export const PersonJson = Type.Object({
  kind: Type.Enum(['staff', 'customer'] as const),
  id: PartyId,
  name: Name,
})

export type PersonJson = Static<typeof PersonJson>

/** Refusals in JSON: the same statuses as the pages (403, 410, 400/404 for the page number). */
export const LinkRefusal = Type.Object({
  error: Type.Enum(['invalid-link', 'expired-link', 'no-such-page'] as const),
  message: Type.String(),
  expiredAt: Type.Optional(EpochMillis),
})

export type LinkRefusal = Static<typeof LinkRefusal>

/** The page's messages as JSON: what the schema names, from the store's messages. */
export function messagesJson(messages: readonly Message[]): MessageJson[] {
  // The schema writes only its fields (not the store's receiver fields).
  return [...messages]
}

/** The JSON view's page links, absolute. */
export function pageLinksJson(
  page: Page,
  pageHref: (number: number) => string,
): Static<typeof PageLinksJson> {
  const links = pageLinks(page)
  return {
    first: pageHref(links.first),
    prev: links.prev === null ? null : pageHref(links.prev),
    next: links.next === null ? null : pageHref(links.next),
    last: pageHref(links.last),
  }
}

// ---------------------------------------------------------------------------------------------
// A messaging-list row's day (`/views/messaging/day.json`).

export const DayDocument = Type.Object({
  party: Type.Object({
    ...PersonJson.properties,
    sendMessageCount: Type.Integer({
      minimum: 0,
      description: "How many of the link's messages this party sent: the row's sendMessageCount.",
    }),
  }),
  other: Type.Union([PersonJson, Type.Null()], {
    description: 'The other person of a private row; null for a group.',
  }),
  group: Type.Union(
    [
      Type.Object({
        groupId: GroupId,
        name: Name,
        members: Type.Array(PersonJson, {
          description: 'Every member, staff first, in the fixtures’ order.',
        }),
      }),
      Type.Null(),
    ],
    { description: 'The group of a group row; null for a private row.' },
  ),
  startDate: EpochMillis,
  endDate: EpochMillis,
  expiresAt: EpochMillis,
  page: PageJson,
  messages: Type.Array(MessageJson),
  links: PageLinksJson,
})

export type DayDocument = Static<typeof DayDocument>

// ---------------------------------------------------------------------------------------------
// An online-help session (`/views/onlinehelp/<onlineHelpId>.json`).

export const OnlineHelpDocument = Type.Object({
  onlineHelpId: { ...Int64, description: 'A Java long, written as an exact JSON integer (D18).' },
  expiresAt: EpochMillis,
  session: Type.Union(
    [
      Type.Object({
        customer: PersonJson,
        agent: Type.Union([PersonJson, Type.Null()], { description: 'null when the help never started.' }),
        helpState: Type.Enum(HELP_STATES),
        helpRequestedAt: EpochMillis,
        helpStartedAt: NullableTime,
        helpEndedAt: NullableTime,
        waitTime: NullableSeconds,
        helpTime: NullableSeconds,
      }),
      Type.Null(),
    ],
    {
      description:
        'The session as getonlinehelplist reports it (D34; absent fields null); null for an unknown id.',
    },
  ),
  window: Type.Union([Type.Object({ start: EpochMillis, end: EpochMillis }), Type.Null()], {
    description:
      "The messages' window (D36): start to end, or to now while the session runs; null if it never started.",
  }),
  page: PageJson,
  messages: Type.Array(MessageJson),
  links: PageLinksJson,
})

export type OnlineHelpDocument = Static<typeof OnlineHelpDocument>

// ---------------------------------------------------------------------------------------------
// A call recording (`/v1/playrecords/<callId>.json`).

const CallParty = Type.Object({
  ...PersonJson.properties,
  userType: Type.Union([Type.Integer({ minimum: 1, maximum: 7 }), Type.Null()]),
  appName: Type.Union([Type.String(), Type.Null()]),
})

export const RecordingDocument = Type.Object({
  callId: { ...Int64, description: 'A Java long, written as an exact JSON integer (D18).' },
  expiresAt: EpochMillis,
  call: Type.Union(
    [
      Type.Object({
        initiator: CallParty,
        receiver: CallParty,
        callStartedAt: EpochMillis,
        callEndedAt: EpochMillis,
        callTime: Type.Integer({ minimum: 0, description: 'Seconds connected.' }),
        callType: Type.Enum(CALL_TYPES),
        callState: Type.Enum(CALL_STATES),
        callUseType: Type.Enum(CALL_USE_TYPES),
      }),
      Type.Null(),
    ],
    { description: 'null for an unknown call id.' },
  ),
  recording: Type.Union(
    [
      Type.Object({
        url: Type.String({ description: 'The WAV file, same signature as the page.' }),
        durationSeconds: Type.Number({
          minimum: 0,
          description: 'Length of the synthesised recording (D37).',
        }),
        mimeType: Type.Literal('audio/wav'),
      }),
      Type.Null(),
    ],
    { description: 'null when the call has no recording (or is unknown).' },
  ),
  page: PageJson,
  messages: Type.Array(MessageJson, { maxItems: 0, description: 'A recording has no messages.' }),
})

export type RecordingDocument = Static<typeof RecordingDocument>
