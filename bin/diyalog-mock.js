#!/usr/bin/env node
// The `diyalog-mock` command. In a clone of the repository it runs the TypeScript sources
// through tsx (a dev dependency), so it never runs a stale build; an installed package runs
// the compiled dist/.
import { existsSync } from 'node:fs'

const source = new URL('../src/cli/main.ts', import.meta.url)
let entry = new URL('../dist/cli/main.js', import.meta.url)
if (existsSync(source)) {
  try {
    const { register } = await import('tsx/esm/api')
    register()
    entry = source
  } catch {
    // No tsx (production install of a clone): fall back to dist/.
  }
}
if (!existsSync(entry)) {
  process.stderr.write('diyalog-mock: not built yet: run `npm run build` (or `npm ci` for the dev tools)\n')
  process.exit(2)
}
const { main } = await import(entry.href)
const code = await main(process.argv.slice(2))
if (code !== 'running') process.exitCode = code
