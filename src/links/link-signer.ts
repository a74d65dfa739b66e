import { createHmac, createSecretKey, type KeyObject } from 'node:crypto'
import { sameSignature } from '../auth/constant-time.js'
import {
  botKind,
  conversationKind,
  dayKind,
  onlineHelpKind,
  readTime,
  recordingKind,
  SIGNATURE_PATTERN,
  type BotLinkParams,
  type ConversationLinkParams,
  type DayLinkParams,
  type LinkKind,
  type LinkQuery,
  type OnlineHelpLinkParams,
  type RecordingLinkParams,
} from './link-kinds.js'

/**
 * Signed, expiring links (docs/contract.md §5), modelled on shared access signatures: the
 * parameters travel readable in the path and query, the kind and the expiry are inside the
 * signed string, and a link is either valid, invalid (tampered, another kind, wrong secret,
 * malformed) or expired — expired only when the signature is good, so a forged link never
 * learns more than "invalid". The kinds themselves are data, in `link-kinds.ts`:
 *
 * - conversation: `/views/messaging?staffId=45188&customerId=5667067&startDate=1610856400000
 *   &endDate=1635892494000&expiresAt=1700000000000&sig=…`
 * - day: `/views/messaging/day?party=staff%3A45186&other=group%3A2128893729&startDate=…&endDate=…
 *   &expiresAt=…&sig=…`
 * - online help: `/views/onlinehelp/-7320316471234567890?expiresAt=…&sig=…`
 * - recording: `/v1/playrecords/3387307531615898478?signature=<64 hex>&expires=…` (the real
 *   server's shape), its audio at `…/3387307531615898478/audio.wav?signature=…&expires=…`
 * - bot: `/views/bot/demo_bot?with=customer%3A70021&expiresAt=…&sig=…` (a bot's conversation
 *   with one user, minted by the admin API)
 *
 * The caller puts the public base URL in front. Minting never checks its parameters: a link
 * minted from a value the readers refuse is simply never valid.
 */

export {
  BOT_CONVERSATION_PATH,
  CONVERSATION_PATH,
  DAY_PATH,
  LINK_KINDS,
  ONLINE_HELP_PATH,
  RECORDING_AUDIO_FILE,
  RECORDING_PATH,
  recordingAudioPath,
  type BotLinkParams,
  type ConversationLinkParams,
  type DayLinkParams,
  type LinkKind,
  type LinkQuery,
  type OnlineHelpLinkParams,
  type RecordingLinkParams,
} from './link-kinds.js'
export { formatRef, parseRef, type GroupRef, type PartyRef, type Ref } from './party-ref.js'

export interface Expiring {
  /** Epoch milliseconds from which the link no longer opens. */
  readonly expiresAt: number
}

export type SignedConversationLink = ConversationLinkParams & Expiring
export type SignedDayLink = DayLinkParams & Expiring
export type SignedOnlineHelpLink = OnlineHelpLinkParams & Expiring
export type SignedRecordingLink = RecordingLinkParams & Expiring
export type SignedBotLink = BotLinkParams & Expiring

/** What checking a link of any kind answers. */
export type LinkCheck<L> =
  | { readonly status: 'valid'; readonly link: L }
  | { readonly status: 'invalid' }
  | { readonly status: 'expired'; readonly link: L }

export type LinkVerification = LinkCheck<SignedConversationLink>

export interface LinkSignerOptions {
  /** The link-signing secret; never one of the API's access key secrets. */
  readonly secret: string
  readonly ttlSeconds: number
}

/** Each `mint…` answers the path and query of a link that opens until `nowMs + ttl`. */
export interface LinkSigner {
  /** A staff–customer window (`getmessagingdetail`). */
  mint(params: ConversationLinkParams, nowMs: number): string
  /** Checks the query string of a conversation link against the signature and the clock. */
  verify(query: LinkQuery, nowMs: number): LinkVerification

  /** One day of a messaging-list row, private or group. */
  mintDay(params: DayLinkParams, nowMs: number): string
  verifyDay(query: LinkQuery, nowMs: number): LinkCheck<SignedDayLink>

