// The floor of `npm run bench`: the least a Fastify 5 server can do and still answer the signed
// Reporting API as the contract says — HMAC check over the raw body in a hook (required headers,
// authorization format, date, clock skew, key, HMAC-SHA256 in constant time), JSON parse, a
// TypeBox-compiled body check of the same shape, and then per endpoint:
// - getmessagingdetail: staff and customer lookup, a link signed with an HMAC (the URL shape of
//   src/links/link-signer.ts), the same reply;
// - getcalllist, getonlinehelplist: the people looked up, a list sorted newest first per person
//   and per pair (built once), a binary search for the window's end, a scan of at most 20 items
//   with the request's filters, each item built with its people's names and, where the mock mints
//   one, a link signed with an HMAC; JSON.stringify with the 64-bit ids written exactly;
// - getstaffmessaginglist, getcustomermessaginglist: the daily rows (sender, receiver, day) per
//   sender and per sender and receiver (built once, newest day first), a binary search, a scan with
//   the page's offset, each row's count within the window by two binary searches over the
//   sender's sent times, a day link signed with an HMAC per row, JSON.stringify;
// and the documented error answers. No logging, no request ids, no diagnosis, no notes header.
// Plain JavaScript, independent of the mock's code, so it measures Fastify and the contract.
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
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
const FIXTURES = process.env.DLG_FIXTURES_DIR
  ? new URL(`file://${resolve(process.env.DLG_FIXTURES_DIR)}/`)
  : new URL('../fixtures/', import.meta.url)
/** A fixture file's records; a missing optional file is an empty list, as in the mock. */
const fixtures = (name, optional = false) => {
  const url = new URL(`${name}.json`, FIXTURES)
  return optional && !existsSync(url) ? [] : JSON.parse(readFileSync(url, 'utf8'))
}
const staff = new Map(
  fixtures('staff').map((s) => [
    s.staffId,
    { name: s.name, userType: s.userType ?? 4, appName: s.appName ?? 'Agent Web App' },
  ]),
)
const customers = new Map(
  fixtures('customers').map((c) => [
    c.customerId,
    { name: c.name, userType: c.userType ?? 5, appName: c.appName ?? 'Diyalog Android' },
  ]),
)
const personOf = (key) => (key.startsWith('s:') ? staff : customers).get(key.slice(2))
const pair = (a, b) => (a < b ? `${a}|${b}` : `${b}|${a}`)

/** First index whose value is <= `time` in descending `times`. */
function firstAtOrBefore(times, time) {
  let low = 0
  let high = times.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (times[mid] > time) low = mid + 1
    else high = mid
  }
  return low
}
/** First index whose value is >= `time` (> when `after`) in ascending `times`. */
function bound(times, time, after) {
  let low = 0
  let high = times.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (times[mid] < time || (after && times[mid] === time)) low = mid + 1
    else high = mid
  }
  return low
}

/** Items newest first by `time`, ties by 64-bit id descending, under every key `keysOf` gives. */
function newestFirst(items, keysOf) {
  const sorted = items.sort((a, b) => b.time - a.time || (a.id > b.id ? -1 : a.id < b.id ? 1 : 0))
  const byKey = new Map([['', sorted]])
  for (const item of sorted) {
    for (const key of keysOf(item)) {
      const list = byKey.get(key)
      if (list === undefined) byKey.set(key, [item])
      else list.push(item)
    }
  }
  const lists = new Map(
    [...byKey].map(([key, list]) => [key, { list, times: Float64Array.from(list, (i) => i.time) }]),
  )
  return (key, start, end, accept) => {
    const found = []
    const entry = lists.get(key)
    if (entry === undefined) return found
    for (let i = firstAtOrBefore(entry.times, end); i < entry.list.length && found.length < 20; i++) {
      if (entry.times[i] < start) break
      if (accept === undefined || accept(entry.list[i])) found.push(entry.list[i])
    }
    return found
  }
}

