import { Writable } from 'node:stream'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createLogger, loggerOptions, wantsPrettyLogs } from '../src/logger.js'

describe('logger', () => {
  it('redacts authorization headers wherever a request is logged with its headers', () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const logger = pino(loggerOptions('info'), sink)
    logger.info({
      req: {
        headers: {
          'x-dlg-authorization': 'DLGA key:c2lnbmF0dXJl',
          'x-authorization': 'DLGA key:c2lnbmF0dXJl',
          authorization: 'Bearer token',
          'x-dlg-date': 'Tue, 09 Mar 2021 13:28:32 GMT',
        },
      },
    })
    expect(lines.join()).not.toContain('c2lnbmF0dXJl')
    expect(lines.join()).not.toContain('Bearer token')
    expect(lines.join()).toContain('[redacted]')
    expect(lines.join()).toContain('Tue, 09 Mar 2021')
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
