import { execFile } from 'node:child_process'
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { killServerProcesses, REPO_ROOT, startServerProcess } from '../helpers/server-process.js'

const run = promisify(execFile)

afterEach(killServerProcesses)

describe('the server process', () => {
  it("starts on the embedded defaults, answers the README's curl + openssl recipe, and stops on SIGTERM", async () => {
    const server = startServerProcess()
    await server.ready
    expect(server.stdout()).toContain('using the public DEMO access key')
    expect(server.stdout()).toContain('DLG_LINK_SECRET is not set')

    const { stdout } = await run('bash', ['test/smoke/readme-recipe.sh'], {
      cwd: REPO_ROOT,
      env: { ...process.env, BASE_URL: server.baseUrl },
    })
    expect(stdout).toContain('"isSuccess":true')
    expect(stdout).toContain('readme-recipe: the link opens')

    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.stdout()).toContain('shutting down')
  })

  it('stops with a clear message and exit 1 on an invalid configuration', async () => {
    const server = startServerProcess({ PORT: 'abc', DLG_LINK_SECRET: 'short' })
    expect(await server.exited).toBe(1)
    expect(server.stderr()).toBe(
      'diyalog-mock: invalid configuration: PORT must be integer (got "abc"); DLG_LINK_SECRET must not have fewer than 16 characters\n',
    )
  })

  it.each([
    ['DLG_ACCESS_KEYS', '', 'the public demo key pair'],
    ['HOST', ' ', '0.0.0.0'],
  ])('stops with one line and exit 1 when %s is set but empty (%j)', async (name, value, meaning) => {
    const server = startServerProcess({ [name]: value })
    expect(await server.exited).toBe(1)
    expect(server.stderr()).toBe(
      `diyalog-mock: invalid configuration: ${name} is set but empty: unset it to use the default (${meaning}), or give a value\n`,
    )
  })

  it('stops with one line naming the file when the fixtures cannot be read', async () => {
    const server = startServerProcess({ DLG_FIXTURES_DIR: '/nonexistent' })
    expect(await server.exited).toBe(1)
    expect(server.stderr()).toBe(
      'diyalog-mock: invalid fixtures in /nonexistent: staff.json: cannot read /nonexistent/staff.json (file not found)\n',
    )
  })

  it('stops with one line, the first problem and how many more, when the fixtures have many', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlg-fixtures-'))
    for (const file of ['customers.json', 'conversations.json']) {
      copyFileSync(join(REPO_ROOT, 'fixtures', file), join(dir, file))
    }
    const staff = Array.from({ length: 30 }, (_, i) => ({ staffId: `s${i}`, nmae: 'typo', appName: 'x' }))
    writeFileSync(join(dir, 'staff.json'), JSON.stringify(staff))
    const server = startServerProcess({ DLG_FIXTURES_DIR: dir })
    expect(await server.exited).toBe(1)
    const [line, ...rest] = server.stderr().split('\n')
    expect(rest).toEqual([''])
    expect(line).toMatch(
      new RegExp(
        `^diyalog-mock: invalid fixtures in ${dir}: staff\\.json: record 0 \\(staffId s0\\): .+ \\(and \\d+ more found\\)$`,
      ),
    )
  })

  it('stops with one line when the address is not on this machine', async () => {
    const server = startServerProcess({ HOST: '192.0.2.1' })
    expect(await server.exited).toBe(1)
    expect(server.stderr()).toBe(
      'diyalog-mock: cannot listen on 192.0.2.1:0: address not available on this machine\n',
    )
  })

  it('stops with one line when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const address = blocker.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const server = startServerProcess({ PORT: String(port) })
    expect(await server.exited).toBe(1)
    expect(server.stderr()).toBe(`diyalog-mock: cannot listen on 127.0.0.1:${port}: address already in use\n`)
    blocker.close()
  })
})
