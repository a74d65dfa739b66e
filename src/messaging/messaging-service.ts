import type { Bot } from './bots.js'
import type { OutgoingMessage, RecipientQuery } from './message-content.js'

/**
 * What the Messaging API's routes need from the rest of the mock: a validated message handed
 * over for sending. The simulation implements it (`simulation/simulation.ts`): the message
 * joins the store, its echo goes out at once, delivery and reading follow.
 */
export type SendResult =
  | { readonly ok: true; readonly recipientId: string; readonly messageId: string }
  | { readonly ok: false; readonly reason: 'recipient-not-found' }

export interface MessagingService {
  send(bot: Bot, recipient: RecipientQuery, message: OutgoingMessage, nowMs: number): SendResult
}
