import { isDateRange } from '../clock.js'
import { PARTY_ID_PATTERN } from '../schemas.js'
import { formatRef, isPartyRef, parseRef, type PartyRef, type Ref } from './party-ref.js'

/**
 * The kinds of signed link, as data: one entry per kind says where it lives, what it signs and
 * how it is written and read; `link-signer.ts` signs and verifies every kind the same way.
 *
 * A kind's string-to-sign is its tag line, its fields one a line, then the expiry:
 *
 *     diyalog-mock day link v1\nstaff:45186\ngroup:2128893729\n1610841600000\n1610927999999\n1700000000000
 *
 * The tag is signed, so a signature minted for one kind never opens another, even where two
 * kinds have the same number of fields. No field can hold a newline (every reader refuses one),
 * so the lines cannot be shifted either.
 */

export type LinkQuery = Readonly<Record<string, unknown>>

export interface LinkKind<P> {
  /** The first line of the string-to-sign. */
  readonly tag: string
  /** Where links of this kind are served (the caller puts the public base URL in front). */
  readonly path: string
  /** The query parameter holding the expiry, in epoch milliseconds. */
  readonly expiresParam: string
  /** The query parameter holding the signature, an HMAC-SHA256 in `encoding`. */
  readonly signatureParam: string
  readonly encoding: 'base64url' | 'hex'
  /** The signed fields, one a line, between the tag and the expiry (built by hand: it is hot). */
  lines(params: P): string
  /** The link's path and query, expiry and signature included. */
  write(params: P, expiresAt: number, signature: string): string
  /**
   * The signed fields from the path segment (for kinds that name their subject in the path)
   * and the query, read strictly; undefined when anything is malformed. Never throws.
   */
  read(segment: unknown, query: LinkQuery): P | undefined
}

// ---------------------------------------------------------------------------------------------
// Field readers: exactly one string value (an array means the parameter was repeated), in
// canonical form, so one link has one spelling and one signature.

const ID = new RegExp(PARTY_ID_PATTERN)
/** An integer of at most 16 digits (enough for any time a Date holds), no sign on zero. */
const INTEGER = /^(0|-?[1-9][0-9]{0,15})$/
/** A Java `long` in canonical decimal; the range is checked with BigInt. */
const LONG = /^(0|-?[1-9][0-9]{0,18})$/
const MIN_LONG = -(2n ** 63n)
const MAX_LONG = 2n ** 63n - 1n

export const SIGNATURE_PATTERN: Readonly<Record<LinkKind<unknown>['encoding'], RegExp>> = {
  base64url: /^[A-Za-z0-9_-]{43}$/,
  hex: /^[0-9a-f]{64}$/,
}

function readId(value: unknown): string | undefined {
  return typeof value === 'string' && ID.test(value) ? value : undefined
}

/** An epoch-millisecond time a Date can hold, or undefined. */
export function readTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !INTEGER.test(value)) return undefined
  const time = Number(value)
  return isDateRange(time) ? time : undefined
}

/** A signed 64-bit integer in canonical decimal (kept as text: it may lie beyond 2^53). */
function readLong(value: unknown): string | undefined {
  if (typeof value !== 'string' || !LONG.test(value)) return undefined
  const long = BigInt(value)
  return long >= MIN_LONG && long <= MAX_LONG ? value : undefined
}

function readRef(value: unknown): Ref | undefined {
  return typeof value === 'string' ? parseRef(value) : undefined
}

/** How the mock's own kinds carry their expiry and signature (the recording kind has the real server's). */
const MOCK_SIGNED = { expiresParam: 'expiresAt', signatureParam: 'sig', encoding: 'base64url' } as const

// ---------------------------------------------------------------------------------------------
// conversation: a staff–customer window (docs/contract.md §5), `getmessagingdetail`'s link.

export const CONVERSATION_PATH = '/views/messaging'

export interface ConversationLinkParams {
  readonly staffId: string
  readonly customerId: string
  /** Window start, epoch milliseconds, inclusive. */
  readonly startDate: number
  /** Window end, epoch milliseconds, inclusive. */
  readonly endDate: number
}

