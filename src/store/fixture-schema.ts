import { BOT_NAME_PATTERN } from '../messaging/bots.js'
import { Type, type Static } from 'typebox'
import type { RecipientBehaviour } from '../messaging/recipient.js'
import { BOT_TOKEN_PATTERN } from '../messaging/bots.js'
import { SIGNATURE_FORMATS, WEBHOOK_EVENT_NAMES, WEBHOOK_LIMITS } from '../webhooks/webhook-config.js'
import { PartyId } from '../schemas.js'

/**
 * The records of the fixture files (docs/data-model.md), one schema per kind. Unknown fields
 * are errors, so a misspelt field never goes unnoticed. The table of kinds that the loader,
 * the counts, the generator and `/health` read is `fixture-kinds.ts`.
 */

const Name = Type.String({ minLength: 1, maxLength: 200 })
const AppName = Type.String({ minLength: 1, maxLength: 200 })
/** User types of docs/contract.md §4.1: 1 Personel … 4 DomainUser, 5 DomainCustomer, 6 Bot, 7 AnonymousCustomer. */
const UserType = Type.Integer({ minimum: 1, maximum: 7 })
/**
 * RFC 3339 with a zone, e.g. `2021-03-09T16:28:32+03:00`. Checked and converted in one pass by the
 * loader (`readTime`): a format check here, then a parse there, cost a second more at 1 M messages.
 */
const Time = Type.String({ minLength: 1, maxLength: 64, description: 'RFC 3339 date-time with a zone.' })
/** A signed 64-bit id as a canonical decimal string: JSON numbers this large lose digits in JavaScript. */
export const INT64_PATTERN = '^-?(0|[1-9][0-9]{0,18})$'
const Int64Id = Type.String({ pattern: INT64_PATTERN, description: 'A signed 64-bit integer, in decimal.' })
/** The documented `groupId (int)`: a positive 32-bit integer. */
export const GroupId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 })

/**
 * A Diyalog user id (`recipient_id`, `sender.id`, `recipient.id` of the Messaging API and the
 * webhooks): a positive decimal of up to 19 digits; the loader also keeps it within a signed 64-bit
 * integer. A user or bot without one gets `derivedDiyalogId` (src/messaging/bots.ts, D54).
 */
export const DIYALOG_ID_PATTERN = '^[1-9][0-9]{0,18}$'
const DiyalogId = Type.String({
  pattern: DIYALOG_ID_PATTERN,
  description: 'A Diyalog user id: a positive 64-bit integer, in decimal.',
})

/**
 * A bot's Diyalog id: at most 15 digits, so `app_id`, which the webhooks write as a JSON number
 * as the docs' example does (D46), stays exact.
 */
const BotDiyalogId = Type.String({
  pattern: '^[1-9][0-9]{0,14}$',
  description:
    "The bot's Diyalog id: a positive integer of at most 15 digits (webhooks write it as a number).",
})

/** `presence` of a simulated user (D28): `offline` holds every delivery until it comes online. */
export const PRESENCES = ['online', 'offline'] as const satisfies readonly RecipientBehaviour['presence'][]
/** `reading` of a simulated user (D28): after `DLG_SIM_READ_MS`, as soon as delivered, or never. */
export const READINGS = [
  'delayed',
  'at-once',
  'never',
] as const satisfies readonly RecipientBehaviour['reading'][]

/** How a staff member or customer behaves when a bot writes to them (D28); each field defaults to `DEFAULT_BEHAVIOUR`'s. */
export const MessagingBehaviourRecord = Type.Object(
  { presence: Type.Optional(Type.Enum(PRESENCES)), reading: Type.Optional(Type.Enum(READINGS)) },
  { additionalProperties: false },
)

/** The fields a staff member and a customer share as users of the Messaging API. */
const UserFields = {
  diyalogId: Type.Optional(DiyalogId),
  messaging: Type.Optional(MessagingBehaviourRecord),
}

export const StaffRecord = Type.Object(
  {
    staffId: PartyId,
    name: Name,
    userType: Type.Optional(UserType),
    appName: Type.Optional(AppName),
    ...UserFields,
  },
  { additionalProperties: false },
)

export const CustomerRecord = Type.Object(
  {
    customerId: PartyId,
    name: Name,
    userType: Type.Optional(UserType),
    appName: Type.Optional(AppName),
    ...UserFields,
  },
  { additionalProperties: false },
)

