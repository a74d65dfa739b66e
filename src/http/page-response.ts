import type { FastifyReply } from 'fastify'
import { PAGE_STYLE_HASH } from '../views/layout.js'

/**
 * Headers of everything a conversation link opens, page or JSON. The token is in the URL: no
 * referrer, no caching. The page runs no script and loads nothing; only its own inline style
 * is allowed. Framing is left allowed: client teams embed the page in their back-office tools.
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

/** JSON through the route's response schema, with the page's headers. */
export function sendPageJson(reply: FastifyReply, status: number, body: object): FastifyReply {
  return reply.code(status).headers(PAGE_SECURITY_HEADERS).send(body)
}
