import type { FastifyReply } from 'fastify'

export const TEXT_PLAIN = 'text/plain; charset=utf-8'

/**
 * API errors are plain text (docs/contract.md §1, D7, D8). `nosniff`: a browser never reads one
 * as anything else, however much of the client's input it quotes.
 */
export function sendText(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('x-content-type-options', 'nosniff').type(TEXT_PLAIN).send(message)
}
