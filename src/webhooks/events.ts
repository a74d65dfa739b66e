import type { EventKey } from './webhook-config.js'

/**
 * The events a webhook carries, exactly as the docs show `entry[].messaging[0]`
 * (docs/webhooks.md): the bot as `sender`, the user as `recipient`, the event's time, and one
 * event key. The simulation makes them; the dispatcher wraps each in an entry and batches them.
 */

/** The user of an event: its own number (customer or staff, D46) and its Diyalog id. */
export type RecipientIds =
  | { readonly appCustomerId: string; readonly id: string }
  | { readonly appStaffId: string; readonly id: string }

interface EventBase {
  readonly sender: { readonly id: string }
  readonly recipient: RecipientIds
  /** When it happened, epoch ms (the mock's clock). */
  readonly timestamp: number
}

export interface MessageEchoEvent extends EventBase {
  /** `app_id` is the bot's Diyalog id, a number as in the docs' example (D46). */
  readonly messageEcho: { readonly app_id: number; readonly is_echo: true; readonly mid: string }
}
export interface DeliveryEvent extends EventBase {
  readonly delivery: { readonly mids: readonly string[]; readonly watermark: number }
}
export interface ReadsEvent extends EventBase {
  readonly reads: { readonly mids: readonly string[]; readonly watermark: number }
}
/** The user wrote to the bot or pressed a button (`text` = `[<messageId>]:<payload>`). */
export interface UserMessageEvent extends EventBase {
  readonly message: { readonly mid: string; readonly text: string }
}

export type MessagingEvent = MessageEchoEvent | DeliveryEvent | ReadsEvent | UserMessageEvent

/** Which of the four an event is. */
export function eventKeyOf(event: MessagingEvent): EventKey {
  if ('messageEcho' in event) return 'messageEcho'
  if ('delivery' in event) return 'delivery'
  if ('reads' in event) return 'reads'
  return 'message'
}

/** The mids an event is about. */
export function midsOf(event: MessagingEvent): readonly string[] {
  if ('messageEcho' in event) return [event.messageEcho.mid]
  if ('delivery' in event) return event.delivery.mids
  if ('reads' in event) return event.reads.mids
  return [event.message.mid]
}

/** One entry of a webhook POST: one event (`messaging` always holds exactly one). */
export interface WebhookEntry {
  readonly id: string
  /** When the mock sent it, epoch ms. */
  readonly time: number
  readonly messaging: readonly [MessagingEvent]
}

/** The body of a webhook POST. */
export interface WebhookBody {
  readonly object: 'dialog'
  readonly entry: readonly WebhookEntry[]
}
