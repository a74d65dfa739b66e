import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEMO_ACCESS_KEY } from '../src/auth/keyring.js'
import { ConfigError, DEFAULT_FIXTURES_DIR, EnvSchema, loadConfig } from '../src/config.js'

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
    })
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
    })
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
