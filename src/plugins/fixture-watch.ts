import { FixtureError } from '../store/fixture-loader.js'
import type { App, AppContext } from './context.js'

/** `DLG_FIXTURES_WATCH=true`: the fixtures directory reloaded on every change, from ready to close. */
export function fixtureWatchPlugin(app: App, { config, fixtures }: AppContext): void {
  if (!config.fixturesWatch) return
  let stopWatching = () => {}
  app.addHook('onReady', async () => {
    stopWatching = fixtures.watch((result) => {
      if (result instanceof FixtureError) {
        app.log.error(`fixture reload failed, still serving the previous data: ${result.message}`)
      } else app.log.info({ fixtures: result.counts }, 'fixtures reloaded')
    })
  })
  app.addHook('onClose', async () => stopWatching())
}
