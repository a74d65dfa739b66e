import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { CliIo } from '../../src/cli/io.js'
import { main } from '../../src/cli/main.js'
import { listen, quoted, safeJson, word } from '../../src/cli/webhook-command.js'
import { DEMO_WEBHOOK_SECRET } from '../../src/config.js'
import { signHiddenPayload } from '../../src/messaging/hidden-payload.js'
import { encodeEnvelope } from '../../src/webhooks/envelope.js'
import type { WebhookReceiver } from '../../src/webhooks/receiver.js'
import { signWebhookBody } from '../../src/webhooks/signature.js'
import { REPO_ROOT } from '../helpers/server-process.js'
import { delivery, echo, userMessage } from '../webhooks/listening-receiver.js'

const NOW = Date.UTC(2021, 2, 9, 13, 28, 32)
const SECRET = 'webhook-secret-for-the-cli-tests'
const PAYLOAD_KEY = 'c2dc9bf3e0c3218e9ab22b56002e4644'

function captureIo(env: Record<string, string> = {}, files: Record<string, string | Buffer> = {}) {
  const captured = { out: '', err: '' }
  const io: CliIo = {
    env,
    now: () => NOW,
    out: (text) => void (captured.out += text),
    err: (text) => void (captured.err += text),
    readFile: async (path) => {
      const content = files[path]
      if (content === undefined)
        throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' })
      return Buffer.from(content)
    },
    writeFile: () => Promise.reject(new Error('unused')),
  }
  return { io, captured }
}

/** Runs the CLI in-process with captured output and a pinned clock. */
async function cli(
  argv: string[],
  env: Record<string, string> = {},
  files: Record<string, string | Buffer> = {},
) {
  const { io, captured } = captureIo(env, files)
  const code = await main(argv, io)
  return { code, ...captured }
}

const BODY = encodeEnvelope('OTP', 1560172933001, [echo('messageId-92'), delivery('messageId-92')]).bytes
const BODY_TEXT = BODY.toString('utf8')

/** A captured POST: request line, headers, empty line, body. */
function capture(signature: string | undefined, body = BODY_TEXT, newline = '\r\n'): string {
  return [
    'POST /hook HTTP/1.1',
    'Host: 127.0.0.1:3001',
    'Content-Type: application/json',
    ...(signature === undefined ? [] : [`X-Signature: ${signature}`]),
    '',
    body,
  ].join(newline)
}

describe('diyalog-mock webhook', () => {
  it('prints its usage with --help (exit 0) and without an action (exit 2); an unknown action is a usage error', async () => {
    expect(await cli(['webhook', '--help'])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Usage: diyalog-mock webhook <listen\|verify\|verify-payload>/),
    })
    expect((await cli(['webhook'])).code).toBe(2)
    expect(await cli(['webhook', 'nope'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown webhook action "nope": use listen, verify or verify-payload'),
    })
    for (const action of ['listen', 'verify', 'verify-payload']) {
      const help = await cli(['webhook', action, '--help'])
      expect(help.code).toBe(0)
      expect(help.out).toMatch(new RegExp(`^Usage: diyalog-mock webhook ${action} `))
    }
    expect((await cli(['--help'])).out).toContain('  webhook   receive the mock')
  })
})

