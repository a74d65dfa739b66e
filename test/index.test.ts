import { describe, expect, it } from 'vitest'
import * as library from '../src/index.js'
import { vectors } from './helpers/vectors.js'

describe('the library entry point (import from "diyalog-mock")', () => {
  it('signs every shared vector with the exported sign()', () => {
    for (const vector of vectors.cases) {
      const result = library.sign(vector, { keyId: vectors.accessKeyId, secret: vectors.accessKeySecret })
      expect(result).toEqual({
        signature: vector.signature,
        authorization: vector.authorization,
        stringToSign: vector.stringToSign,
      })
    }
  })

  it('exports what a client needs to build and read the parts of a signed request', () => {
    expect(Object.keys(library).sort()).toEqual([
      'AUTH_ERRORS',
      'DEMO_ACCESS_KEY',
      'DLG_DATE_PATTERN',
      'computeSignature',
      'formatDlgDate',
      'parseDlgDate',
      'sign',
      'stringToSign',
    ])
    expect(library.formatDlgDate(Date.UTC(2021, 2, 9, 13, 28, 32))).toBe('Tue, 09 Mar 2021 13:28:32 GMT')
  })
})
