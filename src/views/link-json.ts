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
import type { BotMessageView } from '../messaging/bot-conversation.js'
import type { MessageContent } from '../messaging/message-content.js'
import { deliveryState, type BotConversationPageView } from './bot-conversation-page.js'
import type { DayView } from './day-page.js'
import type { OnlineHelpView } from './online-help-page.js'
import type { RecordingView } from './recording-page.js'

/**
 * The JSON forms of the pages links open (`….json`, or `Accept: application/json`), so
 * integration tests can assert on the content without parsing HTML. Every kind carries `page`
 * (`page.total`: how many messages the link covers; 0 for a recording) and `messages[]`, each
 * with its `sentAt` (epoch ms) and, but for a bot's conversation (whose messages say their
 * `direction`), its `senderId`: a messaging-list row's `sendMessageCount` is the number of its
 * link's messages whose `senderId` is the row's `senderId`. Ids beyond 2^53
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

// ---------------------------------------------------------------------------------------------
// A bot's conversation with one user (`/views/bot/<botName>.json`). Its messages are the bot's
// and the user's, not the store's `Message`s: each says its `direction` and, for the bot's, its
// content per kind (as `sendmessage`/`sendmok` gave it, fields left out when not given) and its
// state (`deliveredAt`, `readAt`: null until then).

const PressableJson = Type.Object({
  type: Type.Enum(['postback', 'web_url'] as const),
  title: Type.String(),
  payload: Type.String(),
  payloadHidden: Type.Boolean({ description: 'The payload comes back signed with the bot’s payload key.' }),
  payloadSeenByUser: Type.Optional(Type.String()),
  imageUrl: Type.Optional(Type.String({ description: 'Shown as text on the page, never loaded.' })),
})

const BotContentJson = Type.Union(
  [
    Type.Object({ kind: Type.Literal('text'), text: Type.String() }),
    Type.Object({
      kind: Type.Literal('generic'),
      elements: Type.Array(
        Type.Object({
          messageId: Type.Optional(Type.String()),
          title: Type.Optional(Type.String()),
          subtitle: Type.Optional(Type.String()),
          imageUrl: Type.Optional(Type.String()),
          buttons: Type.Array(PressableJson),
        }),
      ),
    }),
    Type.Object({
      kind: Type.Literal('button'),
      messageId: Type.String(),
      text: Type.String(),
      buttons: Type.Array(PressableJson),
    }),
    Type.Object({
      kind: Type.Literal('trigger'),
      text: Type.Optional(Type.String()),
      command: Type.String(),
      data: Type.String(),
    }),
    Type.Object({
      kind: Type.Literal('document'),
      fileName: Type.String(),
      mimeType: Type.Optional(Type.String()),
      size: Type.Integer({ minimum: 0, description: 'Bytes of the decoded file (the bytes are not kept).' }),
      shownAs: Type.Enum(['document', 'photo', 'video', 'voice'] as const),
      width: Type.Optional(Type.Integer()),
      height: Type.Optional(Type.Integer()),
      duration: Type.Optional(Type.Integer({ description: 'Seconds.' })),
    }),
    Type.Object({
      kind: Type.Literal('media'),
      type: Type.Enum(['image', 'audio', 'video', 'file'] as const),
    }),
    Type.Object({
      kind: Type.Literal('otp'),
      mokMessage: Type.String(),
      mokValue: Type.Optional(Type.String()),
      imageUrl: Type.Optional(Type.String()),
      txCode: Type.Optional(Type.String()),
      deviceId: Type.Optional(Type.String()),
      buttons: Type.Array(PressableJson),
    }),
  ],
  { description: 'What the bot sent, one kind per message (`kind`).' },
)

const BotMessageJson = Type.Union([
  Type.Object({
    direction: Type.Literal('to-user', { description: 'The bot wrote to the user.' }),
    mid: Type.String({ description: 'The message id every webhook event names.' }),
    sentAt: EpochMillis,
    state: Type.Enum(['sent', 'delivered', 'read'] as const),
    deliveredAt: NullableTime,
    readAt: NullableTime,
    otp: Type.Boolean({ description: 'Sent with `sendmok`.' }),
    content: BotContentJson,
    quickReplies: Type.Array(PressableJson),
  }),
  Type.Object({
    direction: Type.Literal('from-user', { description: 'The user wrote or pressed back.' }),
    mid: Type.String({ description: 'The id of the bot’s message it answers.' }),
    sentAt: EpochMillis,
    text: Type.String({
      description: 'What the webhook carried: the text, or `[<id>]:<payload>` of a press.',
    }),
    pressed: Type.Union([Type.Object({ title: Type.String(), seenByUser: Type.String() }), Type.Null()], {
      description: 'What was pressed; null for a written answer.',
    }),
  }),
])

export type BotMessageJson = Static<typeof BotMessageJson>

export const BotConversationDocument = Type.Object({
  botName: Type.String({ description: 'As the link names it.' }),
  user: Type.Object(
    { kind: Type.Enum(['staff', 'customer'] as const), id: PartyId },
    { description: 'As the link names it.' },
  ),
  expiresAt: EpochMillis,
  conversation: Type.Union(
    [
      Type.Object({
        bot: Type.Object({ name: Type.String(), diyalogId: Type.String() }),
        recipient: Type.Object({
          kind: Type.Enum(['staff', 'customer'] as const),
          id: PartyId,
          diyalogId: Type.String(),
          name: Type.String(),
          behaviour: Type.Object({
            presence: Type.Enum(['online', 'offline'] as const),
            reading: Type.Enum(['delayed', 'at-once', 'never'] as const),
          }),
        }),
      }),
      Type.Null(),
    ],
    { description: 'null when the data knows no such bot, or no such user.' },
  ),
  page: PageJson,
  messages: Type.Array(BotMessageJson, { description: 'This page’s messages, oldest first.' }),
  links: PageLinksJson,
})

export type BotConversationDocument = Static<typeof BotConversationDocument>

/** The content as sent: the schema writes only the fields it names, and leaves out those not given. */
function botContentJson(content: MessageContent): Static<typeof BotContentJson> {
  switch (content.kind) {
    case 'generic':
      return {
        kind: 'generic',
        elements: content.elements.map((element) => ({ ...element, buttons: [...element.buttons] })),
      }
    case 'button':
    case 'otp':
      return { ...content, buttons: [...content.buttons] }
    default:
      return content
  }
}

