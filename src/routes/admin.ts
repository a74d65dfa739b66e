import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifySchemaCompiler } from 'fastify'
import { Type, type Static, type TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'
import type { FixtureControl } from '../admin/fixture-control.js'
import type { Faults } from '../admin/faults.js'
import type { Journal } from '../admin/journal.js'
import { AUTH_ERRORS } from '../auth/auth-errors.js'
import { parseInstant, type ControllableClock } from '../clock.js'
import { describeSchemaErrors } from '../http/json-body.js'
import { sendText } from '../http/plain-text.js'
import { FixtureError } from '../store/fixture-loader.js'

/**
 * `/__admin`: the request journal, clock control, fault injection, fixtures and a scenario
 * reset, for test suites (WireMock users will find it familiar). Registered only when
 * `DLG_ADMIN_TOKEN` is set; every call needs `Authorization: Bearer <token>`.
 */

export interface AdminDeps {
  readonly token: string
  readonly journal: Journal
  readonly clock: ControllableClock
  readonly faults: Faults
  readonly fixtures: FixtureControl
}

/** Both sides hashed first, so the comparison takes the same time whatever the lengths. */
function sameToken(given: string, expected: Buffer): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), expected)
}

const Seconds = Type.Number({ minimum: -1e9, maximum: 1e9, description: 'Seconds; may be negative.' })

const JournalQuery = Type.Object(
  {
    path: Type.Optional(Type.String({ description: 'Path prefix, e.g. /v1/reporting' })),
    keyId: Type.Optional(Type.String()),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    auth: Type.Optional(Type.Enum(['ok', 'failed', 'none'] as const)),
    since: Type.Optional(Type.String({ description: 'Epoch milliseconds or an ISO 8601 date.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
)

const FreezeBody = Type.Object(
  {
    at: Type.Optional(
      Type.Union([Type.Number(), Type.String()], { description: 'Epoch milliseconds or an ISO 8601 date.' }),
    ),
  },
  { additionalProperties: false },
)
const FreezeBodyCheck = Compile(FreezeBody)

const FaultBody = Type.Object(
  {
    kind: Type.Enum(['delay', 'auth-error', 'api-error', 'drop'] as const),
    path: Type.Optional(Type.String({ minLength: 1 })),
    keyId: Type.Optional(Type.String({ minLength: 1 })),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })),
    reason: Type.Optional(Type.Enum(Object.keys(AUTH_ERRORS) as (keyof typeof AUTH_ERRORS)[])),
    message: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000 })),
    times: Type.Optional(Type.Integer({ minimum: 1 })),
    forSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false },
)

function instant(value: number | string, clock: ControllableClock): number | undefined {
  if (typeof value === 'number') return value
  return value === 'now' ? clock.now() : parseInstant(value)
}

/**
 * Strict TypeBox validation, like the signed API's: unknown fields are refused, not stripped,
 * and nothing is coerced but query strings and path parameters (which arrive as text).
 * A mistake is a 400 naming the field.
 */
const adminValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = Compile(schema)
  const converts = httpPart === 'querystring' || httpPart === 'params'
  return (value: unknown) => {
    const input = converts ? Value.Convert(schema, value) : value
    if (validator.Check(input)) return { value: input }
    const problem = describeSchemaErrors(validator.Errors(input), input)
    return { error: Object.assign(new Error(`${httpPart ?? 'request'}: ${problem}`), { statusCode: 400 }) }
  }
}