const keyOf = (side) => (side.staffId !== undefined ? `s:${side.staffId}` : `c:${side.customerId}`)
const calls = newestFirst(
  fixtures('calls', true).map((call) => ({
    ...call,
    id: BigInt(call.callId),
    time: Date.parse(call.startedAt),
    endedMs: Date.parse(call.endedAt),
    a: keyOf(call.initiator),
    b: keyOf(call.receiver),
  })),
  (call) => [call.a, call.b, pair(call.a, call.b)],
)
const sessions = newestFirst(
  fixtures('online-help', true).map((session) => ({
    ...session,
    id: BigInt(session.onlineHelpId),
    time: Date.parse(session.requestedAt),
    startedMs: session.startedAt === undefined ? undefined : Date.parse(session.startedAt),
    endedMs: session.endedAt === undefined ? undefined : Date.parse(session.endedAt),
  })),
  (s) =>
    s.agentId === undefined
      ? [`c:${s.customerId}`]
      : [`c:${s.customerId}`, `s:${s.agentId}`, pair(`c:${s.customerId}`, `s:${s.agentId}`)],
)

/**
 * The messaging lists' daily rows (D15 days cut at 00:00 UTC, D16 counts): one per (sender,
 * receiver, day) — a group message reaches every other member — newest day first, then private rows
 * before group rows by group id (D35), then by receiver; each row keeps its sender's sent times in its conversation.
 */
const DAY_MS = 86_400_000
const rowsBy = new Map()
{
  const groups = new Map(
    fixtures('groups', true).map((g) => [
      g.groupId,
      [...g.staffIds.map((id) => `s:${id}`), ...(g.customerIds ?? []).map((id) => `c:${id}`)],
    ]),
  )
  const push = (key, row) => {
    const list = rowsBy.get(key)
    if (list === undefined) rowsBy.set(key, [row])
    else list.push(row)
  }
  for (const conversation of fixtures('conversations')) {
    const members =
      conversation.groupId !== undefined
        ? groups.get(conversation.groupId)
        : conversation.staffIds !== undefined
          ? conversation.staffIds.map((id) => `s:${id}`)
          : [`s:${conversation.staffId}`, `c:${conversation.customerId}`]
    const sent = new Map()
    const rows = new Map()
    for (const message of conversation.messages) {
      const from =
        message.from === 'staff'
          ? `s:${conversation.staffId}`
          : message.from === 'customer'
            ? `c:${conversation.customerId}`
            : keyOf(message.from)
      const ms = Date.parse(message.sentAt)
      if (!sent.has(from)) sent.set(from, [])
      sent.get(from).push(ms)
      const day = ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS)
      if (rows.has(`${from} ${day}`)) continue
      rows.set(`${from} ${day}`, true)
      for (const receiver of members.filter((member) => member !== from)) {
        const row = { sender: from, receiver, groupId: conversation.groupId ?? 0, day, times: sent.get(from) }
        push(from, row)
        push(`${from}>${receiver}`, row)
      }
    }
    for (const times of sent.values()) times.sort((a, b) => a - b)
  }
  for (const [key, rows] of rowsBy) {
    rows.sort(
      (a, b) =>
        b.day - a.day ||
        a.groupId - b.groupId ||
        (a.receiver < b.receiver ? -1 : a.receiver > b.receiver ? 1 : 0),
    )
    rowsBy.set(key, { rows, days: Float64Array.from(rows, (row) => row.day) })
  }
}

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
const Id = Type.String()
const CallListBody = Type.Object({
  startDate: Epoch,
  endDate: Epoch,
  callType: Type.Union([Type.Literal('all'), Type.Literal('video'), Type.Literal('voice')]),
  staffId: Type.Optional(Id),
  customerId: Type.Optional(Id),
  callUseType: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
})
const OnlineHelpListBody = Type.Object({
  startDate: Epoch,
  endDate: Epoch,
  customerId: Type.Optional(Id),
  agentId: Type.Optional(Id),
})
const Page = Type.Integer({ minimum: 1, maximum: 1_000_000 })
const messagingListBody = (required, filter) =>
  Type.Object({
    startDate: Epoch,
    endDate: Epoch,
    [required]: Id,
    [filter]: Type.Optional(Id),
    isGroupMessaging: Type.Optional(Type.Boolean()),
    pageNumber: Page,
    pageSize: Page,
  })

