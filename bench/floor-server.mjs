// The floor of `npm run bench`: the least a Fastify 5 server can do and still answer the signed
// `POST /v1/reporting/getmessagingdetail` as the contract says — HMAC check over the raw body in
// a hook (required headers, authorization format, date, clock skew, key, HMAC-SHA256 in
// constant time), JSON parse, a TypeBox-compiled body check of the same shape, staff and
// customer lookup, a link signed with an HMAC (the URL shape of src/links/link-signer.ts), the
// same reply and the documented error answers. No logging, no request ids, no diagnosis.
// Plain JavaScript, independent of the mock's code, so it measures Fastify and the contract.
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'

const PORT = Number(process.env.PORT ?? 3998)
const HOST = process.env.HOST ?? '127.0.0.1'
const BODY_LIMIT = 1024 * 1024
const MAX_SKEW_SECONDS = 900
const LINK_TTL_MS = 1800 * 1000
const keys = new Map([
  ['1234567-8ABC-DEF0-5432-56712ABCDEF5', createSecretKey(Buffer.from('dlg-demo-secret-change-me'))],
])
const decoyKey = createSecretKey(randomBytes(32))
const linkKey = createSecretKey(Buffer.from(process.env.DLG_LINK_SECRET ?? randomBytes(32).toString('hex')))
const fixtures = (name) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8'))
const staff = new Set(fixtures('staff').map((s) => s.staffId))
const customers = new Set(fixtures('customers').map((c) => c.customerId))

const ERRORS = {
  missing: [400, 'Required headers not found'],
  format: [400, 'Authorization failed due to data format not valid'],
  date: [400, 'Authorization failed due to date not valid'],
  skew: [403, 'Request time may not be correct.'],
  signature: [401, 'Authorization failed'],
}
class Refusal extends Error {
  constructor([status, message]) {
    super(message)
    this.statusCode = status
  }
}
const refuse = (row) => {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  const error = new Refusal(row)
  Error.stackTraceLimit = limit
  throw error
}

const MONTHS = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
}
const DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d)(?: GMT)?$/
/** `EEE, dd MMM yyyy HH:mm:ss GMT` as epoch milliseconds, NaN when it is not one. */
function parseDate(value) {
  const m = DATE.exec(value)
  const month = m === null ? undefined : MONTHS[m[2]]
  if (month === undefined) return NaN
  const ms = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]))
  return new Date(ms).getUTCDate() === Number(m[1]) && Number(m[4]) < 24 ? ms : NaN
}

function readBody(stream) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    stream.on('data', (chunk) => {
      size += chunk.length
      if (size > BODY_LIMIT)
        reject(Object.assign(new Error('Request body is too large'), { statusCode: 413 }))
      else chunks.push(chunk)
    })
    stream.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)))
    stream.on('error', (error) => reject(Object.assign(error, { statusCode: 400 })))
  })
}

async function authenticate(request, _reply, payload) {
  const h = request.headers
  const date = h['x-dlg-date']
  const authorization = h['x-dlg-authorization']
  if (!date || !authorization || !h['x-dlg-requester-userid']) refuse(ERRORS.missing)
  const colon = authorization.indexOf(':', 5)
  if (!authorization.startsWith('DLGA ') || colon < 6 || colon === authorization.length - 1)
    refuse(ERRORS.format)
  const dateMs = parseDate(date)
  if (Number.isNaN(dateMs)) refuse(ERRORS.date)
  if (Math.abs(Math.floor(Date.now() / 1000) - dateMs / 1000) > MAX_SKEW_SECONDS) refuse(ERRORS.skew)
  const body = await readBody(payload)
  const known = keys.get(authorization.slice(5, colon))
  const expected = createHmac('sha256', known ?? decoyKey)
    .update(`${request.method}\n${h['content-type'] ?? ''}\n${date}\n`)
    .update(body)
    .update(request.url)
    .digest()
  const given = Buffer.from(authorization.slice(colon + 1), 'base64')
  if (known === undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    refuse(ERRORS.signature)
  }
  request.rawBody = body
  return payload
}

const Epoch = Type.Integer({ minimum: -8.64e15, maximum: 8.64e15 })
const Body = Type.Object({
  staffId: Type.String(),
  customerId: Type.String(),
  startDate: Epoch,
  endDate: Epoch,
})

const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT })
app.decorateRequest('rawBody', null)
app.setErrorHandler((error, _request, reply) =>
  reply
    .code(error.statusCode ?? 500)
    .type('text/plain; charset=utf-8')
    .send(error.statusCode === undefined ? 'Internal server error' : error.message),
)
app.get('/health', async () => ({ status: 'ok' }))
app.register(
  async (api) => {
    api.addHook('preParsing', authenticate)
    api.removeAllContentTypeParsers()
    api.addContentTypeParser('application/json', (request, _payload, done) => {
      try {
        done(null, JSON.parse(request.rawBody.toString('utf8')))
      } catch (error) {
        done(
          Object.assign(new Error(`Invalid request body: not valid JSON (${error.message})`), {
            statusCode: 500,
          }),
        )
      }
    })
    api.setValidatorCompiler(({ schema }) => {
      const check = Compile(schema)
      return (value) =>
        check.Check(value)
          ? { value }
          : { error: Object.assign(new Error('Invalid request body'), { statusCode: 500 }) }
    })
    let base
    api.post('/reporting/getmessagingdetail', { schema: { body: Body } }, async (request) => {
      const { staffId, customerId, startDate, endDate } = request.body
      if (!staff.has(staffId))
        return { conversationDetailLink: '', error: 'Staff not found in the system', isSuccess: false }
      if (!customers.has(customerId))
        return { conversationDetailLink: '', error: 'Customer not found in the system', isSuccess: false }
      if (startDate > endDate)
        return {
          conversationDetailLink: '',
          error: 'Invalid date range: startDate is after endDate',
          isSuccess: false,
        }
      const expiresAt = Date.now() + LINK_TTL_MS
      const sig = createHmac('sha256', linkKey)
        .update(
          `diyalog-mock conversation link v1\n${staffId}\n${customerId}\n${startDate}\n${endDate}\n${expiresAt}`,
        )
        .digest('base64url')
      base ??= `http://${HOST}:${app.server.address().port}`
      return {
        conversationDetailLink:
          `${base}/views/messaging?staffId=${encodeURIComponent(staffId)}&customerId=${encodeURIComponent(customerId)}` +
          `&startDate=${startDate}&endDate=${endDate}&expiresAt=${expiresAt}&sig=${sig}`,
        isSuccess: true,
      }
    })
  },
  { prefix: '/v1' },
)
await app.listen({ port: PORT, host: HOST })
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
