import { Writable } from 'node:stream'
import type { FastifyBaseLogger, FastifyRequest } from 'fastify'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { writeCompletedLine } from '../../src/http/access-log.js'
import { loggerOptions } from '../../src/logger.js'
import { testApp } from '../helpers/app.js'
import { signedRequest } from '../helpers/signing.js'
import { DOCS_NOW } from '../helpers/app.js'

function capture(level: 'info' | 'warn' = 'info', extra: pino.LoggerOptions = {}) {
  const lines: string[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  const root = pino({ ...loggerOptions(level), ...extra }, sink)
  return { log: root.child({ reqId: 'req-1' }) as FastifyBaseLogger, lines }
}

const sameTime = (line: string | undefined) => line?.replace(/"time":\d+/, '"time":0')

function request(fields: Partial<Record<string, unknown>> = {}): FastifyRequest {
  return {
    method: 'GET',
    url: '/views/messaging?staffId=1&sig=c2lnbmF0dXJl',
    host: 'mock.test:8080',
    ip: '127.0.0.1',
    socket: { remotePort: 51234 },
    authOutcome: { verdict: 'ok', keyId: 'key "one"', requesterUserId: '45186' },
    ...fields,
  } as unknown as FastifyRequest
}

describe('the access line', () => {
  it.each([
    ['an authenticated call', request()],
    ['no outcome, no port, an odd URL', request({ authOutcome: null, socket: {}, url: '/a"b\\c\u00e7' })],
    ['no host', request({ host: undefined, authOutcome: { verdict: 'failed', keyId: 'k' } })],
  ])('is what pino writes for the same object: %s', (_name, req) => {
    const prepared = capture()
    const generic = capture()
    expect(writeCompletedLine(prepared.log, req, 200, 1.25)).toBe(true)
    const outcome = req.authOutcome
    generic.log.info(
      {
        req,
        res: { statusCode: 200 },
        responseTime: 1.25,
        ...(outcome?.keyId === undefined ? {} : { keyId: outcome.keyId }),
        ...(outcome?.requesterUserId === undefined ? {} : { requesterUserId: outcome.requesterUserId }),
      },
      'request completed',
    )
    expect(prepared.lines).toHaveLength(1)
    expect(sameTime(prepared.lines[0])).toBe(sameTime(generic.lines[0]))
    expect(prepared.lines[0]).not.toContain('c2lnbmF0dXJl')
  })

  it('writes nothing above info, and leaves loggers it cannot match to pino', () => {
    const quiet = capture('warn')
    expect(writeCompletedLine(quiet.log, request(), 200, 1)).toBe(true)
    expect(quiet.lines).toHaveLength(0)
    const mixed = capture('info', { mixin: () => ({ extra: 1 }) })
    expect(writeCompletedLine(mixed.log, request(), 200, 1)).toBe(false)
    expect(writeCompletedLine(pino({ enabled: false }) as FastifyBaseLogger, request(), 200, 1)).toBe(true)
  })

  it('is written once per request by the app, with the request id', async () => {
    const { app, logs } = testApp()
    const response = await app.inject({
      ...signedRequest({ now: DOCS_NOW }),
      headers: { ...signedRequest({ now: DOCS_NOW }).headers, 'x-request-id': 'trace-42' },
    })
    expect(response.statusCode).toBe(200)
    const completed = logs.filter((line) => line['msg'] === 'request completed')
    expect(completed).toEqual([
      expect.objectContaining({
        level: 30,
        reqId: 'trace-42',
        req: expect.objectContaining({ method: 'POST', url: '/v1/reporting/getmessagingdetail' }),
        res: { statusCode: 200 },
        keyId: '1234567-8ABC-DEF0-5432-56712ABCDEF5',
        requesterUserId: '45186',
      }),
    ])
  })
})
