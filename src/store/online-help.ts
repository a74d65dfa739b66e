import type { OnlineHelpInput } from './fixture-schema.js'
import { newestFirst } from './newest-first.js'
import { customerKey, pairKey, staffKey } from './people.js'
import type { TimeWindow } from './time-index.js'

/** Online-help sessions, by id and newest first by request time: all, per customer, per agent, per pair. */

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
      const key =
        customer !== undefined && agent !== undefined ? pairKey(customer, agent) : (customer ?? agent)
      return index.list(key, query.window, query.limit)
    },
    byId: (onlineHelpId) => byId.get(onlineHelpId),
  }
}
