import { execFile } from 'node:child_process'
import { writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Value } from 'typebox/value'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listeningPort } from '../../src/app.js'
import { DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import {
  GET_MESSAGING_DETAIL_EXAMPLE,
  GetMessagingDetailBody,
} from '../../src/routes/reporting/getmessagingdetail.js'
import { COMMAND_NAMES, main } from '../../src/cli/main.js'
import type { CliIo } from '../../src/cli/io.js'
import { DOCS_NOW, TEST_LINK_SECRET, testApp } from '../helpers/app.js'
import { REPO_ROOT } from '../helpers/server-process.js'
import { DOCS_BODY, DOCS_BODY_TEXT, DOCS_RESOURCE } from '../helpers/signing.js'
import { vectorCase, vectors } from '../helpers/vectors.js'

const run = promisify(execFile)
const vector = vectorCase(0)

/** Runs the CLI in-process with captured output and a pinned clock. */
async function cli(argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) {
  let out = ''
  let err = ''
  const io: CliIo = {
    env,
    now: () => DOCS_NOW,
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    readFile: async (path) => {
      const content = files[path]
      if (content === undefined)
        throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' })
      return Buffer.from(content)
    },
    writeFile: () => Promise.reject(new Error('unused')),
  }
  const code = await main(argv, io)
  return { code, out, err }
}

const KEYS = ['--key-id', vectors.accessKeyId, '--secret', vectors.accessKeySecret]
const VECTOR_ARGS = ['--date', vector.date, '--data', vector.body, '--resource', vector.resource]

/** The vector as a captured request file: request line, headers, empty line, body. */
const captured = (authorization = vector.authorization) =>
  [
    `POST ${vector.resource} HTTP/1.1`,
    'Host: localhost:3000',
    `Content-Type: ${vector.contentType}`,
    `x-dlg-date: ${vector.date}`,
    'x-dlg-requester-userid: 45186',
    `x-dlg-authorization: ${authorization}`,
    '',
    vector.body,
  ].join('\r\n')

describe('diyalog-mock sign', () => {
  it('prints the headers and the string-to-sign of the shared vector', async () => {
    const { code, out, err } = await cli(['sign', ...KEYS, ...VECTOR_ARGS])
    expect(code).toBe(0)
    expect(err).toBe('')
    expect(out).toBe(
      [
        'Content-Type: application/json',
        `x-dlg-date: ${vector.date}`,
        'x-dlg-requester-userid: 45186',
        `x-dlg-authorization: ${vector.authorization}`,
        '',
        'string-to-sign (newlines shown as \\n):',
        vector.stringToSign.replaceAll('\n', '\\n'),
        '',
      ].join('\n'),
    )
  })

  it('prints JSON, reads the body from a file byte for byte, and the key from the environment', async () => {
    const env = { DLG_KEY_ID: vectors.accessKeyId, DLG_SECRET: vectors.accessKeySecret }
    const { code, out } = await cli(['sign', '--json', '--date', vector.date, '--body', 'body.json'], env, {
      'body.json': vector.body,
    })
    expect(code).toBe(0)
    expect(JSON.parse(out)).toEqual({
      headers: {
        'Content-Type': 'application/json',
        'x-dlg-date': vector.date,
        'x-dlg-requester-userid': '45186',
        'x-dlg-authorization': vector.authorization,
      },
      stringToSign: vector.stringToSign,
      signature: vector.signature,
    })
  })

  it('warns when --date is not a valid x-dlg-date', async () => {
    const { code, err } = await cli(['sign', '--date', 'Sal, 09 Mar 2021 13:28:32 GMT'])
    expect(code).toBe(0)
    expect(err).toContain('warning: --date "Sal, 09 Mar 2021 13:28:32 GMT" is not a valid x-dlg-date')
  })

  it('uses the demo pair when no key is given, and says so on stderr', async () => {
    const { code, out, err } = await cli(['sign', ...VECTOR_ARGS])
    expect(code).toBe(0)
    expect(out).toContain(vector.authorization)
    expect(err).toContain('using the public demo key pair')
  })

  it("signs the route's example body when no --data or --body is given, and says so", async () => {
    const { code, out, err } = await cli(['sign', '--date', vector.date])
    expect(code).toBe(0)
    expect(out).toContain(`\\n${vector.date}\\n${DOCS_BODY_TEXT}${DOCS_RESOURCE}\n`)
    expect(err).toContain(
      'no --data or --body: using the example body of POST /v1/reporting/getmessagingdetail\n',
    )
    // Even with a query string; an explicitly empty --data stays empty.
    const query = await cli(['sign', '--date', vector.date, '--resource', `${DOCS_RESOURCE}?x=1`])
    expect(query.out).toContain(`${DOCS_BODY_TEXT}${DOCS_RESOURCE}?x=1\n`)
    const empty = await cli(['sign', '--date', vector.date, '--data', ''])
    expect(empty.out).toContain(`\\n${vector.date}\\n${DOCS_RESOURCE}\n`)
    expect(empty.err).not.toContain('example body')
  })

  it('signs an empty body, with a note, for a route without an example', async () => {
    for (const argv of [
      ['--resource', '/v1/reporting/unknown'],
      ['--method', 'GET'],
    ]) {
      const { code, out, err } = await cli(['sign', '--date', vector.date, ...argv])
      expect(code).toBe(0)
      expect(out).toMatch(/\\nTue, 09 Mar 2021 13:28:32 GMT\\n\/v1\/reporting\/\w+\n$/)
      expect(err).toMatch(
        /no --data or --body, and (POST|GET) \/v1\/\S+ has no example body: signing an empty body/,
      )
    }
  })

  it("the example is the schema's, valid against it, and the documentation's", () => {
    expect(GetMessagingDetailBody).toHaveProperty('examples', [GET_MESSAGING_DETAIL_EXAMPLE])
    expect(Value.Check(GetMessagingDetailBody, GET_MESSAGING_DETAIL_EXAMPLE)).toBe(true)
    expect(GET_MESSAGING_DETAIL_EXAMPLE).toEqual(DOCS_BODY)
    expect(Object.keys(GET_MESSAGING_DETAIL_EXAMPLE)).toEqual(Object.keys(DOCS_BODY))
  })

  it.each([
    [['sign', '--key-id', 'k'], 'give both --key-id and --secret'],
    [['sign', '--data', 'a', '--body', 'b'], 'give --data or --body, not both'],
    [['sign', '--bogus'], "Unknown option '--bogus'"],
    [['sign', '--body', 'missing.json'], 'ENOENT'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { code, err } = await cli(argv)
    expect(code).toBe(2)
    expect(err).toContain(message)
  })
})

describe('diyalog-mock curl', () => {
  const { app } = testApp()
  let baseUrl = ''
  beforeAll(async () => {
    await app.listen({ host: '127.0.0.1', port: 0 })
    baseUrl = `http://127.0.0.1:${listeningPort(app.server)}`
  })
  afterAll(() => app.close())

  it('prints a command that bash runs and the server accepts', async () => {
    const body = `{"staffId":"45188","customerId":"5667067","startDate":1610856400000,"endDate":1635892494000,"note":"it's"}`
    const { code, out } = await cli(['curl', '--base-url', `${baseUrl}/`, '--data', body])
    expect(code).toBe(0)
    expect(out).toMatch(
      /^curl -sS -i -X 'POST' 'http:\/\/127\.0\.0\.1:\d+\/v1\/reporting\/getmessagingdetail' \\\n {2}-H /,
    )
    expect(out).toContain(
      `--data-raw '{"staffId":"45188","customerId":"5667067","startDate":1610856400000,"endDate":1635892494000,"note":"it'\\''s"}'`,
    )
    const { stdout } = await run('bash', ['-c', out])
    expect(stdout).toMatch(/^HTTP\/1\.1 200 OK/)
    expect(stdout).toContain('"isSuccess":true')
  })

  it('quotes every word, so nothing in the input runs in the shell', async () => {
    const body = 'line one\n$(touch /tmp/pwned) `id` $HOME \'quoted\' "double"\n'
    const { out } = await cli(['curl', '--base-url', baseUrl, '--method', 'POST $(id)', '--data', body])
    expect(out).toContain(`-X 'POST $(id)'`)
    const { stdout } = await run('bash', ['-c', `set -f; printf '%s' ${out.split('--data-raw ')[1]?.trim()}`])
    expect(stdout).toBe(body)
  })

  it('sends a body given as a file from that file, byte for byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dlg-curl-'))
    const file = join(dir, "body with 'quote'.json")
    const body = Buffer.concat([
      Buffer.from(
        '{"staffId":"45188","customerId":"5667067","startDate":1610856400000,"endDate":1635892494000}',
      ),
      Buffer.from('\n'),
    ])
    await writeFile(file, body)
    let out = ''
    const io: CliIo = {
      env: {},
      now: () => DOCS_NOW,
      out: (text) => void (out += text),
      err: () => undefined,
      readFile: (path) => import('node:fs/promises').then((fs) => fs.readFile(path)),
      writeFile: (path, text) => import('node:fs/promises').then((fs) => fs.writeFile(path, text)),
    }
    expect(await main(['curl', '--base-url', baseUrl, '--body', file], io)).toBe(0)
    expect(out).toContain(`--data-binary @'${dir}/body with '\\''quote'\\''.json'`)
    const { stdout } = await run('bash', ['-c', out])
    expect(stdout).toMatch(/^HTTP\/1\.1 200 OK/)
  })

  it('refuses a binary body on the command line', async () => {
    const { code, err } = await cli(['curl', '--body', '-'], {}, { '-': '\u0000binary' })
    expect(code).toBe(2)
    expect(err).toContain('give it as --body FILE')
  })

  it("without --data, sends the route's example body, which the server accepts", async () => {
    const { code, out, err } = await cli(['curl', '--base-url', baseUrl])
    expect(code).toBe(0)
    expect(out).toContain(`--data-raw '${DOCS_BODY_TEXT}'`)
    expect(err).toContain('using the example body of POST /v1/reporting/getmessagingdetail')
    const { stdout } = await run('bash', ['-c', out])
    expect(stdout).toMatch(/^HTTP\/1\.1 200 OK/)
    expect(stdout).toContain('"isSuccess":true')
  })

  it('leaves the body out of a request to a route without an example, and says so', async () => {
    const { out, err } = await cli(['curl', '--method', 'GET', '--resource', '/v1/x'])
    expect(out).not.toContain('--data-raw')
    expect(err).toContain('GET /v1/x has no example body: signing an empty body')
  })

  it.each([
    ['notaurl', '--base-url must be an http(s) URL without query or fragment'],
    ['localhost:3000', '--base-url must be an http(s) URL'],
    ['ftp://localhost', '--base-url must be an http(s) URL'],
    ['http://localhost:3000/?x=1', '--base-url must be an http(s) URL without query or fragment'],
    ['http://user:pw@localhost:3000', '--base-url must not carry a user name or password'],
  ])('refuses --base-url %j (exit 2)', async (url, message) => {
    const { code, out, err } = await cli(['curl', '--base-url', url, '--data', '{}'])
    expect([code, out]).toEqual([2, ''])
    expect(err).toContain(message)
  })
})