describe('diyalog-mock webhook verify', () => {
  it.each(['hex', 'sha1=hex', 'base64'] as const)(
    'a captured POST signed as %s matches (exit 0)',
    async (format) => {
      const signature = signWebhookBody(BODY, SECRET, format)
      const result = await cli(
        ['webhook', 'verify', '--file', 'hook.txt', '--secret', SECRET],
        {},
        {
          'hook.txt': capture(signature),
        },
      )
      expect(result).toEqual({
        code: 0,
        out: `match: X-Signature (${format}) is the HMAC-SHA1 of the body with this secret\n  body: ${BODY.length} bytes (what follows the headers)\n`,
        err: '',
      })
    },
  )

  it('reads standard input by default, curl -v output, and the secret from DLG_WEBHOOK_SECRET', async () => {
    const signature = signWebhookBody(BODY, SECRET, 'hex')
    const curl = [
      '* Connected to 127.0.0.1',
      '> POST /hook HTTP/1.1',
      '> Host: 127.0.0.1:3001',
      `> X-Signature: ${signature}`,
      '>',
      '',
      BODY_TEXT,
    ].join('\n')
    const fromStdin = await cli(['webhook', 'verify'], { DLG_WEBHOOK_SECRET: SECRET }, { '-': curl })
    expect(fromStdin.code).toBe(0)
    expect(fromStdin.err).toBe('')
  })

  it('--signature and --body-file need no capture; the captured header and body can each be replaced', async () => {
    const signature = signWebhookBody(BODY, SECRET, 'base64')
    // No '-' among the files: reading standard input would fail the test.
    const direct = await cli(
      ['webhook', 'verify', '--signature', signature, '--body-file', 'body.json', '--secret', SECRET],
      {},
      { 'body.json': BODY },
    )
    expect(direct.code).toBe(0)
    expect(direct.out).toContain('(from --body-file)')
    const other = await cli(
      ['webhook', 'verify', '--file', 'hook.txt', '--signature', signature, '--secret', SECRET],
      {},
      { 'hook.txt': capture(signWebhookBody('something else', SECRET, 'hex')) },
    )
    expect(other.code).toBe(0)
  })

  it('a wrong secret is a mismatch (exit 1), and the secret is never printed', async () => {
    const result = await cli(
      ['webhook', 'verify', '--file', 'hook.txt', '--secret', 'another-secret'],
      {},
      {
        'hook.txt': capture(signWebhookBody(BODY, SECRET, 'hex')),
      },
    )
    expect(result).toEqual({
      code: 1,
      out: [
        'mismatch: X-Signature (hex) is not the HMAC-SHA1 of the body with this secret: a different secret, or bytes changed after signing',
        `  body: ${BODY.length} bytes (what follows the headers)`,
        '  another secret, or bytes changed after signing',
        '',
      ].join('\n'),
      err: '',
    })
    expect(result.out).not.toContain('another-secret')
  })

  it('says when a file gained a final newline or the JSON was re-spaced after the capture (still exit 1)', async () => {
    const signature = signWebhookBody(BODY, SECRET, 'hex')
    const newline = await cli(
      ['webhook', 'verify', '--file', 'hook.txt', '--secret', SECRET],
      {},
      {
        'hook.txt': `${capture(signature)}\n`,
      },
    )
    expect(newline.code).toBe(1)
    expect(newline.out).toContain('it matches the body without its final line ending')
    const pretty = await cli(
      ['webhook', 'verify', '--file', 'hook.txt', '--secret', SECRET],
      {},
      {
        'hook.txt': capture(signature, JSON.stringify(JSON.parse(BODY_TEXT), null, 2)),
      },
    )
    expect(pretty.code).toBe(1)
    expect(pretty.out).toContain('it matches the body re-serialised as compact JSON')
  })

  it('a missing or malformed X-Signature fails (exit 1); what the sender wrote is shown escaped', async () => {
    const missing = await cli(
      ['webhook', 'verify', '--file', 'hook.txt', '--secret', SECRET],
      {},
      {
        'hook.txt': capture(undefined),
      },
    )
    expect(missing).toMatchObject({
      code: 1,
      out: expect.stringMatching(/^missing: no X-Signature header\n/),
    })
    const malformed = await cli(
      ['webhook', 'verify', '--file', 'hook.txt', '--secret', SECRET],
      {},
      {
        'hook.txt': capture('\u001b]0;owned\u0007'),
      },
    )
    expect(malformed.code).toBe(1)
    expect(malformed.out).toMatch(/^malformed: /)
    expect(malformed.out).toContain('  X-Signature: "\\u{1b}]0;owned\\u{7}"\n')
    expect(malformed.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/)
  })

  it("without a secret, checks with the docs' example app_secret (the mock's default) and says so", async () => {
    const result = await cli(
      ['webhook', 'verify', '--file', 'hook.txt'],
      {},
      {
        'hook.txt': capture(signWebhookBody(BODY, DEMO_WEBHOOK_SECRET, 'hex')),
      },
    )
    expect(result.code).toBe(0)
    expect(result.err).toBe(
      "diyalog-mock: no --secret (or DLG_WEBHOOK_SECRET): checking with the docs' example app_secret, the mock's default\n",
    )
    expect(result.out + result.err).not.toContain(DEMO_WEBHOOK_SECRET)
  })

  it('usage errors exit 2', async () => {
    expect((await cli(['webhook', 'verify', '--bogus'])).code).toBe(2)
    expect(await cli(['webhook', 'verify', '--secret', ''])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--secret is empty'),
    })
    expect(await cli(['webhook', 'verify', '--file', 'absent.txt', '--secret', SECRET])).toMatchObject({
      code: 2,
      err: expect.stringContaining('ENOENT'),
    })
    expect(
      await cli(
        ['webhook', 'verify', '--file', 'hook.txt', '--secret', SECRET],
        {},
        { 'hook.txt': 'not a header\n\n{}' },
      ),
    ).toMatchObject({ code: 2, err: expect.stringContaining('--file: line 1 is not "Name: value"') })
  })
})

