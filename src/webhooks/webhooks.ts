import { createHash } from 'node:crypto'
import type { Clock } from '../clock.js'
import {
  createDispatcher,
  zeroCounters,
  type AttemptRecord,
  type DeliverySettings,
  type Dispatcher,
  type DispatcherCounters,
  type DispatcherState,
  type DrainResult,
  type EnqueueResult,
} from './dispatcher.js'
import type { MessagingEvent } from './events.js'
import type { WebhookTransport } from './transport.js'
import type { WebhookConfig } from './webhook-config.js'

/**
 * Every webhook the mock sends to: one dispatcher (queue, batches, retries) per distinct webhook,
 * made on its first event. Two bots with the same webhook (URL, id, secret and signature format)
 * share one queue, as one `server.conf` webhook may serve several bots; each event is still
 * checked against the subscriptions of the config it came with, and a newer config's batch,
 * timeout and retry settings apply from the next batch on.
 *
 * A webhook is known by a digest of those four fields, so the secret never appears in a key,
 * a log line or the admin API.
 */

export interface WebhooksOptions {
  readonly clock: Clock
  readonly onAttempt?: (record: AttemptRecord) => void
  readonly transport?: WebhookTransport
  /** Events waiting per webhook (default `DEFAULT_MAX_QUEUED`). */
  readonly maxQueued?: number
  /** Finished batches kept per webhook (default `DEFAULT_HISTORY_SIZE`). */
  readonly historySize?: number
}

export interface WebhookState extends DispatcherState {
  /** Which webhook this is: a digest of its URL, id, secret and signature format. */
  readonly key: string
}

export interface WebhooksState {
  readonly webhooks: readonly WebhookState[]
  /** The counters of every webhook added up. */
  readonly totals: Readonly<DispatcherCounters>
}

export interface WebhooksDrainResult extends DrainResult {
  readonly webhooks: readonly (DrainResult & { readonly key: string; readonly webhookId: string })[]
}

export interface Webhooks {
  enqueue(webhook: WebhookConfig, event: MessagingEvent): EnqueueResult
  state(): WebhooksState
  /** Drains every webhook at once, all within `deadlineMs` (real ms from now); see `Dispatcher.drain`. */
  drain(deadlineMs: number): Promise<WebhooksDrainResult>
  /** Closes every dispatcher; enqueue refuses from then on (app close). */
  close(): void
  /** Closes and forgets every dispatcher, queues and history with them, and stays usable. */
  reset(): void
}

/** The digest a webhook is known by (16 hex characters of a SHA-256). */
export function webhookKey(webhook: Pick<WebhookConfig, 'url' | 'id' | 'appSecret' | 'signature'>): string {
  return createHash('sha256')
    .update(JSON.stringify([webhook.url, webhook.id, webhook.appSecret, webhook.signature]))
    .digest('hex')
    .slice(0, 16)
}

function sameSettings(a: DeliverySettings, b: DeliverySettings): boolean {
  return (
    a.batchMax === b.batchMax &&
    a.batchWaitMs === b.batchWaitMs &&
    a.timeoutMs === b.timeoutMs &&
    a.retries === b.retries &&
    a.backoffMs === b.backoffMs
  )
}

export function createWebhooks(options: WebhooksOptions): Webhooks {
  const dispatchers = new Map<string, { dispatcher: Dispatcher; settings: DeliverySettings }>()
  let closed = false

  const dispatcherOptions = {
    clock: options.clock,
    ...(options.onAttempt !== undefined ? { onAttempt: options.onAttempt } : {}),
    ...(options.transport !== undefined ? { transport: options.transport } : {}),
    ...(options.maxQueued !== undefined ? { maxQueued: options.maxQueued } : {}),
    ...(options.historySize !== undefined ? { historySize: options.historySize } : {}),
  }

  const closeAll = () => {
    for (const { dispatcher } of dispatchers.values()) dispatcher.close()
    dispatchers.clear()
  }

  return {
    enqueue(webhook, event) {
      if (closed) return 'closed'
      const key = webhookKey(webhook)
      let known = dispatchers.get(key)
      if (known === undefined) {
        known = { dispatcher: createDispatcher(webhook, dispatcherOptions), settings: webhook }
        dispatchers.set(key, known)
      } else if (!sameSettings(known.settings, webhook)) {
        known.settings = webhook
        known.dispatcher.reconfigure(webhook)
      }
      return known.dispatcher.enqueue(event, webhook.events)
    },

    state() {
      const webhooks: WebhookState[] = []
      const totals = zeroCounters()
      for (const [key, { dispatcher }] of dispatchers) {
        const state = dispatcher.state()
        webhooks.push({ key, ...state })
        for (const name of Object.keys(totals) as (keyof DispatcherCounters)[]) {
          totals[name] += state.counters[name]
        }
      }
      return { webhooks, totals }
    },

    async drain(deadlineMs) {
      const entries = [...dispatchers]
      const results = await Promise.all(entries.map(([, { dispatcher }]) => dispatcher.drain(deadlineMs)))
      const webhooks = results.map((result, index) => {
        const [key, { dispatcher }] = entries[index] as [string, { dispatcher: Dispatcher }]
        return { key, webhookId: dispatcher.webhookId, ...result }
      })
      const sum = (name: keyof DrainResult) => results.reduce((total, result) => total + result[name], 0)
      return { delivered: sum('delivered'), dropped: sum('dropped'), left: sum('left'), webhooks }
    },

    close() {
      closed = true
      closeAll()
    },

    reset() {
      closeAll()
    },
  }
}
