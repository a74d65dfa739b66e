import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  BOT_CONVERSATION_PATH,
  CONVERSATION_PATH,
  createLinkSigner,
  DAY_PATH,
  ONLINE_HELP_PATH,
  RECORDING_PATH,
} from '../../src/links/link-signer.js'
import { MAX_EPOCH_MS } from '../../src/schemas.js'

const TTL_SECONDS = 1800
const signer = createLinkSigner({ secret: 'property-link-secret-0003', ttlSeconds: TTL_SECONDS })

const partyId = fc.stringMatching(/^[0-9A-Za-z._-]{1,64}$/)
const person = fc.record({ kind: fc.constantFrom('staff' as const, 'customer' as const), id: partyId })
const group = fc.record({
  kind: fc.constant('group' as const),
  id: fc.integer({ min: 1, max: 2_147_483_647 }),
})
const time = fc.integer({ min: -MAX_EPOCH_MS, max: MAX_EPOCH_MS })
/** A now from which `now + ttl` is still a time a Date holds. */
const now = fc.integer({ min: -MAX_EPOCH_MS, max: MAX_EPOCH_MS - TTL_SECONDS * 1000 })
/** A bot name that has a link: not `.`, `..`, nor ending in `.json` (`isLinkableBotName`). */
const botName = fc
  .stringMatching(/^[A-Za-z0-9._-]{1,64}$/)
  .filter((name) => name !== '.' && name !== '..' && !name.endsWith('.json'))
const long = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String)

function parts(link: string, path: string): { segment: string | undefined; query: Record<string, string> } {
  const url = new URL(link, 'http://x')
  const rest = url.pathname.slice(path.length)
  return {
    segment: rest === '' ? undefined : decodeURIComponent(rest.slice(1)),
    query: Object.fromEntries(url.searchParams),
  }
}

describe('mint → verify round-trips for any valid parameters', () => {
  it('conversation links', () => {
    fc.assert(
      fc.property(partyId, partyId, time, time, now, (staffId, customerId, startDate, endDate, at) => {
        const params = { staffId, customerId, startDate, endDate }
        const { query } = parts(signer.mint(params, at), CONVERSATION_PATH)
        const link = { ...params, expiresAt: at + TTL_SECONDS * 1000 }
        expect(signer.verify(query, at)).toEqual({ status: 'valid', link })
        expect(signer.verify(query, link.expiresAt)).toEqual({ status: 'expired', link })
      }),
    )
  })

  it('day links', () => {
    fc.assert(
      fc.property(
        person,
        fc.oneof(person, group),
        time,
        time,
        now,
        (party, other, startDate, endDate, at) => {
          const params = { party, other, startDate, endDate }
          const { query } = parts(signer.mintDay(params, at), DAY_PATH)
          const link = { ...params, expiresAt: at + TTL_SECONDS * 1000 }
          expect(signer.verifyDay(query, at)).toEqual({ status: 'valid', link })
          expect(signer.verifyDay(query, link.expiresAt)).toEqual({ status: 'expired', link })
        },
      ),
    )
  })

  it('online-help links', () => {
    fc.assert(
      fc.property(long, now, (onlineHelpId, at) => {
        const { segment, query } = parts(signer.mintOnlineHelp({ onlineHelpId }, at), ONLINE_HELP_PATH)
        expect(segment).toBe(onlineHelpId)
        expect(signer.verifyOnlineHelp(segment, query, at)).toEqual({
          status: 'valid',
          link: { onlineHelpId, expiresAt: at + TTL_SECONDS * 1000 },
        })
      }),
    )
  })

  it('recording links', () => {
    fc.assert(
      fc.property(long, now, (callId, at) => {
        const { segment, query } = parts(signer.mintRecording({ callId }, at), RECORDING_PATH)
        expect(segment).toBe(callId)
        expect(signer.verifyRecording(segment, query, at)).toEqual({
          status: 'valid',
          link: { callId, expiresAt: at + TTL_SECONDS * 1000 },
        })
      }),
    )
  })
})

describe('bot links round-trip', () => {
  it('for any linkable bot name and user', () => {
    fc.assert(
      fc.property(botName, person, now, (name, recipient, at) => {
        const params = { botName: name, recipient }
        const { segment, query } = parts(signer.mintBot(params, at), BOT_CONVERSATION_PATH)
        expect(segment).toBe(name)
        const link = { ...params, expiresAt: at + TTL_SECONDS * 1000 }
        expect(signer.verifyBot(segment, query, at)).toEqual({ status: 'valid', link })
        expect(signer.verifyBot(segment, query, link.expiresAt)).toEqual({ status: 'expired', link })
      }),
    )
  })
})

describe('verification of arbitrary input', () => {
  const value = fc.oneof(fc.string(), fc.array(fc.string()), fc.anything())
  const query = fc.dictionary(
    fc.oneof(
      fc.constantFrom('staffId', 'customerId', 'party', 'other', 'startDate', 'endDate', 'with'),
      fc.constantFrom('expiresAt', 'sig', 'expires', 'signature'),
      fc.string(),
    ),
    value,
  )

  it('never throws and never answers valid', () => {
    fc.assert(
      fc.property(value, query, time, (segment, q, at) => {
        expect(signer.verify(q, at).status).toBe('invalid')
        expect(signer.verifyDay(q, at).status).toBe('invalid')
        expect(signer.verifyOnlineHelp(segment, q, at).status).toBe('invalid')
        expect(signer.verifyRecording(segment, q, at).status).toBe('invalid')
        expect(signer.verifyBot(segment, q, at).status).toBe('invalid')
      }),
    )
  })
})
