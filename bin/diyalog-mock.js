#!/usr/bin/env node
// The `diyalog-mock` command. An installed package runs the compiled dist/. In a clone of the
// repository it never runs a stale build: it runs dist/ only when it is current with src/
// (dist-is-current.mjs), and otherwise the TypeScript sources through tsx (a dev dependency),
// which is slower to start. `npm run build` makes dist/ current again.
import { existsSync } from 'node:fs'
import { distIsCurrent } from './dist-is-current.mjs'

const root = new URL('../', import.meta.url)
const source = new URL('src/cli/main.ts', root)
const built = new URL('dist/cli/main.js', root)

let entry = built
if (existsSync(source) && !distIsCurrent(root)) {
  try {
    const { register } = await import('tsx/esm/api')
    register()
    entry = source
  } catch {
    // No tsx (a production install of a clone): never a stale dist/.
    process.stderr.write(
      existsSync(built)
        ? 'diyalog-mock: dist/ is older than src/ and tsx is not installed: run `npm ci` then `npm run build`\n'
        : 'diyalog-mock: not built yet: run `npm run build` (or `npm ci` for the dev tools)\n',
    )
    process.exit(2)
  }
}
if (!existsSync(entry)) {
  process.stderr.write('diyalog-mock: not built yet: run `npm run build` (or `npm ci` for the dev tools)\n')
  process.exit(2)
}
const { main } = await import(entry.href)
const code = await main(process.argv.slice(2))
if (code !== 'running') process.exitCode = code