export const conversationKind: LinkKind<ConversationLinkParams> = {
  tag: 'diyalog-mock conversation link v1',
  path: CONVERSATION_PATH,
  ...MOCK_SIGNED,
  lines: (p) => `${p.staffId}\n${p.customerId}\n${p.startDate}\n${p.endDate}`,
  // The same string URLSearchParams makes.
  write: (p, expiresAt, sig) =>
    `${CONVERSATION_PATH}?staffId=${encodeURIComponent(p.staffId)}` +
    `&customerId=${encodeURIComponent(p.customerId)}&startDate=${p.startDate}` +
    `&endDate=${p.endDate}&expiresAt=${expiresAt}&sig=${sig}`,
  read(_segment, query) {
    const staffId = readId(query['staffId'])
    const customerId = readId(query['customerId'])
    const startDate = readTime(query['startDate'])
    const endDate = readTime(query['endDate'])
    if (staffId === undefined || customerId === undefined || startDate === undefined || endDate === undefined)
      return undefined
    return { staffId, customerId, startDate, endDate }
  },
}

// ---------------------------------------------------------------------------------------------
// day: one day of a messaging-list row (`getstaffmessaginglist`, `getcustomermessaginglist`).

export const DAY_PATH = '/views/messaging/day'

export interface DayLinkParams {
  /** The row's queried party (its `senderId`). */
  readonly party: PartyRef
  /** The other end: a person, or the group of a group row. */
  readonly other: Ref
  /** Window start, epoch milliseconds, inclusive. */
  readonly startDate: number
  /** Window end, epoch milliseconds, inclusive. */
  readonly endDate: number
}

export const dayKind: LinkKind<DayLinkParams> = {
  tag: 'diyalog-mock day link v1',
  path: DAY_PATH,
  ...MOCK_SIGNED,
  lines: (p) => `${formatRef(p.party)}\n${formatRef(p.other)}\n${p.startDate}\n${p.endDate}`,
  write: (p, expiresAt, sig) =>
    `${DAY_PATH}?party=${encodeURIComponent(formatRef(p.party))}` +
    `&other=${encodeURIComponent(formatRef(p.other))}&startDate=${p.startDate}` +
    `&endDate=${p.endDate}&expiresAt=${expiresAt}&sig=${sig}`,
  read(_segment, query) {
    const party = readRef(query['party'])
    const other = readRef(query['other'])
    const startDate = readTime(query['startDate'])
    const endDate = readTime(query['endDate'])
    if (!isPartyRef(party) || other === undefined || startDate === undefined || endDate === undefined)
      return undefined
    return { party, other, startDate, endDate }
  },
}

// ---------------------------------------------------------------------------------------------
// online help: one session of `getonlinehelplist`, named in the path.

export const ONLINE_HELP_PATH = '/views/onlinehelp'

export interface OnlineHelpLinkParams {
  /** The session's `onlineHelpId`, a Java `long` as canonical decimal text. */
  readonly onlineHelpId: string
}

export const onlineHelpKind: LinkKind<OnlineHelpLinkParams> = {
  tag: 'diyalog-mock online-help link v1',
  path: ONLINE_HELP_PATH,
  ...MOCK_SIGNED,
  lines: (p) => p.onlineHelpId,
  write: (p, expiresAt, sig) =>
    `${ONLINE_HELP_PATH}/${encodeURIComponent(p.onlineHelpId)}?expiresAt=${expiresAt}&sig=${sig}`,
  read(segment) {
    const onlineHelpId = readLong(segment)
    return onlineHelpId === undefined ? undefined : { onlineHelpId }
  },
}

// ---------------------------------------------------------------------------------------------
// recording: a call of `getcalllist`, in the real server's shape (docs/contract.md §4):
// `/v1/playrecords/3387307531615898478?signature=<64 hex>&expires=1617974113645`.

