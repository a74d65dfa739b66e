import type { SliceRange } from '../store/messages.js'
import type { MessageContent, Pressable } from './message-content.js'
import type { Recipient } from './recipient.js'

/**
 * A bot's conversation with one user as the page of a bot-conversation link shows it (and the
 * admin API lists it): the messages the bot sent, with their simulated delivery and reading,
 * and what the user wrote or pressed back, oldest first. The store of bot messages answers it
 * (`store/bot-messages.ts`); the page only reads this shape.
 */

export interface BotMessageToUser {
  readonly direction: 'to-user'
  readonly mid: string
  readonly sentAt: number
  /** Undefined: not delivered (yet). */
  readonly deliveredAt?: number
  readonly readAt?: number
  readonly content: MessageContent
  readonly quickReplies: readonly Pressable[]
  /** `sendmok` (an OTP) rather than `sendmessage`. */
  readonly otp: boolean
}

export interface BotMessageFromUser {
  readonly direction: 'from-user'
  /** The mid of the bot's message it answers. */
  readonly mid: string
  readonly sentAt: number
  /** What the webhook carried: the text written, or `[<id>]:<payload>` of a press. */
  readonly text: string
  /** What was pressed, when it was a button or a quick reply: its title, and what the user saw in the chat. */
  readonly pressed?: { readonly title: string; readonly seenByUser: string }
}

export type BotMessageView = BotMessageToUser | BotMessageFromUser

export interface BotConversationView {
  readonly bot: { readonly name: string; readonly diyalogId: string }
  readonly recipient: Recipient
  /** Messages of the whole conversation; `messages` holds the asked range of them. */
  readonly total: number
  readonly messages: readonly BotMessageView[]
}

/** Where the pages find a bot's conversations. */
export interface BotConversationSource {
  /** Undefined: no such bot, or no such user. A user the bot never wrote to has an empty conversation. */
  conversation(
    botName: string,
    recipient: Pick<Recipient, 'kind' | 'id'>,
    range?: SliceRange,
  ): BotConversationView | undefined
}
