import { Writable } from 'node:stream'
import { pino } from 'pino'
import { describe, expect, it, vi } from 'vitest'
import { ADMIN_OPERATIONS, JournalQuerySchema, type AdminOperation } from '../src/admin/operations.js'
import {
  ADMIN_QUERY_NAMES,
  batchedDestination,
  createLogger,
  loggerOptions,
  redactLinkToken,
  wantsPrettyLogs,
} from '../src/logger.js'

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

  it.each([
    ['/v1/bots/sendmessage/c2dc9bf3e0c3218e9ab22b56002e4644', '/v1/bots/sendmessage/[redacted]'],
    ['/v1/bots/sendmok/c2dc9bf3e0c3218e9ab22b56002e4644?x=1', '/v1/bots/sendmok/[redacted]?x=1'],
    ['/V1//bots/c2dc9bf3e0c3218e9ab22b56002e4644', '/V1//bots/[redacted]'],
    [
      '/v1/bots/v1/bots/sendmessage/c2dc9bf3e0c3218e9ab22b56002e4644',
      '/v1/bots/v1/bots/sendmessage/[redacted]',
    ],
    ['/v1/reporting/getcalllist', '/v1/reporting/getcalllist'],
  ])('never logs the bot token in the path of %s', (url, logged) => {
    expect(redactLinkToken(url)).toBe(logged)
  })

  // L1: the router starts the query at `#` as well as `?`; `;` splits parameters for other
  // parsers; any of them may arrive percent-encoded. The token never survives one of them.
  it.each([
    ['/views/messaging#staffId=1&sig=c2lnbmF0dXJl', '/views/messaging#staffId=1&sig=[redacted]'],
    ['/views/messaging#sig=c2lnbmF0dXJl&page=2', '/views/messaging#sig=[redacted]&page=2'],
    ['/views/messaging;staffId=1&sig=c2lnbmF0dXJl', '/views/messaging;staffId=1&sig=[redacted]'],
    ['/views/messaging?staffId=1;sig=c2lnbmF0dXJl', '/views/messaging?staffId=1;sig=[redacted]'],
    ['/views/messaging?staffId=1#sig=c2lnbmF0dXJl', '/views/messaging?staffId=1#sig=[redacted]'],
    ['/views/messaging%3Fsig=c2lnbmF0dXJl', '/views/messaging%3Fsig=[redacted]'],
    ['/views/messaging?a=1%26sig=c2lnbmF0dXJl', '/views/messaging?a=1%26sig=[redacted]'],
    ['/views/messaging?sig=c2lnbm;F0dXJl#x&page=2', '/views/messaging?sig=[redacted]&page=2'],
    ['/views/messaging?SIG=c2lnbmF0dXJl', '/views/messaging?SIG=[redacted]'],
  ])('redacts a token behind any delimiter: %s', (url, logged) => {
    expect(redactLinkToken(url)).toBe(logged)
  })

  it.each([
    ['/__admin/requests?token=admin-token-value', '/__admin/requests?token=[redacted]'],
    ['/__admin/requests?x=admin-token-value&limit=5', '/__admin/requests?x=[redacted]&limit=5'],
    ['/%5F%5Fadmin/journal?t=admin-token-value', '/%5F%5Fadmin/journal?t=[redacted]'],
    ['/__admin/requests?path=/v1&auth=failed&keyId=k', '/__admin/requests?path=/v1&auth=failed&keyId=k'],
    ['/__admin/requests?direction=out&limit=5', '/__admin/requests?direction=out&limit=5'],
    [
      '/__admin/bots/demo_bot/conversations/customer%3A1231232?offset=20&limit=10',
      '/__admin/bots/demo_bot/conversations/customer%3A1231232?offset=20&limit=10',
    ],
    [
      '/__admin/bots/demo_bot/conversations/customer%3A1231232?offset=20&t=admin-token-value',
      '/__admin/bots/demo_bot/conversations/customer%3A1231232?offset=20&t=[redacted]',
    ],
    [
      '/v1/reporting/getmessagingdetail?access_token=abc',
      '/v1/reporting/getmessagingdetail?access_token=[redacted]',
    ],
    [
      '/health?api_key=abc&apiKey=def&client_secret=ghi',
      '/health?api_key=[redacted]&apiKey=[redacted]&client_secret=[redacted]',
    ],
    ['/health?q=Bearer%20abc&r=DLGA+k:c2ln', '/health?q=[redacted]&r=[redacted]'],
    ['/health?staffId=45188&page=2', '/health?staffId=45188&page=2'],
  ])('keeps credential-looking query values out: %s', (url, logged) => {
    expect(redactLinkToken(url)).toBe(logged)
  })

  it("keeps every query the admin API takes (the journal's filters, a conversation's range), and only those, on an admin path's log line", () => {
    const operations: readonly AdminOperation[] = Object.values(ADMIN_OPERATIONS)
    const names = operations.flatMap((operation) =>
      Object.keys((operation.querystring as { properties?: object } | undefined)?.properties ?? {}),
    )
    expect(names).toEqual(expect.arrayContaining(Object.keys(JournalQuerySchema.properties)))
    expect(names).toEqual(expect.arrayContaining(['direction', 'offset']))
    expect([...ADMIN_QUERY_NAMES].sort()).toEqual([...new Set(names)].sort())
  })

  it('gathers log lines into one write, at most a batch period late', () => {
    vi.useFakeTimers()
    try {
      const chunks: string[] = []
      const destination = batchedDestination({ write: (chunk: string) => chunks.push(chunk) }, -1, 10)
      destination.write('a\n')
      destination.write('b\n')
      expect(chunks).toEqual([])
      vi.advanceTimersByTime(10)
      expect(chunks).toEqual(['a\nb\n'])
      destination.write('c\n')
      destination.flush()
      expect(chunks).toEqual(['a\nb\n', 'c\n'])
      vi.advanceTimersByTime(50)
      expect(chunks).toHaveLength(2)
    } finally {
      vi.useRealTimers()
    }
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
