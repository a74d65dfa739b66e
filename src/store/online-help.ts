import type { HelpState, OnlineHelpInput } from './fixture-schema.js'
import { newestFirst } from './newest-first.js'
import { customerKey, pairKey, queryKey, staffKey } from './people.js'
import type { TimeWindow } from './time-index.js'

/** Online-help sessions, by id and newest first by request time: all, per customer, per agent, per pair. */

/** Which of a session record's optional fields its state gives it (D34). */
export interface HelpStateFields {
  readonly agentId: boolean
  readonly startedAt: boolean
  readonly endedAt: boolean
}

/** The states of a session no agent ever joined: no agent, no start, no link (D34). */
const NEVER_STARTED: ReadonlySet<HelpState> = new Set([
  'onlinehelp_requested',
  'onlinehelp_cancelled_by_customer',
])

/** The states of a session that has not ended: the request still waits, or the help runs. */
const NOT_ENDED: ReadonlySet<HelpState> = new Set(['onlinehelp_requested', 'onlinehelp_started'])

/**
 * The fields a session in `state` has (D34): an agent and a start unless no agent ever joined; an
 * end in the three ended states and when the customer cancelled (the moment they gave up); none
 * of the three while the request still waits. The loader requires exactly these.
 */
export function helpStateFields(state: HelpState): HelpStateFields {
  const started = !NEVER_STARTED.has(state)
  return { agentId: started, startedAt: started, endedAt: !NOT_ENDED.has(state) }
}

/** A session's times as the list and the page report them (D34): absent ones undefined. */
export interface OnlineHelpTimes {
  /** When the agent joined. */
  readonly startedAt: number | undefined
  /** When the help ended; a cancelled request has none (its record's end is when it was cancelled). */
  readonly endedAt: number | undefined
  /** Seconds until the agent joined, or until the customer cancelled; none while the request waits. */
  readonly waitTime: number | undefined
  /** Seconds from the start to the end of the help. */
  readonly helpTime: number | undefined
}

/** Whole seconds from `from` to `to` (epoch ms), rounded down. */
const secondsBetween = (from: number, to: number) => Math.floor((to - from) / 1000)

/**
 * What a session's state says it has (D34, `helpStateFields`): a start unless it never started;
 * an end in the three ended states; a wait until the start, or for a cancelled request until it
 * was cancelled, and none while the request still waits. Whole seconds, rounded down. A time the
 * state does not give is ignored, should a store built by hand hold one.
 */
export function onlineHelpTimes(session: OnlineHelpInput): OnlineHelpTimes {
  const fields = helpStateFields(session.state)
  const startedAt = fields.startedAt ? session.startedAt : undefined
  const closedAt = fields.endedAt ? session.endedAt : undefined
  const endedAt = startedAt === undefined ? undefined : closedAt
  const waitedUntil = fields.startedAt ? startedAt : closedAt
  return {
    startedAt,
    endedAt,
    waitTime: waitedUntil === undefined ? undefined : secondsBetween(session.requestedAt, waitedUntil),
    helpTime:
      startedAt === undefined || endedAt === undefined ? undefined : secondsBetween(startedAt, endedAt),
  }
}

/**
 * The window of a session's messages (D36): from the help's start to its end, or to now while it
 * runs; undefined when it never started. A running session whose start is after the clock's now
 * (data dated ahead of the clock) gets the window of its start alone, never a reversed one (D36).
 */
export function onlineHelpWindow(times: OnlineHelpTimes, nowMs: number): TimeWindow | undefined {
  const { startedAt, endedAt } = times
  if (startedAt === undefined) return undefined
  return { start: startedAt, end: endedAt ?? Math.max(startedAt, nowMs) }
}

export interface OnlineHelpQuery {
  readonly window: TimeWindow
  readonly customerId?: string
  readonly agentId?: string
  readonly limit: number
}

export interface OnlineHelpSessions {
  list(query: OnlineHelpQuery): OnlineHelpInput[]
  byId(onlineHelpId: string): OnlineHelpInput | undefined
}

export function indexOnlineHelp(records: readonly OnlineHelpInput[]): OnlineHelpSessions {
  const byId = new Map(records.map((session) => [session.onlineHelpId, session]))
  const index = newestFirst(
    records,
    (session) => session.requestedAt,
    // Only for sessions requested at the same millisecond.
    (session) => BigInt(session.onlineHelpId),
    (session) => {
      const customer = customerKey(session.customerId)
      if (session.agentId === undefined) return [customer]
      const agent = staffKey(session.agentId)
      return [customer, agent, pairKey(customer, agent)]
    },
  )
  return {
    list(query) {
      const customer = query.customerId === undefined ? undefined : customerKey(query.customerId)
      const agent = query.agentId === undefined ? undefined : staffKey(query.agentId)
      return index.list(queryKey(customer, agent), query.window, query.limit)
    },
    byId: (onlineHelpId) => byId.get(onlineHelpId),
  }
}
