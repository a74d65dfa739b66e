import { Type, type Static } from 'typebox'
import { PartyId } from '../schemas.js'

/**
 * The fixture files a message store is loaded from (`fixtures/` by default, or
 * `DLG_FIXTURES_DIR`). Unknown fields are errors, so a misspelt field never goes unnoticed.
 */

const Name = Type.String({ minLength: 1, maxLength: 200 })

export const StaffRecord = Type.Object(
  {
    staffId: PartyId,
    name: Name,
    appName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
)

/** User types of docs/contract.md §4.1: 5 DomainCustomer, 7 AnonymousCustomer, … */
export const CustomerRecord = Type.Object(
  {
    customerId: PartyId,
    name: Name,
    userType: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
  },
  { additionalProperties: false },
)

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

export const MessageRecord = Type.Object(
  {
    ...MessageFields,
    /** RFC 3339 with a zone, e.g. `2021-03-09T16:28:32+03:00`. */
    sentAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)

export const ConversationRecord = Type.Object(
  {
    staffId: PartyId,
    customerId: PartyId,
    messages: Type.Array(MessageRecord),
  },
  { additionalProperties: false },
)

export const FIXTURE_FILES = {
  staff: { file: 'staff.json', schema: Type.Array(StaffRecord) },
  customers: { file: 'customers.json', schema: Type.Array(CustomerRecord) },
  conversations: { file: 'conversations.json', schema: Type.Array(ConversationRecord) },
} as const

export type StaffMember = Static<typeof StaffRecord>
export type Customer = Static<typeof CustomerRecord>
export type Attachment = Static<typeof AttachmentRecord>
/** A message as the store holds it: `sentAt` in epoch milliseconds. */
export type Message = Omit<Static<typeof MessageRecord>, 'sentAt'> & { readonly sentAt: number }

export interface Conversation {
  readonly staffId: string
  readonly customerId: string
  readonly messages: readonly Message[]
}

/** Validated fixtures, ready for `createStore`. */
export interface Fixtures {
  readonly staff: readonly StaffMember[]
  readonly customers: readonly Customer[]
  readonly conversations: readonly Conversation[]
}
