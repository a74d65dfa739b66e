import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { systemClock, type Clock } from '../clock.js'
import { eventKeyOf, midsOf, type MessagingEvent, type WebhookBody } from './events.js'
import { SIGNATURE_HEADER, verifyWebhookSignature, type SignatureCheck } from './signature.js'
import type { EventKey } from './webhook-config.js'

/**
 * The receiving side of webhooks, for client teams' tests and `diyalog-mock webhook listen`: a
 * node:http server that records every POST (its exact bytes, headers, arrival time, the JSON it
 * parses to, the `X-Signature` check when it has the secret, the status it answered) and every
 * event of every entry in arrival order, and resolves `waitFor` when the events a test waits for
 * have come. A sender's mistakes (a wrong signature, a body that is not JSON or not an envelope)
 * never throw: they are recorded on the delivery. Retries are recorded as they come (the mock's
 * `x-dlg-mock-batch` and `x-dlg-mock-attempt` headers tell them apart).
 */

export interface WebhookReceiverOptions {
  /** 0 (default): a free port. */
  readonly port?: number
  /** Default 127.0.0.1. */
  readonly host?: string
  /** The webhook's `app_secret`: with it, each delivery's `X-Signature` is checked. Never printed. */
  readonly secret?: string
  /** The path POSTs must go to (default `/`); another path is answered 404. */
  readonly path?: string
  /** The status to answer a delivery read in full (default 200); a throw or a non-status answers 500. */
  readonly respond?: (delivery: WebhookDelivery) => number | Promise<number>
  /** Largest body read (default 1 MiB); a larger one is answered 413 and not read. */
  readonly maxBodyBytes?: number
  /** Deliveries kept, the oldest (and their events) dropped first (default 10 000). */
  readonly maxDeliveries?: number
  /** Arrival times (default: the system clock). */
  readonly clock?: Clock
  /**
   * Called once per delivery, when it is recorded (its status is set unless `respond` is pending),
   * before any `waitFor` it completes resolves.
   */
  readonly onDelivery?: (delivery: WebhookDelivery, events: readonly ReceivedEvent[]) => void
}

/** The body as JSON: the envelope, or why it is not one. */
export type ParsedBody =
  { readonly ok: true; readonly body: WebhookBody } | { readonly ok: false; readonly problem: string }

/** One POST the receiver got. */
export interface WebhookDelivery {
  /** 0 for the first POST since the receiver started (`clear` does not restart it). */
  readonly index: number
  /** When the body had arrived in full, epoch ms. */
  readonly receivedAt: number
  /** Path and query as sent. */
  readonly url: string
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  /** The body's exact bytes (empty when refused). */
  readonly bytes: Buffer
  /** The body as UTF-8 text. */
  readonly body: string
  readonly parsed: ParsedBody
  /** Entries that gave no event, one line each (`entry 2: …`). */
  readonly problems: readonly string[]
  /** The `X-Signature` check; undefined without a secret or for a refused body. */
  readonly signature?: SignatureCheck
  /** `x-dlg-mock-batch`: the same on every attempt of a batch (the mock sends it; the real server does not). */
  readonly batchId?: string
  /** `x-dlg-mock-attempt`: 0 for the first attempt. */
  readonly attempt?: number
  /** Why the receiver answered without reading the body: another path, or a body over the bound. */
  readonly refused?: 'path' | 'too-large'
  /** The status answered; undefined while an asynchronous `respond` has not said. */
  readonly status?: number
}

/** One event: `messaging[0]` of one entry. */
export interface ReceivedEvent {
  /** 0 for the first event since the receiver started. */
  readonly index: number
  readonly delivery: WebhookDelivery
  readonly receivedAt: number
  readonly entryId: string
  readonly entryTime: number
  readonly key: EventKey
  readonly mids: readonly string[]
  /** The event as received (checked only in the fields `key` and `mids` come from, and `message.text`). */
  readonly event: MessagingEvent
  /** Its delivery's signature check; undefined without a secret. */
  readonly signature?: SignatureCheck
  /** `signature.ok`; undefined without a secret. */
  readonly verified?: boolean
}

/** What `waitFor` waits for: every condition given holds; `count` (default 1) such events. */
export interface EventMatch {
  readonly type?: EventKey
  /** The event is about this mid (`mid` or one of `mids`). */
  readonly mid?: string
  readonly entryId?: string
  /** Only events whose delivery's signature checked (true) or did not (false); needs the secret. */
  readonly verified?: boolean
  readonly count?: number
}

