import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packFreshClone, runClientProject, type ClientRun, type PackResult } from './client-project.js'

/**
 * The package as a client team installs it: `npm pack` of a fresh clone (npm's `prepare`
 * builds dist/), installed into a brand-new project whose own vitest (ESM TypeScript) and
 * node:test (CommonJS) suites use diyalog-mock and diyalog-mock/testing. npm fetches the
 * project's dependencies from its cache, or from the registry the first time.
 */
describe('the packed package, installed into a new project', { timeout: 240_000 }, () => {
  let work = ''
  let packed: PackResult
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'diyalog-mock-install-'))
    packed = await packFreshClone(work)
  }, 240_000)
  afterAll(() => rm(work, { recursive: true, force: true }))

  it('holds the built library, the command, the fixtures and the licence, and no sources', () => {
    const files = [...packed.files].sort()
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/testing.js',
      'dist/testing.d.ts',
      'dist/server.js',
      'dist/cli/main.js',
      'bin/diyalog-mock.js',
      'bin/dist-is-current.mjs',
      'bin/prepare.mjs',
      'fixtures/staff.json',
      'LICENSE',
      'README.md',
      'package.json',
    ]) {
      expect(files, `the tarball lacks ${file}`).toContain(file)
    }
    expect(files.filter((file) => /^(src|test|bench)\/|\.map$/.test(file))).toEqual([])
  })

  it('serves a vitest suite in ESM TypeScript and a node:test suite in CommonJS', async () => {
    const client: ClientRun = await runClientProject(join(work, 'project'), packed.tarball)
    expect(client.install).not.toMatch(/EBADENGINE/)
    expect(client.vitest).toMatch(/Tests\s+2 passed/)
    expect(client.nodeTest).toMatch(/# pass 1\b/)
    expect(client.nodeTest).toMatch(/# fail 0\b/)
  })
})
