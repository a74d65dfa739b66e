import type { TSchema } from 'typebox'
import { GetMessagingDetailBody, ROUTE } from '../routes/getmessagingdetail.js'

/**
 * The example body of a route, for `sign` and `curl` without `--data` or `--body`: the first of
 * the `examples` of the route's body schema, as a client sends it (compact JSON). Loaded only
 * when needed, since the schemas bring TypeBox.
 */

/**
 * The routes that take a body, by `METHOD path` (under the signed scope's `/v1`, V1_PREFIX of
 * routes/v1.ts, which is not imported: it would load Fastify).
 */
const BODY_SCHEMAS: Readonly<Record<string, TSchema>> = {
  [`POST /v1${ROUTE}`]: GetMessagingDetailBody,
}

/** The example body of `method resource` (the query aside), or undefined for a route without one. */
export function exampleBody(method: string, resource: string): string | undefined {
  const key = `${method} ${resource.split('?', 1)[0] ?? ''}`
  const schema = Object.hasOwn(BODY_SCHEMAS, key) ? BODY_SCHEMAS[key] : undefined
  const examples = schema !== undefined && 'examples' in schema ? schema.examples : undefined
  return Array.isArray(examples) && examples.length > 0 ? JSON.stringify(examples[0]) : undefined
}