describe('diyalog-mock webhook verify-payload', () => {
  const signed = signHiddenPayload('123456', PAYLOAD_KEY)

  it('matches the whole press text or its signed part (exit 0)', async () => {
    const whole = await cli([
      'webhook',
      'verify-payload',
      '--key',
      PAYLOAD_KEY,
      '--payload',
      '123456',
      '--signed',
      `[messageId-74]:${signed}`,
    ])
    expect(whole).toEqual({
      code: 0,
      out: 'match: the signed payload of message messageId-74 is payload "123456" signed with this key\n',
      err: '',
    })
    const part = await cli(
      ['webhook', 'verify-payload', '--payload', '123456', '--signed', signed.toUpperCase()],
      {
        DLG_PAYLOAD_KEY: PAYLOAD_KEY,
      },
    )
    expect(part).toMatchObject({
      code: 0,
      out: 'match: the signed payload is payload "123456" signed with this key\n',
    })
  })

  it('another key, an unsigned press or a malformed value fail (exit 1); the key is never printed', async () => {
    const other = await cli([
      'webhook',
      'verify-payload',
      '--key',
      'another-key',
      '--payload',
      '123456',
      '--signed',
      signed,
    ])
    expect(other.code).toBe(1)
    expect(other.out).toMatch(
      /^mismatch: the signed payload is not payload "123456" signed with this key: another key/,
    )
    expect(other.out).not.toContain('another-key')
    const plain = await cli([
      'webhook',
      'verify-payload',
      '--key',
      PAYLOAD_KEY,
      '--payload',
      'Approve',
      '--signed',
      '[m1]:Approve',
    ])
    expect(plain).toMatchObject({
      code: 1,
      out: 'mismatch: the press of message m1 carries the payload itself, not signed: the button has no payloadHidden\n',
    })
    const malformed = await cli([
      'webhook',
      'verify-payload',
      '--key',
      PAYLOAD_KEY,
      '--payload',
      'x',
      '--signed',
      '[m\u001b[2J]:zz\u009b',
    ])
    expect(malformed.code).toBe(1)
    expect(malformed.out).toBe(
      'malformed: the signed payload of message "m\\u{1b}[2J" is not 64 hex characters (HMAC-SHA256): "zz\\u{9b}"\n',
    )
  })

  it('usage errors exit 2', async () => {
    expect((await cli(['webhook', 'verify-payload', '--payload', 'x', '--signed', 'y'])).err).toContain(
      '--key K (or DLG_PAYLOAD_KEY) is required',
    )
    expect((await cli(['webhook', 'verify-payload', '--key', 'k', '--signed', 'y'])).code).toBe(2)
    expect((await cli(['webhook', 'verify-payload', '--key', 'k', '--payload', 'y'])).code).toBe(2)
  })
})

