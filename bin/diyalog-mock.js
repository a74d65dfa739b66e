#!/usr/bin/env node
// The `diyalog-mock` command. An installed package runs the compiled dist/. In a clone of the
// repository it never runs a stale build: it runs dist/ only when every src/**/*.ts has its
// dist/**/*.js, written no earlier than the source was, and the tsconfig files are no newer than
// dist/cli/main.js (a cheap mtime comparison, a few ms);
// otherwise it runs the TypeScript sources through tsx (a dev dependency), which is slower to
// start. `npm run build` makes dist/ current again.
import { existsSync, readdirSync, statSync } from 'node:fs'

const src = new URL('../src/', import.meta.url)
const dist = new URL('../dist/', import.meta.url)
const source = new URL('cli/main.ts', src)
const built = new URL('cli/main.js', dist)

/** Every `.ts` source under `dir` (declarations aside) has a `.js` output at least as recent. */
function upToDate(srcDir, distDir) {
  for (const entry of readdirSync(srcDir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!upToDate(new URL(`${entry.name}/`, srcDir), new URL(`${entry.name}/`, distDir))) return false
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const output = statSync(new URL(`${entry.name.slice(0, -3)}.js`, distDir), { throwIfNoEntry: false })
      if (output === undefined || output.mtimeMs < statSync(new URL(entry.name, srcDir)).mtimeMs) return false
    }
  }
  return true
}

/** The build settings did not change since dist/ was built (a build rewrites every output). */
function sameSettings() {
  const output = statSync(built).mtimeMs
  return ['tsconfig.json', 'tsconfig.build.json'].every(
    (name) =>
      (statSync(new URL(`../${name}`, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? 0) <= output,
  )
}

let entry = built
if (existsSync(source) && !(existsSync(built) && sameSettings() && upToDate(src, dist))) {
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