export interface WebhookReceiver {
  /** The URL to give the mock (`DLG_WEBHOOK_URL`), with the path. */
  readonly url: string
  readonly port: number
  /** Every POST, in arrival order (live; `clear` empties it). */
  readonly deliveries: readonly WebhookDelivery[]
  /** Every event of every entry, in arrival order (live; `clear` empties it). */
  readonly events: readonly ReceivedEvent[]
  /**
   * Resolves with the first `count` events that match, among those received and those to come;
   * rejects after `timeoutMs` with what did arrive.
   */
  waitFor(
    match: EventMatch | ((event: ReceivedEvent) => boolean),
    timeoutMs?: number,
  ): Promise<ReceivedEvent[]>
  /** Forgets the deliveries and events so far; pending `waitFor`s count from now on. */
  clear(): void
  /** Closes the server and its connections; pending `waitFor`s reject. */
  stop(): Promise<void>
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
const DEFAULT_MAX_DELIVERIES = 10_000
/** How many received events a `waitFor` rejection lists. */
const LISTED_EVENTS = 20

const EVENT_KEYS: readonly EventKey[] = ['messageEcho', 'delivery', 'reads', 'message']

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const isString = (value: unknown): value is string => typeof value === 'string'

/** Why `event` is not one of the four events (in the fields read), or undefined. */
function eventProblem(event: unknown): string | undefined {
  if (!isObject(event)) return 'messaging[0] is not an object'
  const key = EVENT_KEYS.find((name) => Object.hasOwn(event, name))
  if (key === undefined) return `messaging[0] has none of ${EVENT_KEYS.join(', ')}`
  const payload = event[key]
  if (!isObject(payload)) return `messaging[0].${key} is not an object`
  if (key === 'messageEcho') return isString(payload['mid']) ? undefined : 'messageEcho.mid is not a string'
  if (key === 'message') {
    if (!isString(payload['mid'])) return 'message.mid is not a string'
    return isString(payload['text']) ? undefined : 'message.text is not a string'
  }
  const mids = payload['mids']
  return Array.isArray(mids) && mids.every(isString) ? undefined : `${key}.mids is not an array of strings`
}

/** The body read as an envelope: its events, and a line for each entry that gave none. */
export function readEnvelope(text: string): {
  parsed: ParsedBody
  entries: { id: string; time: number; event: MessagingEvent }[]
  problems: string[]
} {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return {
      parsed: { ok: false, problem: `not JSON: ${(error as Error).message}` },
      entries: [],
      problems: [],
    }
  }
  if (!isObject(json) || !Array.isArray(json['entry'])) {
    return {
      parsed: { ok: false, problem: 'not a webhook envelope: no "entry" array' },
      entries: [],
      problems: [],
    }
  }
  const entries: { id: string; time: number; event: MessagingEvent }[] = []
  const problems: string[] = []
  for (const [index, entry] of (json['entry'] as unknown[]).entries()) {
    const problem = !isObject(entry)
      ? 'not an object'
      : !isString(entry['id'])
        ? 'id is not a string'
        : typeof entry['time'] !== 'number'
          ? 'time is not a number'
          : !Array.isArray(entry['messaging']) || entry['messaging'].length === 0
            ? 'messaging is not a non-empty array'
            : eventProblem(entry['messaging'][0])
    if (problem !== undefined) problems.push(`entry ${index}: ${problem}`)
    else {
      const ok = entry as { id: string; time: number; messaging: [MessagingEvent] }
      entries.push({ id: ok.id, time: ok.time, event: ok.messaging[0] })
    }
  }
  return { parsed: { ok: true, body: json as unknown as WebhookBody }, entries, problems }
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

function matcherOf(
  match: EventMatch | ((event: ReceivedEvent) => boolean),
): (event: ReceivedEvent) => boolean {
  if (typeof match === 'function') return match
  return (event) =>
    (match.type === undefined || event.key === match.type) &&
    (match.mid === undefined || event.mids.includes(match.mid)) &&
    (match.entryId === undefined || event.entryId === match.entryId) &&
    (match.verified === undefined || event.verified === match.verified)
}

/** `{type: "delivery", mid: "m1", count: 2}`, for a rejection. */
function describeMatch(match: EventMatch | ((event: ReceivedEvent) => boolean)): string {
  if (typeof match === 'function') return 'events matching the predicate'
  const { count = 1, ...conditions } = match
  const parts = Object.entries(conditions).map(([name, value]) => `${name} ${JSON.stringify(value)}`)
  return `${count} ${count === 1 ? 'event' : 'events'}${parts.length === 0 ? '' : ` with ${parts.join(', ')}`}`
}

/** One line per received event (the last ones), for a rejection. */
export function describeEvent(event: ReceivedEvent): string {
  const verdict =
    event.signature === undefined ? '' : event.signature.ok ? ' (signed)' : ` (${event.signature.reason})`
  return `${event.key} ${JSON.stringify(event.mids)} entry ${JSON.stringify(event.entryId)}${verdict}`
}

interface Waiter {
  readonly matches: (event: ReceivedEvent) => boolean
  readonly count: number
  resolve(events: ReceivedEvent[]): void
  reject(error: Error): void
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

function hostInUrl(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const host = options.host ?? '127.0.0.1'
  const path = options.path ?? '/'
  if (!path.startsWith('/')) throw new TypeError(`path must start with "/" (got ${JSON.stringify(path)})`)
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const maxDeliveries = options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES
  const clock = options.clock ?? systemClock
  const respond = options.respond ?? (() => 200)
  const deliveries: WebhookDelivery[] = []
  const events: ReceivedEvent[] = []
  const waiters = new Set<Waiter>()
  let deliveryCount = 0
  let eventCount = 0

  function settle(waiter: Waiter): boolean {
    const found = events.filter(waiter.matches)
    if (found.length < waiter.count) return false
    waiters.delete(waiter)
    waiter.resolve(found.slice(0, waiter.count))
    return true
  }

  function record(delivery: WebhookDelivery, entries: ReturnType<typeof readEnvelope>['entries']): void {
    const added: ReceivedEvent[] = entries.map((entry) => ({
      index: eventCount++,
      delivery,
      receivedAt: delivery.receivedAt,
      entryId: entry.id,
      entryTime: entry.time,
      key: eventKeyOf(entry.event),
      mids: midsOf(entry.event),
      event: entry.event,
      ...(delivery.signature === undefined
        ? {}
        : { signature: delivery.signature, verified: delivery.signature.ok }),
    }))
    deliveries.push(delivery)
    events.push(...added)
    if (deliveries.length > maxDeliveries) {
      const dropped = deliveries.splice(0, deliveries.length - maxDeliveries)
      const last = dropped[dropped.length - 1]
      const cut = events.findIndex((event) => event.delivery.index > (last?.index ?? -1))
      events.splice(0, cut < 0 ? events.length : cut)
    }
    options.onDelivery?.(delivery, added)
    if (added.length > 0) for (const waiter of [...waiters]) settle(waiter)
  }

  function answer(response: ServerResponse, status: number, text: string, close = false): void {
    response.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      ...(close ? { connection: 'close' } : {}),
    })
    response.end(text)
  }

