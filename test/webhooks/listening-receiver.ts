import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { onTestFinished } from 'vitest'
import { manualClock } from '../../src/clock.js'
import { createDispatcher, type AttemptRecord, type Dispatcher } from '../../src/webhooks/dispatcher.js'
import type { MessagingEvent, WebhookBody } from '../../src/webhooks/events.js'
import { WEBHOOK_DEFAULTS, type WebhookConfig } from '../../src/webhooks/webhook-config.js'

/**
 * A real webhook receiver for the tests: node:http on 127.0.0.1, a port of its own, every POST
 * recorded with its exact bytes, headers and arrival time, answered as the test says. Closed
 * (its connections too) when the test ends. Plus the events and webhook configs the tests send.
 */

export interface Received {
  /** 0 for the first request this receiver got. */
  readonly index: number
  /** `performance.now()` when the body had arrived in full. */
  readonly arrivedAt: number
  readonly headers: IncomingHttpHeaders
  readonly url: string
  readonly body: Buffer
  readonly json: WebhookBody
  /** Which connection it came on (0 = the first one the receiver accepted). */
  readonly connection: number
  /** What the receiver answered (`hold`: it never did; `destroy`: it reset the connection). */
  answer?: number | 'hold' | 'destroy'
}

/** How to answer one request: a status (after `delayMs`), never, or by resetting the connection. */
export type Answer =
  { readonly status: number; readonly delayMs?: number; readonly body?: string } | 'hold' | 'destroy'

export interface Receiver {
  readonly url: string
  readonly requests: readonly Received[]
  /** Connections accepted so far. */
  readonly connections: number
  /** Resolves once `count` requests have arrived (rejects after `timeoutMs`, saying how many did). */
  waitFor(count: number, timeoutMs?: number): Promise<readonly Received[]>
  close(): Promise<void>
}

export async function startReceiver(
  answer: (request: Received) => Answer = () => ({ status: 200 }),
): Promise<Receiver> {
  const requests: Received[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  let connections = 0
  const held: ServerResponse[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      const received: Received = {
        index: requests.length,
        arrivedAt: performance.now(),
        headers: request.headers,
        url: request.url ?? '',
        body,
        json: JSON.parse(body.toString('utf8')) as WebhookBody,
        connection: (request.socket as { receiverIndex?: number }).receiverIndex ?? -1,
      }
      requests.push(received)
      const how = answer(received)
      received.answer = typeof how === 'string' ? how : how.status
      if (how === 'hold') held.push(response)
      else if (how === 'destroy') request.socket.destroy()
      else {
        const send = () =>
          response.writeHead(how.status, { 'content-type': 'text/plain' }).end(how.body ?? 'ok')
        if (how.delayMs === undefined) send()
        else setTimeout(send, how.delayMs)
      }
      for (const waiter of [...waiters]) {
        if (requests.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1)
          waiter.resolve()
        }
      }
    })
  })
  server.on('connection', (socket) => {
    ;(socket as { receiverIndex?: number }).receiverIndex = connections
    connections += 1
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  const { port } = server.address() as AddressInfo
  let closed: Promise<void> | undefined
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    get connections() {
      return connections
    },
    waitFor(count, timeoutMs = 10_000) {
      if (requests.length >= count) return Promise.resolve(requests)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`waited for ${count} requests, ${requests.length} arrived`)),
          timeoutMs,
        )
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer)
            resolve(requests)
          },
        })
      })
    },
    close() {
      closed ??= new Promise<void>((done) => {
        for (const response of held) response.destroy()
        server.close(() => done())
        server.closeAllConnections()
      })
      return closed
    },
  }
  onTestFinished(() => receiver.close())
  return receiver
}

export const TEST_SECRET = 'ffeceefiaae0aec8naich2queid1thoohi3pohSah7ohgaedaengiethah1ahthuumee12affcqq12'

/**
 * A webhook to `url` with small delays: batches at once, 3 retries 10 ms apart (doubling). The
 * timeout is 2 s: long enough never to fire by accident on a loaded machine (the first fetch of a
 * process loads undici), where a spurious timeout would resend a batch the receiver has; the
 * tests of timeouts set their own, short one.
 */
