import { randomBytes } from 'node:crypto'
import type { Clock } from '../clock.js'
import { encodeEnvelope } from './envelope.js'
import { eventKeyOf, midsOf, type MessagingEvent } from './events.js'
import { redactUrl } from './redact-url.js'
import { signWebhookBody } from './signature.js'
import { describeError, fetchTransport, type TransportResult, type WebhookTransport } from './transport.js'
import { WEBHOOK_EVENTS, type WebhookConfig, type WebhookEventName } from './webhook-config.js'

/**
 * The queue of one webhook (docs/reliability.md, "Webhooks"): events wait, are sent in batches of
 * at most `batchMax` once `batchMax` wait or the oldest has waited `batchWaitMs`, one batch at a
 * time and in order, each retried with the same bytes and signature until a 2xx answer within
 * `timeoutMs` or `retries` retries, then dropped.
 *
 * Waiting, timeouts and backoff run in real time (timers and `performance.now`), never on the
 * mock's clock: tests and the admin API freeze and move that one, and webhooks must still go
 * out. The injected clock gives only the instants a client sees or the journal shows
 * (`entry[].time`, `at`, `sentAt`, `finishedAt`).
 *
 * Ordering is head-of-line: while a batch waits for its retry, the next ones wait behind it, so
 * the echo, the delivery and the reading of a message never arrive out of order.
 */

/** At most this many events wait per webhook; past it an event is refused (`overflow`, counted). */
export const DEFAULT_MAX_QUEUED = 100_000
/** Finished batches kept per webhook for the admin API, the oldest forgotten first. */
export const DEFAULT_HISTORY_SIZE = 200
/** A batch record lists at most this many distinct mids. */
export const MAX_RECORD_MIDS = 100

export type AttemptOutcome = 'delivered' | 'retrying' | 'dropped'

/** One HTTP attempt, as `onAttempt` reports it (the journal's entry). Never holds the secret. */
export interface AttemptRecord {
  readonly webhookId: string
  /** The URL with its user name, password and query redacted. */
  readonly url: string
  readonly batchId: string
  /** Events in the batch. */
  readonly size: number
  /** The distinct mids the batch is about (at most `MAX_RECORD_MIDS`). */
  readonly mids: readonly string[]
  /** 0 = the first attempt, 1 = the first retry, … */
  readonly attempt: number
  /** The answer's HTTP status; null when there was none (`error` says why). */
  readonly status: number | null
  readonly error?: string
  /** What became of the batch after this attempt. */
  readonly outcome: AttemptOutcome
  /** Real time the attempt took, ms. */
  readonly durationMs: number
  /** When the attempt started, by the mock's clock (epoch ms). */
  readonly at: number
}

/** A batch that was delivered or dropped, as the admin API lists it. */
export interface BatchRecord {
  readonly batchId: string
  readonly size: number
  readonly mids: readonly string[]
  /** Attempts made (1 + retries). */
  readonly attempts: number
  readonly outcome: 'delivered' | 'dropped'
  /** Why a dropped batch was dropped: every attempt failed, or a drain's deadline came first. */
  readonly reason?: 'retries' | 'deadline'
  /** The last attempt's status (null: no answer). */
  readonly status: number | null
  readonly error?: string
  /** `entry[].time` of the batch: when it was first sent, by the mock's clock. */
  readonly sentAt: number
  readonly finishedAt: number
}

/** The batch being sent or waiting for its next attempt. */
export interface InFlightState {
  readonly batchId: string
  readonly size: number
  readonly mids: readonly string[]
  /** The attempt under way, or the next one while `waiting`. */
  readonly attempt: number
  readonly phase: 'sending' | 'waiting'
  /** While `waiting`: real milliseconds until the next attempt. */
  readonly nextAttemptInMs?: number
  readonly sentAt: number
  /** The previous attempt's status or error, once there was one. */
  readonly lastStatus?: number | null
  readonly lastError?: string
}