describe('escaping what a sender wrote', () => {
  it('keeps letters of any script, escapes controls, format characters and quotes, and cuts', () => {
    expect(quoted('Onaylıyorum ✓')).toBe('"Onaylıyorum ✓"')
    expect(quoted('a\u001b[31m\u009b\u202e\u2028"\\\n')).toBe(
      '"a\\u{1b}[31m\\u{9b}\\u{202e}\\u{2028}\\"\\\\\\n"',
    )
    expect(quoted('x'.repeat(10), 4)).toBe('"xxxx"...[cut, 10 characters in all]')
    expect(word('messageId-92')).toBe('messageId-92')
    expect(word('has space')).toBe('"has space"')
    const json = safeJson({ text: '\u001b\u009b\u202e\u{e0001}ş' })
    expect(json).toBe('{"text":"\\u001b\\u009b\\u202e\\udb40\\udc01ş"}')
    expect(JSON.parse(json)).toEqual({ text: '\u001b\u009b\u202e\u{e0001}ş' })
  })
})

async function startListening(args: string[], env: Record<string, string> = {}) {
  const { io, captured } = captureIo(env)
  const receiver = await listen(['--port', '0', ...args], io)
  if (typeof receiver === 'number') throw new Error(`listen exited ${receiver}: ${captured.err}`)
  onTestFinished(() => receiver.stop())
  return { receiver, captured }
}

async function send(receiver: WebhookReceiver, body: Buffer<ArrayBuffer> | string, signature?: string) {
  const response = await fetch(receiver.url, {
    method: 'POST',
    body,
    headers: signature === undefined ? {} : { 'x-signature': signature },
  })
  expect(response.status).toBe(200)
}

describe('diyalog-mock webhook listen (in-process)', () => {
  const press = encodeEnvelope('OTP', 1560172933001, [
    userMessage('messageId-92', '[messageId-92]:Onaylıyorum \u001b[31m\u009b'),
    delivery('messageId-92', 'messageId-93'),
  ]).bytes
  const time = new Date(NOW).toISOString()

  it('prints the URL, then one line per event with ✓ or ✗, escaped, and a line for a POST without events', async () => {
    const { receiver, captured } = await startListening(['--secret', SECRET])
    expect(captured.out).toBe(
      `listening on ${receiver.url}, X-Signature checked with the secret of --secret; Ctrl-C stops\nDLG_WEBHOOK_URL=${receiver.url}\n`,
    )
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    captured.out = ''
    await send(receiver, press, signWebhookBody(press, SECRET, 'sha1=hex'))
    await send(receiver, press, signWebhookBody(press, 'wrong', 'hex'))
    await send(receiver, 'not json')
    await receiver.waitFor({ type: 'delivery', count: 2 })
    expect(captured.out.split('\n')).toEqual([
      `${time} OTP message mid messageId-92 text "[messageId-92]:Onaylıyorum \\u{1b}[31m\\u{9b}" ✓ X-Signature (sha1=hex)`,
      `${time} OTP delivery mids messageId-92,messageId-93 ✓ X-Signature (sha1=hex)`,
      `${time} OTP message mid messageId-92 text "[messageId-92]:Onaylıyorum \\u{1b}[31m\\u{9b}" ✗ X-Signature mismatch: X-Signature (hex) is not the HMAC-SHA1 of the body with this secret: a different secret, or bytes changed after signing`,
      `${time} OTP delivery mids messageId-92,messageId-93 ✗ X-Signature mismatch: X-Signature (hex) is not the HMAC-SHA1 of the body with this secret: a different secret, or bytes changed after signing`,
      expect.stringMatching(
        new RegExp(
          `^${time} POST / answered 200: not JSON: .* ✗ X-Signature missing: no X-Signature header$`,
        ),
      ),
      '',
    ])
    expect(captured.out).not.toContain(SECRET)
    expect(captured.out).not.toMatch(/[\u001b\u009b]/)
  })

  it('--json prints one JSON object per line, escaped for a terminal', async () => {
    const { receiver, captured } = await startListening(['--json', '--path', '/hook'], {
      DLG_WEBHOOK_SECRET: SECRET,
    })
    expect(receiver.url).toMatch(/\/hook$/)
    await send(receiver, press, signWebhookBody(press, SECRET, 'hex'))
    await receiver.waitFor({ type: 'delivery' })
    const lines = captured.out.trimEnd().split('\n')
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { kind: 'listening', url: receiver.url, checkedWith: 'the secret of DLG_WEBHOOK_SECRET' },
      {
        kind: 'event',
        receivedAt: time,
        delivery: 0,
        entryId: 'OTP',
        entryTime: 1560172933001,
        key: 'message',
        mids: ['messageId-92'],
        text: '[messageId-92]:Onaylıyorum \u001b[31m\u009b',
        signature: { ok: true, format: 'hex' },
        event: JSON.parse(press.toString('utf8')).entry[0].messaging[0],
      },
      expect.objectContaining({ kind: 'event', key: 'delivery', mids: ['messageId-92', 'messageId-93'] }),
    ])
    expect(captured.out).not.toMatch(/[\u001b\u009b]/)
  })

  it('cannot listen on a port in use (exit 1); bad options are usage errors (exit 2)', async () => {
    const { receiver } = await startListening([])
    const { io, captured } = captureIo()
    expect(await listen(['--port', String(receiver.port)], io)).toBe(1)
    expect(captured.err).toContain(`cannot listen on 127.0.0.1 port ${receiver.port}: the port is in use`)
    expect((await cli(['webhook', 'listen', '--port', 'x'])).code).toBe(2)
    expect((await cli(['webhook', 'listen', '--port', '70000'])).code).toBe(2)
    expect((await cli(['webhook', 'listen', '--path', 'hook'])).code).toBe(2)
    expect((await cli(['webhook', 'listen', '--max-body', '0'])).code).toBe(2)
  })
})