export function testWebhook(url: string, overrides: Partial<WebhookConfig> = {}): WebhookConfig {
  return {
    ...WEBHOOK_DEFAULTS,
    url,
    appSecret: TEST_SECRET,
    batchWaitMs: 0,
    timeoutMs: 2000,
    retries: 3,
    backoffMs: 10,
    ...overrides,
  }
}

/** The docs' example ids (API-INVENTORY §7.3). */
const SENDER = { id: '1614379680' }
const RECIPIENT = { appCustomerId: '70021', id: '243540663' }
const TIMESTAMP = 1560172926374

export function echo(mid: string): MessagingEvent {
  return {
    sender: SENDER,
    recipient: RECIPIENT,
    timestamp: TIMESTAMP,
    messageEcho: { app_id: 1614379680, is_echo: true, mid },
  }
}
export function delivery(...mids: string[]): MessagingEvent {
  return {
    sender: SENDER,
    recipient: RECIPIENT,
    timestamp: TIMESTAMP + 340,
    delivery: { mids, watermark: TIMESTAMP + 340 },
  }
}
export function reads(...mids: string[]): MessagingEvent {
  return {
    sender: SENDER,
    recipient: RECIPIENT,
    timestamp: TIMESTAMP + 900,
    reads: { mids, watermark: TIMESTAMP + 900 },
  }
}
export function userMessage(mid: string, text: string): MessagingEvent {
  return { sender: SENDER, recipient: RECIPIENT, timestamp: TIMESTAMP + 2000, message: { mid, text } }
}

/** Which event an entry carries, as `<key>:<mids>` (the tests' way to count and order events). */
export function eventIdOf(event: MessagingEvent): string {
  if ('messageEcho' in event) return `messageEcho:${event.messageEcho.mid}`
  if ('delivery' in event) return `delivery:${event.delivery.mids.join(',')}`
  if ('reads' in event) return `reads:${event.reads.mids.join(',')}`
  return `message:${event.message.mid}`
}

/** The event ids of a received POST, in entry order. */
export function eventIds(request: Received): string[] {
  return request.json.entry.map((entry) => eventIdOf(entry.messaging[0]))
}

/** Real time waits (tests only, for a state between two events). */
export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms))
}

/**
 * A dispatcher for `webhook` with a frozen clock (the mock's clock never moves in these tests:
 * delivery must not need it to), its attempts collected, closed when the test ends.
 */
export function testDispatcher(
  webhook: WebhookConfig,
  options: {
    maxQueued?: number
    historySize?: number
    now?: number
    /** Called with each attempt as it is reported: a test acts at that exact moment. */
    onAttempt?: (record: AttemptRecord, dispatcher: Dispatcher) => void
  } = {},
): { dispatcher: Dispatcher; attempts: AttemptRecord[]; clockNow: number } {
  const clockNow = options.now ?? 1_700_000_000_000
  const attempts: AttemptRecord[] = []
  const dispatcher: Dispatcher = createDispatcher(webhook, {
    clock: manualClock(clockNow),
    onAttempt: (record) => {
      attempts.push(record)
      options.onAttempt?.(record, dispatcher)
    },
    ...(options.maxQueued !== undefined ? { maxQueued: options.maxQueued } : {}),
    ...(options.historySize !== undefined ? { historySize: options.historySize } : {}),
  })
  onTestFinished(() => dispatcher.close())
  return { dispatcher, attempts, clockNow }
}

/** Resolves once `attempts` holds a record that `match` accepts (polled every few ms, real time). */
export async function waitForAttempt(
  attempts: readonly AttemptRecord[],
  match: (record: AttemptRecord) => boolean,
  timeoutMs = 10_000,
): Promise<AttemptRecord> {
  const until = performance.now() + timeoutMs
  for (;;) {
    const found = attempts.find(match)
    if (found !== undefined) return found
    if (performance.now() > until) throw new Error(`no such attempt among ${attempts.length}`)
    await sleep(2)
  }
}