describe('diyalog-mock verify', () => {
  it('says valid (exit 0) for the vector, checked at its own date', async () => {
    const { code, out } = await cli(['verify', '--headers', 'req.txt'], {}, { 'req.txt': captured() })
    expect([code, out]).toEqual([0, `valid: AccessKeyId ${vectors.accessKeyId}, requester 45186\n`])
  })

  it('says invalid (exit 1) with the documented error and the diagnosis', async () => {
    const sha1 = vectors.wrongVariantsOfCase0.find((variant) => variant.mistake.includes('SHA1'))?.signature
    const { code, out } = await cli(
      ['verify', '--headers', 'req.txt'],
      {},
      {
        'req.txt': captured(`DLGA ${vectors.accessKeyId}:${sha1}`),
      },
    )
    expect(code).toBe(1)
    expect(out).toContain('invalid: 401 Authorization failed\n  reason: signature-mismatch\n')
    expect(out).toContain('  mistake: hmac-sha1\n')
    expect(out).toContain(`  string-to-sign: ${vector.stringToSign.replaceAll('\n', '\\n')}\n`)
  })

  it('checks the clock skew against now when asked', async () => {
    const { code, out } = await cli(
      ['verify', '--headers', 'req.txt', '--now', '2021-03-09T14:00:00Z'],
      {},
      {
        'req.txt': captured(),
      },
    )
    expect(code).toBe(1)
    expect(out).toContain('invalid: 403 Request time may not be correct.')
    expect(out).toContain('x-dlg-date is 1888 s behind the server clock')
  })

  it('takes headers and body from two files, method and resource from flags', async () => {
    const headers = captured().split('\r\n\r\n')[0]?.split('\r\n').slice(1).join('\n') ?? ''
    const { code } = await cli(
      ['verify', '--headers', 'h.txt', '--body', 'b.json', '--resource', vector.resource],
      {},
      { 'h.txt': headers, 'b.json': vector.body },
    )
    expect(code).toBe(0)
    const wrongKeys = await cli(
      ['verify', '--headers', 'h.txt', '--body', 'b.json', '--keys', 'other:secret'],
      {},
      {
        'h.txt': headers,
        'b.json': vector.body,
      },
    )
    expect(wrongKeys.code).toBe(1)
    expect(wrongKeys.out).toContain('reason: unknown-key')
  })

  it('reads the "> " lines of curl -v output, and header bytes as Latin-1', async () => {
    const verbose = [
      '* Connected to localhost',
      ...captured()
        .split('\r\n\r\n')[0]!
        .split('\r\n')
        .map((line) => `> ${line}`),
      '>',
      '< HTTP/1.1 200 OK',
      '< content-type: application/json',
    ].join('\n')
    const { code } = await cli(
      ['verify', '--headers', 'v.txt', '--body', 'b.json'],
      {},
      { 'v.txt': verbose, 'b.json': vector.body },
    )
    expect(code).toBe(0)
  })

  it.each([
    [['verify'], '--headers FILE is required'],
    [['verify', '--headers', 'bad.txt'], '--headers: line 1 is not "Name: value"'],
    [['verify', '--headers', 'req.txt', '--max-skew', 'x'], '--max-skew must be a whole number'],
    [
      ['verify', '--headers', 'req.txt', '--now', 'yesterday'],
      '--now must be epoch milliseconds or an ISO 8601 date',
    ],
  ])('%j is a usage error', async (argv, message) => {
    const { code, err } = await cli(argv, {}, { 'bad.txt': 'nonsense', 'req.txt': captured() })
    expect(code).toBe(2)
    expect(err).toContain(message)
  })
})