  function base(request: IncomingMessage, bytes: Buffer): Mutable<WebhookDelivery> {
    const headers = headersOf(request)
    const attempt = Number(headers['x-dlg-mock-attempt'])
    return {
      index: deliveryCount++,
      receivedAt: clock.now(),
      url: request.url ?? '',
      headers,
      bytes,
      body: bytes.toString('utf8'),
      parsed: { ok: false, problem: 'not read' },
      problems: [],
      ...(headers['x-dlg-mock-batch'] === undefined ? {} : { batchId: headers['x-dlg-mock-batch'] }),
      ...(Number.isSafeInteger(attempt) && headers['x-dlg-mock-attempt'] !== '' ? { attempt } : {}),
    }
  }

  function refuse(request: IncomingMessage, response: ServerResponse, refused: 'path' | 'too-large'): void {
    const delivery = base(request, Buffer.alloc(0))
    delivery.refused = refused
    delivery.status = refused === 'path' ? 404 : 413
    delivery.parsed = {
      ok: false,
      problem:
        refused === 'path'
          ? `not read: sent to another path than ${path}`
          : `not read: the body is larger than ${maxBodyBytes} bytes`,
    }
    record(delivery, [])
    answer(response, delivery.status, refused === 'path' ? 'not the webhook path' : 'body too large', true)
    // The rest of the body is read and dropped; the connection closes after the answer.
    request.resume()
  }

