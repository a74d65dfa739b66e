import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { REPO_ROOT } from '../helpers/server-process.js'

/**
 * The package as a client team gets it: a brand-new project that installs diyalog-mock from a
 * packed tarball, a folder or a git URL, and runs there a vitest suite in ESM TypeScript
 * (type-checked by tsc first) and a node:test suite in CommonJS. Each starts the mock with
 * `startMock()`, signs with the exported signer, calls getmessagingdetail, opens the link, and
 * uses the admin client (freezes the clock, reads the journal).
 *
 * Used by test/package/install.test.ts (the tarball) and, by hand or in CI, for every route:
 *   npx tsx test/package/client-project.ts tarball|folder|git
 */

const run = promisify(execFile)

export type InstallRoute = 'tarball' | 'folder' | 'git'

interface OwnPackage {
  readonly devDependencies: Readonly<Record<string, string>>
  readonly overrides?: Readonly<Record<string, unknown>>
}

const ownPackage = async (): Promise<OwnPackage> =>
  JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as OwnPackage

/** The versions of the client's own test tools: the project's, so npm finds them in its cache. */
function devVersions(own: OwnPackage): string[] {
  return ['vitest', 'typescript', '@types/node'].map(
    (name) => `${name}@${own.devDependencies[name] ?? 'latest'}`,
  )
}

/** What a commit would hold right now: the tracked files and the new ones git does not ignore. */
async function workingTreeFiles(): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  })
  return stdout.split('\0').filter((file) => file !== '')
}

/**
 * A clone of the working tree (uncommitted changes included) in `dir`, without dist/ or
 * node_modules/ — what `git clone` gives a client team. With `git: true` it is a repository
 * with one commit, for a `git+file://` dependency.
 */
export async function freshClone(dir: string, options: { git?: boolean } = {}): Promise<string> {
  for (const file of await workingTreeFiles()) {
    await mkdir(dirname(join(dir, file)), { recursive: true })
    await cp(join(REPO_ROOT, file), join(dir, file), { verbatimSymlinks: true }).catch((error: unknown) => {
      // A file deleted in the working tree but not yet in the index.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    })
  }
  if (options.git === true) {
    const git = (...args: string[]) => run('git', args, { cwd: dir })
    await git('init', '-q')
    await git('add', '-A')
    await git('-c', 'user.name=client', '-c', 'user.email=client@example.test', 'commit', '-qm', 'clone')
  }
  return dir
}

export interface PackResult {
  readonly tarball: string
  /** Paths inside the package, e.g. `dist/testing.js`. */
  readonly files: readonly string[]
}

/**
 * `npm pack` of a fresh clone, as a maintainer or CI would publish it. npm runs `prepare`,
 * which builds dist/; the clone borrows this checkout's node_modules for the build tools.
 */
export async function packFreshClone(workDir: string): Promise<PackResult> {
  const clone = await freshClone(join(workDir, 'clone'))
  await symlink(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir')
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workDir], {
    cwd: clone,
    maxBuffer: 16 * 1024 * 1024,
  })
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
    filename: string
    files: { path: string }[]
  }[]
  if (packed === undefined) throw new Error(`npm pack printed no package: ${stdout}`)
  return { tarball: join(workDir, packed.filename), files: packed.files.map((file) => file.path) }
}

/** The documented request, as both suites write it. */
const REQUEST = `const resource = '/v1/reporting/getmessagingdetail'
const body = JSON.stringify({ staffId: '45188', customerId: '5667067', startDate: 1610856400000, endDate: 1635892494000 })
`

/** Signing with the exported signer and sending, the same in TypeScript and in CommonJS. */
const SIGNED_CALL = `  const date = formatDlgDate(clock.now)
  const { authorization } = sign(
    { method: 'POST', contentType: 'application/json', date, body, resource },
    { keyId: mock.keyId, secret: mock.secret },
  )
  const response = await fetch(mock.url + resource, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-dlg-date': date,
      'x-dlg-requester-userid': '45186',
      'x-dlg-authorization': authorization,
    },
    body,
  })
`

const ESM_TEST = `import { afterAll, beforeAll, expect, it } from 'vitest'
import { formatDlgDate, sign } from 'diyalog-mock'
import { startMock, type FaultSpec, type JournalEntry, type RunningMock } from 'diyalog-mock/testing'

${REQUEST}
let mock: RunningMock
beforeAll(async () => {
  mock = await startMock()
})
afterAll(() => mock.stop())

it('signs getmessagingdetail, opens the link, and reads the journal at a frozen time', async () => {
  const clock = await mock.admin.freezeClock('2021-03-09T13:28:32Z')
  expect(clock.mode).toBe('frozen')
${SIGNED_CALL}  expect(response.status).toBe(200)
  const answer = (await response.json()) as { isSuccess: boolean; conversationDetailLink: string }
  expect(answer.isSuccess).toBe(true)
  const page = await fetch(answer.conversationDetailLink)
  expect(page.status).toBe(200)
  expect(page.headers.get('content-type')).toMatch(/^text\\/html/)
  expect(await page.text()).toContain('İpek Doğan')
  const [entry]: JournalEntry[] = await mock.admin.requests({ path: resource })
  expect(entry?.auth).toBe('ok')
  expect(entry?.time).toBe(Date.parse('2021-03-09T13:28:32Z'))
})

it('types the admin calls exactly', async () => {
  // @ts-expect-error a delay fault needs delayMs
  const incomplete: FaultSpec = { kind: 'delay' }
  expect(incomplete.kind).toBe('delay')
  const fault = await mock.admin.addFault({ kind: 'api-error', message: 'Bakımdayız', times: 1 })
  expect((await mock.fetchSigned(resource, { body })).status).toBe(500)
  expect(fault.id).toMatch(/./)
})
`

