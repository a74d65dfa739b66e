import { createHash } from 'node:crypto'
import type { WebhookConfig } from '../webhooks/webhook-config.js'

/**
 * The bots of the Messaging API (docs/messaging.md): a bot is a Diyalog user of user type 6
 * with a Diyalog id, reached through its access token in the URL
 * (`POST /v1/bots/sendmessage/<token>`). Configured like the access keys: the public demo bot
 * when `DLG_BOTS` is unset, `name:token,…` otherwise, and bots of the fixtures (`bots.json`),
 * which may carry their own webhook.
 */

export interface Bot {
  /** The bot's user name (`botUserName` of the server's configuration). */
  readonly name: string
  /** Its access token: a secret, never logged or listed whole. */
  readonly token: string
  /** Its Diyalog user id (`sender.id` and `app_id` of every webhook event). */
  readonly diyalogId: string
  /** False: every send is the documented 500 `Sender bot is not alive.` */
  readonly alive: boolean
  /** Signs `payloadHidden` button payloads (docs/contract.md D45); default: the token. */
  readonly payloadKey: string
  /** The bot's own webhook; without one the bot uses the one of `DLG_WEBHOOK_URL`, if any. */
  readonly webhook?: WebhookConfig
}

/** Where the Messaging API lives: `POST /v1/bots/<api>/<token>`. */
export const BOTS_PREFIX = '/v1/bots'

/** User type of a bot (docs/contract.md §4.1). */
export const BOT_USER_TYPE = 6

/** The docs' example token; public, so only for local testing (the server warns when it is in use). */
export const DEMO_BOT_TOKEN = 'c2dc9bf3e0c3218e9ab22b56002e4644'
export const DEMO_BOT_NAME = 'demo_bot'

/**
 * A Diyalog user id for a party that has none in the fixtures: a positive 31-bit decimal, like
 * the docs' examples (`2074022437`, `243540663`), the same on every start. The kind is hashed
 * with the id, so staff `7` and customer `7` get different ids.
 */
export function derivedDiyalogId(kind: 'bot' | 'staff' | 'customer', id: string): string {
  const digest = createHash('sha256').update(`${kind}:${id}`).digest()
  // 100 000 000 … 2 147 483 647: nine or ten digits, as in the docs.
  return String(100_000_000 + (digest.readUInt32BE(0) % 2_047_483_648))
}

export interface BotInit {
  readonly name: string
  readonly token: string
  readonly diyalogId?: string
  readonly alive?: boolean
  readonly payloadKey?: string
  readonly webhook?: WebhookConfig
}

export function bot(init: BotInit): Bot {
  return {
    name: init.name,
    token: init.token,
    diyalogId: init.diyalogId ?? derivedDiyalogId('bot', init.name),
    alive: init.alive ?? true,
    payloadKey: init.payloadKey ?? init.token,
    ...(init.webhook === undefined ? {} : { webhook: init.webhook }),
  }
}

export const DEMO_BOT: Bot = bot({ name: DEMO_BOT_NAME, token: DEMO_BOT_TOKEN })

/**
 * A bot name: what stands before `:` in `DLG_BOTS`, and a path segment of its conversation links
 * (`/views/bot/<name>`), so it starts with a letter or digit (never `.` or `..`, which browsers
 * drop from a path) and does not end in `.json` (the router's JSON twin).
 */
export const BOT_NAME_PATTERN = '^(?![A-Za-z0-9._-]*\\.json$)[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'
const BOT_NAME = new RegExp(BOT_NAME_PATTERN)
/** A token: URL-path safe, as it travels in the path. */
export const BOT_TOKEN_PATTERN = '^[A-Za-z0-9._~-]{16,256}$'
const BOT_TOKEN = new RegExp(BOT_TOKEN_PATTERN)

export type BotsParse =
  { readonly ok: true; readonly bots: readonly Bot[] } | { readonly ok: false; readonly problem: string }

/** Parses `name:token,name2:token2`. Problems never quote a token. */
export function parseBots(spec: string): BotsParse {
  const bots: Bot[] = []
  const entries = spec.split(',')
  const names = new Set<string>()
  const tokens = new Set<string>()
  for (const [index, raw] of entries.entries()) {
    const entry = raw.trim()
    const colon = entry.indexOf(':')
    const name = colon < 0 ? '' : entry.slice(0, colon)
    const token = colon < 0 ? '' : entry.slice(colon + 1)
    const where = `entry ${index + 1} of ${entries.length}`
    if (colon < 0 || !BOT_NAME.test(name) || !BOT_TOKEN.test(token)) {
      return {
        ok: false,
        problem: `${where} is not of the form name:token (name of letters, digits, . _ - starting with a letter or digit; token of 16 to 256 URL-safe characters)`,
      }
    }
    if (names.has(name)) return { ok: false, problem: `${where}: bot ${name} is listed twice` }
    if (tokens.has(token)) return { ok: false, problem: `${where}: its token is already another bot's` }
    names.add(name)
    tokens.add(token)
    bots.push(bot({ name, token }))
  }
  return { ok: true, bots }
}

/** Finds a bot by its token. The tokens are hashed first, so the lookup's time says nothing about them. */
export interface BotRegistry {
  byToken(token: string): Bot | undefined
  byName(name: string): Bot | undefined
  readonly bots: readonly Bot[]
}

const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex')

export function createBotRegistry(bots: readonly Bot[]): BotRegistry {
  const byHash = new Map(bots.map((entry) => [tokenHash(entry.token), entry]))
  const byName = new Map(bots.map((entry) => [entry.name, entry]))
  return {
    byToken: (token) => byHash.get(tokenHash(token)),
    byName: (name) => byName.get(name),
    bots,
  }
}

/** A token as lists and logs may show it: its last four characters. */
export function tokenHint(token: string): string {
  return `…${token.slice(-4)}`
}
