import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT, startServerProcess } from '../helpers/server-process.js'

const run = promisify(execFile)

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
      'diyalog-mock: invalid configuration:\n  PORT must be integer (got "abc")\n  DLG_LINK_SECRET must not have fewer than 16 characters\n',
    )
  })

  it('stops with a message naming the file when the fixtures cannot be read', async () => {
    const server = startServerProcess({ DLG_FIXTURES_DIR: '/nonexistent' })
    expect(await server.exited).toBe(1)
    expect(server.stderr()).toContain('staff.json: cannot read /nonexistent/staff.json (file not found)')
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
