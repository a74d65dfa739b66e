import { describe, expect, it } from 'vitest'
import { createKeyring, parseAccessKeys } from '../../src/auth/keyring.js'

describe('parseAccessKeys', () => {
  it('reads key pairs, trims spaces, keeps colons inside secrets', () => {
    expect(parseAccessKeys('a:one, b:two:with:colons ,a:three')).toEqual({
      ok: true,
      keys: [
        { keyId: 'a', secret: 'one' },
        { keyId: 'b', secret: 'two:with:colons' },
        { keyId: 'a', secret: 'three' },
      ],
    })
  })

  it.each(['a', 'a:', ':secret', 'a b:secret', 'a:one,,b:two', ''])(
    'refuses %j without quoting a secret',
    (spec) => {
      const result = parseAccessKeys(spec)
      expect(result.ok).toBe(false)
      if (!result.ok) {
        expect(result.problem).toMatch(/^entry \d+ of \d+ is not of the form keyId:secret/)
        expect(result.problem).not.toContain('secret:')
      }
    },
  )
})

describe('createKeyring', () => {
  it('holds every secret of a key id, in the order given (rotation)', () => {
    const keyring = createKeyring([
      { keyId: 'a', secret: 'old' },
      { keyId: 'b', secret: 'other' },
      { keyId: 'a', secret: 'new' },
    ])
    expect(keyring.keyIds).toEqual(['a', 'b'])
    expect(keyring.secretsFor('a')?.map((key) => key.export().toString())).toEqual(['old', 'new'])
    expect(keyring.secretsFor('unknown')).toBeUndefined()
  })
})
