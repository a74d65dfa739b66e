import { createSecretKey, type KeyObject } from 'node:crypto'

/** One AccessKeyId with one AccessKeySecret. A key id listed twice has two valid secrets (rotation). */
export interface AccessKey {
  readonly keyId: string
  readonly secret: string
}

/**
 * The embedded demo pair, the one in `signature-vectors.json` and the README. Public, so it
 * is only for local testing; the server warns when it is in use.
 */
export const DEMO_ACCESS_KEY: AccessKey = {
  keyId: '1234567-8ABC-DEF0-5432-56712ABCDEF5',
  secret: 'dlg-demo-secret-change-me',
}

/** Key material prepared once at start-up, looked up per request. */
export interface Keyring {
  /** Secrets of a key id, newest first as configured; undefined for an unknown key id. */
  secretsFor(keyId: string): readonly KeyObject[] | undefined
  /** Secrets no longer accepted, kept only to tell a client it signed with one. */
  retiredSecretsFor(keyId: string): readonly KeyObject[]
  readonly keyIds: readonly string[]
}

function byKeyId(keys: readonly AccessKey[]): Map<string, KeyObject[]> {
  const byId = new Map<string, KeyObject[]>()
  for (const { keyId, secret } of keys) {
    const secrets = byId.get(keyId) ?? []
    secrets.push(createSecretKey(Buffer.from(secret, 'utf8')))
    byId.set(keyId, secrets)
  }
  return byId
}

export function createKeyring(keys: readonly AccessKey[], retired: readonly AccessKey[] = []): Keyring {
  const active = byKeyId(keys)
  const retiredById = byKeyId(retired)
  return {
    secretsFor: (keyId) => active.get(keyId),
    retiredSecretsFor: (keyId) => retiredById.get(keyId) ?? [],
    keyIds: [...active.keys()],
  }
}

/** A key id: what may stand between `DLGA ` and `:` in the authorization header. */
const KEY_ID = /^[^\s:,]+$/

export type AccessKeysParse =
  | { readonly ok: true; readonly keys: readonly AccessKey[] }
  | { readonly ok: false; readonly problem: string }

/**
 * Parses `keyId:secret,keyId2:secret2`. The secret is everything after the first `:` (it may
 * contain `:`, not `,`). Repeating a key id adds a secret to it. Problems never quote a secret.
 */
export function parseAccessKeys(spec: string): AccessKeysParse {
  const keys: AccessKey[] = []
  const entries = spec.split(',')
  for (const [index, raw] of entries.entries()) {
    const entry = raw.trim()
    const colon = entry.indexOf(':')
    const keyId = colon < 0 ? '' : entry.slice(0, colon)
    const secret = colon < 0 ? '' : entry.slice(colon + 1)
    if (colon < 0 || !KEY_ID.test(keyId) || secret.length === 0) {
      return {
        ok: false,
        problem: `entry ${index + 1} of ${entries.length} is not of the form keyId:secret (key id without spaces, colons or commas, non-empty secret)`,
      }
    }
    keys.push({ keyId, secret })
  }
  return { ok: true, keys }
}