export interface DispatcherCounters {
  /** Events accepted into the queue. */
  eventsQueued: number
  /** Events of a kind the webhook does not subscribe to: not queued. */
  eventsUnsubscribed: number
  /** Events refused because `maxQueued` were already waiting. */
  eventsOverflowed: number
  eventsDelivered: number
  /** Events of dropped batches, and events still waiting when a drain's deadline passed. */
  eventsDropped: number
  batchesSent: number
  batchesDelivered: number
  batchesDropped: number
  /** HTTP attempts (first attempts and retries). */
  attempts: number
  retries: number
}

export interface DispatcherState {
  readonly webhookId: string
  readonly url: string
  readonly events: readonly WebhookEventName[]
  readonly settings: DeliverySettings
  /** Events waiting for a batch. */
  readonly pending: number
  readonly inFlight: InFlightState | null
  readonly draining: boolean
  /** The last finished batches, newest first. */
  readonly finished: readonly BatchRecord[]
  readonly counters: Readonly<DispatcherCounters>
}

/** Events counted by one drain: everything waiting or in flight when it started or enqueued during it. */
export interface DrainResult {
  readonly delivered: number
  /** Given up (every attempt failed, or no retry fitted before the deadline). */
  readonly dropped: number
  /** Still waiting or in flight when the deadline passed: dropped too, unsent or unanswered. */
  readonly left: number
}

export type EnqueueResult = 'queued' | 'unsubscribed' | 'overflow' | 'closed'

/** What of a webhook's configuration the dispatcher may take from a newer config of the same webhook. */
export type DeliverySettings = Pick<
  WebhookConfig,
  'batchMax' | 'batchWaitMs' | 'timeoutMs' | 'retries' | 'backoffMs'
>

export interface DispatcherOptions {
  readonly clock: Clock
  readonly transport?: WebhookTransport
  /**
   * Called after every attempt, once `state()` shows its outcome (the batch finished, or waiting
   * for its retry); it may enqueue, drain or close. An exception it throws is ignored.
   */
  readonly onAttempt?: (record: AttemptRecord) => void
  readonly maxQueued?: number
  readonly historySize?: number
}

export interface Dispatcher {
  readonly webhookId: string
  /**
   * Queues an event unless the webhook does not subscribe to it (`subscribed`, by default the
   * webhook's `events`), the queue is full or the dispatcher is closed.
   */
  enqueue(event: MessagingEvent, subscribed?: readonly WebhookEventName[]): EnqueueResult
  /** Takes the delivery settings of a newer config of the same webhook, from the next batch or attempt on. */
  reconfigure(settings: DeliverySettings): void
  state(): DispatcherState
  /**
   * Sends everything now, without waiting to fill batches (events enqueued meanwhile too), retrying
   * only while a retry starts before `deadlineMs` (real ms from now) passes. Resolves once nothing
   * waits or at the deadline, when what is left is dropped. A second call during a drain gets the
   * first one's promise.
   */
  drain(deadlineMs: number): Promise<DrainResult>
  /** Cancels every timer and the request in flight and forgets the queue; enqueue refuses from then on. */
  close(): void
}

function deliverySettings(config: DeliverySettings): DeliverySettings {
  const { batchMax, batchWaitMs, timeoutMs, retries, backoffMs } = config
  return { batchMax: Math.max(1, batchMax), batchWaitMs, timeoutMs, retries, backoffMs }
}

function distinctMids(events: readonly MessagingEvent[]): string[] {
  const mids = new Set<string>()
  for (const event of events) {
    for (const mid of midsOf(event)) {
      if (mids.size >= MAX_RECORD_MIDS) return [...mids]
      mids.add(mid)
    }
  }
  return [...mids]
}

function isDelivery(result: TransportResult): boolean {
  return 'status' in result && result.status >= 200 && result.status <= 299
}

interface Batch {
  readonly id: string
  readonly size: number
  readonly mids: readonly string[]
  readonly bytes: Buffer<ArrayBuffer>
  readonly signature: string
  readonly sentAt: number
  /** Attempts made so far. */
  attempts: number
  lastStatus?: number | null
  lastError?: string
}