const CJS_TEST = `'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { formatDlgDate, sign } = require('diyalog-mock')
const { startMock } = require('diyalog-mock/testing')

${REQUEST}
test('signs getmessagingdetail, opens the link, and reads the journal at a frozen time', async (t) => {
  const mock = await startMock()
  t.after(() => mock.stop())
  const clock = await mock.admin.freezeClock('2021-03-09T13:28:32Z')
${SIGNED_CALL}  assert.equal(response.status, 200)
  const answer = await response.json()
  assert.equal(answer.isSuccess, true)
  const page = await fetch(answer.conversationDetailLink)
  assert.equal(page.status, 200)
  assert.match(await page.text(), /İpek Doğan/)
  const [entry] = await mock.admin.requests({ path: resource })
  assert.equal(entry.auth, 'ok')
  assert.equal(entry.time, Date.parse('2021-03-09T13:28:32Z'))
})
`

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
  },
  include: ['test'],
}

export interface ClientRun {
  readonly dir: string
  /** `npm install`'s output. */
  readonly install: string
  readonly typecheck: string
  readonly vitest: string
  readonly nodeTest: string
}

/** The output of a command, whatever its exit code, with the code when it failed. */
async function output(command: string, args: string[], cwd: string): Promise<{ ok: boolean; text: string }> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
    })
    return { ok: true, text: stdout + stderr }
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: unknown }
    return { ok: false, text: `exit ${String(failed.code)}\n${failed.stdout ?? ''}${failed.stderr ?? ''}` }
  }
}

/**
 * A brand-new project in `dir` that installs diyalog-mock from `spec` (a tarball, a folder, a
 * `git+file://` URL) and its test tools, then type-checks and runs both suites. Throws with
 * the failing step's output.
 */
export async function runClientProject(dir: string, spec: string): Promise<ClientRun> {
  await mkdir(join(dir, 'test'), { recursive: true })
  const own = await ownPackage()
  // The overrides docs/testing.md gives clients on Node 20, which keep npm quiet about engines.
  const client = {
    name: 'client-project',
    version: '1.0.0',
    private: true,
    type: 'module',
    overrides: own.overrides,
  }
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(client, null, 2)}\n`)
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`)
  await writeFile(join(dir, 'test', 'reporting.test.ts'), ESM_TEST)
  await writeFile(join(dir, 'test', 'reporting.cjs'), CJS_TEST)
  const tools = devVersions(own)
  const steps: [keyof Omit<ClientRun, 'dir'>, string, string[]][] = [
    [
      'install',
      'npm',
      ['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', spec, ...tools],
    ],
    ['typecheck', 'npx', ['--no-install', 'tsc', '-p', '.']],
    ['vitest', 'npx', ['--no-install', 'vitest', 'run']],
    ['nodeTest', 'node', ['--test', 'test/reporting.cjs']],
  ]
  const result: Record<string, string> = { dir }
  for (const [name, command, args] of steps) {
    const { ok, text } = await output(command, args, dir)
    result[name] = text
    if (!ok) throw new Error(`client project, ${name} (${command} ${args.join(' ')}) failed:\n${text}`)
  }
  return result as unknown as ClientRun
}

/** By hand or in CI: `npx tsx test/package/client-project.ts tarball|folder|git`. */
async function main(route: string | undefined): Promise<void> {
  if (route !== 'tarball' && route !== 'folder' && route !== 'git') {
    console.error('usage: npx tsx test/package/client-project.ts tarball|folder|git')
    process.exitCode = 2
    return
  }
  const work = await mkdtemp(join(tmpdir(), `diyalog-mock-${route}-`))
  try {
    const spec =
      route === 'tarball'
        ? (await packFreshClone(work)).tarball
        : route === 'folder'
          ? await freshClone(join(work, 'clone'))
          : `git+file://${await freshClone(join(work, 'clone'), { git: true })}`
    const started = performance.now()
    const client = await runClientProject(join(work, 'project'), spec)
    const seconds = ((performance.now() - started) / 1000).toFixed(0)
    const engines = client.install.split('\n').filter((line) => line.includes('EBADENGINE'))
    if (engines.length > 0) throw new Error(`npm install warned about engines:\n${engines.join('\n')}`)
    console.log(`client project (${route}: npm install ${spec}): installed and passed in ${seconds} s`)
    for (const step of ['typecheck', 'vitest', 'nodeTest'] as const) {
      console.log(`--- ${step}\n${client[step].trim()}`)
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv[2])
}
