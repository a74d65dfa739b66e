import { execFile } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/server-process.js'

const run = promisify(execFile)

/**
 * Start-up time: a command's module is loaded only when it runs, and the modules `sign` and
 * `--help` need load neither Fastify nor TypeBox; the command runs the built dist/ only when it
 * is current, the sources through tsx otherwise.
 */

/** The modules a source file loads when it is imported: static imports, `import type` aside. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const found: string[] = []
  for (const match of text.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^;'"]*?\sfrom\s+)?'([^']+)'/gm)) {
    if (match[1] !== undefined) found.push(match[1])
  }
  return found
}

/** Every module a source loads, transitively: relative ones as repository paths, packages by name. */
function loadedBy(entry: string): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string) => {
    const path = file.replace(`${REPO_ROOT}`, '')
    if (seen.has(path)) return
    seen.add(path)
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
      else seen.add(specifier)
    }
  }
  visit(join(REPO_ROOT, entry))
  return seen
}

const HEAVY = /^(fastify|@fastify\/|typebox|pino|playwright-core)|conformance\/|store\//

describe('what a command loads', () => {
  it('main loads no command module until a command runs', () => {
    expect([...loadedBy('src/cli/main.ts')].sort()).toEqual(
      ['src/cli/io.ts', 'node:fs/promises', 'src/cli/main.ts'].sort(),
    )
  })

  it('sign and curl load neither Fastify, TypeBox, the store nor the conformance runner', () => {
    const heavy = [...loadedBy('src/cli/sign-command.ts')].filter((name) => HEAVY.test(name))
    expect(heavy).toEqual([])
  })
})

describe('bin/diyalog-mock.js runs dist/ only when it is current', () => {
  /** A clone in miniature: the real bin, tsx, a src/ and a dist/ whose main says which ran. */
  function clone(options: { src?: boolean; dist?: boolean } = {}) {
    const root = mkdtempSync(join(tmpdir(), 'dlg-bin-'))
    mkdirSync(join(root, 'bin'))
    for (const file of ['diyalog-mock.js', 'dist-is-current.mjs']) {
      copyFileSync(join(REPO_ROOT, 'bin', file), join(root, 'bin', file))
    }
    writeFileSync(join(root, 'package.json'), '{"type":"module"}')
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'))
    const main = (from: string) =>
      `export async function main() { process.stdout.write('${from}'); return 0 }\n`
    const files: Record<string, string> = {}
    if (options.src !== false) {
      files['src/cli/main.ts'] = main('src')
      files['src/store/data.ts'] = 'export const data: number = 1\n'
      files['src/types.d.ts'] = 'export {}\n'
    }
    if (options.dist !== false) {
      files['dist/cli/main.js'] = main('dist')
      files['dist/store/data.js'] = 'export const data = 1\n'
    }
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), text)
      // Sources an hour old, outputs just written: a fresh build.
      const at = path.startsWith('src/') ? new Date(Date.now() - 3_600_000) : new Date()
      utimesSync(join(root, path), at, at)
    }
    const ran = async () => (await run(process.execPath, [join(root, 'bin', 'diyalog-mock.js')])).stdout
    return { root, ran }
  }

  it('runs dist/ when every source has an output written after it', async () => {
    expect(await clone().ran()).toBe('dist')
  })

  it('runs the sources when one of them changed after the build', async () => {
    const { root, ran } = clone()
    const now = new Date(Date.now() + 1000)
    utimesSync(join(root, 'src/store/data.ts'), now, now)
    expect(await ran()).toBe('src')
  })

  it('runs the sources when a tsconfig changed after the build', async () => {
    const { root, ran } = clone()
    writeFileSync(join(root, 'tsconfig.build.json'), '{}')
    const now = new Date(Date.now() + 1000)
    utimesSync(join(root, 'tsconfig.build.json'), now, now)
    expect(await ran()).toBe('src')
  })

  it('runs the sources when a source has no output yet, or there is no dist/', async () => {
    const { root, ran } = clone()
    writeFileSync(join(root, 'src/store/new.ts'), 'export {}\n')
    expect(await ran()).toBe('src')
    expect(await clone({ dist: false }).ran()).toBe('src')
  })

  it('runs dist/ where there are no sources (an installed package)', async () => {
    expect(await clone({ src: false }).ran()).toBe('dist')
  })
})