export const GroupRecord = Type.Object(
  {
    groupId: GroupId,
    name: Name,
    staffIds: Type.Array(PartyId, { maxItems: 10_000 }),
    customerIds: Type.Array(PartyId, { maxItems: 10_000 }),
  },
  { additionalProperties: false },
)

/** A person: `{"staffId": "45186"}` or `{"customerId": "2337368"}`. */
export const PersonRecord = Type.Union([
  Type.Object({ staffId: PartyId }, { additionalProperties: false }),
  Type.Object({ customerId: PartyId }, { additionalProperties: false }),
])

export const AttachmentRecord = Type.Object(
  {
    type: Type.Union([
      Type.Literal('image'),
      Type.Literal('audio'),
      Type.Literal('video'),
      Type.Literal('file'),
      Type.Literal('template'),
    ]),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    sizeBytes: Type.Integer({ minimum: 0 }),
    mimeType: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
)

/** The fields of a message the fixtures and the JSON view of a link share; `sentAt` differs. */
export const MessageFields = {
  id: Type.String({ minLength: 1, maxLength: 100 }),
  from: Type.Union([Type.Literal('staff'), Type.Literal('customer')]),
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
  attachment: Type.Optional(AttachmentRecord),
}

export const MessageRecord = Type.Object({ ...MessageFields, sentAt: Time }, { additionalProperties: false })

/** A message of a staff–staff or group conversation: `from` names the person. */
export const PersonMessageRecord = Type.Object(
  { ...MessageFields, from: PersonRecord, sentAt: Time },
  { additionalProperties: false },
)

export const ConversationRecord = Type.Union([
  Type.Object(
    { staffId: PartyId, customerId: PartyId, messages: Type.Array(MessageRecord) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      staffIds: Type.Array(PartyId, { minItems: 2, maxItems: 2 }),
      messages: Type.Array(PersonMessageRecord),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { groupId: GroupId, messages: Type.Array(PersonMessageRecord) },
    { additionalProperties: false },
  ),
])

export const CALL_TYPES = ['video', 'voice', ''] as const
export const CALL_STATES = ['START', 'ENDED', 'MISSED'] as const
/** `callUseType`: the request's integer is the index; the answer's string is the documentation's (`UNKOWN` sic). */
export const CALL_USE_TYPES = [
  'UNKOWN',
  'DIYALOG_STANDART_CALL',
  'VIDEO_HELP_CALL',
  'ONLINE_HELP_CALL',
] as const

export const CallRecord = Type.Object(
  {
    callId: Int64Id,
    initiator: PersonRecord,
    receiver: PersonRecord,
    startedAt: Time,
    endedAt: Time,
    connectedSeconds: Type.Integer({ minimum: 0 }),
    callType: Type.Enum(CALL_TYPES),
    state: Type.Enum(CALL_STATES),
    useType: Type.Integer({ minimum: 0, maximum: CALL_USE_TYPES.length - 1 }),
    recording: Type.Boolean(),
    initiatorAppName: Type.Optional(AppName),
    receiverAppName: Type.Optional(AppName),
  },
  { additionalProperties: false },
)

export const HELP_STATES = [
  'onlinehelp_requested',
  'onlinehelp_cancelled_by_customer',
  'onlinehelp_started',
  'onlinehelp_ended_by_customer',
  'onlinehelp_ended_by_agent',
  'onlinehelp_ended_customer_kill_app',
] as const
export type HelpState = (typeof HELP_STATES)[number]

export const OnlineHelpRecord = Type.Object(
  {
    onlineHelpId: Int64Id,
    customerId: PartyId,
    agentId: Type.Optional(PartyId),
    state: Type.Enum(HELP_STATES),
    requestedAt: Time,
    startedAt: Type.Optional(Time),
    endedAt: Type.Optional(Time),
  },
  { additionalProperties: false },
)

/** A bot's name, as `DLG_BOTS` allows it (src/messaging/bots.ts). */
export { BOT_NAME_PATTERN }
const Secret = Type.String({ minLength: 1, maxLength: 1024 })

/**
 * A bot's own webhook, `server.conf`'s `webhook` (API-INVENTORY §7.1: `id`, `url`, `app_secret`,
 * `subscribed_webhook_events`) and what the mock adds (D25–D27). What it leaves out is the
 * `DLG_WEBHOOK_*` setting's; the ranges are those settings' (src/config.ts).
 */
export const BotWebhookRecord = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** Absolute http(s), checked by the loader (a schema cannot parse a URL). */
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    appSecret: Secret,
    events: Type.Optional(Type.Array(Type.Enum(WEBHOOK_EVENT_NAMES), { uniqueItems: true })),
    signature: Type.Optional(Type.Enum(SIGNATURE_FORMATS)),
    batchMax: Type.Optional(Type.Integer(WEBHOOK_LIMITS.batchMax)),
    batchWaitMs: Type.Optional(Type.Integer(WEBHOOK_LIMITS.batchWaitMs)),
    timeoutMs: Type.Optional(Type.Integer(WEBHOOK_LIMITS.timeoutMs)),
    retries: Type.Optional(Type.Integer(WEBHOOK_LIMITS.retries)),
    backoffMs: Type.Optional(Type.Integer(WEBHOOK_LIMITS.backoffMs)),
  },
  { additionalProperties: false },
)

