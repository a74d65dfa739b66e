import type { FastifyReply } from 'fastify'
import { PAGE_STYLE_HASH } from '../views/layout.js'

/**
 * Headers of everything a link opens. The token is in the URL: no referrer, no caching.
 * The page runs no script and loads nothing; only its own inline style is allowed.
 */
export const PAGE_SECURITY_HEADERS = {
  'content-security-policy': `default-src 'none'; style-src ${PAGE_STYLE_HASH}; base-uri 'none'; form-action 'none'`,
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const

export function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers(PAGE_SECURITY_HEADERS).type('text/html; charset=utf-8').send(body)
}
