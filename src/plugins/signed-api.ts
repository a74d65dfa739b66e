import { createKeyring } from '../auth/keyring.js'
import { signedApi, V1_PREFIX } from '../routes/v1.js'
import type { App, AppContext } from './context.js'

/** The signed API under `/v1`: HMAC authentication from the configuration, every route of the table. */
export function signedApiPlugin(app: App, context: AppContext): void {
  const { config, clock, store, linkSigner, publicUrl, diagnosisBudget } = context
  app.register(signedApi, {
    prefix: V1_PREFIX,
    auth: {
      keyring: createKeyring(config.accessKeys, config.retiredAccessKeys),
      diagnostics: config.diagnostics,
      maxSkewSeconds: config.maxSkewSeconds,
      acceptHeaderAliases: config.acceptHeaderAliases,
      acceptNewlineBeforeResource: config.acceptNewlineBeforeResource,
      bodyLimit: config.bodyLimit,
      clock,
      ...(diagnosisBudget === undefined ? {} : { diagnosisBudget }),
    },
    deps: { store, linkSigner, clock, publicUrl },
  })
}