describe('diyalog-mock link', () => {
  const secret = ['--link-secret', TEST_LINK_SECRET]
  /** `link mint` for the documentation's pair, before the window. */
  const pair = ['link', 'mint', '--staff', '45188', '--customer', '5667067']
  const mint = async (extra: string[] = []) =>
    (
      await cli([...pair, '--start', '2021-01-17T04:06:40Z', '--end', '1635892494000', ...secret, ...extra])
    ).out.trim()

  it('mints a link the server opens', async () => {
    const link = await mint(['--base-url', 'http://mock.test:8080/'])
    expect(link).toMatch(
      /^http:\/\/mock\.test:8080\/views\/messaging\?staffId=45188&customerId=5667067&startDate=1610856400000&endDate=1635892494000&expiresAt=\d+&sig=/,
    )
    const { app } = testApp()
    const url = new URL(link)
    expect((await app.inject({ method: 'GET', url: `${url.pathname}${url.search}` })).statusCode).toBe(200)
  })

  it('inspects a link: fields, times in the page zone, and valid (exit 0)', async () => {
    const { code, out } = await cli(['link', 'inspect', await mint(), ...secret])
    expect(code).toBe(0)
    expect(out).toContain(
      'startDate:  1610856400000 = 2021-01-17T04:06:40.000Z = 17 Ocak 2021 07:06 Europe/Istanbul\n',
    )
    expect(out).toContain(
      `expiresAt:  ${DOCS_NOW + 1_800_000} = 2021-03-09T13:58:32.000Z = 9 Mart 2021 16:58 Europe/Istanbul\n`,
    )
    expect(out).toContain('valid: opens for 1800 s more\n')
  })

  it('says expired or invalid with exit 1, and not checked without a secret', async () => {
    const link = await mint()
    const expired = await cli(['link', 'inspect', link, ...secret, '--now', String(DOCS_NOW + 1_800_000)])
    expect([expired.code, expired.out.split('\n').at(-2)]).toEqual([
      1,
      'expired: 0 s ago (the page answers 410)',
    ])
    const tampered = await cli(['link', 'inspect', link.replace('45188', '45186'), ...secret])
    expect(tampered.code).toBe(1)
    expect(tampered.out).toContain('invalid: changed, cut short or signed with another secret')
    const unchecked = await cli(['link', 'inspect', link])
    expect([unchecked.code, unchecked.out.split('\n').at(-2)]).toEqual([
      0,
      'signature: not checked (give --link-secret or DLG_LINK_SECRET)',
    ])
    const fromEnv = await cli(['link', 'inspect', link], { DLG_LINK_SECRET: TEST_LINK_SECRET })
    expect(fromEnv.code).toBe(0)
  })

  it('reads what it can of a link that is not one of ours, and says why it is not (exit 1)', async () => {
    const { code, out } = await cli(['link', 'inspect', 'http://x/other?staffId=1&page=2&expiresAt=zz'])
    expect(code).toBe(1)
    expect(out).toContain('customerId: (missing)\n')
    expect(out).toContain('expiresAt:  zz\n')
    expect(out).toContain('page:       2\n')
    expect(out.split('\n').at(-2)).toBe('not a link: the path is /other, not /views/messaging')
    const hostile = await cli(['link', 'inspect', 'http://x/views/messaging?staffId=%1b%5b31mred'])
    expect(hostile.out).toContain('staffId:    \\u{1b}[31mred\n')
    expect(hostile.code).toBe(1)
  })

  it('exits 1 with one line saying why for what is not a conversation link, secret or not', async () => {
    const link = await mint()
    const cases: [string, string][] = [
      ['not-a-link', 'not a link: "not-a-link" is not a URL'],
      ['http://[::1', 'not a link: "http://[::1" is not a URL'],
      ['\u001b[31m', 'not a link: "\\u{1b}[31m" is not a URL'],
      [
        'http://x/views/messaging',
        'not a link: missing parameters staffId, customerId, startDate, endDate, expiresAt, sig',
      ],
      [link.replace(/&sig=[^&]*/, ''), 'not a link: missing parameter sig'],
      [`${link}&staffId=1`, 'not a link: the parameter staffId is given more than once'],
      [
        link.replace(/startDate=\d+/, 'startDate=2021-01-17'),
        'not a link: startDate is not epoch milliseconds',
      ],
    ]
    for (const [text, line] of cases) {
      for (const extra of [[], secret]) {
        const { code, out, err } = await cli(['link', 'inspect', text, ...extra])
        expect([text, code, out.split('\n').at(-2), err]).toEqual([text, 1, line, ''])
      }
    }
  })

  it('inspects a link behind a public URL with a path, or given as path and query', async () => {
    const link = new URL(await mint())
    for (const text of [
      `https://gateway.test/diyalog${link.pathname}${link.search}`,
      `${link.pathname}${link.search}`,
    ]) {
      const { code, out } = await cli(['link', 'inspect', text, ...secret])
      expect([code, out.split('\n').at(-2)]).toEqual([0, 'valid: opens for 1800 s more'])
    }
  })

  it('mints no link for a reversed window (exit 2); a one-instant window is fine', async () => {
    const window = (start: string, end: string) => cli([...pair, '--start', start, '--end', end, ...secret])
    const reversed = await window('1635892494000', '1610856400000')
    expect([reversed.code, reversed.out]).toEqual([2, ''])
    expect(reversed.err).toContain(
      '--start is after --end (1635892494000 > 1610856400000): the server answers "Invalid date range: startDate is after endDate"',
    )
    const instant = await window('1610856400000', '1610856400000')
    expect(instant.code).toBe(0)
  })

  it('mints no link with a link secret the server would refuse (exit 2)', async () => {
    const args = [...pair, '--start', '0', '--end', '1']
    const refused: [string[], Record<string, string>, string][] = [
      [['--link-secret', 'fifteen-chars!!'], {}, '--link-secret must not have fewer than 16 characters'],
      [[], { DLG_LINK_SECRET: 'short' }, 'DLG_LINK_SECRET must not have fewer than 16 characters'],
      [
        ['--link-secret', DEMO_ACCESS_KEY.secret],
        {},
        '--link-secret must not be one of the access key secrets',
      ],
      [
        ['--link-secret', 'my-own-access-secret'],
        { DLG_ACCESS_KEYS: 'mine:my-own-access-secret' },
        '--link-secret must not be one of the access key secrets',
      ],
      [['--link-secret', ''], {}, '--link-secret (or DLG_LINK_SECRET) is required'],
    ]
    for (const [extra, env, message] of refused) {
      const { code, out, err } = await cli([...args, ...extra], env)
      expect([code, out]).toEqual([2, ''])
      expect(err).toContain(message)
    }
    // Sixteen characters, and the demo secret once the access keys are others.
    expect((await cli([...args, '--link-secret', 'sixteen-chars!!!'])).code).toBe(0)
    expect(
      (
        await cli([...args, '--link-secret', DEMO_ACCESS_KEY.secret], {
          DLG_ACCESS_KEYS: 'other:other-secret',
        })
      ).code,
    ).toBe(0)
  })

  it.each([
    ['link', 'mint', '--base-url', 'notaurl'],
    ['serve', '--public-url', 'notaurl'],
    ['serve', '--public-url', 'http://localhost:3000/#x'],
  ])('%j: the URL flag is a usage error naming it (exit 2)', async (...argv) => {
    const { code, err } = await cli(
      argv[0] === 'link'
        ? [...argv, '--staff', '1', '--customer', '2', '--start', '0', '--end', '1', ...secret]
        : argv,
    )
    expect(code).toBe(2)
    expect(err).toContain(`${argv.at(-2)} must be an http(s) URL without query or fragment`)
  })

  it.each([
    [['link', 'mint', '--staff', '1'], '--link-secret (or DLG_LINK_SECRET) is required'],
    [
      ['link', 'mint', '--link-secret', TEST_LINK_SECRET, '--staff', '1', '--customer', '2', '--start', '0'],
      '--end is required',
    ],
    [['link', 'mint', '--ttl', '0'], '--ttl must be a whole number'],
    [['link', 'burn'], 'unknown link action "burn"'],
    [['link', 'inspect'], 'the link is required'],
    [['link', 'inspect', 'a', 'b'], 'unexpected "b"'],
    [['link', 'inspect', 'http://x/', '--time-zone', 'Mars/Olympus'], 'unknown zone'],
  ])('%j is a usage error', async (argv, message) => {
    const { code, err } = await cli(argv)
    expect(code).toBe(2)
    expect(err).toContain(message)
  })

  it('prints its help without an action (exit 2) and with --help (exit 0)', async () => {
    expect((await cli(['link'])).code).toBe(2)
    expect(await cli(['link', '--help'])).toMatchObject({
      code: 0,
      out: expect.stringContaining('Usage: diyalog-mock link mint'),
    })
  })
})

