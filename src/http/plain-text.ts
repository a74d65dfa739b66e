import type { FastifyReply } from 'fastify'

export const TEXT_PLAIN = 'text/plain; charset=utf-8'

/** API errors are plain text (docs/contract.md §1, D7, D8). */
export function sendText(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type(TEXT_PLAIN).send(message)
}
