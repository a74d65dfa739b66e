import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CliIo } from '../../src/cli/io.js'
import { main } from '../../src/cli/main.js'
import { SERVE_FLAGS } from '../../src/cli/serve-command.js'
import type { ServeOptions } from '../../src/serve.js'
import { REPO_ROOT } from '../helpers/server-process.js'

/**
 * `diyalog-mock serve` start-up failures, in-process: each is one line on stderr. The server
 * itself is not started: `serveOrExit` is replaced by a spy, `serve` is the real one.
 */

const started = vi.hoisted(() => [] as { env: Record<string, string | undefined>; options?: ServeOptions }[])
vi.mock('../../src/serve.js', async (importActual) => ({
  ...(await importActual<typeof import('../../src/serve.js')>()),
  serveOrExit: (env: Record<string, string | undefined>, options?: ServeOptions) =>
    void started.push({ env, ...(options === undefined ? {} : { options }) }),
}))
const failing = vi.hoisted(() => ({ fixtures: undefined as Error | undefined }))
vi.mock('../../src/store/fixture-loader.js', async (importActual) => {
  const actual = await importActual<typeof import('../../src/store/fixture-loader.js')>()
  return {
    ...actual,
    loadFixturesDir: (dir: string) =>
      failing.fixtures === undefined ? actual.loadFixturesDir(dir) : Promise.reject(failing.fixtures),
  }
})

async function cli(argv: string[], env: Record<string, string> = {}) {
  let err = ''
  const io: CliIo = {
    env,
    now: () => 0,
    out: () => undefined,
    err: (text) => void (err += text),
    readFile: () => Promise.reject(new Error('unused')),
    writeFile: () => Promise.reject(new Error('unused')),
  }
  const code = await main(argv, io)
  return { code, err, later: () => err }
}

afterEach(() => {
  started.length = 0
  failing.fixtures = undefined
  vi.restoreAllMocks()
})

describe('diyalog-mock serve, its flags', () => {
  const cases = Object.keys(SERVE_FLAGS).flatMap((flag) => ['', ' '].map((value) => [flag, value] as const))
  it.each(cases)('--%s %j is a one-line usage error naming the flag (exit 2)', async (flag, value) => {
    const { code, err } = await cli(['serve', `--${flag}`, value])
    expect([code, started]).toEqual([2, []])
    expect(err).toMatch(
      new RegExp(
        `^diyalog-mock serve: --${flag} is set but empty: leave it out to use the default \\(.+\\), or give a value \\(diyalog-mock serve --help lists the options\\)\n$`,
      ),
    )
  })

  it.each([
    ['keys', 'the public demo key pair'],
    ['host', '0.0.0.0'],
    ['public-url', 'http://localhost:<PORT>'],
  ])('tells an empty --%s the default leaving it out gives, as the variable does', async (flag, meaning) => {
    const { err } = await cli(['serve', `--${flag}=`])
    expect(err).toContain(
      `--${flag} is set but empty: leave it out to use the default (${meaning}), or give a value`,
    )
  })

  it('sets the variables of the flags given, and leaves the others as the environment has them', async () => {
    expect(await cli(['serve', '--port', '4000', '--keys', 'k:s'], { HOST: '127.0.0.1' })).toMatchObject({
      code: 'running',
      err: '',
    })
    expect(started[0]?.env).toMatchObject({ PORT: '4000', DLG_ACCESS_KEYS: 'k:s', HOST: '127.0.0.1' })
  })

  it.each([
    [['serve', '--bogus'], "Unknown option '--bogus'"],
    [['serve', '--public-url', 'notaurl'], '--public-url must be an http(s) URL'],
  ])('%j is one line (exit 2)', async (argv, message) => {
    const { code, err } = await cli(argv)
    expect(code).toBe(2)
    expect(err).toContain(message)
    expect(err.split('\n')).toEqual([
      expect.stringMatching(/^diyalog-mock serve: .+ lists the options\)$/),
      '',
    ])
  })

  it('--admin prints its token once the server listens, so a failed start prints one line', async () => {
    const { code, err, later } = await cli(['serve', '--admin'])
    expect([code, err]).toEqual(['running', ''])
    const token = started[0]?.env['DLG_ADMIN_TOKEN']
    expect(token).toMatch(/^[\w-]{32}$/)
    started[0]?.options?.onListening?.(3000)
    expect(later()).toBe(`diyalog-mock: admin API on: Authorization: Bearer ${token}\n`)
  })
})

class Exited extends Error {
  constructor(readonly code: number | undefined) {
    super(`exit ${code}`)
  }
}

/** The real `serve` and `serveOrExit`, with `process.exit` and stderr captured. */
async function startUp(options: { exitThrows: boolean }) {
  const actual = await vi.importActual<typeof import('../../src/serve.js')>('../../src/serve.js')
  let stderr = ''
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
  const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
    if (options.exitThrows) throw new Exited(code === undefined ? undefined : Number(code))
    return undefined as never
  })
  return { ...actual, exit, stderr: () => stderr }
}

describe('the server start-up, in-process', () => {
  it('says in one line that LOG_FORMAT=pretty needs pino-pretty (exit 1)', async () => {
    const { serve, stderr } = await startUp({ exitThrows: true })
    await expect(serve({ LOG_FORMAT: 'pretty' }, { prettyAvailable: () => false })).rejects.toEqual(
      new Exited(1),
    )
    expect(stderr()).toBe(
      'diyalog-mock: LOG_FORMAT=pretty needs pino-pretty, a dev dependency: run `npm install` or use LOG_FORMAT=json\n',
    )
  })

  it('says an unexpected error in one line, its first stack frame for the trace (exit 1)', async () => {
    const { serveOrExit, exit, stderr } = await startUp({ exitThrows: false })
    failing.fixtures = new TypeError('cannot read properties of undefined\n(reading "x")')
    serveOrExit({ LOG_LEVEL: 'silent' })
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1))
    expect(stderr()).toMatch(
      /^diyalog-mock: cannot start: TypeError: cannot read properties of undefined \(reading "x"\) \(at \S+serve\.test\.ts:\d+:\d+\)\n$/,
    )
  })
})

describe('diyalog-mock serve, as a process', () => {
  it('a busy port with --admin: one line, exit 1, and no token printed for a server that never ran', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const address = blocker.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    const bin = join(REPO_ROOT, 'bin', 'diyalog-mock.js')
    const run = promisify(execFile)(
      process.execPath,
      [bin, 'serve', '--admin', '--host', '127.0.0.1', '--port', String(port)],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env['PATH'] ?? '' },
      },
    )
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: `diyalog-mock: cannot listen on 127.0.0.1:${port}: address already in use\n`,
    })
    blocker.close()
  }, 20_000)
})
