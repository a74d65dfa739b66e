import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/server-process.js'

const run = promisify(execFile)

/**
 * bin/prepare.mjs, npm's prepare step, in each situation npm runs it in but the slow ones (a
 * linked folder installing its build tools, git and the tarball are test/package/install and CI):
 * a miniature clone with the real bin/, a source, and no build tools.
 */
describe('bin/prepare.mjs', () => {
  const roots: string[] = []
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true })
  })

  function clone(options: { built?: boolean } = {}) {
    const root = mkdtempSync(join(tmpdir(), 'dlg-prepare-'))
    roots.push(root)
    mkdirSync(join(root, 'bin'))
    for (const file of ['prepare.mjs', 'dist-is-current.mjs']) {
      copyFileSync(join(REPO_ROOT, 'bin', file), join(root, 'bin', file))
    }
    const files: Record<string, string> = {
      'src/cli/main.ts': 'export {}\n',
      'package.json': '{"type":"module"}',
    }
    if (options.built === true) files['dist/cli/main.js'] = 'export {}\n'
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), text)
      const at = path.startsWith('src/') ? new Date(Date.now() - 3_600_000) : new Date()
      utimesSync(join(root, path), at, at)
    }
    const prepare = async (env: Record<string, string>) => {
      try {
        const { stderr } = await run(process.execPath, [join(root, 'bin', 'prepare.mjs')], {
          cwd: root,
          env: { PATH: process.env['PATH'] ?? '', INIT_CWD: root, ...env },
        })
        return { code: 0, stderr }
      } catch (error) {
        const failed = error as { code: number; stderr: string }
        return { code: failed.code, stderr: failed.stderr }
      }
    }
    return { root, prepare }
  }

  it('builds nothing when dist/ is current with src/', async () => {
    const { prepare } = clone({ built: true })
    expect(await prepare({ npm_command: 'ci' })).toEqual({ code: 0, stderr: '' })
  })

  it('installs nothing in its own install without dev dependencies, and says what to run', async () => {
    const { root, prepare } = clone()
    expect(await prepare({ npm_command: 'ci', npm_config_omit: 'dev' })).toEqual({
      code: 0,
      stderr:
        'diyalog-mock: dist/ not built: the dev dependencies are not installed (run `npm ci`, then `npm run build`)\n',
    })
    expect(existsSync(join(root, 'node_modules'))).toBe(false)
  })

  it('refuses to pack a package it cannot build', async () => {
    const { prepare } = clone()
    expect(await prepare({ npm_command: 'pack' })).toEqual({
      code: 1,
      stderr:
        'diyalog-mock: cannot build dist/ without the dev dependencies: run `npm ci`, then pack again\n',
    })
  })

  it('does nothing in an installed package (no sources)', async () => {
    const { root, prepare } = clone()
    rmSync(join(root, 'src'), { recursive: true })
    expect(await prepare({ npm_command: 'install', INIT_CWD: tmpdir() })).toEqual({ code: 0, stderr: '' })
  })
})