export const adminRoutes: FastifyPluginAsyncTypebox<AdminDeps> = async (app, deps) => {
  const { journal, clock, faults, fixtures } = deps
  app.setValidatorCompiler(adminValidatorCompiler)
  const expected = createHash('sha256').update(deps.token).digest()

  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization ?? ''
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : ''
    if (!sameToken(token, expected)) {
      reply.header('www-authenticate', 'Bearer realm="diyalog-mock admin"')
      return sendText(reply, 401, 'Admin API: send Authorization: Bearer <DLG_ADMIN_TOKEN>')
    }
  })

  const clockState = () => {
    const state = clock.state()
    return { ...state, iso: new Date(state.now).toISOString() }
  }

  // Request journal
  app.get('/requests', { schema: { querystring: JournalQuery } }, async (request, reply) => {
    const { since, ...filter } = request.query
    const sinceMs = since === undefined ? undefined : instant(since, clock)
    if (since !== undefined && sinceMs === undefined) {
      return sendText(reply, 400, 'since must be epoch milliseconds or an ISO 8601 date')
    }
    const entries = journal.list({ ...filter, ...(sinceMs === undefined ? {} : { since: sinceMs }) })
    return {
      size: journal.size,
      limit: journal.limit,
      requests: entries.map((entry) => ({ ...entry, at: new Date(entry.time).toISOString() })),
    }
  })
  app.delete('/requests', async () => {
    journal.clear()
    return { size: 0 }
  })

  // Clock control
  app.get('/clock', async () => clockState())
  // The body is optional ({"at": …}); without one the clock stops where it is.
  app.post<{ Body: Static<typeof FreezeBody> | undefined }>('/clock/freeze', async (request, reply) => {
    if (request.body !== undefined && !FreezeBodyCheck.Check(request.body)) {
      return sendText(
        reply,
        400,
        'body: {"at": epoch milliseconds or an ISO 8601 date}, or no body to freeze now',
      )
    }
    const given = request.body?.at
    const at = given === undefined ? clock.now() : instant(given, clock)
    if (at === undefined) return sendText(reply, 400, 'at must be epoch milliseconds or an ISO 8601 date')
    clock.freeze(at)
    return clockState()
  })
  const SecondsBody = { body: Type.Object({ seconds: Seconds }, { additionalProperties: false }) }
  app.post('/clock/offset', { schema: SecondsBody }, async (request) => {
    clock.offset(request.body.seconds)
    return clockState()
  })
  app.post('/clock/advance', { schema: SecondsBody }, async (request) => {
    clock.advance(request.body.seconds)
    return clockState()
  })
  app.post('/clock/reset', async () => {
    clock.reset()
    return clockState()
  })

  // Fault injection
  app.get('/faults', async () => ({ faults: faults.list() }))
  app.post('/faults', { schema: { body: FaultBody } }, async (request, reply) => {
    const spec = request.body
    if (spec.kind === 'delay' && spec.delayMs === undefined)
      return sendText(reply, 400, 'a delay fault needs delayMs')
    const path = spec.path
    if (
      path !== undefined &&
      (!path.startsWith('/') || path.startsWith('/__admin') || path.startsWith('/health'))
    ) {
      return sendText(
        reply,
        400,
        'path must start with / and name an API or page path: the admin API and /health get no faults',
      )
    }
    if (spec.kind === 'auth-error' && spec.reason === undefined) {
      return sendText(
        reply,
        400,
        `an auth-error fault needs reason: one of ${Object.keys(AUTH_ERRORS).join(', ')}`,
      )
    }
    return reply.code(201).send(faults.add(spec))
  })
  app.delete('/faults', async () => {
    faults.clear()
    return { faults: [] }
  })
  app.delete(
    '/faults/:id',
    { schema: { params: Type.Object({ id: Type.String() }) } },
    async (request, reply) =>
      faults.remove(request.params.id)
        ? reply.code(204).send()
        : sendText(reply, 404, `no fault ${request.params.id}`),
  )

  // Fixtures
  const fixtureAnswer = async (reply: FastifyReply, change: () => unknown) => {
    try {
      return await change()
    } catch (error) {
      if (error instanceof FixtureError)
        return sendText(reply, 422, `${error.message}\n(the previous data is still served)`)
      throw error
    }
  }
  app.get('/fixtures', async () => fixtures.summary())
  app.post('/fixtures/reload', async (_request, reply) => fixtureAnswer(reply, () => fixtures.reload()))
  app.put('/fixtures', { bodyLimit: 256 * 1024 * 1024 }, async (request, reply) =>
    fixtureAnswer(reply, () => fixtures.replace(request.body)),
  )
  app.delete('/fixtures', async () => fixtures.reset())

  // Everything back to the start, between two tests
  app.post('/reset', async () => {
    journal.clear()
    clock.reset()
    faults.clear()
    return {
      clock: clockState(),
      fixtures: await fixtures.reset(),
      journal: { size: journal.size },
      faults: [],
    }
  })
}
