import { execFile } from 'node:child_process'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import {
  decide,
  main,
  missingMessage,
  REQUIREMENTS,
  systemProbe,
  type Decision,
  type Probe,
} from './environment.mjs'

/**
 * The check `npm test` runs first (test/setup/environment.mjs): what is missing, which
 * commands it would run, which line it prints. Probes are injected; nothing is installed.
 */

const run = promisify(execFile)

interface Machine {
  platform?: NodeJS.Platform
  uid?: number | undefined
  env?: Record<string, string>
  commands?: readonly string[]
  files?: readonly string[]
  emojiFont?: 'present' | 'missing' | 'unknown'
  sudo?: boolean
}

/** A Debian machine, root, with everything the tests need unless told otherwise. */
function probe(machine: Machine = {}): Probe & { asked: string[] } {
  const asked: string[] = []
  const commands = machine.commands ?? ['openssl', 'curl', 'apt-get', 'fc-list']
  const files = machine.files ?? ['/usr/bin/chromium']
  return {
    asked,
    platform: machine.platform ?? 'linux',
    uid: 'uid' in machine ? machine.uid : 0,
    env: machine.env ?? {},
    hasCommand: (name) => commands.includes(name),
    isExecutable: (path) => files.includes(path),
    emojiFont: () => {
      asked.push('emojiFont')
      return machine.emojiFont ?? 'present'
    },
    canSudo: () => {
      asked.push('canSudo')
      return machine.sudo ?? false
    },
  }
}

const FRESH_DEBIAN = { commands: ['apt-get', 'fc-list'], files: [], emojiFont: 'missing' } as const
const APT = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get']

function line(decision: Decision): string {
  expect(decision.action).toBe('stop')
  return decision.action === 'stop' ? decision.line : ''
}

