import { Writable } from 'node:stream'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createLogger, loggerOptions, redactLinkToken, wantsPrettyLogs } from '../src/logger.js'

function capture() {
  const lines: string[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  return { logger: pino(loggerOptions('info'), sink), text: () => lines.join('') }
}

describe('logger', () => {
  it('redacts authorization headers wherever something logs headers', () => {
    const { logger, text } = capture()
    const headers = {
      'x-dlg-authorization': 'DLGA key:c2lnbmF0dXJl',
      'x-authorization': 'DLGA key:c2lnbmF0dXJl',
      authorization: 'Bearer token',
      cookie: 'session=abc',
      'x-dlg-date': 'Tue, 09 Mar 2021 13:28:32 GMT',
    }
    logger.info({ headers })
    logger.info({ request: { headers } })
    for (const secret of ['c2lnbmF0dXJl', 'Bearer token', 'session=abc']) expect(text()).not.toContain(secret)
    expect(text()).toContain('[redacted]')
    expect(text()).toContain('Tue, 09 Mar 2021')
  })

  it("logs requests without headers and without a link's token", () => {
    const { logger, text } = capture()
    logger.info({
      req: {
        method: 'GET',
        url: '/views/messaging?staffId=1&sig=c2lnbmF0dXJl&x=1',
        headers: { 'x-dlg-authorization': 'DLGA key:c2lnbmF0dXJl' },
      },
    })
    expect(text()).toContain('"url":"/views/messaging?staffId=1&sig=[redacted]&x=1"')
    expect(text()).not.toContain('c2lnbmF0dXJl')
    expect(redactLinkToken('/v1/reporting/getmessagingdetail?trace=1')).toBe(
      '/v1/reporting/getmessagingdetail?trace=1',
    )
  })

  it.each([
    ['/views/messaging?sig=abc', '/views/messaging?sig=[redacted]'],
    ['/views/messaging?a=1&sig=abc&sig=def', '/views/messaging?a=1&sig=[redacted]&sig=[redacted]'],
    ['/views/messaging?%73ig=abc&page=2', '/views/messaging?%73ig=[redacted]&page=2'],
    ['/views/messaging?si%67=abc', '/views/messaging?si%67=[redacted]'],
    ['/views/messaging?sig', '/views/messaging?sig=[redacted]'],
    ['/views/messaging?%zz=1&signal=2&xsig=3', '/views/messaging?%zz=1&signal=2&xsig=3'],
    ['/views/messaging', '/views/messaging'],
  ])('redacts the token of %s however its name is spelt', (url, logged) => {
    expect(redactLinkToken(url)).toBe(logged)
  })

  it('is pretty when asked, or in a terminal with pino-pretty installed; JSON otherwise', () => {
    expect(wantsPrettyLogs('pretty', false, false)).toBe(true)
    expect(wantsPrettyLogs('json', true, true)).toBe(false)
    expect(wantsPrettyLogs('auto', true, true)).toBe(true)
    expect(wantsPrettyLogs('auto', true, false)).toBe(false)
    expect(wantsPrettyLogs('auto', false, true)).toBe(false)
  })

  it('creates a logger at the configured level', () => {
    expect(createLogger({ logLevel: 'warn', logFormat: 'json' }, false).level).toBe('warn')
  })
})
