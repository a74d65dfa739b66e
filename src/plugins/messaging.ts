import { createBotRegistry, BOTS_PREFIX, type Bot, type BotRegistry } from '../messaging/bots.js'
import { botsApi } from '../routes/bots-api.js'
import type { BotRecord } from '../store/fixture-schema.js'
import { botsOfRecords } from '../store/bots.js'
import type { App, AppContext } from './context.js'

/** The Messaging API takes at least this much, so a 5 MB document in base64 reaches its documented check (D44). */
export const MESSAGING_BODY_LIMIT = 8 * 1024 * 1024
/** Kept from the grace period for the log lines and the exit after the webhooks' drain. */
const DRAIN_MARGIN_MS = 250

/**
 * The bots: those of the configuration (`DLG_BOTS` or the demo bot) and those of the fixtures,
 * rebuilt only when the fixtures are swapped. A fixture bot whose name or token is already a
 * configured bot's is left out (the configured one wins) and logged.
 */
export function botRegistry(context: Pick<AppContext, 'config' | 'store'>, warn: (text: string) => void) {
  const { config, store } = context
  let records: readonly BotRecord[] | undefined
  let registry: BotRegistry = createBotRegistry(config.bots)
  return (): BotRegistry => {
    if (store.bots === records) return registry
    records = store.bots
    const configured = createBotRegistry(config.bots)
    const extra: Bot[] = []
    for (const bot of botsOfRecords(records, config.webhookDefaults)) {
      if (configured.byName(bot.name) !== undefined || configured.byToken(bot.token) !== undefined) {
        warn(`fixture bot ${bot.name} left out: its name or token is already a configured bot's`)
      } else extra.push(bot)
    }
    registry = createBotRegistry([...config.bots, ...extra])
    return registry
  }
}

/**
 * The Messaging API under `/v1/bots` (token in the path, no HMAC), sending through the
 * simulation; the simulation's events go to each bot's webhook. On close, the simulation stops
 * and the webhooks drain within the shutdown grace period (docs/reliability.md).
 */
export function messagingPlugin(app: App, context: AppContext): void {
  const { config, clock, messaging } = context
  app.register(botsApi, {
    prefix: BOTS_PREFIX,
    bots: messaging.bots,
    messaging: messaging.simulation,
    clock,
    bodyLimit: Math.max(config.bodyLimit, MESSAGING_BODY_LIMIT),
  })
  // The grace period runs from the start of the stop (serve.ts); the requests in flight finish
  // first, then what is left of it is the webhooks'.
  let closingSince = 0
  app.addHook('preClose', async () => {
    closingSince = performance.now()
  })
  app.addHook('onClose', async () => {
    messaging.simulation.stop()
    const left = config.shutdownGraceMs - (performance.now() - closingSince) - DRAIN_MARGIN_MS
    const drained = await messaging.webhooks.drain(Math.max(0, left))
    const { delivered, dropped, left: undelivered } = drained
    if (dropped > 0 || undelivered > 0) {
      app.log.warn(
        { webhooks: { delivered, dropped, left: undelivered } },
        'webhook events not delivered before the shutdown deadline',
      )
    } else if (delivered > 0)
      app.log.info({ webhooks: { delivered } }, 'webhook events delivered before stopping')
    messaging.webhooks.close()
  })
}
