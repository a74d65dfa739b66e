import { timingSafeEqual } from 'node:crypto'

/**
 * Compares a signature as received with the expected one in time that does not depend on
 * where they differ. Lengths may differ (and then leak, which is harmless: the length of a
 * valid signature is public).
 */
export function sameSignature(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'latin1')
  const b = Buffer.from(expected, 'latin1')
  return a.length === b.length && timingSafeEqual(a, b)
}
