import type { MessagingEvent, WebhookBody } from './events.js'

/**
 * The body of one webhook POST, as the docs show it (docs/webhooks.md, "Envelope"):
 * `{"object":"dialog","entry":[{id, time, messaging:[event]}, …]}`, one entry per event, in the
 * order the events happened. `id` is the webhook's configured id, `time` when the mock sent the
 * batch (the mock's clock). Pure: the dispatcher calls it once per batch and signs the bytes it
 * returns, so every attempt of a batch sends the same bytes and the same `X-Signature`.
 */

/** The envelope's `object` (sic, as documented). */
export const WEBHOOK_OBJECT = 'dialog'

export function webhookBody(webhookId: string, time: number, events: readonly MessagingEvent[]): WebhookBody {
  return {
    object: WEBHOOK_OBJECT,
    entry: events.map((event) => ({ id: webhookId, time, messaging: [event] as const })),
  }
}

export interface EncodedEnvelope {
  readonly body: WebhookBody
  /** The body as sent: its JSON, serialised once, in UTF-8. The signature is over these bytes. */
  readonly bytes: Buffer<ArrayBuffer>
}

export function encodeEnvelope(
  webhookId: string,
  time: number,
  events: readonly MessagingEvent[],
): EncodedEnvelope {
  const body = webhookBody(webhookId, time, events)
  return { body, bytes: Buffer.from(JSON.stringify(body), 'utf8') }
}
