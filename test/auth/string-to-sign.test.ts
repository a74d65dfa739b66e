import { describe, expect, it } from 'vitest'
import { computeSignature, stringToSign } from '../../src/auth/string-to-sign.js'
import { vectorCase, vectors } from '../helpers/vectors.js'

describe('string-to-sign', () => {
  it.each(vectors.cases)('builds the documented string and signature: $name', (vector) => {
    expect(stringToSign(vector).toString('utf8')).toBe(vector.stringToSign)
    expect(computeSignature(vectors.accessKeySecret, vector)).toBe(vector.signature)
  })

  it('signs body bytes as given, whether the body is a string or a Buffer', () => {
    const vector = vectorCase(4) // non-ASCII body
    const asBytes = { ...vector, body: Buffer.from(vector.body, 'utf8') }
    expect(computeSignature(vectors.accessKeySecret, asBytes)).toBe(vector.signature)
    expect(stringToSign(asBytes).equals(Buffer.from(vector.stringToSign, 'utf8'))).toBe(true)
  })

  it('puts a newline before the resource only in the worked-example layout (D3)', () => {
    const vector = vectorCase(0)
    expect(stringToSign(vector, 'newline-before-resource').toString()).toBe(
      vector.stringToSign.replace('}/v1/', '}\n/v1/'),
    )
    const newlineVariant = vectors.wrongVariantsOfCase0.find((variant) =>
      variant.mistake.startsWith('newline'),
    )
    expect(computeSignature(vectors.accessKeySecret, vector, 'newline-before-resource')).toBe(
      newlineVariant?.signature,
    )
  })

  it('is not the signature of the re-serialised JSON: raw bytes are what is signed', () => {
    const vector = vectorCase(1) // pretty body with newlines
    const reserialised = { ...vector, body: JSON.stringify(JSON.parse(vector.body)) }
    expect(computeSignature(vectors.accessKeySecret, reserialised)).not.toBe(vector.signature)
  })
})