  async function received(request: IncomingMessage, response: ServerResponse, bytes: Buffer): Promise<void> {
    const delivery = base(request, bytes)
    const read = readEnvelope(delivery.body)
    delivery.parsed = read.parsed
    delivery.problems = read.problems
    if (options.secret !== undefined) {
      delivery.signature = verifyWebhookSignature(bytes, delivery.headers[SIGNATURE_HEADER], options.secret)
    }
    let status: number | Promise<number>
    try {
      status = respond(delivery)
    } catch {
      status = 500
    }
    if (typeof status === 'number') delivery.status = validStatus(status)
    record(delivery, read.entries)
    if (typeof status !== 'number') {
      delivery.status = await status.then(validStatus, () => 500)
    }
    if (!response.destroyed) answer(response, delivery.status ?? 500, delivery.status === 200 ? 'ok' : '')
  }

  const server = createServer((request, response) => {
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST')
      answer(response, 405, 'webhooks are POSTed')
      request.resume()
      return
    }
    const requestPath = (request.url ?? '').split('?')[0]
    if (requestPath !== path) return refuse(request, response, 'path')
    const declared = Number(request.headers['content-length'])
    if (declared > maxBodyBytes) return refuse(request, response, 'too-large')
    const chunks: Buffer[] = []
    let size = 0
    let refused = false
    request.on('data', (chunk: Buffer) => {
      if (refused) return
      size += chunk.length
      if (size > maxBodyBytes) {
        refused = true
        chunks.length = 0
        refuse(request, response, 'too-large')
      } else chunks.push(chunk)
    })
    request.on('end', () => {
      if (refused) return
      // Only an `onDelivery` that throws gets here: the sender still gets an answer.
      received(request, response, Buffer.concat(chunks)).catch(() => {
        if (!response.headersSent) answer(response, 500, '')
      })
    })
    request.on('error', () => undefined)
  })
  server.on('clientError', (_error, socket) => socket.destroy())

  await new Promise<void>((listening, failed) => {
    server.once('error', failed)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', failed)
      listening()
    })
  })
  const { port } = server.address() as AddressInfo
  let stopped: Promise<void> | undefined

  return {
    url: `http://${hostInUrl(host)}:${port}${path}`,
    port,
    deliveries,
    events,
    waitFor(match, timeoutMs = 5000) {
      if (typeof match !== 'function' && match.verified !== undefined && options.secret === undefined) {
        return Promise.reject(new TypeError('waitFor({verified}) needs the receiver started with a secret'))
      }
      if (stopped !== undefined) return Promise.reject(new Error('the webhook receiver is stopped'))
      const count = typeof match === 'function' ? 1 : (match.count ?? 1)
      return new Promise<ReceivedEvent[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error(timeoutMessage(match, timeoutMs)))
        }, timeoutMs)
        const waiter: Waiter = {
          matches: matcherOf(match),
          count,
          resolve: (found) => (clearTimeout(timer), resolve(found)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        }
        waiters.add(waiter)
        settle(waiter)
      })
    },
    clear() {
      deliveries.length = 0
      events.length = 0
    },
    stop() {
      stopped ??= new Promise<void>((done) => {
        for (const waiter of waiters) waiter.reject(new Error('the webhook receiver stopped'))
        waiters.clear()
        server.close(() => done())
        server.closeAllConnections()
      })
      return stopped
    },
  }

  function timeoutMessage(
    match: EventMatch | ((event: ReceivedEvent) => boolean),
    timeoutMs: number,
  ): string {
    const matched = events.filter(matcherOf(match)).length
    const listed = events.slice(-LISTED_EVENTS).map((event) => `  ${describeEvent(event)}`)
    const unread = deliveries.filter((delivery) => !delivery.parsed.ok || delivery.problems.length > 0)
    return [
      `waited ${timeoutMs} ms for ${describeMatch(match)}: ${matched} matched; ${events.length} ${
        events.length === 1 ? 'event' : 'events'
      } in ${deliveries.length} ${deliveries.length === 1 ? 'delivery' : 'deliveries'} arrived${
        events.length === 0 ? '' : events.length > LISTED_EVENTS ? ` (the last ${LISTED_EVENTS}):` : ':'
      }`,
      ...listed,
      ...unread.map(
        (delivery) =>
          `  delivery ${delivery.index}: ${delivery.parsed.ok ? delivery.problems.join('; ') : delivery.parsed.problem}`,
      ),
    ].join('\n')
  }
}

function validStatus(status: number): number {
  return Number.isInteger(status) && status >= 200 && status <= 599 ? status : 500
}
