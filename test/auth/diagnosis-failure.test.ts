import { describe, expect, it, vi } from 'vitest'
import { DOCS_NOW, testApp } from '../helpers/app.js'
import { signedRequest } from '../helpers/signing.js'

// A diagnosis that trips over something it did not foresee.
vi.mock('../../src/auth/diagnosis.js', () => ({
  diagnose: () => {
    throw new RangeError('unforeseen')
  },
}))

describe('when the diagnosis itself fails', () => {
  it('the documented answer still goes out, without diagnosis headers, and the log says why', async () => {
    const { app, logs } = testApp()
    const request = signedRequest({ now: DOCS_NOW })
    request.headers['x-dlg-authorization'] = `${request.headers['x-dlg-authorization'].slice(0, -4)}AAA=`
    const response = await app.inject(request)
    expect([response.statusCode, response.headers['content-type'], response.body]).toEqual([
      401,
      'text/plain; charset=utf-8',
      'Authorization failed',
    ])
    expect(Object.keys(response.headers).filter((name) => name.startsWith('x-dlg-mock-'))).toEqual([])
    expect(logs.some((line) => line['msg'] === 'could not diagnose the authentication failure')).toBe(true)
  })
})
