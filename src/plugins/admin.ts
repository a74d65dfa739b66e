import { createFaults } from '../admin/faults.js'
import { ADMIN_PREFIX, faultHook, journalHooks } from '../admin/request-hooks.js'
import { dateHeaderHook } from '../http/date-header.js'
import { adminRoutes } from '../routes/admin.js'
import type { App, AppContext } from './context.js'

/**
 * The admin API, when `DLG_ADMIN_TOKEN` is set: the journal and fault hooks every request
 * passes, and the routes under `/__admin`. The `Date` header tells clients the time the skew
 * check uses (the conformance runner reads it): it follows an injected clock, and the admin API's
 * moves of the clock.
 */
export function adminPlugin(app: App, context: AppContext): void {
  const { config, clock, ownClock, fixtures, journal, messaging } = context
  if (ownClock || config.adminToken !== undefined) app.addHook('onSend', dateHeaderHook(clock, ownClock))
  if (config.adminToken === undefined || journal === undefined) return
  const faults = createFaults(clock)
  const { markArrival, recordRequest, recordDropped } = journalHooks(journal, clock)
  const { injectFault, cancelDelays } = faultHook(faults, recordDropped)
  app.decorateRequest('arrivedAt', 0)
  app.addHook('onRequest', markArrival)
  app.addHook('onRequest', injectFault)
  app.addHook('onResponse', recordRequest)
  app.addHook('preClose', async () => cancelDelays())
  app.register(adminRoutes, {
    prefix: ADMIN_PREFIX,
    token: config.adminToken,
    journal,
    clock,
    faults,
    fixtures,
    messaging,
    configuredBots: config.bots,
    webhook: config.webhook,
    botConversations: context.botConversations,
    linkSigner: context.linkSigner,
    publicUrl: context.publicUrl,
  })
}
