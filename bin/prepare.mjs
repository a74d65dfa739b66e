#!/usr/bin/env node
// npm's `prepare` step: compiles src/ to dist/, which is what a client's project imports.
// npm runs it after `npm ci`/`npm install` in a clone, before `npm pack` and `npm publish`, when
// a project installs the package from git (after installing its dev tools) or from a folder,
// and when npx links a clone. Nothing is built when dist/ is already current with src/.
//
// A folder dependency is linked, not installed: npm runs this in the folder, which has no dev
// tools yet, so they are installed first, from the lockfile, as `npm ci` would. In the package's
// own install without dev dependencies (`npm ci --omit=dev`) nothing is installed behind the
// user's back: it says what to run instead.
import { execFileSync } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { distIsCurrent } from './dist-is-current.mjs'

const rootUrl = new URL('../', import.meta.url)
const root = fileURLToPath(rootUrl)
const say = (text) => console.error(`diyalog-mock: ${text}`)

// An installed package holds dist/ and no sources: there is nothing to build.
if (!existsSync(new URL('src/', rootUrl)) || distIsCurrent(rootUrl)) process.exit(0)

/** npm itself, the one running this step (npm_execpath), so it also works where npm is a .cmd. */
function npm(args) {
  const cli = process.env['npm_execpath']
  if (cli !== undefined && cli !== '')
    execFileSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' })
  else execFileSync('npm', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
}

const tsc = new URL('node_modules/typescript/bin/tsc', rootUrl)
if (!existsSync(tsc)) {
  const started = process.env['INIT_CWD']
  const asDependency = started !== undefined && started !== '' && realpathSync(started) !== realpathSync(root)
  const packing = ['pack', 'publish'].includes(process.env['npm_command'] ?? '')
  if (asDependency) {
    say('installing the build tools into the package folder first (npm ci, about 15 s)')
    npm(['ci', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'])
  } else if (packing) {
    say('cannot build dist/ without the dev dependencies: run `npm ci`, then pack again')
    process.exit(1)
  } else {
    say('dist/ not built: the dev dependencies are not installed (run `npm ci`, then `npm run build`)')
    process.exit(0)
  }
}
execFileSync(process.execPath, [fileURLToPath(tsc), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
})
