import { mkdtemp, readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLValidator } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listeningPort } from '../../src/app.js'
import type { CliIo } from '../../src/cli/io.js'
import { main } from '../../src/cli/main.js'
import { CASES } from '../../src/conformance/cases/index.js'
import type { ConformanceReport } from '../../src/conformance/runner.js'
import { testApp } from '../helpers/app.js'
import { serveTransport } from '../helpers/conformance.js'
import { WRONG_SERVERS, wrongServer } from '../conformance/wrong-servers.js'

/** `diyalog-mock conformance` over real HTTP, against the mock listening and against a wrong server. */

const SECRET = 'cli-conformance-secret-7d1e'
const KEY = ['--key-id', 'ci-key', '--secret', SECRET]
const mustCount = CASES.filter((c) => c.level === 'MUST').length

async function cli(argv: string[], env: Record<string, string> = {}) {
  let out = ''
  let err = ''
  const io: CliIo = {
    env,
    now: () => Date.now(),
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    readFile: () => Promise.reject(new Error('unused')),
    writeFile: (path, text) => import('node:fs/promises').then((fs) => fs.writeFile(path, text)),
  }
  const code = await main(['conformance', ...argv], io)
  return { code, out, err }
}

// The mock listening on a real port, its clock pinned years back (the runner reads it from Date).
const { app } = testApp({ env: { DLG_ACCESS_KEYS: `ci-key:${SECRET}`, DLG_PUBLIC_URL: '' } })
let mockUrl = ''
let wrong: Awaited<ReturnType<typeof serveTransport>>
const skewServer = WRONG_SERVERS.find((s) => s.name === 'skew window of 30 minutes')!
beforeAll(async () => {
  await app.listen({ host: '127.0.0.1', port: 0 })
  mockUrl = `http://127.0.0.1:${listeningPort(app.server)}`
  wrong = await serveTransport((url) =>
    wrongServer({
      ...skewServer,
      env: { ...skewServer.env, DLG_ACCESS_KEYS: `ci-key:${SECRET}`, DLG_PUBLIC_URL: url },
    }),
  )
})
afterAll(async () => {
  await app.close()
  await wrong.close()
})

