#!/usr/bin/env node
// npm's `prepare` step: compiles src/ to dist/, which is what a client's project imports.
// npm runs it after `npm ci`/`npm install` in a clone, before `npm pack` and `npm publish`, and
// when a project installs the package from git (after installing its dev tools) or from a
// folder. A folder is linked, not installed: npm then runs this in the folder without its dev
// tools, so they are installed first, from the lockfile, exactly as `npm ci` would.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const run = (args) => execFileSync(npm, args, { cwd: root, stdio: 'inherit' })

// An installed package holds dist/ and no sources: there is nothing to build.
if (!existsSync(join(root, 'src'))) process.exit(0)

if (!existsSync(join(root, 'node_modules', 'typescript', 'package.json'))) {
  console.error('diyalog-mock: installing the build tools into the package folder first (npm ci)')
  run(['ci', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'])
}
run(['run', 'build', '--silent'])