describe('the test environment check', () => {
  it('is silent when everything is there', () => {
    expect(decide(probe())).toEqual({ action: 'ready' })
  })

  it('lists openssl, curl, chromium and the colour emoji font, each with its Debian package', () => {
    expect(REQUIREMENTS.map((r) => [r.id, r.debian])).toEqual([
      ['openssl', 'openssl'],
      ['curl', 'curl'],
      ['chromium', 'chromium'],
      ['emoji-font', 'fonts-noto-color-emoji'],
    ])
  })

  it('installs everything missing as root with apt-get, noninteractive, without recommends', () => {
    const decision = decide(probe(FRESH_DEBIAN))
    expect(decision).toMatchObject({
      action: 'install',
      sudo: false,
      packages: ['openssl', 'curl', 'chromium', 'fonts-noto-color-emoji'],
      commands: [
        [...APT, 'update', '-qq'],
        [
          ...APT,
          'install',
          '-y',
          '-qq',
          '--no-install-recommends',
          'openssl',
          'curl',
          'chromium',
          'fonts-noto-color-emoji',
          'ca-certificates',
        ],
      ],
    })
  })

  it('installs only what is missing', () => {
    expect(decide(probe({ files: [] }))).toMatchObject({ action: 'install', packages: ['chromium'] })
    expect(decide(probe({ emojiFont: 'missing' }))).toMatchObject({
      action: 'install',
      packages: ['fonts-noto-color-emoji'],
    })
    expect(decide(probe({ commands: ['apt-get', 'curl'] }))).toMatchObject({
      action: 'install',
      packages: ['openssl'],
    })
  })

  it('counts a font it cannot look for (no fc-list, no dpkg-query) as missing', () => {
    expect(decide(probe({ emojiFont: 'unknown' }))).toMatchObject({
      action: 'install',
      packages: ['fonts-noto-color-emoji'],
    })
  })

  it('uses sudo -n only in CI when passwordless sudo works, and never asks sudo as root', () => {
    const root = probe(FRESH_DEBIAN)
    decide(root)
    expect(root.asked).not.toContain('canSudo')

    // On a developer's machine, passwordless sudo or not, nothing is installed behind their back.
    const developer = probe({
      ...FRESH_DEBIAN,
      uid: 1000,
      commands: ['apt-get', 'fc-list', 'sudo'],
      sudo: true,
    })
    expect(line(decide(developer))).toMatch(
      /^test environment: missing openssl, curl, chromium, fonts-noto-color-emoji \(not root\): /,
    )
    expect(developer.asked).not.toContain('canSudo')

    const sudoer = probe({
      ...FRESH_DEBIAN,
      uid: 1000,
      env: { CI: 'true' },
      commands: ['apt-get', 'fc-list', 'sudo'],
      sudo: true,
    })
    const decision = decide(sudoer)
    expect(decision).toMatchObject({ action: 'install', sudo: true })
    if (decision.action !== 'install') return
    for (const command of decision.commands) expect(command.slice(0, 5)).toEqual(['sudo', '-n', ...APT])
  })

  it('prints one line naming the packages when not root and sudo asks for a password', () => {
    const text = line(
      decide(
        probe({
          ...FRESH_DEBIAN,
          uid: 1000,
          env: { CI: 'true' },
          commands: ['apt-get', 'sudo'],
          sudo: false,
        }),
      ),
    )
    expect(text).toBe(
      'test environment: missing openssl, curl, chromium, fonts-noto-color-emoji (not root, no passwordless sudo): ' +
        'install them with `sudo apt-get install --no-install-recommends openssl curl chromium fonts-noto-color-emoji`, ' +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary instead of installing chromium',
    )
    expect(text).not.toContain('\n')
  })

  it('says "it" and leaves CHROMIUM_PATH out when only the font is missing', () => {
    expect(line(decide(probe({ uid: 1000, emojiFont: 'missing' })))).toBe(
      'test environment: missing fonts-noto-color-emoji (not root): ' +
        'install it with `sudo apt-get install --no-install-recommends fonts-noto-color-emoji`',
    )
  })

  it('names what to install, and the Debian package, where there is no apt-get', () => {
    expect(line(decide(probe({ commands: ['openssl'], files: [], emojiFont: 'missing' })))).toBe(
      'test environment: missing curl, chromium, colour emoji font (no apt-get here): install curl, ' +
        'Chromium or Chrome (then set CHROMIUM_PATH to its binary), ' +
        'a colour emoji font (Noto Color Emoji; Debian: fonts-noto-color-emoji)',
    )
  })

  it('on macOS asks only for Chromium or Chrome: the system has a colour emoji font', () => {
    const mac = probe({
      platform: 'darwin',
      uid: 501,
      commands: ['openssl', 'curl'],
      files: [],
      emojiFont: 'missing',
    })
    expect(line(decide(mac))).toBe(
      'test environment: missing chromium (macOS, no apt-get): ' +
        'install Chromium or Chrome (then set CHROMIUM_PATH to its binary)',
    )
    expect(mac.asked).not.toContain('emojiFont')
  })

  it('needs no chromium package when CHROMIUM_PATH points at a browser', () => {
    const env = { CHROMIUM_PATH: '/opt/chrome/chrome' }
    expect(decide(probe({ env, files: ['/opt/chrome/chrome'] }))).toEqual({ action: 'ready' })
    expect(decide(probe({ env, files: ['/opt/chrome/chrome'], emojiFont: 'missing' }))).toMatchObject({
      action: 'install',
      packages: ['fonts-noto-color-emoji'],
    })
  })

  it('installs nothing for a wrong CHROMIUM_PATH, and says so', () => {
    const env = { CHROMIUM_PATH: '/opt/none' }
    expect(line(decide(probe({ env })))).toBe(
      'test environment: missing chromium (CHROMIUM_PATH=/opt/none is not an executable file): ' +
        'point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it to use /usr/bin/chromium',
    )
    expect(line(decide(probe({ env, emojiFont: 'missing' })))).toBe(
      'test environment: missing chromium (CHROMIUM_PATH=/opt/none is not an executable file), fonts-noto-color-emoji: ' +
        'install it with `apt-get install --no-install-recommends fonts-noto-color-emoji`; ' +
        'point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it to use /usr/bin/chromium',
    )
  })

  it('after apt-get, goes on when all is there, else says what failed and does not install again', () => {
    expect(decide(probe(), { status: 0 })).toEqual({ action: 'ready' })
    expect(line(decide(probe(FRESH_DEBIAN), { status: 100 }))).toMatch(
      /^test environment: missing openssl, curl, chromium, fonts-noto-color-emoji \(apt-get failed with exit 100\): install them with `apt-get install/,
    )
    expect(line(decide(probe({ files: [] }), { status: 0 }))).toBe(
      'test environment: missing chromium (still missing after apt-get install): ' +
        'install it with `apt-get install --no-install-recommends chromium`, ' +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary instead of installing chromium',
    )
  })

  it(`is skipped with DLG_SKIP_ENV_CHECK=1`, () => {
    expect(decide(probe({ ...FRESH_DEBIAN, env: { DLG_SKIP_ENV_CHECK: '1' } }))).toEqual({
      action: 'skip',
      message: 'test environment: not checked (DLG_SKIP_ENV_CHECK=1)',
    })
    expect(decide(probe({ ...FRESH_DEBIAN, env: { DLG_SKIP_ENV_CHECK: '0' } })).action).toBe('install')
  })

  it('gives the messages the tests fail with', () => {
    expect(missingMessage('emoji-font')).toBe('no colour emoji font: install fonts-noto-color-emoji')
    expect(missingMessage('openssl')).toBe('openssl not found: install openssl')
    expect(missingMessage('chromium')).toBe(
      'Chromium not found at /usr/bin/chromium: install chromium, or set CHROMIUM_PATH to a Chromium or Chrome binary',
    )
    expect(missingMessage('chromium', { CHROMIUM_PATH: '/x' })).toBe(
      'Chromium not found: CHROMIUM_PATH=/x is not an executable file; point it at a Chromium or Chrome binary',
    )
  })

  it('main() prints the one line on stderr and returns 1, running nothing', () => {
    const errors: string[] = []
    const original = console.error
    console.error = (text: string) => errors.push(text)
    try {
      expect(main(probe({ uid: 1000, files: [] }))).toBe(1)
    } finally {
      console.error = original
    }
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^test environment: missing chromium \(not root\)/)
  })
})

describe('the real probe', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  })

  /** A PATH holding only a fake fc-list that prints `families`. */
  async function pathWithFcList(families: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'dlg-env-'))
    dirs.push(dir)
    const fcList = join(dir, 'fc-list')
    await writeFile(fcList, `#!/bin/sh\nprintf '%s\\n' '${families}'\n`)
    await chmod(fcList, 0o755)
    await writeFile(join(dir, 'not-executable'), '')
    return dir
  }

  it('finds commands on PATH, only executable files', async () => {
    const dir = await pathWithFcList('DejaVu Sans')
    const real = systemProbe({ PATH: dir })
    expect(real.hasCommand('fc-list')).toBe(true)
    expect(real.hasCommand('not-executable')).toBe(false)
    expect(real.hasCommand('openssl')).toBe(false)
    expect(real.isExecutable(dir)).toBe(false)
  })

  it('reads the emoji font from fc-list', async () => {
    expect(systemProbe({ PATH: await pathWithFcList('Noto Color Emoji') }).emojiFont()).toBe('present')
    expect(systemProbe({ PATH: await pathWithFcList('DejaVu Sans') }).emojiFont()).toBe('missing')
    expect(systemProbe({ PATH: '/nonexistent' }).emojiFont()).toBe('unknown')
  })

  it('runs as a script: DLG_SKIP_ENV_CHECK=1 passes, a wrong CHROMIUM_PATH stops with one line', async () => {
    const script = join('test', 'setup', 'environment.mjs')
    const skipped = await run(process.execPath, [script], {
      env: { ...process.env, DLG_SKIP_ENV_CHECK: '1' },
    })
    expect(skipped.stdout).toBe('test environment: not checked (DLG_SKIP_ENV_CHECK=1)\n')

    const failed = run(process.execPath, [script], {
      env: { ...process.env, DLG_SKIP_ENV_CHECK: '', CHROMIUM_PATH: '/nonexistent/chromium' },
    })
    await expect(failed).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(
        /^test environment: missing chromium \(CHROMIUM_PATH=\/nonexistent\/chromium is not an executable file\)[^\n]*\n$/,
      ),
    })
  })
})
