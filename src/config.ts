import { fileURLToPath } from 'node:url'
import { Type, type Static, type TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'
import { DEMO_ACCESS_KEY, parseAccessKeys, type AccessKey } from './auth/keyring.js'
import { DEMO_BOT, parseBots, type Bot } from './messaging/bots.js'
import {
  SIGNATURE_FORMATS,
  WEBHOOK_DEFAULTS,
  WEBHOOK_EVENT_NAMES,
  WEBHOOK_LIMITS,
  webhookUrlProblem,
  type WebhookConfig,
  type WebhookEventName,
} from './webhooks/webhook-config.js'
import { DEFAULT_MESSAGING_DAY_ZONE } from './store/messaging-day.js'
import { DEFAULT_TIME_ZONE, isTimeZone } from './time-zone.js'
import { readBaseUrl } from './base-url.js'

/**
 * Configuration: one TypeBox schema of the environment variables (types, ranges, defaults
 * and the text of the table in docs/configuration.md), read by a pure `loadConfig(env)`.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'TCP port to listen on.' }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Interface to listen on.' }),
  LOG_LEVEL: Type.Enum(LOG_LEVELS, { default: 'info', description: 'pino log level.' }),
  LOG_FORMAT: Type.Enum(['auto', 'json', 'pretty'] as const, {
    default: 'auto',
    description: '`auto`: pretty in a terminal when pino-pretty is installed (dev), JSON lines otherwise.',
  }),
  DLG_PUBLIC_URL: Type.Optional(
    Type.String({
      description:
        'Base of the conversation links, e.g. `http://localhost:8080` behind `docker run -p 8080:3000`. Default `http://localhost:<PORT>`, or `http://<HOST>:<PORT>` when HOST is one address.',
    }),
  ),
  DLG_MAX_SKEW_SECONDS: Type.Integer({
    minimum: 0,
    maximum: 86_400,
    default: 900,
    description: 'Allowed difference between `x-dlg-date` and the server clock, either direction.',
  }),
  DLG_LINK_TTL_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 31_536_000,
    default: 1800,
    description: 'How long a conversation link opens after it was minted.',
  }),
  DLG_LINK_SECRET: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        'Secret that signs conversation links (at least 16 characters, not an access key secret). Unset: a random one per start, so links die with the process.',
    }),
  ),
  DLG_ACCESS_KEYS: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Access keys as `keyId:secret,keyId2:secret2`; a key id given twice has two valid secrets (rotation). Unset: the demo pair.',
    }),
  ),
  DLG_PAGE_TIME_ZONE: Type.String({
    minLength: 1,
    default: DEFAULT_TIME_ZONE,
    description: 'IANA time zone in which the conversation pages show dates and times.',
  }),
  DLG_MESSAGING_DAY_ZONE: Type.String({
    minLength: 1,
    default: DEFAULT_MESSAGING_DAY_ZONE,
    description:
      "IANA time zone in which the messaging lists cut days (D15); UTC, as the documentation's messagingDate values are.",
  }),
  DLG_PAGE_SIZE: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 50,
    description: 'Most messages one conversation page shows; longer windows get older/newer pages.',
  }),
  DLG_RETIRED_ACCESS_KEYS: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Secrets no longer accepted, as `keyId:secret,…`: a request signed with one fails as before, and the diagnosis says it used a retired secret.',
    }),
  ),
  DLG_DIAGNOSTICS: Type.Enum(['on', 'off'] as const, {
    default: 'on',
    description:
      'Explain every authentication failure in `x-dlg-mock-*` response headers; the documented status and body never change.',
  }),
  DLG_ADMIN_TOKEN: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        'Turns the admin API on under `/__admin` (journal, clock, faults, fixtures, reset); calls need `Authorization: Bearer <token>`. At least 16 characters. Unset: no admin API.',
    }),
  ),
  DLG_JOURNAL_LIMIT: Type.Integer({
    minimum: 0,
    maximum: 10_000,
    default: 1000,
    description: 'Most requests the journal keeps (oldest dropped first); 0 keeps none.',
  }),
  DLG_FIXTURES_WATCH: Type.Boolean({
    default: false,
    description:
      'Reload the fixtures whenever a file of `DLG_FIXTURES_DIR` changes; a set that does not validate is logged and the previous data stays served.',
  }),
  DLG_FIXTURES_DIR: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Directory with `staff.json`, `customers.json`, `conversations.json`. Default: the bundled `fixtures/`.',
    }),
  ),
  DLG_BODY_LIMIT: Type.Integer({
    minimum: 1,
    maximum: 104_857_600,
    default: 1_048_576,
    description: 'Largest accepted request body in bytes; larger ones get 413.',
  }),
  DLG_HEADERS_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 10_000,
    description: 'A client must send all its headers within this time, or get 408 and a closed connection.',
  }),
  DLG_REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 30_000,
    description: 'A client must send its whole request (headers and body) within this time, or get 408.',
  }),
  DLG_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 72_000,
    description:
      'An idle kept-alive connection is closed after this time (above the 60 s of common load balancers).',
  }),
  DLG_HEADER_ALIASES: Type.Boolean({
    default: false,
    description:
      'Also read `Date`, `X-Requester-UserId`, `X-Authorization` when an `x-dlg-*` header is absent (docs/contract.md D2).',
  }),
  DLG_LENIENT_NEWLINE: Type.Boolean({
    default: false,
    description:
      "Also accept signatures with a newline between body and resource, the docs' worked example (D3).",
  }),
  DLG_BOTS: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "Bots of the Messaging API as `name:token,name2:token2` (token: 16–256 URL-safe characters). Unset: the public demo bot (token `c2dc9bf3e0c3218e9ab22b56002e4644`, the docs' example). Fixture bots (`bots.json`) are added to either.",
    }),
  ),
  DLG_WEBHOOK_URL: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Where the webhook events of every bot without its own webhook are POSTed (http or https). Unset: those bots send no webhooks (the simulation still runs; the admin API shows the messages).',
    }),
  ),
  DLG_WEBHOOK_SECRET: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "The webhook's `app_secret`: `X-Signature` is its HMAC-SHA1 of the body (D25). Unset: the docs' example app_secret, with a warning.",
    }),
  ),
  DLG_WEBHOOK_ID: Type.String({
    minLength: 1,
    maxLength: 200,
    default: WEBHOOK_DEFAULTS.id,
    description: 'The webhook `id` sent back as `entry[].id` of every event.',
  }),
  DLG_WEBHOOK_EVENTS: Type.String({
    minLength: 1,
    default: WEBHOOK_EVENT_NAMES.join(','),
    description: `Subscribed events, comma-separated: ${WEBHOOK_EVENT_NAMES.join(', ')}.`,
  }),
  DLG_WEBHOOK_SIGNATURE: Type.Enum(SIGNATURE_FORMATS, {
    default: WEBHOOK_DEFAULTS.signature,
    description: '`X-Signature` encoding (D25): lower-case hex, `sha1=` + hex, or base64.',
  }),
  DLG_WEBHOOK_BATCH_MAX: Type.Integer({
    ...WEBHOOK_LIMITS.batchMax,
    default: WEBHOOK_DEFAULTS.batchMax,
    description: 'Most events in one webhook POST (D26).',
  }),
  DLG_WEBHOOK_BATCH_WAIT_MS: Type.Integer({
    ...WEBHOOK_LIMITS.batchWaitMs,
    default: WEBHOOK_DEFAULTS.batchWaitMs,
    description: 'How long the first event of a batch waits for more, real time (D26); 0 sends at once.',
  }),
  DLG_WEBHOOK_TIMEOUT_MS: Type.Integer({
    ...WEBHOOK_LIMITS.timeoutMs,
    default: WEBHOOK_DEFAULTS.timeoutMs,
    description: 'An attempt without a 2xx answer within this time has failed (D27).',
  }),
  DLG_WEBHOOK_RETRIES: Type.Integer({
    ...WEBHOOK_LIMITS.retries,
    default: WEBHOOK_DEFAULTS.retries,
    description: 'Attempts after the first before a batch is dropped (D27).',
  }),
  DLG_WEBHOOK_BACKOFF_MS: Type.Integer({
    ...WEBHOOK_LIMITS.backoffMs,
    default: WEBHOOK_DEFAULTS.backoffMs,
    description: 'Wait before the first retry, doubled for each next one (D27).',
  }),
  DLG_SIM_DELIVERY_MS: Type.Integer({
    minimum: 0,
    maximum: 86_400_000,
    default: 300,
    description:
      "Simulated users: a sent message is delivered this long after it was sent, by the mock's clock (D28).",
  }),
  DLG_SIM_READ_MS: Type.Integer({
    minimum: 0,
    maximum: 86_400_000,
    default: 2000,
    description:
      "Simulated users: a delivered message is read this long after delivery, by the mock's clock (D28).",
  }),
  DLG_SHUTDOWN_GRACE_MS: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 10_000,
    description:
      'After SIGTERM/SIGINT, how long requests in flight may take; then each unanswered one gets 503 and its connection closes.',
  }),
})

export type Env = Static<typeof EnvSchema>

/** Variables whose values must never appear in an error message or a log. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'DLG_ADMIN_TOKEN',
  'DLG_LINK_SECRET',
  'DLG_ACCESS_KEYS',
  'DLG_RETIRED_ACCESS_KEYS',
  'DLG_BOTS',
  'DLG_WEBHOOK_SECRET',
])

type OptionalVariable = { [K in keyof Env]-?: undefined extends Env[K] ? K : never }[keyof Env]

/** What an optional variable means when it is unset: the default an empty value is told to use. */
const UNSET_MEANING: Readonly<Record<OptionalVariable, string>> = {
  DLG_PUBLIC_URL: 'http://localhost:<PORT>',
  DLG_LINK_SECRET: 'a random secret per start',
  DLG_ACCESS_KEYS: 'the public demo key pair',
  DLG_RETIRED_ACCESS_KEYS: 'none',
  DLG_ADMIN_TOKEN: 'no admin API',
  DLG_FIXTURES_DIR: 'the bundled fixtures/',
  DLG_BOTS: 'the public demo bot',
  DLG_WEBHOOK_URL: 'no webhooks',
  DLG_WEBHOOK_SECRET: "the docs' example app_secret",
}

/** The docs' example `app_secret` (API-INVENTORY §7.1): the webhook secret when none is set, with a warning. */
export const DEMO_WEBHOOK_SECRET =
  'ffeceefiaae0aec8naich2queid1thoohi3pohSah7ohgaedaengiethah1ahthuumee12affcqq12'

export const DEFAULT_FIXTURES_DIR = fileURLToPath(new URL('../fixtures', import.meta.url))

export interface Config {
  readonly port: Env['PORT']
  readonly host: Env['HOST']
  readonly logLevel: Env['LOG_LEVEL']
  readonly logFormat: Env['LOG_FORMAT']
  /** Undefined: `http://localhost:<the port the server listens on>` (HOST when it is one address). */
  readonly publicUrl: string | undefined
  readonly maxSkewSeconds: Env['DLG_MAX_SKEW_SECONDS']
  readonly linkTtlSeconds: Env['DLG_LINK_TTL_SECONDS']
  /** Undefined: the app generates one per start. */
  readonly linkSecret: string | undefined
  readonly accessKeys: readonly AccessKey[]
  readonly retiredAccessKeys: readonly AccessKey[]
  readonly usingDemoAccessKey: boolean
  readonly diagnostics: boolean
  readonly pageTimeZone: Env['DLG_PAGE_TIME_ZONE']
  readonly pageSize: Env['DLG_PAGE_SIZE']
  readonly messagingDayZone: Env['DLG_MESSAGING_DAY_ZONE']
  readonly fixturesDir: string
  /** Undefined: no admin API. */
  readonly adminToken: string | undefined
  readonly journalLimit: Env['DLG_JOURNAL_LIMIT']
  readonly fixturesWatch: Env['DLG_FIXTURES_WATCH']
  readonly bodyLimit: Env['DLG_BODY_LIMIT']
  readonly headersTimeoutMs: Env['DLG_HEADERS_TIMEOUT_MS']
  readonly requestTimeoutMs: Env['DLG_REQUEST_TIMEOUT_MS']
  readonly keepAliveTimeoutMs: Env['DLG_KEEP_ALIVE_TIMEOUT_MS']
  readonly acceptHeaderAliases: Env['DLG_HEADER_ALIASES']
  readonly acceptNewlineBeforeResource: Env['DLG_LENIENT_NEWLINE']
  readonly shutdownGraceMs: Env['DLG_SHUTDOWN_GRACE_MS']
  /** The bots of `DLG_BOTS`, or the demo bot; fixture bots come on top. */
  readonly bots: readonly Bot[]
  readonly usingDemoBot: boolean
  /** The webhook of `DLG_WEBHOOK_URL`, for every bot without its own; undefined: none. */
  readonly webhook: WebhookConfig | undefined
  /** What a fixture bot's webhook does not say: the `DLG_WEBHOOK_*` settings. */
  readonly webhookDefaults: Omit<WebhookConfig, 'url' | 'appSecret'>
  /** The webhook is signed with the docs' public example secret. */
  readonly usingDemoWebhookSecret: boolean
  readonly simDeliveryMs: Env['DLG_SIM_DELIVERY_MS']
  readonly simReadMs: Env['DLG_SIM_READ_MS']
}

/** Every problem of a configuration; its message is one line (`; ` between problems). */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`)
    this.name = 'ConfigError'
  }
}

const properties = EnvSchema.properties as Record<string, TSchema>
/** One validator per variable, so that every variable's problem is reported, each once. */
const variableValidators = new Map(
  Object.entries(properties).map(([name, schema]) => [name, Compile(schema)]),
)

/** Strict string-to-type conversion: `"1.5"` or `"0x10"` stay strings and fail the integer check. */
function convert(schema: TSchema, raw: string): unknown {
  const type = (schema as { type?: unknown }).type
  if (type === 'integer') return /^-?[0-9]{1,15}$/.test(raw) ? Number(raw) : raw
  if (type === 'boolean') {
    const lower = raw.toLowerCase()
    return lower === 'true' || lower === '1' ? true : lower === 'false' || lower === '0' ? false : raw
  }
  return raw
}

function problemFor(name: string, schema: TSchema, message: string, raw: string | undefined): string {
  const choices = (schema as { enum?: unknown[] }).enum
  const expectation = choices ? `must be one of ${choices.join(', ')}` : message
  const got = raw === undefined || SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(raw)})`
  return `${name} ${expectation}${got}`
}

