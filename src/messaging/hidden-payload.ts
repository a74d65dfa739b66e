import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * `payloadHidden` (docs/contract.md D45): the docs say a hidden payload comes back "signed on
 * the user's device with your company's key" and give no algorithm. The mock signs it as
 * lower-case hex HMAC-SHA256 of the payload's UTF-8 bytes with the bot's payload key, so a
 * client can check it (`diyalog-mock webhook verify-payload`).
 */

export function signHiddenPayload(payload: string, key: string): string {
  return createHmac('sha256', key).update(payload, 'utf8').digest('hex')
}

/** Whether `signed` is the hidden form of `payload` under `key`, compared in constant time. */
export function verifyHiddenPayload(payload: string, signed: string, key: string): boolean {
  const expected = Buffer.from(signHiddenPayload(payload, key), 'latin1')
  const received = Buffer.from(signed.trim().toLowerCase(), 'latin1')
  return expected.length === received.length && timingSafeEqual(expected, received)
}

/** The text of a pressed button's `Messages` event: `[<messageId>]:<payload>`. */
export function pressedText(messageId: string, payload: string): string {
  return `[${messageId}]:${payload}`
}
