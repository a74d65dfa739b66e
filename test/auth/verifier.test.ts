import { describe, expect, it } from 'vitest'
import { formatDlgDate } from '../../src/auth/dlg-date.js'
import { createKeyring, DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { sign } from '../../src/auth/signer.js'
import { createVerifier, type RequestToVerify, type VerifierOptions } from '../../src/auth/verifier.js'
import { vectorRequest } from '../helpers/signing.js'
import { vectorCase, vectors, type SignatureVector } from '../helpers/vectors.js'

const keyring = createKeyring([DEMO_ACCESS_KEY])
const verifier = createVerifier({ keyring, maxSkewSeconds: 900 })
const VECTOR_TIME = Date.UTC(2021, 2, 9, 13, 28, 32)

function fromVector(
  vector: SignatureVector,
  headers: Record<string, string | undefined> = {},
): RequestToVerify {
  const { method, url, payload, headers: sent } = vectorRequest(vector)
  return { method, resource: url, body: payload, headers: { ...sent, ...headers } }
}

/** A request to the documentation's endpoint signed with the demo key at `dateMs`. */
function signedAt(dateMs: number, offsetMinutes?: number): RequestToVerify {
  const vector = vectorCase(0)
  const date = formatDlgDate(dateMs, offsetMinutes)
  const { authorization } = sign({ ...vector, date }, DEMO_ACCESS_KEY)
  return fromVector(vector, { 'x-dlg-date': date, 'x-dlg-authorization': authorization })
}

function reason(request: RequestToVerify, now = VECTOR_TIME, options?: Partial<VerifierOptions>) {
  const result = (options ? createVerifier({ keyring, maxSkewSeconds: 900, ...options }) : verifier).verify(
    request,
    now,
  )
  return result.ok ? 'ok' : result.reason
}

describe('verifier: the signature vectors', () => {
  it.each(vectors.cases)('accepts $name with the clock pinned to its date', (vector) => {
    const pinned = Date.parse(vector.date)
    const result = verifier.verify(fromVector(vector), pinned)
    expect(result).toMatchObject({ ok: true, keyId: vectors.accessKeyId, requesterUserId: '45186' })
  })

  it.each(vectors.wrongVariantsOfCase0)(
    'refuses a signature made with a mistake: $mistake',
    ({ signature }) => {
      const request = fromVector(vectorCase(0), {
        'x-dlg-authorization': `DLGA ${vectors.accessKeyId}:${signature}`,
      })
      // Which mistake it was is the diagnosis's business (diagnosis.test.ts), not the verifier's.
      expect(verifier.verify(request, VECTOR_TIME)).toEqual({
        ok: false,
        reason: 'signature-mismatch',
        keyId: vectors.accessKeyId,
        knownKey: true,
      })
    },
  )

  it('refuses the vector when any signed part changes', () => {
    const vector = vectorCase(0)
    const base = fromVector(vector)
    expect(reason({ ...base, method: 'post' })).toBe('signature-mismatch')
    expect(reason({ ...base, resource: `${vector.resource}?x=1` })).toBe('signature-mismatch')
    expect(reason({ ...base, body: `${vector.body} ` })).toBe('signature-mismatch')
    expect(
      reason({ ...base, headers: { ...base.headers, 'content-type': 'application/json; charset=utf-8' } }),
    ).toBe('signature-mismatch')
    expect(
      reason({ ...base, headers: { ...base.headers, 'x-dlg-date': 'Tue, 09 Mar 2021 16:28:32 +0300' } }),
    ).toBe('signature-mismatch')
  })

  it('treats a missing Content-Type as the empty string', () => {
    const vector = { ...vectorCase(0), contentType: '' }
    const { authorization } = sign(vector, DEMO_ACCESS_KEY)
    const request = fromVector(vector, { 'content-type': undefined, 'x-dlg-authorization': authorization })
    expect(reason(request)).toBe('ok')
  })
})

describe('verifier: the error table, one row at a time', () => {
  const valid = fromVector(vectorCase(0))

  it.each(['x-dlg-date', 'x-dlg-requester-userid', 'x-dlg-authorization'])('missing %s', (header) => {
    const result = verifier.verify(
      { ...valid, headers: { ...valid.headers, [header]: undefined } },
      VECTOR_TIME,
    )
    expect(result).toEqual({ ok: false, reason: 'missing-headers', missing: [header] })
  })

  it('an empty header counts as missing, and all missing ones are listed', () => {
    const result = verifier.verify(
      { ...valid, headers: { 'x-dlg-date': '', 'x-dlg-requester-userid': '' } },
      VECTOR_TIME,
    )
    expect(result).toEqual({
      ok: false,
      reason: 'missing-headers',
      missing: ['x-dlg-date', 'x-dlg-requester-userid', 'x-dlg-authorization'],
    })
  })

  it.each([
    ['Bearer abc', 'does not start with "DLGA "'],
    ['dlga 1234:abc', 'does not start with "DLGA "'],
    ['DLGA1234:abc', 'does not start with "DLGA "'],
    ['DLGA 1234567-8ABC-DEF0-5432-56712ABCDEF5', 'no ":" between AccessKeyId and signature'],
    ['DLGA :abc', 'empty AccessKeyId'],
    ['DLGA 1234:', 'empty signature'],
  ])('malformed authorization %j', (authorization, problem) => {
    const result = verifier.verify(
      { ...valid, headers: { ...valid.headers, 'x-dlg-authorization': authorization } },
      VECTOR_TIME,
    )
    expect(result).toEqual({ ok: false, reason: 'malformed-authorization', problem })
  })

  it('an authorization whose key id has spaces is well-formed but unknown', () => {
    const request = { ...valid, headers: { ...valid.headers, 'x-dlg-authorization': 'DLGA a b:sig' } }
    expect(verifier.verify(request, VECTOR_TIME)).toMatchObject({
      reason: 'signature-mismatch',
      keyId: 'a b',
    })
  })

  it('malformed date, with the reason', () => {
    const request = { ...valid, headers: { ...valid.headers, 'x-dlg-date': 'Sal, 09 Mar 2021 13:28:32 GMT' } }
    expect(verifier.verify(request, VECTOR_TIME)).toMatchObject({
      ok: false,
      reason: 'malformed-date',
      keyId: vectors.accessKeyId,
      problem: expect.stringContaining('"Sal"') as string,
    })
  })

  it('clock skew, with both times and the difference', () => {
    const request = signedAt(VECTOR_TIME - 3600_000)
    expect(verifier.verify(request, VECTOR_TIME)).toEqual({
      ok: false,
      reason: 'clock-skew',
      keyId: vectors.accessKeyId,
      skewSeconds: 3600,
      serverTime: VECTOR_TIME,
      requestTime: VECTOR_TIME - 3600_000,
    })
  })

  it('bad signature and unknown key id are the same failure', () => {
    const badSignature = {
      ...valid,
      headers: { ...valid.headers, 'x-dlg-authorization': `DLGA ${vectors.accessKeyId}:AAAA` },
    }
    const unknownKey = {
      ...valid,
      headers: { ...valid.headers, 'x-dlg-authorization': `DLGA unknown-key:${vectorCase(0).signature}` },
    }
    expect(reason(badSignature)).toBe('signature-mismatch')
    expect(verifier.verify(unknownKey, VECTOR_TIME)).toEqual({
      ok: false,
      reason: 'signature-mismatch',
      keyId: 'unknown-key',
      knownKey: false,
    })
  })

  it('accepts only the canonical padded base64 form of the signature', () => {
    const signature = vectorCase(0).signature
    for (const variant of [signature.replace(/=$/, ''), ` ${signature}`, signature.replace(/\+/g, '-')]) {
      const request = {
        ...valid,
        headers: { ...valid.headers, 'x-dlg-authorization': `DLGA ${vectors.accessKeyId}:${variant}` },
      }
      expect(reason(request)).toBe('signature-mismatch')
    }
  })
})

describe('verifier: order of checks (D6)', () => {
  const everythingWrong = {
    method: 'POST',
    resource: '/v1/reporting/getmessagingdetail',
    body: '{',
    headers: {
      'x-dlg-date': 'Sal, 09 Mar 2021 13:28:32 GMT',
      'x-dlg-authorization': 'Bearer nope',
    },
  }

  it('required headers come first', () => {
    expect(reason(everythingWrong)).toBe('missing-headers')
  })

  it('then the authorization format', () => {
    expect(
      reason({ ...everythingWrong, headers: { ...everythingWrong.headers, 'x-dlg-requester-userid': '1' } }),
    ).toBe('malformed-authorization')
  })

  it('then the date format', () => {
    const headers = {
      ...everythingWrong.headers,
      'x-dlg-requester-userid': '1',
      'x-dlg-authorization': 'DLGA unknown:bad',
    }
    expect(reason({ ...everythingWrong, headers })).toBe('malformed-date')
  })

  it('then the clock skew, before the key or the signature', () => {
    const headers = {
      'x-dlg-requester-userid': '1',
      'x-dlg-authorization': 'DLGA unknown:bad',
      'x-dlg-date': 'Tue, 09 Mar 2021 10:00:00 GMT',
    }
    expect(reason({ ...everythingWrong, headers })).toBe('clock-skew')
  })

  it('and the signature last', () => {
    const headers = {
      'x-dlg-requester-userid': '1',
      'x-dlg-authorization': 'DLGA unknown:bad',
      'x-dlg-date': 'Tue, 09 Mar 2021 13:28:32 GMT',
    }
    expect(reason({ ...everythingWrong, headers })).toBe('signature-mismatch')
  })
})

describe('verifier: clock skew window', () => {
  it.each([
    ['exactly 15 minutes in the past', -900_000, 'ok'],
    ['exactly 15 minutes in the future', 900_000, 'ok'],
    ['15 minutes and 1 second in the past', -901_000, 'clock-skew'],
    ['15 minutes and 1 second in the future', 901_000, 'clock-skew'],
    ['14 minutes in the past', -840_000, 'ok'],
    ['16 minutes in the future', 960_000, 'clock-skew'],
  ])('%s', (_label, delta, expected) => {
    expect(reason(signedAt(VECTOR_TIME + delta))).toBe(expected)
  })

  it('reads the server clock to the second, as the header is: 900.999 s is still 900 s', () => {
    expect(reason(signedAt(VECTOR_TIME - 900_000), VECTOR_TIME + 999)).toBe('ok')
    expect(reason(signedAt(VECTOR_TIME - 901_000), VECTOR_TIME)).toBe('clock-skew')
    expect(reason(signedAt(VECTOR_TIME), VECTOR_TIME + 999, { maxSkewSeconds: 0 })).toBe('ok')
    expect(reason(signedAt(VECTOR_TIME), VECTOR_TIME + 1000, { maxSkewSeconds: 0 })).toBe('clock-skew')
  })

  it('reads offsets: +0300 local time at the same instant is on time', () => {
    expect(reason(signedAt(VECTOR_TIME, 180))).toBe('ok')
    expect(reason(signedAt(VECTOR_TIME, -480))).toBe('ok')
  })

  it('treats a date without zone as GMT', () => {
    const vector = vectorCase(0)
    const threeHoursAhead = 'Tue, 09 Mar 2021 16:28:32' // would be on time only if read as +0300
    const { authorization } = sign({ ...vector, date: threeHoursAhead }, DEMO_ACCESS_KEY)
    const request = fromVector(vector, {
      'x-dlg-date': threeHoursAhead,
      'x-dlg-authorization': authorization,
    })
    expect(reason(request)).toBe('clock-skew')
    expect(reason(request, VECTOR_TIME + 3 * 3600_000)).toBe('ok')
  })

  it('follows the configured window', () => {
    expect(reason(signedAt(VECTOR_TIME - 61_000), VECTOR_TIME, { maxSkewSeconds: 60 })).toBe('clock-skew')
    expect(reason(signedAt(VECTOR_TIME - 60_000), VECTOR_TIME, { maxSkewSeconds: 60 })).toBe('ok')
    expect(reason(signedAt(VECTOR_TIME - 3600_000), VECTOR_TIME, { maxSkewSeconds: 3600 })).toBe('ok')
  })
})

describe('verifier: several keys and rotation', () => {
  const rotating = createVerifier({
    keyring: createKeyring([
      { keyId: 'team-a', secret: 'old-secret' },
      { keyId: 'team-b', secret: 'b-secret' },
      { keyId: 'team-a', secret: 'new-secret' },
    ]),
    maxSkewSeconds: 900,
  })

  function signedWith(keyId: string, secret: string): RequestToVerify {
    const vector = vectorCase(0)
    return fromVector(vector, { 'x-dlg-authorization': sign(vector, { keyId, secret }).authorization })
  }

  it('accepts every configured secret of a key id and says which one matched', () => {
    expect(rotating.verify(signedWith('team-a', 'old-secret'), VECTOR_TIME)).toMatchObject({
      ok: true,
      secretIndex: 0,
    })
    expect(rotating.verify(signedWith('team-a', 'new-secret'), VECTOR_TIME)).toMatchObject({
      ok: true,
      secretIndex: 1,
    })
    expect(rotating.verify(signedWith('team-b', 'b-secret'), VECTOR_TIME)).toMatchObject({
      ok: true,
      keyId: 'team-b',
    })
  })

  it("refuses another key id's secret", () => {
    expect(rotating.verify(signedWith('team-b', 'old-secret'), VECTOR_TIME)).toMatchObject({
      reason: 'signature-mismatch',
      knownKey: true,
    })
  })
})

describe('verifier: compatibility settings (D2, D3)', () => {
  const vector = vectorCase(0)
  const withShortNames: RequestToVerify = {
    ...fromVector(vector),
    headers: {
      'content-type': vector.contentType,
      date: vector.date,
      'x-requester-userid': '45186',
      'x-authorization': vector.authorization,
    },
  }

  it('D2: short header names are missing headers by default', () => {
    expect(verifier.verify(withShortNames, VECTOR_TIME)).toMatchObject({
      reason: 'missing-headers',
      missing: ['x-dlg-date', 'x-dlg-requester-userid', 'x-dlg-authorization'],
    })
  })

  it('D2: accepted when enabled, and the result says which aliases were read', () => {
    const result = createVerifier({ keyring, maxSkewSeconds: 900, acceptHeaderAliases: true }).verify(
      withShortNames,
      VECTOR_TIME,
    )
    expect(result).toMatchObject({ ok: true, aliasesUsed: ['date', 'x-requester-userid', 'x-authorization'] })
  })

  it('D2: an x-dlg-* header wins over its alias', () => {
    const request = { ...fromVector(vector), headers: { ...fromVector(vector).headers, date: 'not a date' } }
    const result = createVerifier({ keyring, maxSkewSeconds: 900, acceptHeaderAliases: true }).verify(
      request,
      VECTOR_TIME,
    )
    expect(result).toMatchObject({ ok: true, aliasesUsed: [] })
  })

  const newlineSignature = vectors.wrongVariantsOfCase0.find((v) =>
    v.mistake.startsWith('newline'),
  )?.signature
  const newlineRequest = fromVector(vector, {
    'x-dlg-authorization': `DLGA ${vectors.accessKeyId}:${newlineSignature}`,
  })

  it('D3: the worked-example layout fails by default', () => {
    expect(reason(newlineRequest)).toBe('signature-mismatch')
  })

  it('D3: accepted in lenient mode, and the result names the layout', () => {
    expect(reason(newlineRequest, VECTOR_TIME, { acceptNewlineBeforeResource: true })).toBe('ok')
    const lenient = createVerifier({ keyring, maxSkewSeconds: 900, acceptNewlineBeforeResource: true })
    expect(lenient.verify(newlineRequest, VECTOR_TIME)).toMatchObject({ layout: 'newline-before-resource' })
    expect(lenient.verify(fromVector(vector), VECTOR_TIME)).toMatchObject({ layout: 'canonical' })
  })

  it('D4: an HMAC-SHA1 signature fails even in lenient mode', () => {
    const sha1 = vectors.wrongVariantsOfCase0.find((v) => v.mistake.includes('SHA1'))?.signature
    const request = fromVector(vector, { 'x-dlg-authorization': `DLGA ${vectors.accessKeyId}:${sha1}` })
    expect(
      reason(request, VECTOR_TIME, { acceptNewlineBeforeResource: true, acceptHeaderAliases: true }),
    ).toBe('signature-mismatch')
  })
})

describe('verifier: header values as Node gives them', () => {
  it('joins repeated header values, so a doubled date is not a date', () => {
    const request = fromVector(vectorCase(0), {})
    const doubled = {
      ...request,
      headers: { ...request.headers, 'x-dlg-date': [vectorCase(0).date, vectorCase(0).date] },
    }
    expect(reason(doubled)).toBe('malformed-date')
  })
})
