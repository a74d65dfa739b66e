import type { App } from './context.js'

/** What a request carries through the app: its raw body and what authentication decided. */
export function requestStatePlugin(app: App): void {
  app.decorateRequest('rawBody', null)
  app.decorateRequest('authOutcome', null)
}
