#!/usr/bin/env node
// What the tests need from the machine, checked by `npm test` before anything else runs (plain
// JavaScript: it runs before any build, tsx or vitest).
//
// - Everything present: silent, exit 0.
// - Something missing, on Linux with apt-get, as root, or in CI (CI=true) with passwordless sudo
//   (`sudo -n true`): installs it (apt-get update, then apt-get install --no-install-recommends, noninteractive),
//   checks again, and goes on.
// - Otherwise: ONE line on stderr naming exactly what to install, exit 1.
//
// CHROMIUM_PATH points at a Chromium or Chrome binary of your own: then no chromium package is
// needed. DLG_SKIP_ENV_CHECK=1 skips the check and any installation, for machines that manage
// their own tools (the tests then fail with messages naming whatever is still missing).
//
// The decision is pure (decide(), over injected probes) and unit-tested in environment.test.ts;
// systemProbe() is the real machine; main() only runs what decide() chose.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, realpathSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const SKIP_VARIABLE = 'DLG_SKIP_ENV_CHECK'
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium'
/** Installed along with the requirements: curl and openssl without recommends lack CA roots. */
export const APT_EXTRAS = ['ca-certificates']

/** The one list of what the tests need. `debian` is the package apt-get installs. */
export const REQUIREMENTS = [
  {
    id: 'openssl',
    debian: 'openssl',
    elsewhere: 'openssl',
    why: "the end-to-end tests run the README's curl + openssl recipe; the signer is checked against openssl",
  },
  {
    id: 'curl',
    debian: 'curl',
    elsewhere: 'curl',
    why: "the end-to-end tests run the README's curl + openssl recipe",
  },
  {
    id: 'chromium',
    debian: 'chromium',
    elsewhere: 'Chromium or Chrome (then set CHROMIUM_PATH to its binary)',
    why: 'the browser tests drive Chromium through playwright-core, which downloads no browser',
  },
  {
    id: 'emoji-font',
    debian: 'fonts-noto-color-emoji',
    elsewhere: 'a colour emoji font (Noto Color Emoji; Debian: fonts-noto-color-emoji)',
    why: 'a browser test checks that emoji are drawn with a colour emoji font',
  },
]

/** @param {string} id */
export function requirement(id) {
  const found = REQUIREMENTS.find((r) => r.id === id)
  if (found === undefined) throw new Error(`no requirement ${id}`)
  return found
}

/** The Chromium the browser tests launch. @param {Record<string, string | undefined>} env */
export function chromiumPath(env) {
  return env['CHROMIUM_PATH'] || DEFAULT_CHROMIUM_PATH
}

/**
 * What a test says when a piece of the environment is missing, e.g.
 * `no colour emoji font: install fonts-noto-color-emoji`.
 * @param {'openssl' | 'curl' | 'chromium' | 'emoji-font'} id
 * @param {Record<string, string | undefined>} [env]
 */
export function missingMessage(id, env = {}) {
  const { debian } = requirement(id)
  switch (id) {
    case 'chromium':
      return env['CHROMIUM_PATH']
        ? `Chromium not found: CHROMIUM_PATH=${env['CHROMIUM_PATH']} is not an executable file; point it at a Chromium or Chrome binary`
        : `Chromium not found at ${DEFAULT_CHROMIUM_PATH}: install ${debian}, or set CHROMIUM_PATH to a Chromium or Chrome binary`
    case 'emoji-font':
      return `no colour emoji font: install ${debian}`
    default:
      return `${id} not found: install ${debian}`
  }
}

/**
 * What is missing. A CHROMIUM_PATH that is set but wrong is not `installable`: installing the
 * chromium package would not fix it. macOS always has Apple Color Emoji.
 * @param {import('./environment.mjs').Probe} probe
 * @returns {import('./environment.mjs').Missing[]}
 */
export function findMissing(probe) {
  /** @type {import('./environment.mjs').Missing[]} */
  const missing = []
  for (const tool of ['openssl', 'curl']) {
    if (!probe.hasCommand(tool)) missing.push({ requirement: requirement(tool), installable: true })
  }
  if (!probe.isExecutable(chromiumPath(probe.env))) {
    missing.push(
      probe.env['CHROMIUM_PATH']
        ? {
            requirement: requirement('chromium'),
            installable: false,
            detail: `CHROMIUM_PATH=${probe.env['CHROMIUM_PATH']} is not an executable file`,
          }
        : { requirement: requirement('chromium'), installable: true },
    )
  }
  if (probe.platform !== 'darwin' && probe.emojiFont() !== 'present') {
    missing.push({ requirement: requirement('emoji-font'), installable: true })
  }
  return missing
}

/**
 * The apt-get commands, as argv lists (DEBIAN_FRONTEND set through `env`, so that it also
 * holds under sudo).
 * @param {readonly string[]} packages
 * @param {boolean} sudo
 */
