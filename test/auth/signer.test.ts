import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { sign } from '../../src/auth/signer.js'
import { vectors } from '../helpers/vectors.js'

/** HMAC-SHA256 by OpenSSL in a child process: an implementation that shares no code with ours. */
function opensslSignature(secret: string, stringToSign: string): string {
  return execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret, '-binary'], {
    input: Buffer.from(stringToSign, 'utf8'),
  }).toString('base64')
}

describe('sign', () => {
  it.each(vectors.cases)('gives the vector signature and authorization header: $name', (vector) => {
    const result = sign(vector, { keyId: vectors.accessKeyId, secret: vectors.accessKeySecret })
    expect(result).toEqual({
      signature: vector.signature,
      authorization: vector.authorization,
      stringToSign: vector.stringToSign,
    })
  })

  it('defaults the method to POST', () => {
    const [vector] = vectors.cases
    const { method: _method, ...withoutMethod } = vector!
    expect(sign(withoutMethod, DEMO_ACCESS_KEY).signature).toBe(vector!.signature)
  })

  it.each(vectors.cases)('agrees with openssl: $name', (vector) => {
    const { stringToSign, signature } = sign(vector, DEMO_ACCESS_KEY)
    expect(opensslSignature(DEMO_ACCESS_KEY.secret, stringToSign)).toBe(signature)
  })

  it('uses the demo pair of the vectors file', () => {
    expect(DEMO_ACCESS_KEY).toEqual({ keyId: vectors.accessKeyId, secret: vectors.accessKeySecret })
  })
})
