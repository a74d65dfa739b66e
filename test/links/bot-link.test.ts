import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { botKind, isLinkableBotName } from '../../src/links/link-kinds.js'
import {
  BOT_CONVERSATION_PATH,
  createLinkSigner,
  LINK_KINDS,
  stringToSign,
  type BotLinkParams,
} from '../../src/links/link-signer.js'

/** Bot-conversation links: `/views/bot/<botName>?with=<kind>:<id>&expiresAt=…&sig=…`. */

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0)
const EXPIRES = NOW + 1_800_000
const SECRET = 'link-secret-for-tests-0001'
const signer = createLinkSigner({ secret: SECRET, ttlSeconds: 1800 })
const other = createLinkSigner({ secret: 'another-link-secret-0002', ttlSeconds: 1800 })

const params: BotLinkParams = { botName: 'demo_bot', recipient: { kind: 'customer', id: '70021' } }
const INVALID = { status: 'invalid' }

/** The minted link as the router hands it over: the decoded segment after the path, and the query. */
function partsOf(link: string) {
  const url = new URL(link, 'http://x')
  expect(url.pathname.startsWith(`${BOT_CONVERSATION_PATH}/`)).toBe(true)
  return {
    segment: decodeURIComponent(url.pathname.slice(BOT_CONVERSATION_PATH.length + 1)),
    query: Object.fromEntries(url.searchParams) as Record<string, string>,
  }
}

const minted = partsOf(signer.mintBot(params, NOW))
const verify = (segment: unknown, query: Record<string, unknown>, now = NOW) =>
  signer.verifyBot(segment, query, now)

function flipped(signature: string | undefined): string {
  const text = signature ?? ''
  return `${text.slice(0, -1)}${text.endsWith('a') ? 'b' : 'a'}`
}

