import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  BOT_CONVERSATION_PATH,
  CONVERSATION_PATH,
  createLinkSigner,
  DAY_PATH,
  LINK_KINDS,
  ONLINE_HELP_PATH,
  RECORDING_PATH,
  recordingAudioPath,
  stringToSign,
  type LinkCheck,
  type LinkQuery,
} from '../../src/links/link-signer.js'

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0)
const TTL_MS = 1_800_000
const EXPIRES = NOW + TTL_MS
const SECRET = 'link-secret-for-tests-0001'
const signer = createLinkSigner({ secret: SECRET, ttlSeconds: 1800 })
const other = createLinkSigner({ secret: 'another-link-secret-0002', ttlSeconds: 1800 })

/** A minted link as a router sees it: the path segment after the kind's path, and the query. */
interface Parts {
  readonly path: string
  readonly segment: string | undefined
  readonly query: Record<string, string>
}

function partsOf(link: string, path: string): Parts {
  const url = new URL(link, 'http://x')
  const rest = url.pathname.slice(path.length)
  expect(url.pathname.startsWith(path)).toBe(true)
  return {
    path: url.pathname,
    segment: rest === '' ? undefined : decodeURIComponent(rest.slice(1)),
    query: Object.fromEntries(url.searchParams),
  }
}

const dayParams = {
  party: { kind: 'staff', id: '45186' },
  other: { kind: 'group', id: 2128893729 },
  startDate: 1610841600000,
  endDate: 1610927999999,
} as const
const day = partsOf(signer.mintDay(dayParams, NOW), DAY_PATH)

const onlineHelpId = '-7320316471234567890'
const help = partsOf(signer.mintOnlineHelp({ onlineHelpId }, NOW), ONLINE_HELP_PATH)

const callId = '3387307531615898478'
const recording = partsOf(signer.mintRecording({ callId }, NOW), RECORDING_PATH)

const botParams = { botName: 'demo_bot', recipient: { kind: 'customer', id: '70021' } } as const
const bot = partsOf(signer.mintBot(botParams, NOW), BOT_CONVERSATION_PATH)

/** Flips the last character of a signature to another one of its alphabet. */
function flipped(signature: string | undefined): string {
  const text = signature ?? ''
  return `${text.slice(0, -1)}${text.endsWith('a') ? 'b' : 'a'}`
}

function hmac(text: string, encoding: 'base64url' | 'hex', secret = SECRET): string {
  return createHmac('sha256', secret).update(text).digest(encoding)
}

const INVALID = { status: 'invalid' }

describe('link kinds', () => {
  it('have distinct tags, and each kind its own path', () => {
    const kinds = Object.values(LINK_KINDS)
    expect(new Set(kinds.map((kind) => kind.tag)).size).toBe(kinds.length)
    expect(kinds.map((kind) => kind.path)).toEqual([
      CONVERSATION_PATH,
      DAY_PATH,
      ONLINE_HELP_PATH,
      RECORDING_PATH,
      BOT_CONVERSATION_PATH,
    ])
  })

  it('sign their tag, their fields one a line and the expiry (known answers)', () => {
    const canonical = {
      day: `diyalog-mock day link v1\nstaff:45186\ngroup:2128893729\n1610841600000\n1610927999999\n${EXPIRES}`,
      onlineHelp: `diyalog-mock online-help link v1\n-7320316471234567890\n${EXPIRES}`,
      recording: `diyalog-mock recording link v1\n3387307531615898478\n${EXPIRES}`,
      bot: `diyalog-mock bot conversation link v1\ndemo_bot\ncustomer:70021\n${EXPIRES}`,
    }
    expect(stringToSign(LINK_KINDS.day, dayParams, EXPIRES)).toBe(canonical.day)
    expect(stringToSign(LINK_KINDS.onlineHelp, { onlineHelpId }, EXPIRES)).toBe(canonical.onlineHelp)
    expect(stringToSign(LINK_KINDS.recording, { callId }, EXPIRES)).toBe(canonical.recording)
    expect(stringToSign(LINK_KINDS.bot, botParams, EXPIRES)).toBe(canonical.bot)
    // The signatures, from an HMAC over the literal strings above.
    expect(day.query['sig']).toBe(hmac(canonical.day, 'base64url'))
    expect(help.query['sig']).toBe(hmac(canonical.onlineHelp, 'base64url'))
    expect(recording.query['signature']).toBe(hmac(canonical.recording, 'hex'))
    expect(bot.query['sig']).toBe(hmac(canonical.bot, 'base64url'))
  })

  it('keep the conversation link’s string-to-sign', () => {
    const params = {
      staffId: '45188',
      customerId: '5667067',
      startDate: 1610856400000,
      endDate: 1635892494000,
    }
    const text = `diyalog-mock conversation link v1\n45188\n5667067\n1610856400000\n1635892494000\n${EXPIRES}`
    expect(stringToSign(LINK_KINDS.conversation, params, EXPIRES)).toBe(text)
    expect(partsOf(signer.mint(params, NOW), CONVERSATION_PATH).query['sig']).toBe(hmac(text, 'base64url'))
  })
})