function botMessageJson(message: BotMessageView): BotMessageJson {
  if (message.direction === 'from-user') {
    return {
      direction: 'from-user',
      mid: message.mid,
      sentAt: message.sentAt,
      text: message.text,
      pressed: message.pressed === undefined ? null : { ...message.pressed },
    }
  }
  return {
    direction: 'to-user',
    mid: message.mid,
    sentAt: message.sentAt,
    state: deliveryState(message),
    deliveredAt: message.deliveredAt ?? null,
    readAt: message.readAt ?? null,
    otp: message.otp,
    content: botContentJson(message.content),
    quickReplies: [...message.quickReplies],
  }
}

export function botConversationDocument(view: BotConversationPageView): BotConversationDocument {
  const { link, conversation, page } = view
  return {
    botName: link.botName,
    user: { kind: link.recipient.kind, id: link.recipient.id },
    expiresAt: link.expiresAt,
    conversation:
      conversation === undefined
        ? null
        : {
            bot: { name: conversation.bot.name, diyalogId: conversation.bot.diyalogId },
            recipient: {
              kind: conversation.recipient.kind,
              id: conversation.recipient.id,
              diyalogId: conversation.recipient.diyalogId,
              name: conversation.recipient.name,
              behaviour: { ...conversation.recipient.behaviour },
            },
          },
    page,
    messages: view.messages.map(botMessageJson),
    links: pageLinksJson(page, view.pageHref),
  }
}
