import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ControllableClock } from '../clock.js'

/**
 * `onSend`: the `Date` response header reads the server's clock when that is not simply the
 * system clock (an injected clock, or one the admin API moved), so a client can measure the
 * clock the skew check uses. Otherwise Node.js writes its own.
 */
export function dateHeaderHook(clock: ControllableClock, always: boolean) {
  return async function setDate(_request: FastifyRequest, reply: FastifyReply) {
    if (always || clock.shifted) reply.header('date', new Date(clock.now()).toUTCString())
  }
}