/** A bot of the Messaging API (`bots.json`), beside those of `DLG_BOTS`. Its token, payload key and app secret are secrets. */
export const BotRecord = Type.Object(
  {
    name: Type.String({ pattern: BOT_NAME_PATTERN }),
    token: Type.String({ pattern: BOT_TOKEN_PATTERN }),
    diyalogId: Type.Optional(BotDiyalogId),
    alive: Type.Optional(Type.Boolean()),
    payloadKey: Type.Optional(Secret),
    webhook: Type.Optional(BotWebhookRecord),
  },
  { additionalProperties: false },
)

export type StaffMember = Static<typeof StaffRecord>
export type Customer = Static<typeof CustomerRecord>
export type Group = Static<typeof GroupRecord>
export type Person = Static<typeof PersonRecord>
export type MessagingBehaviour = Static<typeof MessagingBehaviourRecord>
export type BotRecord = Static<typeof BotRecord>
export type BotWebhookRecord = Static<typeof BotWebhookRecord>
export type Attachment = Static<typeof AttachmentRecord>
export type CallType = (typeof CALL_TYPES)[number]
export type CallState = (typeof CALL_STATES)[number]
/** A call as given to the store: times in epoch milliseconds. */
export type CallInput = Omit<Static<typeof CallRecord>, 'startedAt' | 'endedAt'> & {
  readonly startedAt: number
  readonly endedAt: number
}
/** An online-help session as given to the store: times in epoch milliseconds. */
export type OnlineHelpInput = Omit<
  Static<typeof OnlineHelpRecord>,
  'requestedAt' | 'startedAt' | 'endedAt'
> & {
  readonly requestedAt: number
  readonly startedAt?: number
  readonly endedAt?: number
}

/** A message of a staff–customer conversation as given to the store: `sentAt` in epoch milliseconds. */
export type MessageInput = Omit<Static<typeof MessageRecord>, 'sentAt'> & { readonly sentAt: number }
export type PersonMessageInput = Omit<Static<typeof PersonMessageRecord>, 'sentAt'> & {
  readonly sentAt: number
}

export type ConversationInput =
  | { readonly staffId: string; readonly customerId: string; readonly messages: readonly MessageInput[] }
  | {
      readonly staffIds: readonly [string, string] | readonly string[]
      readonly messages: readonly PersonMessageInput[]
    }
  | { readonly groupId: number; readonly messages: readonly PersonMessageInput[] }

/**
 * A message as the store holds it: who sent it (`from` is the sender's side, `senderId` the
 * person), and to whom — a person, or a group (`receiverKind: 'group'`, `receiverId` the group
 * id in decimal).
 */
export interface Message {
  readonly id: string
  readonly sentAt: number
  readonly from: 'staff' | 'customer'
  readonly senderId: string
  readonly receiverKind: 'staff' | 'customer' | 'group'
  readonly receiverId: string
  readonly text?: string
  readonly attachment?: Attachment
}

/**
 * Validated fixtures, ready for `createStore`, which takes ownership of them (messages are
 * completed in place: a copy of a million messages would double the peak memory). Groups,
 * calls, online-help sessions and bots may be left out.
 */
export interface Fixtures {
  readonly staff: readonly StaffMember[]
  readonly customers: readonly Customer[]
  readonly groups?: readonly Group[]
  readonly conversations: readonly ConversationInput[]
  readonly calls?: readonly CallInput[]
  readonly onlineHelp?: readonly OnlineHelpInput[]
  readonly bots?: readonly BotRecord[]
}