const REVERSED = 'startDate is after endDate: the window is reversed'
const USE_TYPES = ['UNKOWN', 'DIYALOG_STANDART_CALL', 'VIDEO_HELP_CALL', 'ONLINE_HELP_CALL']
/** An HMAC-SHA256 link signature over the kind's tag, its fields and the expiry. */
const linkSignature = (text, encoding) => createHmac('sha256', linkKey).update(text).digest(encoding)
/** The answer of a list: items written by `write` (64-bit ids as exact integers), as JSON text. */
const sendList = (reply, items, write = String) =>
  reply.type('application/json; charset=utf-8').send(`[${items.map(write).join(',')}]`)

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

    api.post('/reporting/getcalllist', { schema: { body: CallListBody } }, async (request, reply) => {
      const { startDate, endDate, callType, staffId, customerId, callUseType } = request.body
      if (startDate > endDate) throw new Refusal([500, REVERSED])
      if (
        (staffId !== undefined && !staff.has(staffId)) ||
        (customerId !== undefined && !customers.has(customerId))
      )
        return sendList(reply, [])
      const s = staffId === undefined ? undefined : `s:${staffId}`
      const c = customerId === undefined ? undefined : `c:${customerId}`
      const accept =
        callType === 'all' && callUseType === undefined
          ? undefined
          : (call) =>
              (callType === 'all' || call.callType === callType) &&
              (callUseType === undefined || call.useType === callUseType)
      const found = calls(
        s !== undefined && c !== undefined ? pair(s, c) : (s ?? c ?? ''),
        startDate,
        endDate,
        accept,
      )
      const expires = Date.now() + LINK_TTL_MS
      base ??= `http://${HOST}:${app.server.address().port}`
      return sendList(reply, found, (call) => {
        const initiator = personOf(call.a)
        const receiver = personOf(call.b)
        const item = {
          initiatorId: call.a.slice(2),
          nameOfInitiator: initiator?.name ?? '',
          initiatorUserType: initiator?.userType,
          initiatorAppName: call.initiatorAppName ?? initiator?.appName,
          receiverId: call.b.slice(2),
          nameOfReceiver: receiver?.name ?? '',
          receiverUserType: receiver?.userType,
          receiverAppName: call.receiverAppName ?? receiver?.appName,
          callStartedAt: call.time,
          callEndedAt: call.endedMs,
          callTime: call.connectedSeconds,
          callType: call.callType,
          callState: call.state,
          callViewUrl: call.recording
            ? `${base}/v1/playrecords/${encodeURIComponent(call.callId)}?signature=${linkSignature(
                `diyalog-mock recording link v1\n${call.callId}\n${expires}`,
                'hex',
              )}&expires=${expires}`
            : '',
          callUseType: USE_TYPES[call.useType],
        }
        return `{"callId":${call.callId},${JSON.stringify(item).slice(1)}`
      })
    })

    api.post(
      '/reporting/getonlinehelplist',
      { schema: { body: OnlineHelpListBody } },
      async (request, reply) => {
        const { startDate, endDate, customerId, agentId } = request.body
        if (startDate > endDate) throw new Refusal([500, REVERSED])
        if (
          (customerId !== undefined && !customers.has(customerId)) ||
          (agentId !== undefined && !staff.has(agentId))
        )
          return sendList(reply, [])
        const c = customerId === undefined ? undefined : `c:${customerId}`
        const a = agentId === undefined ? undefined : `s:${agentId}`
        const found = sessions(
          a !== undefined && c !== undefined ? pair(c, a) : (c ?? a ?? ''),
          startDate,
          endDate,
        )
        const expiresAt = Date.now() + LINK_TTL_MS
        base ??= `http://${HOST}:${app.server.address().port}`
        return sendList(reply, found, (session) => {
          const started =
            session.state !== 'onlinehelp_requested' && session.state !== 'onlinehelp_cancelled_by_customer'
          const ended = started && session.state !== 'onlinehelp_started'
          const waitedUntil = started
            ? session.startedMs
            : session.state === 'onlinehelp_cancelled_by_customer'
              ? session.endedMs
              : undefined
          const item = {
            customerNo: session.customerId,
            customerName: customers.get(session.customerId)?.name ?? '',
            agentId: started ? session.agentId : undefined,
            agentName: started ? (staff.get(session.agentId)?.name ?? '') : undefined,
            helpState: session.state,
            helpRequestedAt: session.time,
            helpStartedAt: started ? session.startedMs : undefined,
            helpEndedAt: ended ? session.endedMs : undefined,
            waitTime: waitedUntil === undefined ? undefined : Math.floor((waitedUntil - session.time) / 1000),
            helpTime: ended ? Math.floor((session.endedMs - session.startedMs) / 1000) : undefined,
            conversationDetailLink: started
              ? `${base}/views/onlinehelp/${encodeURIComponent(session.onlineHelpId)}?expiresAt=${expiresAt}&sig=${linkSignature(
                  `diyalog-mock online-help link v1\n${session.onlineHelpId}\n${expiresAt}`,
                  'base64url',
                )}`
              : undefined,
          }
          return `{"onlineHelpId":${session.onlineHelpId},${JSON.stringify(item).slice(1)}`
        })
      },
    )

    const messagingList = (kind, idField, filterField, filterKind) => async (request, reply) => {
      const { startDate, endDate, isGroupMessaging, pageNumber } = request.body
      if (startDate > endDate) throw new Refusal([500, REVERSED])
      const size = Math.min(request.body.pageSize, 20)
      const id = request.body[idField]
      const filter = request.body[filterField]
      const people = kind === 'staff' ? staff : customers
      if (!people.has(id) || (filter !== undefined && !(kind === 'staff' ? customers : staff).has(filter)))
        return sendList(reply, [])
      const sender = `${kind === 'staff' ? 's' : 'c'}:${id}`
      const entry = rowsBy.get(
        filter === undefined ? sender : `${sender}>${filterKind === 'staff' ? 's' : 'c'}:${filter}`,
      )
      const found = []
      if (entry !== undefined) {
        let skip = (pageNumber - 1) * size
        for (
          let i = firstAtOrBefore(entry.days, endDate);
          i < entry.rows.length && found.length < size;
          i++
        ) {
          const row = entry.rows[i]
          if (row.day + DAY_MS - 1 < startDate) break
          if (isGroupMessaging !== undefined && isGroupMessaging !== row.groupId > 0) continue
          const from = Math.max(row.day, startDate)
          const to = Math.min(row.day + DAY_MS - 1, endDate)
          const count = bound(row.times, to, true) - bound(row.times, from, false)
          if (count === 0) continue
          if (skip > 0) skip -= 1
          else found.push({ row, from, to, count })
        }
      }
      const nameOfSender = people.get(id)?.name ?? ''
      const party = `${kind}:${id}`
      const expiresAt = Date.now() + LINK_TTL_MS
      base ??= `http://${HOST}:${app.server.address().port}`
      return sendList(reply, found, ({ row, from, to, count }) => {
        const receiverKind = row.receiver.startsWith('s:') ? 'staff' : 'customer'
        const other = row.groupId > 0 ? `group:${row.groupId}` : `${receiverKind}:${row.receiver.slice(2)}`
        const sig = linkSignature(
          `diyalog-mock day link v1\n${party}\n${other}\n${from}\n${to}\n${expiresAt}`,
          'base64url',
        )
        return JSON.stringify({
          senderId: id,
          nameOfSender,
          receiverId: row.receiver.slice(2),
          nameOfReceiver: personOf(row.receiver)?.name ?? '',
          messagingDate: row.day,
          sendMessageCount: count,
          isGroupMessaging: row.groupId > 0,
          groupId: row.groupId,
          conversationDetailLink:
            `${base}/views/messaging/day?party=${encodeURIComponent(party)}&other=${encodeURIComponent(other)}` +
            `&startDate=${from}&endDate=${to}&expiresAt=${expiresAt}&sig=${sig}`,
        })
      })
    }
    api.post(
      '/reporting/getstaffmessaginglist',
      { schema: { body: messagingListBody('staffId', 'customerId') } },
      messagingList('staff', 'staffId', 'customerId', 'customer'),
    )
    api.post(
      '/reporting/getcustomermessaginglist',
      { schema: { body: messagingListBody('customerId', 'staffId') } },
      messagingList('customer', 'customerId', 'staffId', 'staff'),
    )
  },
  { prefix: '/v1' },
)
await app.listen({ port: PORT, host: HOST })
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