export function aptCommands(packages, sudo) {
  const prefix = [...(sudo ? ['sudo', '-n'] : []), 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get']
  return [
    [...prefix, 'update', '-qq'],
    [...prefix, 'install', '-y', '-qq', '--no-install-recommends', ...packages, ...APT_EXTRAS],
  ]
}

/**
 * The one line printed when the tests cannot run here.
 * @param {readonly import('./environment.mjs').Missing[]} missing
 * @param {{ apt: boolean, root: boolean, reason?: string | undefined }} context
 */
export function stopLine(missing, { apt, root, reason }) {
  const names = missing.map(({ requirement: r, detail }) =>
    detail ? `${r.debian} (${detail})` : apt ? r.debian : r.id === 'emoji-font' ? 'colour emoji font' : r.id,
  )
  const installable = missing.filter((m) => m.installable).map((m) => m.requirement)
  const remedies = []
  if (installable.length > 0) {
    const them = installable.length === 1 ? 'it' : 'them'
    const command = `${root ? '' : 'sudo '}apt-get install --no-install-recommends ${installable.map((r) => r.debian).join(' ')}`
    const alternative = installable.some((r) => r.id === 'chromium')
      ? ', or set CHROMIUM_PATH to a Chromium or Chrome binary instead of installing chromium'
      : ''
    remedies.push(
      apt
        ? `install ${them} with \`${command}\`${alternative}`
        : `install ${installable.map((r) => r.elsewhere).join(', ')}`,
    )
  }
  if (missing.some((m) => !m.installable)) {
    remedies.push('point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it to use /usr/bin/chromium')
  }
  return `test environment: missing ${names.join(', ')}${reason ? ` (${reason})` : ''}: ${remedies.join('; ')}`
}

/**
 * What to do. Without `attempt`, the first look; with it, the look after apt-get ran (with
 * that exit status): then it never installs again.
 * @param {import('./environment.mjs').Probe} probe
 * @param {{ status: number | null }} [attempt]
 * @returns {import('./environment.mjs').Decision}
 */
export function decide(probe, attempt) {
  if (probe.env[SKIP_VARIABLE] === '1') {
    return { action: 'skip', message: `test environment: not checked (${SKIP_VARIABLE}=1)` }
  }
  const missing = findMissing(probe)
  if (missing.length === 0) return { action: 'ready' }
  const apt = probe.platform === 'linux' && probe.hasCommand('apt-get')
  const root = probe.uid === 0
  const stop = (/** @type {string | undefined} */ reason) => ({
    action: /** @type {const} */ ('stop'),
    missing,
    line: stopLine(missing, { apt, root, reason }),
  })
  if (attempt !== undefined) {
    return stop(
      attempt.status === 0
        ? 'still missing after apt-get install'
        : `apt-get failed with exit ${attempt.status}`,
    )
  }
  if (missing.some((m) => !m.installable)) return stop(undefined)
  if (!apt) return stop(probe.platform === 'darwin' ? 'macOS, no apt-get' : 'no apt-get here')
  const sudo = !root
  // A developer's machine is not changed behind their back: sudo only in CI (CI=true), as on
  // hosted runners whose user is not root.
  if (sudo && probe.env['CI'] !== 'true') return stop('not root')
  if (sudo && !(probe.hasCommand('sudo') && probe.canSudo())) return stop('not root, no passwordless sudo')
  const packages = missing.map((m) => m.requirement.debian)
  return { action: 'install', missing, packages, sudo, commands: aptCommands(packages, sudo) }
}

/**
 * The real machine. The probes look commands up on `env.PATH` and run them by their full path.
 * @param {Record<string, string | undefined>} [env]
 * @returns {import('./environment.mjs').Probe}
 */
export function systemProbe(env = process.env) {
  /** @param {string} path */
  const isExecutable = (path) => {
    try {
      accessSync(path, constants.X_OK)
      return statSync(path).isFile()
    } catch {
      return false
    }
  }
  /** @param {string} name */
  const which = (name) =>
    (env['PATH'] ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, name))
      .find(isExecutable)
  const output = (/** @type {string} */ command, /** @type {string[]} */ args) => {
    const run = spawnSync(command, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] })
    return run.status === 0 ? run.stdout : undefined
  }
  return {
    platform: process.platform,
    uid: process.getuid?.(),
    env,
    hasCommand: (name) => which(name) !== undefined,
    isExecutable,
    emojiFont: () => {
      // fontconfig is what Chromium asks on Linux, so fc-list is the truth; dpkg-query is the
      // fallback on a Debian without the fontconfig tools.
      const fcList = which('fc-list')
      const families = fcList === undefined ? undefined : output(fcList, [':', 'family'])
      if (families !== undefined) return /emoji/i.test(families) ? 'present' : 'missing'
      const dpkgQuery = which('dpkg-query')
      if (dpkgQuery === undefined) return 'unknown'
      const status = output(dpkgQuery, ['-W', '-f=${Status}', requirement('emoji-font').debian])
      return status?.trim() === 'install ok installed' ? 'present' : 'missing'
    },
    canSudo: () => {
      const sudo = which('sudo')
      return sudo !== undefined && spawnSync(sudo, ['-n', 'true'], { env, stdio: 'ignore' }).status === 0
    },
  }
}

/** Runs the check; returns the exit code. */
export function main(probe = systemProbe()) {
  const first = decide(probe)
  if (first.action === 'skip') {
    console.log(first.message)
    return 0
  }
  if (first.action === 'ready') return 0
  if (first.action === 'stop') {
    console.error(first.line)
    return 1
  }
  console.log(
    `test environment: installing ${first.packages.join(' ')} with apt-get${first.sudo ? ' (sudo)' : ''}`,
  )
  let status = /** @type {number | null} */ (0)
  for (const [command, ...args] of first.commands) {
    status = spawnSync(/** @type {string} */ (command), args, { stdio: 'inherit' }).status
    if (status !== 0) break
  }
  const second = decide(probe, { status })
  if (second.action === 'stop') {
    console.error(second.line)
    return 1
  }
  console.log(`test environment: installed ${first.packages.join(' ')}`)
  return 0
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  process.exitCode = main()
}
