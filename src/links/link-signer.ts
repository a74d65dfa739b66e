import { createHmac, createSecretKey, type KeyObject } from 'node:crypto'
import { sameSignature } from '../auth/constant-time.js'
import { isDateRange } from '../clock.js'
import { PARTY_ID_PATTERN } from '../schemas.js'

/**
 * Signed, expiring conversation links (docs/contract.md §5), modelled on shared access signatures:
 * the parameters travel as a readable query string, the expiry is inside the signed string,
 * and a link is either valid, invalid (tampered, wrong secret, malformed) or expired —
 * expired only when the signature is good, so a forged link never learns more than "invalid".
 *
 * `/views/messaging?staffId=45188&customerId=5667067&startDate=1610856400000
 *    &endDate=1635892494000&expiresAt=1700000000000&sig=…` (the caller puts the public base URL in front).
 */

export const CONVERSATION_PATH = '/views/messaging'

export interface ConversationLinkParams {
  readonly staffId: string
  readonly customerId: string
  /** Window start, epoch milliseconds, inclusive. */
  readonly startDate: number
  /** Window end, epoch milliseconds, inclusive. */
  readonly endDate: number
}

export interface SignedConversationLink extends ConversationLinkParams {
  /** Epoch milliseconds from which the link no longer opens. */
  readonly expiresAt: number
}

export type LinkVerification =
  | { readonly status: 'valid'; readonly link: SignedConversationLink }
  | { readonly status: 'invalid' }
  | { readonly status: 'expired'; readonly link: SignedConversationLink }

export interface LinkSignerOptions {
  /** The link-signing secret; never one of the API's access key secrets. */
  readonly secret: string
  readonly ttlSeconds: number
}

export interface LinkSigner {
  /** Path and query of a link to the conversation that opens until `nowMs + ttl`. */
  mint(params: ConversationLinkParams, nowMs: number): string
  /** Checks the query string of a link against the signature and the clock. */
  verify(query: Readonly<Record<string, unknown>>, nowMs: number): LinkVerification
}

const ID = new RegExp(PARTY_ID_PATTERN)
const INTEGER = /^-?(0|[1-9][0-9]{0,15})$/
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/

/** What a link signs, one field a line (a template: it runs on every getmessagingdetail). */
function canonical(link: SignedConversationLink): string {
  return `diyalog-mock conversation link v1\n${link.staffId}\n${link.customerId}\n${link.startDate}\n${link.endDate}\n${link.expiresAt}`
}

function signatureOf(key: KeyObject, link: SignedConversationLink): string {
  return createHmac('sha256', key).update(canonical(link)).digest('base64url')
}

/** Reads the signed fields strictly: exactly one value each, ids and integers in canonical form. */
function parseQuery(
  query: Readonly<Record<string, unknown>>,
): { link: SignedConversationLink; sig: string } | undefined {
  const { staffId, customerId, startDate, endDate, expiresAt, sig } = query
  if (
    typeof staffId !== 'string' ||
    typeof customerId !== 'string' ||
    typeof startDate !== 'string' ||
    typeof endDate !== 'string' ||
    typeof expiresAt !== 'string' ||
    typeof sig !== 'string' ||
    !ID.test(staffId) ||
    !ID.test(customerId) ||
    !INTEGER.test(startDate) ||
    !INTEGER.test(endDate) ||
    !INTEGER.test(expiresAt) ||
    !SIGNATURE.test(sig)
  ) {
    return undefined
  }
  const link = {
    staffId,
    customerId,
    startDate: Number(startDate),
    endDate: Number(endDate),
    expiresAt: Number(expiresAt),
  }
  // Beyond what a Date can hold no link was ever minted (the API's schema stops it).
  if (![link.startDate, link.endDate, link.expiresAt].every(isDateRange)) {
    return undefined
  }
  return { link, sig }
}

export function createLinkSigner(options: LinkSignerOptions): LinkSigner {
  const key = createSecretKey(Buffer.from(options.secret, 'utf8'))

  return {
    mint(params, nowMs) {
      const link: SignedConversationLink = {
        staffId: params.staffId,
        customerId: params.customerId,
        startDate: params.startDate,
        endDate: params.endDate,
        expiresAt: nowMs + options.ttlSeconds * 1000,
      }
      // Built by hand (it runs on every getmessagingdetail): the same string URLSearchParams makes.
      return (
        `${CONVERSATION_PATH}?staffId=${encodeURIComponent(link.staffId)}` +
        `&customerId=${encodeURIComponent(link.customerId)}&startDate=${link.startDate}` +
        `&endDate=${link.endDate}&expiresAt=${link.expiresAt}&sig=${signatureOf(key, link)}`
      )
    },

    verify(query, nowMs) {
      const parsed = parseQuery(query)
      if (parsed === undefined) return { status: 'invalid' }
      if (!sameSignature(parsed.sig, signatureOf(key, parsed.link))) return { status: 'invalid' }
      return nowMs >= parsed.link.expiresAt
        ? { status: 'expired', link: parsed.link }
        : { status: 'valid', link: parsed.link }
    },
  }
}