describe('day links', () => {
  const link = { ...dayParams, expiresAt: EXPIRES }

  it('carry both ends, the window and the expiry in a readable query string', () => {
    expect(signer.mintDay(dayParams, NOW)).toBe(
      `${DAY_PATH}?party=staff%3A45186&other=group%3A2128893729&startDate=1610841600000` +
        `&endDate=1610927999999&expiresAt=${EXPIRES}&sig=${day.query['sig']}`,
    )
    expect(day.query['sig']).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('verify as valid until one millisecond before the expiry, then expired', () => {
    expect(signer.verifyDay(day.query, NOW)).toEqual({ status: 'valid', link })
    expect(signer.verifyDay(day.query, EXPIRES - 1)).toEqual({ status: 'valid', link })
    expect(signer.verifyDay(day.query, EXPIRES)).toEqual({ status: 'expired', link })
  })

  it('name a person at the other end too, and a customer as the party', () => {
    const params = {
      party: { kind: 'customer', id: '2337368' },
      other: { kind: 'staff', id: '45186' },
      startDate: 0,
      endDate: 86_399_999,
    } as const
    const minted = partsOf(signer.mintDay(params, NOW), DAY_PATH)
    expect(minted.query).toMatchObject({ party: 'customer:2337368', other: 'staff:45186' })
    expect(signer.verifyDay(minted.query, NOW)).toEqual({
      status: 'valid',
      link: { ...params, expiresAt: EXPIRES },
    })
  })

  it.each([
    ['party', 'staff:45187'],
    ['party', 'customer:45186'],
    ['other', 'group:2128893728'],
    ['other', 'customer:2128893729'],
    ['other', 'staff:2128893729'],
    ['startDate', '1610841600001'],
    ['endDate', '1610927999998'],
    ['expiresAt', String(EXPIRES + 86_400_000)],
    ['sig', flipped(day.query['sig'])],
  ])('are invalid when %s becomes %s', (field, value) => {
    expect(signer.verifyDay({ ...day.query, [field]: value }, NOW)).toEqual(INVALID)
  })

  it('are invalid when party and other change places', () => {
    const swapped = partsOf(
      signer.mintDay(
        { ...dayParams, party: { kind: 'staff', id: '45186' }, other: { kind: 'customer', id: '7' } },
        NOW,
      ),
      DAY_PATH,
    )
    const query = { ...swapped.query, party: swapped.query['other']!, other: swapped.query['party']! }
    expect(signer.verifyDay(query, NOW)).toEqual(INVALID)
  })

  it('never open as a conversation link, nor a conversation link as a day link', () => {
    const person = partsOf(
      signer.mintDay({ ...dayParams, other: { kind: 'customer', id: '2337368' } }, NOW),
      DAY_PATH,
    )
    const asConversation = {
      staffId: '45186',
      customerId: '2337368',
      startDate: person.query['startDate'],
      endDate: person.query['endDate'],
      expiresAt: person.query['expiresAt'],
      sig: person.query['sig'],
    }
    expect(signer.verify(asConversation, NOW)).toEqual(INVALID)

    // The same two people, window and expiry: only the kind differs.
    const conversation = partsOf(
      signer.mint(
        {
          staffId: '45186',
          customerId: '2337368',
          startDate: dayParams.startDate,
          endDate: dayParams.endDate,
        },
        NOW,
      ),
      CONVERSATION_PATH,
    )
    expect(signer.verify(conversation.query, NOW).status).toBe('valid')
    expect(signer.verifyDay({ ...person.query, sig: conversation.query['sig'] }, NOW)).toEqual(INVALID)
  })

  it('never open as an online-help link', () => {
    const sig = day.query['sig']
    expect(signer.verifyOnlineHelp('1', { expiresAt: day.query['expiresAt'], sig }, NOW)).toEqual(INVALID)
  })

  it('are invalid under another secret, even after the expiry', () => {
    expect(other.verifyDay(day.query, NOW)).toEqual(INVALID)
    expect(other.verifyDay(day.query, EXPIRES + 1)).toEqual(INVALID)
  })
})

describe('online-help links', () => {
  const link = { onlineHelpId, expiresAt: EXPIRES }

  it('name the session in the path', () => {
    expect(signer.mintOnlineHelp({ onlineHelpId }, NOW)).toBe(
      `${ONLINE_HELP_PATH}/-7320316471234567890?expiresAt=${EXPIRES}&sig=${help.query['sig']}`,
    )
    expect(help.segment).toBe(onlineHelpId)
  })

  it('verify as valid until one millisecond before the expiry, then expired', () => {
    expect(signer.verifyOnlineHelp(help.segment, help.query, NOW)).toEqual({ status: 'valid', link })
    expect(signer.verifyOnlineHelp(help.segment, help.query, EXPIRES - 1)).toEqual({ status: 'valid', link })
    expect(signer.verifyOnlineHelp(help.segment, help.query, EXPIRES)).toEqual({ status: 'expired', link })
  })

  it.each([
    ['the id', '-7320316471234567891', help.query],
    ['the id’s sign', '7320316471234567890', help.query],
    ['the expiry', onlineHelpId, { ...help.query, expiresAt: String(EXPIRES + 1) }],
    ['the signature', onlineHelpId, { ...help.query, sig: flipped(help.query['sig']) }],
  ])('are invalid when %s is changed', (_label, id, query) => {
    expect(signer.verifyOnlineHelp(id, query, NOW)).toEqual(INVALID)
  })

  it('accept the whole range of a long, and nothing beyond it', () => {
    for (const id of ['0', '1', '-1', '9223372036854775807', '-9223372036854775808']) {
      const minted = partsOf(signer.mintOnlineHelp({ onlineHelpId: id }, NOW), ONLINE_HELP_PATH)
      expect(signer.verifyOnlineHelp(minted.segment, minted.query, NOW).status).toBe('valid')
    }
    for (const id of ['9223372036854775808', '-9223372036854775809', '10000000000000000000']) {
      const minted = partsOf(signer.mintOnlineHelp({ onlineHelpId: id }, NOW), ONLINE_HELP_PATH)
      expect(signer.verifyOnlineHelp(minted.segment, minted.query, NOW)).toEqual(INVALID)
    }
  })

  it('never open as a recording, nor a recording as an online-help link (the tag is signed)', () => {
    // Same id, same expiry: only the tag tells the two strings apart.
    const asHex = Buffer.from(help.query['sig']!, 'base64url').toString('hex')
    expect(signer.verifyRecording(onlineHelpId, { signature: asHex, expires: String(EXPIRES) }, NOW)).toEqual(
      INVALID,
    )
    const rec = partsOf(signer.mintRecording({ callId: onlineHelpId }, NOW), RECORDING_PATH)
    expect(signer.verifyRecording(rec.segment, rec.query, NOW).status).toBe('valid')
    const asBase64url = Buffer.from(rec.query['signature']!, 'hex').toString('base64url')
    expect(
      signer.verifyOnlineHelp(onlineHelpId, { expiresAt: String(EXPIRES), sig: asBase64url }, NOW),
    ).toEqual(INVALID)
  })

  it('are invalid under another secret, even after the expiry', () => {
    expect(other.verifyOnlineHelp(help.segment, help.query, NOW)).toEqual(INVALID)
    expect(other.verifyOnlineHelp(help.segment, help.query, EXPIRES + 1)).toEqual(INVALID)
  })
})

describe('recording links', () => {
  const link = { callId, expiresAt: EXPIRES }

  it('keep the real server’s shape: signature in hex first, then expires', () => {
    const minted = signer.mintRecording({ callId }, NOW)
    expect(minted).toMatch(
      new RegExp(`^/v1/playrecords/${callId}\\?signature=[0-9a-f]{64}&expires=${EXPIRES}$`),
    )
    expect(recording.segment).toBe(callId)
  })

  it('verify as valid until one millisecond before the expiry, then expired', () => {
    expect(signer.verifyRecording(callId, recording.query, NOW)).toEqual({ status: 'valid', link })
    expect(signer.verifyRecording(callId, recording.query, EXPIRES - 1)).toEqual({ status: 'valid', link })
    expect(signer.verifyRecording(callId, recording.query, EXPIRES)).toEqual({ status: 'expired', link })
  })

  it.each([
    ['another call', '-1527120504243668640', recording.query],
    ['the next call', '3387307531615898479', recording.query],
    ['the expiry', callId, { ...recording.query, expires: String(EXPIRES - 1) }],
    ['the signature', callId, { ...recording.query, signature: flipped(recording.query['signature']) }],
    [
      'the signature in upper case',
      callId,
      { ...recording.query, signature: recording.query['signature']!.toUpperCase() },
    ],
    ['the conversation names', callId, { expiresAt: String(EXPIRES), sig: recording.query['signature']! }],
  ])('are invalid with %s', (_label, id, query) => {
    expect(signer.verifyRecording(id, query, NOW)).toEqual(INVALID)
  })

  it('open their audio with the same signature', () => {
    const audio = recordingAudioPath(callId, recording.query)
    expect(audio).toBe(
      `/v1/playrecords/${callId}/audio.wav?signature=${recording.query['signature']}&expires=${EXPIRES}`,
    )
    const url = new URL(audio, 'http://x')
    const id = url.pathname.split('/')[3]
    expect(signer.verifyRecording(id, Object.fromEntries(url.searchParams), NOW)).toEqual({
      status: 'valid',
      link,
    })
  })

  it('leave out of the audio link what was not a single value', () => {
    expect(recordingAudioPath(callId, { signature: ['a', 'b'], expires: '1' })).toBe(
      `/v1/playrecords/${callId}/audio.wav?expires=1`,
    )
  })

  it('are invalid under another secret, even after the expiry', () => {
    expect(other.verifyRecording(callId, recording.query, NOW)).toEqual(INVALID)
    expect(other.verifyRecording(callId, recording.query, EXPIRES + 1)).toEqual(INVALID)
  })
})

/** Every kind's verify, over a segment and a query. */
const verifiers: ReadonlyArray<
  readonly [string, Parts, (segment: unknown, query: LinkQuery) => LinkCheck<unknown>, string, string]
> = [
  ['day', day, (_segment, query) => signer.verifyDay(query, NOW), 'expiresAt', 'sig'],
  ['online help', help, (segment, query) => signer.verifyOnlineHelp(segment, query, NOW), 'expiresAt', 'sig'],
  [
    'recording',
    recording,
    (segment, query) => signer.verifyRecording(segment, query, NOW),
    'expires',
    'signature',
  ],
  ['bot', bot, (segment, query) => signer.verifyBot(segment, query, NOW), 'expiresAt', 'sig'],
]

describe.each(verifiers)('%s links, malformed', (_kind, parts, verify, expiresParam, signatureParam) => {
  const noncanonical = ['01', '+1', '1e3', '1.0', '-0', ' 1', '1 ', '0x10', '', '١٢']

  it('are valid as minted (the baseline of the cases below)', () => {
    expect(verify(parts.segment, parts.query).status).toBe('valid')
  })

  it('are invalid, without throwing, when any parameter is repeated', () => {
    for (const [name, value] of Object.entries(parts.query)) {
      expect(verify(parts.segment, { ...parts.query, [name]: [value, value] })).toEqual(INVALID)
      expect(verify(parts.segment, { ...parts.query, [name]: [value] })).toEqual(INVALID)
    }
  })

  it('are invalid when any parameter is missing', () => {
    for (const name of Object.keys(parts.query)) {
      const { [name]: _dropped, ...rest } = parts.query
      expect(verify(parts.segment, rest)).toEqual(INVALID)
    }
  })

  it.each(noncanonical)('are invalid with the expiry written %j', (text) => {
    expect(verify(parts.segment, { ...parts.query, [expiresParam]: text })).toEqual(INVALID)
  })

  it('are invalid with an expiry beyond what a Date holds, or past 16 digits', () => {
    for (const text of ['8640000000000001', '99999999999999999', '1'.repeat(1000)]) {
      expect(verify(parts.segment, { ...parts.query, [expiresParam]: text })).toEqual(INVALID)
    }
  })

  it('are invalid with a signature of the wrong length or alphabet', () => {
    const signature = parts.query[signatureParam]!
    for (const text of [signature.slice(1), `${signature}a`, `${signature}=`, `${signature.slice(1)}+`, '']) {
      expect(verify(parts.segment, { ...parts.query, [signatureParam]: text })).toEqual(INVALID)
    }
  })

  it('are invalid, without throwing, with values of any type', () => {
    for (const value of [undefined, null, 1, 1n, true, {}, [], { toString: () => '1' }]) {
      for (const name of Object.keys(parts.query)) {
        expect(verify(parts.segment, { ...parts.query, [name]: value })).toEqual(INVALID)
      }
    }
  })

  it('ignore parameters outside the signed set', () => {
    expect(verify(parts.segment, { ...parts.query, page: '2' }).status).toBe('valid')
  })
})

describe('day links, malformed fields', () => {
  it.each([
    ['party', 'group:2128893729'],
    ['party', '45186'],
    ['party', 'staff:'],
    ['party', `staff:${'1'.repeat(65)}`],
    ['party', 'staff:45186\ngroup:1'],
    ['other', 'group:0'],
    ['other', 'group:02128893729'],
    ['other', 'group:+2128893729'],
    ['other', 'group:2147483648'],
    ['other', 'group:2.128893729e9'],
    ['other', 'team:1'],
    ['startDate', '01610841600000'],
    ['startDate', '+1610841600000'],
    ['startDate', '1.6108416e12'],
    ['endDate', '-0'],
    ['endDate', '9000000000000000'],
  ])('are invalid with %s = %j', (field, value) => {
    expect(signer.verifyDay({ ...day.query, [field]: value }, NOW)).toEqual(INVALID)
  })
})

describe.each([
  ['online help', (segment: unknown) => signer.verifyOnlineHelp(segment, help.query, NOW), onlineHelpId],
  ['recording', (segment: unknown) => signer.verifyRecording(segment, recording.query, NOW), callId],
] as const)('%s links, malformed ids', (_kind, verify, id) => {
  it.each([
    `0${id}`,
    `+${id}`,
    `${id}.0`,
    `${id} `,
    `${id}\n`,
    '1e3',
    '-0',
    '00',
    '9223372036854775808',
    '-9223372036854775809',
    '1'.repeat(20),
    '1'.repeat(10_000),
    '',
  ])('are invalid with the id %j', (segment) => {
    expect(verify(segment)).toEqual(INVALID)
  })

  it('are invalid, without throwing, with an id that is not text', () => {
    for (const segment of [undefined, null, Number(id), BigInt(id), [id], {}]) {
      expect(verify(segment)).toEqual(INVALID)
    }
  })
})
