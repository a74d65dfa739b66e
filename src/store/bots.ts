import { bot, derivedDiyalogId, type Bot } from '../messaging/bots.js'
import type { WebhookConfig } from '../webhooks/webhook-config.js'
import type { BotRecord, BotWebhookRecord } from './fixture-schema.js'

/**
 * The bots of the fixtures (`bots.json`, docs/data-model.md): the store keeps the records as they
 * are, and the app turns them into running bots (`botsOfRecords`) with the webhook settings of
 * its environment for what a record's webhook leaves out.
 */

/** What a webhook of the fixtures does not say is taken from these: the `DLG_WEBHOOK_*` settings. */
export type WebhookDefaults = Omit<WebhookConfig, 'url' | 'appSecret'>

/** A bot's Diyalog id: its own, or the one derived from its name (as `bot()` does). */
export const botDiyalogId = (record: Pick<BotRecord, 'name' | 'diyalogId'>): string =>
  record.diyalogId ?? derivedDiyalogId('bot', record.name)

/** A bot's own webhook, each field it leaves out the default's. */
export function webhookOfRecord(record: BotWebhookRecord, defaults: WebhookDefaults): WebhookConfig {
  return {
    id: record.id ?? defaults.id,
    url: record.url,
    appSecret: record.appSecret,
    events: record.events ?? defaults.events,
    signature: record.signature ?? defaults.signature,
    batchMax: record.batchMax ?? defaults.batchMax,
    batchWaitMs: record.batchWaitMs ?? defaults.batchWaitMs,
    timeoutMs: record.timeoutMs ?? defaults.timeoutMs,
    retries: record.retries ?? defaults.retries,
    backoffMs: record.backoffMs ?? defaults.backoffMs,
  }
}

/** The bots of the records, in their order: alive unless they say not, the payload key their token unless they give one. */
export function botsOfRecords(records: readonly BotRecord[], defaults: WebhookDefaults): Bot[] {
  return records.map((record) =>
    bot({
      name: record.name,
      token: record.token,
      diyalogId: botDiyalogId(record),
      ...(record.alive === undefined ? {} : { alive: record.alive }),
      ...(record.payloadKey === undefined ? {} : { payloadKey: record.payloadKey }),
      ...(record.webhook === undefined ? {} : { webhook: webhookOfRecord(record.webhook, defaults) }),
    }),
  )
}