describe('bot links', () => {
  it('name the bot in the path and the user in the query, readable', () => {
    expect(signer.mintBot(params, NOW)).toBe(
      `/views/bot/demo_bot?with=customer%3A70021&expiresAt=${EXPIRES}&sig=${minted.query['sig']}`,
    )
    expect(minted.query['sig']).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('sign their tag, the bot, the user and the expiry (a known answer)', () => {
    const text = `diyalog-mock bot conversation link v1\ndemo_bot\ncustomer:70021\n${EXPIRES}`
    expect(stringToSign(botKind, params, EXPIRES)).toBe(text)
    expect(minted.query['sig']).toBe(createHmac('sha256', SECRET).update(text).digest('base64url'))
    expect(LINK_KINDS.bot).toBe(botKind)
  })

  it('verify as valid until one millisecond before the expiry, then expired', () => {
    const link = { ...params, expiresAt: EXPIRES }
    expect(verify(minted.segment, minted.query)).toEqual({ status: 'valid', link })
    expect(verify(minted.segment, minted.query, EXPIRES - 1)).toEqual({ status: 'valid', link })
    expect(verify(minted.segment, minted.query, EXPIRES)).toEqual({ status: 'expired', link })
    expect(verify(minted.segment, minted.query, EXPIRES + 86_400_000)).toEqual({ status: 'expired', link })
  })

  it('name a staff member too', () => {
    const staff = { botName: 'otp.bot-2', recipient: { kind: 'staff', id: '45186' } } as const
    const parts = partsOf(signer.mintBot(staff, NOW))
    expect(parts.query['with']).toBe('staff:45186')
    expect(verify(parts.segment, parts.query)).toEqual({
      status: 'valid',
      link: { ...staff, expiresAt: EXPIRES },
    })
  })

  it.each([
    ['another bot', 'demo_bot2', {}],
    ['the bot in another case', 'Demo_bot', {}],
    ['another customer', 'demo_bot', { with: 'customer:70022' }],
    ['a staff member of the same number', 'demo_bot', { with: 'staff:70021' }],
    ['a later expiry', 'demo_bot', { expiresAt: String(EXPIRES + 86_400_000) }],
    ['an earlier expiry', 'demo_bot', { expiresAt: String(EXPIRES - 1) }],
    ['the signature', 'demo_bot', { sig: flipped(minted.query['sig']) }],
  ])('are invalid with %s', (_label, segment, change) => {
    expect(verify(segment, { ...minted.query, ...change })).toEqual(INVALID)
  })

  it('are invalid under another secret, even after the expiry (never "expired")', () => {
    expect(other.verifyBot(minted.segment, minted.query, NOW)).toEqual(INVALID)
    expect(other.verifyBot(minted.segment, minted.query, EXPIRES + 1)).toEqual(INVALID)
  })

  it('ignore `page`, which is not signed', () => {
    expect(verify(minted.segment, { ...minted.query, page: '3' }).status).toBe('valid')
  })
})

describe('bot links and the other kinds', () => {
  it('never open with a signature made for another kind over the same lines (the tag is signed)', () => {
    for (const kind of Object.values(LINK_KINDS).filter((kind) => kind !== botKind)) {
      const text = `${kind.tag}\n${botKind.lines(params)}\n${EXPIRES}`
      const sig = createHmac('sha256', SECRET).update(text).digest('base64url')
      expect(verify(minted.segment, { ...minted.query, sig }), kind.tag).toEqual(INVALID)
    }
  })

  it('never open with the signature of a minted link of another kind, nor open one', () => {
    const help = new URL(signer.mintOnlineHelp({ onlineHelpId: '70021' }, NOW), 'http://x')
    const day = new URL(
      signer.mintDay(
        {
          party: { kind: 'customer', id: '70021' },
          other: { kind: 'staff', id: '45186' },
          startDate: 0,
          endDate: 1,
        },
        NOW,
      ),
      'http://x',
    )
    for (const sig of [help.searchParams.get('sig'), day.searchParams.get('sig')]) {
      expect(verify(minted.segment, { ...minted.query, sig })).toEqual(INVALID)
    }
    // A bot link's signature on the other kinds' paths.
    const sig = minted.query['sig']
    expect(signer.verifyOnlineHelp('70021', { expiresAt: String(EXPIRES), sig }, NOW)).toEqual(INVALID)
    expect(signer.verifyDay({ ...Object.fromEntries(day.searchParams), sig }, NOW)).toEqual(INVALID)
  })
})

describe('bot links, malformed', () => {
  it.each([
    'group:2128893729',
    'customer:',
    'customer',
    ':70021',
    '70021',
    'bot:70021',
    'Customer:70021',
    'customer:70 021',
    'customer:70021\nstaff:1',
    `customer:${'1'.repeat(65)}`,
    'customer:7002<script>',
    '',
  ])('are invalid with the user %j', (user) => {
    // Signed as minted: the reader refuses the reference before any signature is checked.
    const parts = partsOf(
      signer.mintBot({ botName: 'demo_bot', recipient: { kind: 'customer', id: 'x' } }, NOW),
    )
    expect(verify(parts.segment, { ...parts.query, with: user })).toEqual(INVALID)
    const text = `${botKind.tag}\ndemo_bot\n${user}\n${EXPIRES}`
    const sig = createHmac('sha256', SECRET).update(text).digest('base64url')
    expect(verify('demo_bot', { with: user, expiresAt: String(EXPIRES), sig })).toEqual(INVALID)
  })

  it.each([
    '',
    '.',
    '..',
    'x.json',
    'demo_bot.json',
    'a/b',
    'demo bot',
    'demo_bot\n',
    'bot<script>',
    'ç',
    'b'.repeat(65),
  ])('are invalid with the bot name %j, even signed', (name) => {
    // The query alone: a URL parser resolves `/views/bot/..` away, which is why it has no link.
    const query = new URL(signer.mintBot({ ...params, botName: name }, NOW), 'http://x').searchParams
    expect(verify(name, Object.fromEntries(query))).toEqual(INVALID)
  })

  it('are invalid, without throwing, with parts that are not single strings', () => {
    for (const value of [undefined, null, 1, true, {}, [], ['customer:70021'], { toString: () => 'x' }]) {
      expect(verify(value, minted.query)).toEqual(INVALID)
      expect(verify(minted.segment, { ...minted.query, with: value })).toEqual(INVALID)
    }
  })
})

describe('isLinkableBotName', () => {
  it('accepts the names DLG_BOTS allows, but dot segments and a .json ending', () => {
    for (const name of ['demo_bot', 'a', 'A.b-c_9', '...', 'x.jsonx', 'json', '.json.x', 'b'.repeat(64)])
      expect(isLinkableBotName(name), name).toBe(true)
    for (const name of ['.', '..', 'x.json', '.json', '', 'b'.repeat(65), 'a:b', 7, undefined])
      expect(isLinkableBotName(name), String(name)).toBe(false)
  })
})