describe('diyalog-mock, the command', () => {
  it.each(COMMAND_NAMES)('%s --help loads its module and prints its usage (exit 0)', async (command) => {
    const { code, out } = await cli([command, '--help'])
    expect(code).toBe(0)
    expect(out).toMatch(new RegExp(`^Usage: diyalog-mock ${command}`))
  })

  it('prints the command list with --help (exit 0), without a command (exit 2), for an unknown one (exit 2)', async () => {
    expect(await cli(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('Commands:') })
    expect((await cli([])).code).toBe(2)
    expect(await cli(['nope'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command "nope"'),
    })
    expect((await cli(['--version'])).out).toMatch(/^\d+\.\d+\.\d+\n$/)
    // Only the commands themselves: not what every object inherits.
    expect((await cli(['toString'])).err).toContain('unknown command "toString"')
  })
})

describe('the installed command, as a process', () => {
  const bin = join(REPO_ROOT, 'bin', 'diyalog-mock.js')

  it('runs through npx in the repository, with real exit codes', async () => {
    const { stdout } = await run('npx', ['--no-install', 'diyalog-mock', 'sign', ...KEYS, ...VECTOR_ARGS], {
      cwd: REPO_ROOT,
    })
    expect(stdout).toContain(`x-dlg-authorization: ${vector.authorization}`)
    await expect(run(process.execPath, [bin, 'sign', '--bogus'], { cwd: REPO_ROOT })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown option '--bogus'"),
    })
  })

  it('verify exits 1 on a bad signature, 0 on a good one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dlg-verify-'))
    await writeFile(join(dir, 'good.txt'), captured())
    await writeFile(join(dir, 'bad.txt'), captured(`DLGA ${vectors.accessKeyId}:AAAA`))
    const good = await run(process.execPath, [bin, 'verify', '--headers', join(dir, 'good.txt')])
    expect(good.stdout).toMatch(/^valid: /)
    await expect(
      run(process.execPath, [bin, 'verify', '--headers', join(dir, 'bad.txt')]),
    ).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('invalid: 401 Authorization failed'),
    })
  })

  it('serve starts the server with flags and --admin, and stops cleanly on SIGTERM', async () => {
    const { spawn } = await import('node:child_process')
    const child = spawn(
      process.execPath,
      [
        bin,
        'serve',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--log-format',
        'json',
        '--link-secret',
        TEST_LINK_SECRET,
        '--admin',
      ],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env['PATH'] ?? '' },
      },
    )
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /"port":(\d+)[^\n]*diyalog-mock ready/.exec(out)
        if (match?.[1] !== undefined) resolve(match[1])
      })
      child.on('exit', (code) => reject(new Error(`exited with ${code}`)))
    })
    const health = await fetch(`http://127.0.0.1:${port}/health`)
    expect(health.status).toBe(200)
    // --admin printed a token on stderr that opens the admin API.
    const token = /Authorization: Bearer (\S+)/.exec(err)?.[1]
    expect(token).toMatch(/^[\w-]{32}$/)
    const clock = await fetch(`http://127.0.0.1:${port}/__admin/clock`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(clock.status).toBe(200)
    expect(out).not.toContain('DLG_LINK_SECRET is not set')
    const exited = new Promise((resolve) => child.on('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
