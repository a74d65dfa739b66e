/**
 * What a bot sends, once `sendmessage` or `sendmok` has validated it (docs/messaging.md): one
 * content kind per message, in the mock's own terms. The validation (`send-message.ts`,
 * `send-mok.ts`) makes these from the documented bodies; the store keeps them
 * (`store/bot-messages.ts`); the simulation finds the buttons a user may press in them; the
 * bot-conversation page shows them.
 */

/** A quick reply (`quickRepliesV2[]`) or a button (`buttonsV2[]`): something the user may press. */
export interface Pressable {
  /** `postback` comes back through the webhook; `web_url` opens its payload on the device. Quick replies are `postback`. */
  readonly type: 'postback' | 'web_url'
  readonly title: string
  readonly payload: string
  /** The payload comes back signed with the bot's payload key (D45). */
  readonly payloadHidden: boolean
  /** Shown in the user's chat when pressed (default: the payload). */
  readonly payloadSeenByUser?: string
  readonly imageUrl?: string
}

export interface TemplateElement {
  /** Returned with a pressed button's payload, to tell which element it was. */
  readonly messageId?: string
  readonly title?: string
  readonly subtitle?: string
  readonly imageUrl?: string
  readonly buttons: readonly Pressable[]
}

export type MessageContent =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'generic'; readonly elements: readonly TemplateElement[] }
  | {
      readonly kind: 'button'
      /** Returned with a pressed button's payload. */
      readonly messageId: string
      readonly text: string
      readonly buttons: readonly Pressable[]
    }
  | { readonly kind: 'trigger'; readonly text?: string; readonly command: string; readonly data: string }
  | {
      readonly kind: 'document'
      readonly fileName: string
      readonly mimeType?: string
      /** Size of the decoded file, bytes (the bytes themselves are not kept). */
      readonly size: number
      readonly shownAs: 'document' | 'photo' | 'video' | 'voice'
      readonly width?: number
      readonly height?: number
      readonly duration?: number
    }
  | {
      /** `attachment.type` image, audio, video or file: no page documents their payload (D43). */
      readonly kind: 'media'
      readonly type: 'image' | 'audio' | 'video' | 'file'
    }
  | {
      readonly kind: 'otp'
      readonly mokMessage: string
      readonly mokValue?: string
      readonly imageUrl?: string
      readonly txCode?: string
      readonly deviceId?: string
      readonly buttons: readonly Pressable[]
    }

/** A message a bot sends, validated: its content, the quick replies under it, and its id if the client gave one. */
export interface OutgoingMessage {
  /** The client's `messageId`; undefined: the mock makes one. */
  readonly messageId?: string
  readonly content: MessageContent
  readonly quickReplies: readonly Pressable[]
}

/** Who the client named as the recipient: exactly one of the three documented ids. */
export type RecipientQuery =
  { readonly appCustomerId: string } | { readonly appStaffId: string } | { readonly id: string }