/** The batch being sent (an attempt under way) or waiting for its retry. */
interface Flight {
  readonly batch: Batch
  phase: 'sending' | 'waiting'
  /** While sending: aborts the request. */
  controller?: AbortController
  /** While sending: the attempt's timeout; while waiting: the retry. */
  timer?: NodeJS.Timeout
  /** While sending: settles the attempt as abandoned (a drain's deadline); its record, to report. */
  abandon?: (error: string) => AttemptRecord | undefined
  /** While waiting: real time (performance.now) of the retry. */
  retryAt?: number
}

interface Drain {
  readonly deadlineAt: number
  readonly timer: NodeJS.Timeout
  readonly promise: Promise<DrainResult>
  readonly resolve: (result: DrainResult) => void
  delivered: number
  dropped: number
}

/** Every counter at 0: a new dispatcher's, and the start of a sum over several. */
export function zeroCounters(): DispatcherCounters {
  return {
    eventsQueued: 0,
    eventsUnsubscribed: 0,
    eventsOverflowed: 0,
    eventsDelivered: 0,
    eventsDropped: 0,
    batchesSent: 0,
    batchesDelivered: 0,
    batchesDropped: 0,
    attempts: 0,
    retries: 0,
  }
}

export function createDispatcher(webhook: WebhookConfig, options: DispatcherOptions): Dispatcher {
  const { clock, onAttempt } = options
  const transport = options.transport ?? fetchTransport
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED
  const historySize = options.historySize ?? DEFAULT_HISTORY_SIZE
  const url = redactUrl(webhook.url)
  const batchPrefix = randomBytes(4).toString('hex')
  let settings = deliverySettings(webhook)
  let batchSeq = 0

  // The queue: events and their real arrival times from `head` on (compacted now and then).
  let queued: MessagingEvent[] = []
  let arrivals: number[] = []
  let head = 0
  const pendingCount = () => queued.length - head

  const finished: BatchRecord[] = []
  const counters: DispatcherCounters = zeroCounters()

  let flight: Flight | undefined
  let waitTimer: NodeJS.Timeout | undefined
  let pumpScheduled = false
  let drain: Drain | undefined
  let closed = false

  const report = (record: AttemptRecord) => {
    try {
      onAttempt?.(record)
    } catch {
      // A listener's failure must not stop the webhook.
    }
  }

  const clearWait = () => {
    if (waitTimer !== undefined) clearTimeout(waitTimer)
    waitTimer = undefined
  }

  const take = (count: number): MessagingEvent[] => {
    const events = queued.slice(head, head + count)
    head += count
    if (head === queued.length) {
      queued = []
      arrivals = []
      head = 0
    } else if (head >= 1024 && head * 2 >= queued.length) {
      queued = queued.slice(head)
      arrivals = arrivals.slice(head)
      head = 0
    }
    return events
  }

  const forgetQueue = (): number => {
    const count = pendingCount()
    queued = []
    arrivals = []
    head = 0
    return count
  }

  /** Sends the next batch when one is due, or sets the timer for when it will be. */
  const pump = () => {
    if (closed || flight !== undefined) return
    const waiting = pendingCount()
    if (waiting === 0) {
      clearWait()
      return
    }
    const now = performance.now()
    const waited = now - (arrivals[head] ?? now)
    if (drain !== undefined || waiting >= settings.batchMax || waited >= settings.batchWaitMs) {
      clearWait()
      send(take(Math.min(waiting, settings.batchMax)))
      return
    }
    waitTimer ??= setTimeout(() => {
      waitTimer = undefined
      pump()
    }, settings.batchWaitMs - waited).unref()
  }

  /** Pumps on the next turn of the event loop, so events enqueued together go together. */
  const schedulePump = () => {
    if (pumpScheduled) return
    pumpScheduled = true
    setImmediate(() => {
      pumpScheduled = false
      pump()
    })
  }

  const send = (events: MessagingEvent[]) => {
    const sentAt = clock.now()
    const { bytes } = encodeEnvelope(webhook.id, sentAt, events)
    batchSeq += 1
    const batch: Batch = {
      id: `${batchPrefix}-${batchSeq}`,
      size: events.length,
      mids: distinctMids(events),
      bytes,
      signature: signWebhookBody(bytes, webhook.appSecret, webhook.signature),
      sentAt,
      attempts: 0,
    }
    counters.batchesSent += 1
    attempt(batch)
  }

  const finishBatch = (batch: Batch, outcome: 'delivered' | 'dropped', reason?: 'retries' | 'deadline') => {
    flight = undefined
    if (outcome === 'delivered') {
      counters.eventsDelivered += batch.size
      counters.batchesDelivered += 1
      if (drain !== undefined) drain.delivered += batch.size
    } else {
      counters.eventsDropped += batch.size
      counters.batchesDropped += 1
      if (drain !== undefined && reason === 'retries') drain.dropped += batch.size
    }
    finished.push({
      batchId: batch.id,
      size: batch.size,
      mids: batch.mids,
      attempts: batch.attempts,
      outcome,
      ...(reason !== undefined ? { reason } : {}),
      status: batch.lastStatus ?? null,
      ...(batch.lastError !== undefined ? { error: batch.lastError } : {}),
      sentAt: batch.sentAt,
      finishedAt: clock.now(),
    })
    if (finished.length > historySize) finished.shift()
  }

  const attempt = (batch: Batch) => {
    const number = batch.attempts
    batch.attempts += 1
    counters.attempts += 1
    if (number > 0) counters.retries += 1
    const controller = new AbortController()
    const started = performance.now()
    const at = clock.now()
    const { timeoutMs } = settings
    const current: Flight = { batch, phase: 'sending', controller }
    flight = current
    let settled = false

    /** Notes the result on the batch; the record is reported once the state shows the outcome. */
    const record = (result: TransportResult, outcome: AttemptOutcome): AttemptRecord => {
      const status = 'status' in result ? result.status : null
      batch.lastStatus = status
      if ('error' in result) batch.lastError = result.error
      else delete batch.lastError
      return {
        webhookId: webhook.id,
        url,
        batchId: batch.id,
        size: batch.size,
        mids: batch.mids,
        attempt: number,
        status,
        ...('error' in result ? { error: result.error } : {}),
        outcome,
        durationMs: Math.round(performance.now() - started),
        at,
      }
    }

    const settle = (result: TransportResult) => {
      if (settled) return
      settled = true
      clearTimeout(current.timer)
      if (closed || flight !== current) return
      if (isDelivery(result)) {
        const delivered = record(result, 'delivered')
        finishBatch(batch, 'delivered')
        report(delivered)
      } else {
        const delay = settings.backoffMs * 2 ** number
        const retryAt = performance.now() + delay
        const mayRetry = number < settings.retries && (drain === undefined || retryAt < drain.deadlineAt)
        if (mayRetry) {
          const retrying = record(result, 'retrying')
          current.phase = 'waiting'
          current.retryAt = retryAt
          delete current.controller
          delete current.abandon
          current.timer = setTimeout(() => {
            if (flight === current) attempt(batch)
          }, delay).unref()
          report(retrying)
          return
        }
        const dropped = record(result, 'dropped')
        finishBatch(batch, 'dropped', 'retries')
        report(dropped)
      }
      // The next batch on the next turn of the event loop: by then the connection is back in the pool.
      schedulePump()
      settleDrain()
    }

    current.abandon = (error) => {
      if (settled) return undefined
      settled = true
      clearTimeout(current.timer)
      controller.abort()
      return record({ error }, 'dropped')
    }
    current.timer = setTimeout(() => {
      controller.abort()
      settle({ error: `timeout: no answer within ${timeoutMs} ms` })
    }, timeoutMs).unref()

    transport({
      url: webhook.url,
      body: batch.bytes,
      signature: batch.signature,
      batchId: batch.id,
      attempt: number,
      timeoutMs,
      signal: controller.signal,
    }).then(settle, (error: unknown) => settle({ error: describeError(error) }))
  }

  /** Ends the drain once nothing waits and nothing is in flight. */
  const settleDrain = () => {
    if (drain === undefined || flight !== undefined || pendingCount() > 0) return
    endDrain(0)
  }

  const endDrain = (left: number) => {
    if (drain === undefined) return
    clearTimeout(drain.timer)
    const { resolve, delivered, dropped } = drain
    drain = undefined
    resolve({ delivered, dropped, left })
  }

  /** The drain's deadline: the batch in flight and everything waiting are dropped. */
  const deadlinePassed = () => {
    let left = forgetQueue()
    counters.eventsDropped += left
    const abandoned = flight
    let last: AttemptRecord | undefined
    if (abandoned !== undefined) {
      left += abandoned.batch.size
      if (abandoned.phase === 'sending')
        last = abandoned.abandon?.('drain deadline passed: attempt abandoned')
      else clearTimeout(abandoned.timer)
      finishBatch(abandoned.batch, 'dropped', 'deadline')
    }
    clearWait()
    endDrain(left)
    if (last !== undefined) report(last)
  }

  return {
    webhookId: webhook.id,
    enqueue(event, subscribed = webhook.events) {
      if (closed) return 'closed'
      const key = eventKeyOf(event)
      if (!subscribed.some((name) => WEBHOOK_EVENTS[name] === key)) {
        counters.eventsUnsubscribed += 1
        return 'unsubscribed'
      }
      if (pendingCount() >= maxQueued) {
        counters.eventsOverflowed += 1
        return 'overflow'
      }
      queued.push(event)
      arrivals.push(performance.now())
      counters.eventsQueued += 1
      schedulePump()
      return 'queued'
    },

    reconfigure(next) {
      settings = deliverySettings(next)
      // A shorter wait may make the waiting events due now.
      clearWait()
      schedulePump()
    },

    state() {
      let inFlight: InFlightState | null = null
      if (flight !== undefined) {
        const { batch } = flight
        inFlight = {
          batchId: batch.id,
          size: batch.size,
          mids: batch.mids,
          attempt: flight.phase === 'sending' ? batch.attempts - 1 : batch.attempts,
          phase: flight.phase,
          ...(flight.retryAt !== undefined && flight.phase === 'waiting'
            ? { nextAttemptInMs: Math.max(0, Math.round(flight.retryAt - performance.now())) }
            : {}),
          sentAt: batch.sentAt,
          ...(batch.lastStatus !== undefined ? { lastStatus: batch.lastStatus } : {}),
          ...(batch.lastError !== undefined ? { lastError: batch.lastError } : {}),
        }
      }
      return {
        webhookId: webhook.id,
        url,
        events: webhook.events,
        settings,
        pending: pendingCount(),
        inFlight,
        draining: drain !== undefined,
        finished: finished.slice().reverse(),
        counters: { ...counters },
      }
    },

    drain(deadlineMs) {
      if (drain !== undefined) return drain.promise
      if (closed || (flight === undefined && pendingCount() === 0)) {
        return Promise.resolve({ delivered: 0, dropped: 0, left: 0 })
      }
      let resolve!: (result: DrainResult) => void
      const promise = new Promise<DrainResult>((done) => (resolve = done))
      // Not unref'd: on shutdown, the drain is what keeps the process alive until it ends.
      const timer = setTimeout(deadlinePassed, Math.max(0, deadlineMs))
      drain = {
        deadlineAt: performance.now() + deadlineMs,
        timer,
        promise,
        resolve,
        delivered: 0,
        dropped: 0,
      }
      clearWait()
      pump()
      return promise
    },

    close() {
      if (closed) return
      closed = true
      clearWait()
      const left = forgetQueue()
      const current = flight
      flight = undefined
      if (current !== undefined) {
        clearTimeout(current.timer)
        current.controller?.abort()
      }
      endDrain(left + (current?.batch.size ?? 0))
    },
  }
}
