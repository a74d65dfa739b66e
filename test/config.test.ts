import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEMO_ACCESS_KEY } from '../src/auth/keyring.js'
import {
  ConfigError,
  DEFAULT_FIXTURES_DIR,
  DEMO_WEBHOOK_SECRET,
  EnvSchema,
  loadConfig,
} from '../src/config.js'
import { DEMO_BOT, DEMO_BOT_TOKEN } from '../src/messaging/bots.js'
import { WEBHOOK_DEFAULTS } from '../src/webhooks/webhook-config.js'

/** Every variable `loadConfig` reads. */
const VARIABLES = Object.keys(EnvSchema.properties)

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('has working defaults: port 3000, demo key, 15 minutes, 30-minute links, bundled fixtures', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      logFormat: 'auto',
      publicUrl: undefined,
      maxSkewSeconds: 900,
      linkTtlSeconds: 1800,
      linkSecret: undefined,
      accessKeys: [DEMO_ACCESS_KEY],
      retiredAccessKeys: [],
      usingDemoAccessKey: true,
      diagnostics: true,
      pageTimeZone: 'Europe/Istanbul',
      pageSize: 50,
      messagingDayZone: 'UTC',
      fixturesDir: DEFAULT_FIXTURES_DIR,
      adminToken: undefined,
      journalLimit: 1000,
      fixturesWatch: false,
      bodyLimit: 1_048_576,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 72_000,
      acceptHeaderAliases: false,
      acceptNewlineBeforeResource: false,
      shutdownGraceMs: 10_000,
      bots: [DEMO_BOT],
      usingDemoBot: true,
      webhook: undefined,
      webhookDefaults: {
        id: 'diyalog-mock',
        events: ['MessageEchoes', 'MessageDeliveries', 'MessageReads', 'Messages'],
        signature: 'hex',
        batchMax: 10,
        batchWaitMs: 5000,
        timeoutMs: 5000,
        retries: 3,
        backoffMs: 1000,
      },
      usingDemoWebhookSecret: false,
      simDeliveryMs: 300,
      simReadMs: 2000,
    })
    expect(DEMO_BOT.token).toBe(DEMO_BOT_TOKEN)
    expect(DEMO_BOT_TOKEN).toBe('c2dc9bf3e0c3218e9ab22b56002e4644')
  })

  describe.each(VARIABLES)('%s set to an empty value', (name) => {
    it.each(['', ' ', '\t \n'])('%j is refused, naming the variable and its default', (value) => {
      const [problem, ...others] = problemsOf({ [name]: value })
      expect(others).toEqual([])
      expect(problem).toMatch(
        new RegExp(`^${name} is set but empty: unset it to use the default \\(.+\\), or give a value$`),
      )
    })
  })

  it.each([
    ['DLG_ACCESS_KEYS', 'the public demo key pair'],
    ['HOST', '0.0.0.0'],
    ['PORT', '3000'],
    ['DLG_ADMIN_TOKEN', 'no admin API'],
    ['DLG_PUBLIC_URL', 'http://localhost:<PORT>'],
  ])('tells an empty %s which default unsetting it gives', (name, meaning) => {
    expect(problemsOf({ [name]: '' })).toEqual([
      `${name} is set but empty: unset it to use the default (${meaning}), or give a value`,
    ])
  })

  it('says every empty variable, in the order of the table, with the other problems', () => {
    expect(problemsOf({ DLG_ACCESS_KEYS: '', PORT: 'x', HOST: ' ' })).toEqual([
      'PORT must be integer (got "x")',
      'HOST is set but empty: unset it to use the default (0.0.0.0), or give a value',
      'DLG_ACCESS_KEYS is set but empty: unset it to use the default (the public demo key pair), or give a value',
    ])
  })

  it('has a one-line message', () => {
    expect(() => loadConfig({ PORT: 'x', DLG_LINK_SECRET: 'short' })).toThrow(
      'invalid configuration: PORT must be integer (got "x"); DLG_LINK_SECRET must not have fewer than 16 characters',
    )
  })

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      DLG_PUBLIC_URL: 'https://mock.example.com/diyalog/',
      DLG_MAX_SKEW_SECONDS: '60',
      DLG_LINK_TTL_SECONDS: '120',
      DLG_LINK_SECRET: 'a-link-secret-of-some-length',
      DLG_ACCESS_KEYS: 'team-a:s1,team-a:s2,team-b:s3',
      DLG_RETIRED_ACCESS_KEYS: 'team-a:s0',
      DLG_DIAGNOSTICS: 'off',
      DLG_PAGE_TIME_ZONE: 'America/New_York',
      DLG_PAGE_SIZE: '20',
      DLG_MESSAGING_DAY_ZONE: 'Europe/Istanbul',
      DLG_FIXTURES_DIR: '/data/fixtures',
      DLG_ADMIN_TOKEN: 'an-admin-token-of-some-length',
      DLG_JOURNAL_LIMIT: '10',
      DLG_FIXTURES_WATCH: 'true',
      DLG_BODY_LIMIT: '2048',
      DLG_HEADERS_TIMEOUT_MS: '2000',
      DLG_REQUEST_TIMEOUT_MS: '4000',
      DLG_KEEP_ALIVE_TIMEOUT_MS: '5000',
      DLG_HEADER_ALIASES: 'true',
      DLG_LENIENT_NEWLINE: '1',
      DLG_SHUTDOWN_GRACE_MS: '2500',
      DLG_BOTS: 'otp_bot:0123456789abcdef0123,news:ZYXWVUTSRQPONMLK',
      DLG_WEBHOOK_URL: 'https://hooks.example.com/diyalog?k=1',
      DLG_WEBHOOK_SECRET: 'an-app-secret',
      DLG_WEBHOOK_ID: 'OTP',
      DLG_WEBHOOK_EVENTS: 'MessageDeliveries, Messages',
      DLG_WEBHOOK_SIGNATURE: 'sha1=hex',
      DLG_WEBHOOK_BATCH_MAX: '3',
      DLG_WEBHOOK_BATCH_WAIT_MS: '0',
      DLG_WEBHOOK_TIMEOUT_MS: '250',
      DLG_WEBHOOK_RETRIES: '5',
      DLG_WEBHOOK_BACKOFF_MS: '10',
      DLG_SIM_DELIVERY_MS: '50',
      DLG_SIM_READ_MS: '0',
    })
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'warn',
      logFormat: 'json',
      publicUrl: 'https://mock.example.com/diyalog',
      maxSkewSeconds: 60,
      linkTtlSeconds: 120,
      linkSecret: 'a-link-secret-of-some-length',
      accessKeys: [
        { keyId: 'team-a', secret: 's1' },
        { keyId: 'team-a', secret: 's2' },
        { keyId: 'team-b', secret: 's3' },
      ],
      retiredAccessKeys: [{ keyId: 'team-a', secret: 's0' }],
      usingDemoAccessKey: false,
      diagnostics: false,
      pageTimeZone: 'America/New_York',
      pageSize: 20,
      messagingDayZone: 'Europe/Istanbul',
      fixturesDir: '/data/fixtures',
      adminToken: 'an-admin-token-of-some-length',
      journalLimit: 10,
      fixturesWatch: true,
      bodyLimit: 2048,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 5000,
      acceptHeaderAliases: true,
      acceptNewlineBeforeResource: true,
      shutdownGraceMs: 2500,
      bots: [
        expect.objectContaining({ name: 'otp_bot', token: '0123456789abcdef0123', alive: true }),
        expect.objectContaining({ name: 'news', token: 'ZYXWVUTSRQPONMLK' }),
      ],
      usingDemoBot: false,
      webhook: {
        id: 'OTP',
        url: 'https://hooks.example.com/diyalog?k=1',
        appSecret: 'an-app-secret',
        events: ['MessageDeliveries', 'Messages'],
        signature: 'sha1=hex',
        batchMax: 3,
        batchWaitMs: 0,
        timeoutMs: 250,
        retries: 5,
        backoffMs: 10,
      },
      webhookDefaults: expect.objectContaining({ id: 'OTP', batchMax: 3 }),
      usingDemoWebhookSecret: false,
      simDeliveryMs: 50,
      simReadMs: 0,
    })
  })

  it("signs webhooks with the docs' example app_secret when none is set, and says so", () => {
    const config = loadConfig({ DLG_WEBHOOK_URL: 'http://127.0.0.1:9000/' })
    expect(config.webhook).toEqual({
      ...WEBHOOK_DEFAULTS,
      url: 'http://127.0.0.1:9000/',
      appSecret: DEMO_WEBHOOK_SECRET,
    })
    expect(config.usingDemoWebhookSecret).toBe(true)
  })

  it.each([
    [{ PORT: 'http' }, 'PORT must be integer (got "http")'],
    [{ PORT: '1.5' }, 'PORT must be integer (got "1.5")'],
    [{ PORT: '0x10' }, 'PORT must be integer (got "0x10")'],
    [{ PORT: '70000' }, 'PORT must be <= 65535 (got "70000")'],
    [
      { LOG_LEVEL: 'verbose' },
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    ],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT must be one of auto, json, pretty (got "xml")'],
    [{ DLG_MAX_SKEW_SECONDS: '-1' }, 'DLG_MAX_SKEW_SECONDS must be >= 0 (got "-1")'],
    [{ DLG_LINK_TTL_SECONDS: '0' }, 'DLG_LINK_TTL_SECONDS must be >= 1 (got "0")'],
    [{ DLG_BODY_LIMIT: '1e6' }, 'DLG_BODY_LIMIT must be integer (got "1e6")'],
    [
      { DLG_HEADERS_TIMEOUT_MS: '40000' },
      'DLG_HEADERS_TIMEOUT_MS must not be longer than DLG_REQUEST_TIMEOUT_MS',
    ],
    [{ DLG_HEADER_ALIASES: 'yes' }, 'DLG_HEADER_ALIASES must be boolean (got "yes")'],
    [{ DLG_PAGE_SIZE: '0' }, 'DLG_PAGE_SIZE must be >= 1 (got "0")'],
    [{ DLG_PAGE_SIZE: '5000' }, 'DLG_PAGE_SIZE must be <= 1000 (got "5000")'],
    [
      { DLG_PAGE_TIME_ZONE: 'Istanbul' },
      'DLG_PAGE_TIME_ZONE must be an IANA time zone such as Europe/Istanbul (got "Istanbul")',
    ],
    [
      { DLG_MESSAGING_DAY_ZONE: 'Mars/Olympus' },
      'DLG_MESSAGING_DAY_ZONE must be an IANA time zone such as UTC or Europe/Istanbul (got "Mars/Olympus")',
    ],
    ...['localhost:3000', 'not a url', 'http://x/?a=1', 'ftp://x'].map(
      (raw): [Record<string, string>, string] => [
        { DLG_PUBLIC_URL: raw },
        `DLG_PUBLIC_URL must be an http(s) URL without query or fragment, such as http://localhost:3000 (got ${JSON.stringify(raw)})`,
      ],
    ),
    [{ DLG_WEBHOOK_URL: 'hooks.example.com' }, 'DLG_WEBHOOK_URL must be an absolute http:// or https:// URL'],
    [
      { DLG_WEBHOOK_URL: 'ftp://hooks.example.com' },
      'DLG_WEBHOOK_URL must be an http:// or https:// URL (got ftp:)',
    ],
    [
      { DLG_WEBHOOK_EVENTS: 'MessageEchoes,MessageRead' },
      'DLG_WEBHOOK_EVENTS must list some of MessageEchoes, MessageDeliveries, MessageReads, Messages (got "MessageRead")',
    ],
    [
      { DLG_WEBHOOK_SIGNATURE: 'sha256' },
      'DLG_WEBHOOK_SIGNATURE must be one of hex, sha1=hex, base64 (got "sha256")',
    ],
    [
      { DLG_BOTS: 'otp_bot' },
      'DLG_BOTS: entry 1 of 1 is not of the form name:token (name of letters, digits, . _ - starting with a letter or digit; token of 16 to 256 URL-safe characters)',
    ],
    [
      { DLG_BOTS: 'a:0123456789abcdef,b:0123456789abcdef' },
      "DLG_BOTS: entry 2 of 2: its token is already another bot's",
    ],
    // Every link would carry them.
    [{ DLG_PUBLIC_URL: 'http://user:pw@mock:8080' }, 'DLG_PUBLIC_URL must not carry a user name or password'],
  ])('refuses %j', (env, message) => {
    expect(problemsOf(env)).toEqual([message])
  })

  it('lists every problem at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', DLG_LINK_TTL_SECONDS: '0' })).toHaveLength(3)
  })

  it('never quotes a secret in a problem', () => {
    const problems = problemsOf({
      DLG_LINK_SECRET: 'short-secret',
      DLG_ACCESS_KEYS: 'k:v, broken-entry-sekrit',
    })
    expect(problems).toEqual(['DLG_LINK_SECRET must not have fewer than 16 characters'])
    const keyProblems = problemsOf({ DLG_ACCESS_KEYS: 'k:v, broken-entry-sekrit' })
    expect(keyProblems.join()).toContain('DLG_ACCESS_KEYS: entry 2 of 2 is not of the form keyId:secret')
    expect(keyProblems.join()).not.toContain('sekrit')
    const botProblems = problemsOf({ DLG_BOTS: 'good:0123456789abcdef0123,bad:sekrit' })
    expect(botProblems.join()).toContain('DLG_BOTS: entry 2 of 2')
    expect(botProblems.join()).not.toContain('sekrit')
    expect(problemsOf({ DLG_WEBHOOK_SECRET: ' ' }).join()).not.toContain('sekrit')
  })

  it('refuses a link secret that is also an access key secret', () => {
    const secret = 'shared-secret-0123456789'
    expect(problemsOf({ DLG_ACCESS_KEYS: `k:${secret}`, DLG_LINK_SECRET: secret })).toEqual([
      'DLG_LINK_SECRET must not be one of the access key secrets',
    ])
  })

  it('documents every variable in the configuration table of docs/configuration.md', () => {
    const docs = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8')
    for (const name of VARIABLES) {
      expect(docs).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'))
    }
  })
})
