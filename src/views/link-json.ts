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
import { callUseTypeName, type CallParty } from '../store/calls.js'
import { pageLinks, type Page } from '../store/paging.js'
import type { PersonRef } from '../store/people.js'
import type { DayView } from './day-page.js'
import type { OnlineHelpView } from './online-help-page.js'
import type { RecordingView } from './recording-page.js'

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

export const personJson = (person: PersonRef, name: string | undefined): PersonJson => ({
  kind: person.kind,
  id: person.id,
  name: name ?? null,
})

export function dayDocument(view: DayView): DayDocument {
  const { link, page, group } = view
  const { other } = link
  return {
    party: { ...personJson(link.party, view.nameOf(link.party)), sendMessageCount: view.sentByParty },
    other: other.kind === 'group' ? null : personJson(other, view.nameOf(other)),
    group:
      group === undefined
        ? null
        : {
            groupId: group.groupId,
            name: group.name ?? null,
            members: group.members.map((member) => personJson(member, view.nameOf(member))),
          },
    startDate: link.startDate,
    endDate: link.endDate,
    expiresAt: link.expiresAt,
    page,
    messages: messagesJson(view.messages),
    links: pageLinksJson(page, view.pageHref),
  }
}

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

export function onlineHelpDocument(view: OnlineHelpView): OnlineHelpDocument {
  const { link, session, times, page } = view
  return {
    onlineHelpId: BigInt(link.onlineHelpId),
    expiresAt: link.expiresAt,
    session:
      session === undefined || times === undefined
        ? null
        : {
            customer: personJson({ kind: 'customer', id: session.customerId }, view.customerName),
            agent:
              view.window === undefined || session.agentId === undefined
                ? null
                : personJson({ kind: 'staff', id: session.agentId }, view.agentName),
            helpState: session.state,
            helpRequestedAt: session.requestedAt,
            helpStartedAt: times.startedAt ?? null,
            helpEndedAt: times.endedAt ?? null,
            waitTime: times.waitTime ?? null,
            helpTime: times.helpTime ?? null,
          },
    window: view.window === undefined ? null : { start: view.window.start, end: view.window.end },
    page,
    messages: messagesJson(view.messages),
    links: pageLinksJson(page, view.pageHref),
  }
}

// ---------------------------------------------------------------------------------------------
// A call recording (`/v1/playrecords/<callId>.json`).

const CallParty = Type.Object({
  ...PersonJson.properties,
  userType: Type.Integer({
    minimum: 1,
    maximum: 7,
    description:
      "The person's, or the side's default (4 staff, 5 customer) when the fixtures do not know them.",
  }),
  appName: Type.String({
    description: "The call's own app name, else the person's, else the side's default.",
  }),
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

/** The audio's refusals beyond the link's: a call without a recording (404). */
export const RecordingAudioRefusal = Type.Object({
  error: Type.Enum(['invalid-link', 'expired-link', 'no-recording'] as const),
  message: Type.String(),
  expiredAt: Type.Optional(EpochMillis),
})

export type RecordingAudioRefusal = Static<typeof RecordingAudioRefusal>

const callPartyJson = (party: CallParty) => ({
  ...personJson(party.ref, party.name),
  userType: party.userType,
  appName: party.appName,
})

/**
 * `url` is the audio's absolute address; `page` is the empty page of every link that covers no
 * messages.
 */
export function recordingDocument(view: RecordingView, audioUrl: string, page: Page): RecordingDocument {
  const { link, call, recording } = view
  return {
    callId: BigInt(link.callId),
    expiresAt: link.expiresAt,
    call:
      call === undefined
        ? null
        : {
            initiator: callPartyJson(call.initiatorParty),
            receiver: callPartyJson(call.receiverParty),
            callStartedAt: call.startedAt,
            callEndedAt: call.endedAt,
            callTime: call.connectedSeconds,
            callType: call.callType,
            callState: call.state,
            callUseType: callUseTypeName(call.useType),
          },
    recording:
      recording === undefined
        ? null
        : { url: audioUrl, durationSeconds: recording.durationSeconds, mimeType: 'audio/wav' },
    page,
    messages: [],
  }
}