describe('diyalog-mock webhook, as a process', () => {
  const bin = join(REPO_ROOT, 'bin', 'diyalog-mock.js')

  it('listen prints the URL, a line for a signed POST, and stops on SIGTERM with exit 0', async () => {
    const child = spawn(process.execPath, [bin, 'webhook', 'listen', '--port', '0'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', DLG_WEBHOOK_SECRET: SECRET },
    })
    onTestFinished(() => void (child.exitCode === null && child.kill('SIGKILL')))
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    const exited = once(child, 'exit')
    const until = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out)
          if (match !== null) (child.stdout.off('data', check), resolve(match))
        }
        child.stdout.on('data', check)
        void exited.then(() => reject(new Error(`exited: ${out}${err}`)))
        check()
      })
    const url = (await until(/^DLG_WEBHOOK_URL=(\S+)$/m))[1] as string
    const body = encodeEnvelope('diyalog-mock', 1, [echo('messageId-92')]).bytes
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'x-signature': signWebhookBody(body, SECRET, 'base64') },
    })
    expect(response.status).toBe(200)
    await until(/messageEcho/)
    expect(out).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z diyalog-mock messageEcho mid messageId-92 ✓ X-Signature \(base64\)$/m,
    )
    child.kill('SIGTERM')
    expect((await exited)[0]).toBe(0)
    expect(err).toBe('diyalog-mock webhook listen: stopped\n')
    expect(out + err).not.toContain(SECRET)
  })

  it('verify exits 0 on a match, 1 on a mismatch, 2 on a usage error', async () => {
    const run = promisify(execFile)
    const dir = await mkdtemp(join(tmpdir(), 'dlg-webhook-'))
    await writeFile(join(dir, 'good.txt'), capture(signWebhookBody(BODY, SECRET, 'hex')))
    await writeFile(join(dir, 'bad.txt'), capture(signWebhookBody(BODY, 'other', 'hex')))
    const args = (file: string) => [bin, 'webhook', 'verify', '--file', join(dir, file), '--secret', SECRET]
    expect((await run(process.execPath, args('good.txt'), { cwd: REPO_ROOT })).stdout).toMatch(/^match: /)
    await expect(run(process.execPath, args('bad.txt'), { cwd: REPO_ROOT })).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/^mismatch: /),
    })
    await expect(
      run(process.execPath, [bin, 'webhook', 'verify', '--nope'], { cwd: REPO_ROOT }),
    ).rejects.toMatchObject({
      code: 2,
    })
  })
})
