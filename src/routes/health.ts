import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { FixtureCountsSchema } from '../store/fixture-kinds.js'
import type { Store } from '../store/store.js'

export const HealthResponse = Type.Object({
  status: Type.Literal('ok'),
  fixtures: FixtureCountsSchema,
})

/** `GET /health`: unauthenticated liveness for Docker's HEALTHCHECK and orchestrators. */
export const healthRoute: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  const schema = {
    summary: 'Liveness and the size of the fixtures served',
    response: { 200: HealthResponse },
  }
  app.get('/health', { schema }, async () => ({
    status: 'ok' as const,
    fixtures: store.counts,
  }))
}