describe('diyalog-mock conformance over HTTP', () => {
  it('passes every MUST case against the mock: exit 0 and the summary line', async () => {
    // The mock delivers to no one: every case may send.
    const { code, out, err } = await cli(['--base-url', mockUrl, ...KEY, '--send-messages'])
    expect(err).toBe('')
    expect(code).toBe(0)
    expect(out.trimEnd().split('\n').at(-1)).toBe(`${mustCount} passed, 0 failed, 0 decisions differ`)
    expect(out).toContain('days behind this machine')
    expect(out).not.toContain(SECRET)
  })

  it('takes the credentials and the base URL from the environment', async () => {
    const { code, out } = await cli([], { DLG_BASE_URL: mockUrl, DLG_KEY_ID: 'ci-key', DLG_SECRET: SECRET })
    expect(code).toBe(0)
    expect(out).toContain(`Diyalog conformance: ${mockUrl} (AccessKeyId ci-key)`)
  })

  it('exits 1 against a server that breaks a rule, and names the failing cases', async () => {
    const { code, out } = await cli(['--base-url', wrong.url, ...KEY])
    expect(code).toBe(1)
    expect(out).toMatch(/^FAIL +MUST +auth\.skew-outside-past/m)
    expect(out).toMatch(/^FAIL +MUST +auth\.skew-outside-future/m)
    // Without --send-messages, the cases that would deliver a message are not sent.
    const sending = CASES.filter((c) => c.sendsMessage === true)
    expect(sending.length).toBeGreaterThan(0)
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      `${mustCount - 2 - sending.length} passed, 2 failed, 2 decisions differ, ${sending.length} not sent (they would send a real message: --send-messages)`,
    )
  })

  it('writes JUnit or JSON to --out and still shows the table', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conformance-'))
    const xmlFile = join(dir, 'conformance.xml')
    const junit = await cli(['--base-url', wrong.url, ...KEY, '--format', 'junit', '--out', xmlFile])
    expect(junit.code).toBe(1)
    expect(junit.out).toContain('2 failed')
    const xml = await readFile(xmlFile, 'utf8')
    expect(XMLValidator.validate(xml)).toBe(true)
    expect(xml).toContain('name="auth.skew-outside-past"')
    expect(xml).not.toContain(SECRET)

    const json = await cli(['--base-url', mockUrl, ...KEY, '--format', 'json', '--only', 'links'])
    expect(json.code).toBe(0)
    const report = JSON.parse(json.out) as ConformanceReport
    expect(report.cases.map((c) => c.id)).toEqual(['links.open', 'links.empty-window', 'links.tampered'])
    expect(report.requests).toBe(7)
  })

  it('--only takes groups and id prefixes', async () => {
    const { code, out } = await cli([
      '--base-url',
      mockUrl,
      ...KEY,
      '--only',
      'auth.skew,getmessagingdetail.D8',
    ])
    expect(code).toBe(0)
    expect(out.match(/^(PASS|SAME) /gm)).toHaveLength(7)
  })

  it('--explain prints each request and sends nothing', async () => {
    const botToken = 'a-real-bot-token-0123456789'
    const { code, out } = await cli([
      '--base-url',
      'http://127.0.0.1:9',
      ...KEY,
      '--bot-token',
      botToken,
      '--explain',
    ])
    expect(code).toBe(0)
    for (const testCase of CASES) expect(out).toContain(`${testCase.id}  [${testCase.level}`)
    expect(out).toContain('POST /v1/reporting/getmessagingdetail HTTP/1.1')
    expect(out).toContain('then: GET the conversationDetailLink')
    expect(out).toContain('POST /v1/bots/sendmessage/<bot token> HTTP/1.1')
    expect(out).not.toContain(SECRET)
    expect(out).not.toContain(botToken)
  })

  it('exits 2 when the server cannot be reached', async () => {
    const { code, err } = await cli(['--base-url', 'http://127.0.0.1:9', ...KEY])
    expect(code).toBe(2)
    expect(err).toContain('no answer from http://127.0.0.1:9: ECONNREFUSED')
  })

  it('exits 2 when the server stops answering, after --timeout-ms', async () => {
    const silent = createServer(() => {})
    await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', listening))
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
    const { code, err } = await cli(['--base-url', url, ...KEY, '--timeout-ms', '200'])
    silent.closeAllConnections()
    silent.close()
    expect(code).toBe(2)
    expect(err).toContain(`no answer within 200 ms (POST ${url}/v1/reporting/getmessagingdetail)`)
  })

  it.each([
    [['--format', 'xml'], '--format must be one of table, json, junit'],
    [['--only', 'calls'], '--only: no case matches "calls"'],
    [['--only', ','], '--only names no group or case'],
    [['--max-requests', '10'], 'more than --max-requests 10'],
    [['--max-requests', 'many'], '--max-requests must be a whole number'],
    [['--delay-ms=-5'], '--delay-ms must be a whole number'],
    [['--base-url', 'ftp://x'], '--base-url must be an http(s) URL'],
    [['--base-url', 'localhost:3000/x?y'], '--base-url must be an http(s) URL'],
    [['--base-url', 'http://u:p@localhost'], 'must not carry a user name or password'],
    [['--key-id', 'only-the-id'], 'give both --key-id and --secret'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const { code, err } = await cli(['--base-url', mockUrl, ...args])
    expect(code).toBe(2)
    expect(err).toContain(message)
  })

  it('checks DLG_BASE_URL as it checks --base-url, naming the variable', async () => {
    const { code, err } = await cli([...KEY, '--explain'], { DLG_BASE_URL: 'notaurl' })
    expect(code).toBe(2)
    expect(err).toContain('DLG_BASE_URL must be an http(s) URL without query or fragment')
  })

  it('prints its help', async () => {
    const { code, out } = await cli(['--help'])
    expect(code).toBe(0)
    expect(out).toContain(
      'Exit codes: 0 every MUST case passed, 1 a MUST case failed, 2 usage or connection error.',
    )
  })
})