  /** One online-help session. */
  mintOnlineHelp(params: OnlineHelpLinkParams, nowMs: number): string
  /** `onlineHelpId` is the path segment after `ONLINE_HELP_PATH`, as the router decoded it. */
  verifyOnlineHelp(onlineHelpId: unknown, query: LinkQuery, nowMs: number): LinkCheck<SignedOnlineHelpLink>

  /** A call recording, in the real server's URL shape (its audio: `recordingAudioPath`). */
  mintRecording(params: RecordingLinkParams, nowMs: number): string
  /** `callId` is the path segment after `RECORDING_PATH`, as the router decoded it. */
  verifyRecording(callId: unknown, query: LinkQuery, nowMs: number): LinkCheck<SignedRecordingLink>

  /** A bot's conversation with one user (no window: the page shows it as it stands when opened). */
  mintBot(params: BotLinkParams, nowMs: number): string
  /** `botName` is the path segment after `BOT_CONVERSATION_PATH`, as the router decoded it. */
  verifyBot(botName: unknown, query: LinkQuery, nowMs: number): LinkCheck<SignedBotLink>
}

/** What a link of `kind` signs: its tag, its fields one a line, its expiry. */
export function stringToSign<P>(kind: LinkKind<P>, params: P, expiresAt: number): string {
  return `${kind.tag}\n${kind.lines(params)}\n${expiresAt}`
}

function signatureOf<P>(key: KeyObject, kind: LinkKind<P>, params: P, expiresAt: number): string {
  return createHmac('sha256', key)
    .update(stringToSign(kind, params, expiresAt))
    .digest(kind.encoding)
}

const INVALID = Object.freeze({ status: 'invalid' })

/** Cheap checks first (shapes, then the HMAC), the clock last: expired only when signed. */
function check<P>(
  key: KeyObject,
  kind: LinkKind<P>,
  segment: unknown,
  query: LinkQuery,
  nowMs: number,
): LinkCheck<P & Expiring> {
  const signature = query[kind.signatureParam]
  if (typeof signature !== 'string' || !SIGNATURE_PATTERN[kind.encoding].test(signature)) return INVALID
  const expiresAt = readTime(query[kind.expiresParam])
  if (expiresAt === undefined) return INVALID
  const params = kind.read(segment, query)
  if (params === undefined) return INVALID
  if (!sameSignature(signature, signatureOf(key, kind, params, expiresAt))) return INVALID
  const link = { ...params, expiresAt }
  return nowMs >= expiresAt ? { status: 'expired', link } : { status: 'valid', link }
}

export function createLinkSigner(options: LinkSignerOptions): LinkSigner {
  const key = createSecretKey(Buffer.from(options.secret, 'utf8'))
  const ttlMs = options.ttlSeconds * 1000

  function mint<P>(kind: LinkKind<P>, params: P, nowMs: number): string {
    const expiresAt = nowMs + ttlMs
    return kind.write(params, expiresAt, signatureOf(key, kind, params, expiresAt))
  }

  return {
    mint: (params, nowMs) => mint(conversationKind, params, nowMs),
    verify: (query, nowMs) => check(key, conversationKind, undefined, query, nowMs),
    mintDay: (params, nowMs) => mint(dayKind, params, nowMs),
    verifyDay: (query, nowMs) => check(key, dayKind, undefined, query, nowMs),
    mintOnlineHelp: (params, nowMs) => mint(onlineHelpKind, params, nowMs),
    verifyOnlineHelp: (id, query, nowMs) => check(key, onlineHelpKind, id, query, nowMs),
    mintRecording: (params, nowMs) => mint(recordingKind, params, nowMs),
    verifyRecording: (callId, query, nowMs) => check(key, recordingKind, callId, query, nowMs),
    mintBot: (params, nowMs) => mint(botKind, params, nowMs),
    verifyBot: (botName, query, nowMs) => check(key, botKind, botName, query, nowMs),
  }
}
