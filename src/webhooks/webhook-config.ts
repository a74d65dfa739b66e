/**
 * A webhook as the Diyalog server's `server.conf` configures one per bot (docs/webhooks.md):
 * where events are POSTed, the `app_secret` that signs them, the `id` sent back in every entry,
 * the subscribed events, plus what the docs leave open and the mock decides (D25–D27): the
 * signature's encoding, the batch size and wait, the timeout, the retries and their backoff.
 */

/** `X-Signature` encodings (D25): lower-case hex (default), `sha1=` + hex, base64. */
export const SIGNATURE_FORMATS = ['hex', 'sha1=hex', 'base64'] as const
export type SignatureFormat = (typeof SIGNATURE_FORMATS)[number]

/** The subscription names of `subscribed_webhook_events`, and the event key each one sends. */
export const WEBHOOK_EVENTS = {
  MessageEchoes: 'messageEcho',
  MessageDeliveries: 'delivery',
  MessageReads: 'reads',
  Messages: 'message',
} as const
export type WebhookEventName = keyof typeof WEBHOOK_EVENTS
export type EventKey = (typeof WEBHOOK_EVENTS)[WebhookEventName]
export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENTS) as WebhookEventName[]

export interface WebhookConfig {
  /** `entry[].id` of every event. */
  readonly id: string
  readonly url: string
  /** Signs every POST (`X-Signature`); a secret, never logged. */
  readonly appSecret: string
  readonly events: readonly WebhookEventName[]
  readonly signature: SignatureFormat
  /** Most events in one POST (D26: 10). */
  readonly batchMax: number
  /** How long the first event of a batch waits for others, ms (D26: 5000). */
  readonly batchWaitMs: number
  /** An attempt without a 2xx answer within this time failed (D27: 5000). */
  readonly timeoutMs: number
  /** Attempts after the first before a batch is dropped (D27: 3). */
  readonly retries: number
  /** Wait before the first retry, doubled for each next one (D27: 1000). */
  readonly backoffMs: number
}

export const WEBHOOK_DEFAULTS = {
  id: 'diyalog-mock',
  events: WEBHOOK_EVENT_NAMES,
  signature: 'hex',
  batchMax: 10,
  batchWaitMs: 5000,
  timeoutMs: 5000,
  retries: 3,
  backoffMs: 1000,
} as const satisfies Omit<WebhookConfig, 'url' | 'appSecret'>

/** The range of each delivery setting: the same for `DLG_WEBHOOK_*` and a bot's own webhook (`bots.json`). */
export const WEBHOOK_LIMITS = {
  batchMax: { minimum: 1, maximum: 1000 },
  batchWaitMs: { minimum: 0, maximum: 600_000 },
  timeoutMs: { minimum: 1, maximum: 600_000 },
  retries: { minimum: 0, maximum: 100 },
  backoffMs: { minimum: 0, maximum: 600_000 },
} as const

/**
 * Why a webhook URL cannot be used, as the end of a sentence naming where it came from, or
 * undefined. It never quotes the URL: it may hold credentials.
 */
export function webhookUrlProblem(text: string): string | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'must be an absolute http:// or https:// URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must be an http:// or https:// URL (got ${url.protocol})`
  }
  return undefined
}