export const RECORDING_PATH = '/v1/playrecords'
/** The recording's audio, under the recording's path: `<RECORDING_PATH>/<callId>/audio.wav`. */
export const RECORDING_AUDIO_FILE = 'audio.wav'

export interface RecordingLinkParams {
  /** The call's `callId`, a Java `long` as canonical decimal text. */
  readonly callId: string
}

export const recordingKind: LinkKind<RecordingLinkParams> = {
  tag: 'diyalog-mock recording link v1',
  path: RECORDING_PATH,
  expiresParam: 'expires',
  signatureParam: 'signature',
  encoding: 'hex',
  lines: (p) => p.callId,
  // The real server's order: signature first.
  write: (p, expires, signature) =>
    `${RECORDING_PATH}/${encodeURIComponent(p.callId)}?signature=${signature}&expires=${expires}`,
  read(segment) {
    const callId = readLong(segment)
    return callId === undefined ? undefined : { callId }
  },
}

/**
 * The path and query of a recording's audio, from the recording link's call id and query: the
 * same `signature` and `expires` open both, because the signed string names the call, not the
 * file. Verify a request for it with `verifyRecording(callId, query, now)`. Parameters that are
 * not single strings are left out (such a link then verifies as invalid, as the page's would).
 */
export function recordingAudioPath(callId: string, query: LinkQuery): string {
  const { signature, expires } = query
  const params = [
    typeof signature === 'string' ? `signature=${encodeURIComponent(signature)}` : undefined,
    typeof expires === 'string' ? `expires=${encodeURIComponent(expires)}` : undefined,
  ].filter((param) => param !== undefined)
  return `${RECORDING_PATH}/${encodeURIComponent(callId)}/${RECORDING_AUDIO_FILE}?${params.join('&')}`
}

// ---------------------------------------------------------------------------------------------
// bot: one bot's conversation with one user (Messaging API), minted by the admin API:
// `/views/bot/demo_bot?with=customer%3A70021&expiresAt=…&sig=…`. It has no window: the page
// shows the conversation as it stands each time it is opened.

export const BOT_CONVERSATION_PATH = '/views/bot'

export interface BotLinkParams {
  /** The bot's name (`DLG_BOTS`, `bots.json`), named in the path. */
  readonly botName: string
  /** The user the bot writes to: `customer:<customerId>` or `staff:<staffId>` in the query. */
  readonly recipient: PartyRef
}

/** A bot name as `DLG_BOTS` and `bots.json` allow it (`src/messaging/bots.ts`). */
const BOT_NAME = /^[A-Za-z0-9._-]{1,64}$/

/**
 * A bot name that can stand in the link's path: not a dot segment (`.`, `..`: a browser resolves
 * them away, `%2E` included), and not ending in `.json` (the router gives `/views/bot/x.json` to
 * the JSON twin of bot `x`). Such a bot has no link: every link naming it is invalid.
 */
export function isLinkableBotName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    BOT_NAME.test(name) &&
    name !== '.' &&
    name !== '..' &&
    !name.endsWith('.json')
  )
}

export const botKind: LinkKind<BotLinkParams> = {
  tag: 'diyalog-mock bot conversation link v1',
  path: BOT_CONVERSATION_PATH,
  ...MOCK_SIGNED,
  lines: (p) => `${p.botName}\n${formatRef(p.recipient)}`,
  write: (p, expiresAt, sig) =>
    `${BOT_CONVERSATION_PATH}/${encodeURIComponent(p.botName)}` +
    `?with=${encodeURIComponent(formatRef(p.recipient))}&expiresAt=${expiresAt}&sig=${sig}`,
  read(segment, query) {
    const recipient = readRef(query['with'])
    if (!isLinkableBotName(segment) || !isPartyRef(recipient)) return undefined
    return { botName: segment, recipient }
  },
}

/** Every kind, by name: their tags are distinct (a test checks it). */
export const LINK_KINDS = {
  conversation: conversationKind,
  day: dayKind,
  onlineHelp: onlineHelpKind,
  recording: recordingKind,
  bot: botKind,
} as const