/**
 * The problem of a variable set to an empty or whitespace-only value: never taken as unset, so
 * `DLG_ACCESS_KEYS=""` cannot fall back to the public demo pair, nor `HOST=""` to every interface.
 */
export function emptyValueProblem(name: string): string {
  const schema = properties[name] as { default?: unknown } | undefined
  const meaning =
    schema?.default !== undefined ? String(schema.default) : (UNSET_MEANING as Record<string, string>)[name]
  return `${name} is set but empty: unset it to use the default (${meaning ?? 'none'}), or give a value`
}

/** Reads the configuration from environment variables; throws a `ConfigError` listing every problem. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const input: Record<string, unknown> = {}
  const empty = new Set<string>()
  for (const [name, schema] of Object.entries(properties)) {
    const raw = env[name]
    if (raw === undefined) continue
    if (raw.trim() === '') empty.add(name)
    else input[name] = convert(schema, raw)
  }
  const withDefaults = Value.Default(EnvSchema, input)
  const invalid: string[] = []
  for (const [name, validator] of variableValidators) {
    if (empty.has(name)) {
      invalid.push(emptyValueProblem(name))
      continue
    }
    const value = (withDefaults as Record<string, unknown>)[name]
    if (value === undefined) continue // optional and unset
    const [error] = validator.Errors(value)
    if (error !== undefined) invalid.push(problemFor(name, validator.Type(), error.message, env[name]))
  }
  if (invalid.length > 0) throw new ConfigError(invalid)
  // Every variable passed its own validator just above.
  const values = withDefaults as Env
  const problems: string[] = []

  let accessKeys: readonly AccessKey[] = [DEMO_ACCESS_KEY]
  if (values.DLG_ACCESS_KEYS !== undefined) {
    const parsed = parseAccessKeys(values.DLG_ACCESS_KEYS)
    if (parsed.ok) accessKeys = parsed.keys
    else problems.push(`DLG_ACCESS_KEYS: ${parsed.problem}`)
  }

  let retiredAccessKeys: readonly AccessKey[] = []
  if (values.DLG_RETIRED_ACCESS_KEYS !== undefined) {
    const parsed = parseAccessKeys(values.DLG_RETIRED_ACCESS_KEYS)
    if (parsed.ok) retiredAccessKeys = parsed.keys
    else problems.push(`DLG_RETIRED_ACCESS_KEYS: ${parsed.problem}`)
  }

  let publicUrl: string | undefined
  if (values.DLG_PUBLIC_URL !== undefined) {
    const read = readBaseUrl(values.DLG_PUBLIC_URL, 'DLG_PUBLIC_URL')
    if ('url' in read) publicUrl = read.url
    else problems.push(read.problem)
  }

  const linkSecret = values.DLG_LINK_SECRET
  if (linkSecret !== undefined && accessKeys.some((key) => key.secret === linkSecret)) {
    problems.push('DLG_LINK_SECRET must not be one of the access key secrets')
  }
  if (!isTimeZone(values.DLG_PAGE_TIME_ZONE)) {
    problems.push(
      `DLG_PAGE_TIME_ZONE must be an IANA time zone such as Europe/Istanbul (got ${JSON.stringify(values.DLG_PAGE_TIME_ZONE)})`,
    )
  }
  if (!isTimeZone(values.DLG_MESSAGING_DAY_ZONE)) {
    problems.push(
      `DLG_MESSAGING_DAY_ZONE must be an IANA time zone such as UTC or Europe/Istanbul (got ${JSON.stringify(values.DLG_MESSAGING_DAY_ZONE)})`,
    )
  }
  let bots: readonly Bot[] = [DEMO_BOT]
  if (values.DLG_BOTS !== undefined) {
    const parsed = parseBots(values.DLG_BOTS)
    if (parsed.ok) bots = parsed.bots
    else problems.push(`DLG_BOTS: ${parsed.problem}`)
  }

  const events = values.DLG_WEBHOOK_EVENTS.split(',').map((name) => name.trim())
  const unknownEvents = events.filter((name) => !(WEBHOOK_EVENT_NAMES as string[]).includes(name))
  if (unknownEvents.length > 0) {
    problems.push(
      `DLG_WEBHOOK_EVENTS must list some of ${WEBHOOK_EVENT_NAMES.join(', ')} (got ${JSON.stringify(unknownEvents.join(','))})`,
    )
  }
  const webhookDefaults: Omit<WebhookConfig, 'url' | 'appSecret'> = {
    id: values.DLG_WEBHOOK_ID,
    events: [...new Set(events)] as WebhookEventName[],
    signature: values.DLG_WEBHOOK_SIGNATURE,
    batchMax: values.DLG_WEBHOOK_BATCH_MAX,
    batchWaitMs: values.DLG_WEBHOOK_BATCH_WAIT_MS,
    timeoutMs: values.DLG_WEBHOOK_TIMEOUT_MS,
    retries: values.DLG_WEBHOOK_RETRIES,
    backoffMs: values.DLG_WEBHOOK_BACKOFF_MS,
  }
  let webhook: WebhookConfig | undefined
  if (values.DLG_WEBHOOK_URL !== undefined) {
    const url = webhookUrlProblem(values.DLG_WEBHOOK_URL)
    if (url !== undefined) problems.push(`DLG_WEBHOOK_URL ${url}`)
    webhook = {
      ...webhookDefaults,
      url: values.DLG_WEBHOOK_URL,
      appSecret: values.DLG_WEBHOOK_SECRET ?? DEMO_WEBHOOK_SECRET,
    }
  }

  if (values.DLG_HEADERS_TIMEOUT_MS > values.DLG_REQUEST_TIMEOUT_MS) {
    problems.push('DLG_HEADERS_TIMEOUT_MS must not be longer than DLG_REQUEST_TIMEOUT_MS')
  }
  if (problems.length > 0) throw new ConfigError(problems)

  return {
    port: values.PORT,
    host: values.HOST,
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT,
    publicUrl,
    maxSkewSeconds: values.DLG_MAX_SKEW_SECONDS,
    linkTtlSeconds: values.DLG_LINK_TTL_SECONDS,
    linkSecret,
    accessKeys,
    retiredAccessKeys,
    usingDemoAccessKey: values.DLG_ACCESS_KEYS === undefined,
    diagnostics: values.DLG_DIAGNOSTICS === 'on',
    pageTimeZone: values.DLG_PAGE_TIME_ZONE,
    pageSize: values.DLG_PAGE_SIZE,
    messagingDayZone: values.DLG_MESSAGING_DAY_ZONE,
    fixturesDir: values.DLG_FIXTURES_DIR ?? DEFAULT_FIXTURES_DIR,
    adminToken: values.DLG_ADMIN_TOKEN,
    journalLimit: values.DLG_JOURNAL_LIMIT,
    fixturesWatch: values.DLG_FIXTURES_WATCH,
    bodyLimit: values.DLG_BODY_LIMIT,
    headersTimeoutMs: values.DLG_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: values.DLG_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: values.DLG_KEEP_ALIVE_TIMEOUT_MS,
    acceptHeaderAliases: values.DLG_HEADER_ALIASES,
    acceptNewlineBeforeResource: values.DLG_LENIENT_NEWLINE,
    shutdownGraceMs: values.DLG_SHUTDOWN_GRACE_MS,
    bots,
    usingDemoBot: values.DLG_BOTS === undefined,
    webhook,
    webhookDefaults,
    usingDemoWebhookSecret: webhook !== undefined && values.DLG_WEBHOOK_SECRET === undefined,
    simDeliveryMs: values.DLG_SIM_DELIVERY_MS,
    simReadMs: values.DLG_SIM_READ_MS,
  }
}
