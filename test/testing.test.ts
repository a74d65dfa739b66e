import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  expectTypeOf,
  it,
  onTestFinished,
  vi,
} from 'vitest'
import { ADMIN_OPERATIONS } from '../src/admin/operations.js'
import { DOCS_BODY } from './helpers/signing.js'
import { startReceiver, TEST_SECRET } from './webhooks/listening-receiver.js'
import {
  adminClient,
  startMock,
  type AdminClient,
  type BotConversationView,
  type FaultKind,
  type FaultSpec,
  type JournalEntry,
  type MessagingEvent,
  type RunningMock,
} from '../src/testing.js'

/** The test helper as a client team uses it: one mock for the file, reset between tests. */
describe('startMock', () => {
  let mock: RunningMock
  beforeAll(async () => {
    mock = await startMock({ now: '2021-03-09T13:28:32Z' })
  })
  afterAll(() => mock.stop())
  beforeEach(() => mock.admin.reset())

  const body = JSON.stringify(DOCS_BODY)

  it('serves the bundled fixtures on a free port, signed with the demo key', async () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await mock.fetchSigned('/v1/reporting/getmessagingdetail', { body })
    expect(response.status).toBe(200)
    const { conversationDetailLink } = (await response.json()) as { conversationDetailLink: string }
    expect(conversationDetailLink.startsWith(`${mock.url}/views/messaging?`)).toBe(true)
  })

  it('moves the clock, and the journal says why a request failed', async () => {
    await mock.admin.freezeClock('2021-03-09T13:28:32Z')
    const headers = await mock.signedHeaders('/v1/reporting/getmessagingdetail', { body })
    await mock.admin.advanceClock(16 * 60)
    const late = await fetch(`${mock.url}/v1/reporting/getmessagingdetail`, { method: 'POST', headers, body })
    expect(late.status).toBe(403)
    const [entry] = await mock.admin.requests({ auth: 'failed' })
    expect(entry?.diagnosis?.detail).toBe(
      'x-dlg-date is 960 s behind the server clock (server 2021-03-09T13:44:32Z, request 2021-03-09T13:28:32Z, allowed 900 s either way)',
    )
  })

  it('injects faults and swaps the data set', async () => {
    await mock.admin.addFault({ kind: 'api-error', message: 'Bakımdayız', times: 1 })
    const failed = await mock.fetchSigned('/v1/reporting/getmessagingdetail', { body })
    expect([failed.status, await failed.text()]).toEqual([500, 'Bakımdayız'])
    await mock.admin.replaceFixtures({ staff: [], customers: [], conversations: [] })
    const empty = await mock.fetchSigned('/v1/reporting/getmessagingdetail', { body })
    expect(await empty.json()).toMatchObject({ isSuccess: false, error: 'Staff not found in the system' })
  })

  it('reports an admin mistake as an error naming the call', async () => {
    await expect(mock.admin.offsetClock(Number.NaN)).rejects.toThrow(
      /^diyalog-mock admin POST \/__admin\/clock\/offset: 400/,
    )
  })
})

describe('startMock with its own keys and data', () => {
  it('accepts only the given key, serves the given data set, and stops', async () => {
    const mock = await startMock({
      accessKeys: [{ keyId: 'team-a', secret: 'team-a-secret' }],
      fixtures: {
        staff: [{ staffId: 's1', name: 'Ayşe' }],
        customers: [{ customerId: 'c1', name: 'Ömer' }],
        conversations: [],
      },
    })
    expect([mock.keyId, mock.secret]).toEqual(['team-a', 'team-a-secret'])
    const found = await mock.fetchSigned('/v1/reporting/getmessagingdetail', {
      body: JSON.stringify({ staffId: 's1', customerId: 'c1', startDate: 0, endDate: 1 }),
    })
    expect(await found.json()).toMatchObject({ isSuccess: true })
    await mock.stop()
    await expect(fetch(`${mock.url}/health`)).rejects.toThrow()
  })

  it('refuses an empty key list', async () => {
    await expect(startMock({ accessKeys: [] })).rejects.toThrow('accessKeys must hold at least one key')
  })
})

describe('the admin client', () => {
  /** The demo bot's token (the docs' example) and a user of the bundled fixtures it writes to. */
  const BOT_TOKEN = 'c2dc9bf3e0c3218e9ab22b56002e4644'
  const USER = 'customer:1231232'
  const sendMessage = (url: string, messageId: string, text: string) =>
    fetch(`${url}/v1/bots/sendmessage/${BOT_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        recipient: { appCustomerId: '1231232' },
        message: { messageId, text, quickReplies: [], quickRepliesV2: [] },
      }),
    })
  const sendOtp = (url: string, messageId: string) =>
    fetch(`${url}/v1/bots/sendmok/${BOT_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customerNo: '1231232',
        messageId,
        mokMessage: 'Tek kullanımlık şifreniz 123456',
        mokValue: '33',
        txCode: 'LOG2',
        deviceId: '628FAF5A-B690-4E1A-A0EC-1518A6334F0B',
        buttonsV2: [
          { type: 'postback', title: 'Approve', payload: '123456' },
          { type: 'postback', title: 'Dismiss', payload: 'cancelled' },
        ],
      }),
    })

  it('reaches every operation of the admin table, as the table says', async () => {
    // Frozen, and the simulated users slow: nothing is delivered or read but by the calls below
    // (the clock calls come after them: resetClock goes back to real time).
    const mock = await startMock({
      now: '2021-03-09T13:28:32Z',
      env: { DLG_SIM_DELIVERY_MS: '60000', DLG_SIM_READ_MS: '120000' },
    })
    onTestFinished(() => mock.stop())
    const sent: string[] = []
    const realFetch = globalThis.fetch
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const url = new URL(String(input))
      // The admin client's calls; not the Messaging API's nor the page this test sends itself.
      if (url.pathname.startsWith('/__admin/'))
        sent.push(`${init?.method} ${url.pathname.replace(/^\/__admin/, '')}`)
      return realFetch(input, init)
    })
    onTestFinished(() => void vi.restoreAllMocks())
    const { admin } = mock
    expect(await (await sendMessage(mock.url, 't-1', 'Merhaba')).json()).toEqual({
      recipient_id: '2074022437',
      message_id: 't-1',
    })
    expect((await sendOtp(mock.url, 'otp-1')).status).toBe(200)
    // The journal: the Messaging API's calls are requests the mock answered.
    const [newest] = await admin.requests({ since: new Date(0), direction: 'in', limit: 1 })
    expect(newest).toMatchObject({ method: 'POST', url: '/v1/bots/sendmok/[redacted]', status: 200 })
    // The bots, never with their token.
    const bots = await admin.bots()
    expect(bots).toEqual([
      {
        name: 'demo_bot',
        diyalogId: '295926586',
        alive: true,
        tokenHint: '…4644',
        source: 'demo',
        webhook: null,
      },
    ])
    expect(JSON.stringify(bots)).not.toContain(BOT_TOKEN)
    // The conversation the two messages began, and a page of it.
    expect(await admin.botConversations('demo_bot')).toEqual([
      expect.objectContaining({
        bot: 'demo_bot',
        recipient: expect.objectContaining({ kind: 'customer', id: '1231232' }),
        messages: 2,
        toUser: 2,
        undelivered: 2,
      }),
    ])
    const second = await admin.botConversation('demo_bot', USER, { offset: 1, limit: 1 })
    expect([second.total, second.messages.map((message) => message.mid)]).toEqual([2, ['otp-1']])
    // The user's behaviour, then the simulation: its delays, what waits, who was changed.
    expect(await admin.setUserBehaviour(USER, { reading: 'never' })).toEqual({ events: [] })
    expect(await admin.simulation()).toMatchObject({
      deliveryMs: 60_000,
      readMs: 120_000,
      pending: { undelivered: 2, unread: 0 },
      users: [{ user: USER, behaviour: { presence: 'online', reading: 'never' } }],
    })
    // The user's side of t-1: delivered, read (though its reading is never: by hand), answered.
    const { events: delivered } = await admin.deliver({ messageId: 't-1' })
    expect(delivered).toEqual([
      expect.objectContaining({ delivery: expect.objectContaining({ mids: ['t-1'] }) }),
    ])
    const { events: read } = await admin.read({ messageId: 't-1' })
    expect(read).toEqual([expect.objectContaining({ reads: expect.objectContaining({ mids: ['t-1'] }) })])
    const { events: replied } = await admin.reply({ messageId: 't-1', text: 'Sağ olun' })
    expect(replied).toEqual([expect.objectContaining({ message: { mid: 't-1', text: 'Sağ olun' } })])
    // The OTP: a button pressed by its title, then approved; each a Messages event with its payload.
    const pressed = await admin.press({ messageId: 'otp-1', button: 'Dismiss' })
    expect(pressed.events.at(-1)).toMatchObject({ message: { mid: 'otp-1', text: '[otp-1]:cancelled' } })
    const approved = await admin.otp({ messageId: 'otp-1', action: 'approve' })
    expect(approved.events).toEqual([
      expect.objectContaining({ message: { mid: 'otp-1', text: '[otp-1]:123456' } }),
    ])
    // A link to the conversation's page, which opens without credentials.
    const { link, expiresAt } = await admin.botLink('demo_bot', USER)
    expect(link.startsWith(`${mock.url}/views/bot/demo_bot?with=customer%3A1231232&`)).toBe(true)
    expect(expiresAt).toBeGreaterThan(Date.parse('2021-03-09T13:28:32Z'))
    const page = await fetch(link)
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8'])
    expect(await page.text()).toContain('Sağ olun')
    // No webhook configured: nothing queued, nothing sent.
    expect(await admin.webhooks()).toEqual({
      webhooks: [],
      totals: expect.objectContaining({ eventsQueued: 0, batchesSent: 0 }),
    })
    // The journal, the clock, the faults, the fixtures.
    await admin.clearRequests()
    await admin.clock()
    await admin.freezeClock(new Date('2021-03-09T13:28:32Z'))
    await admin.offsetClock(1)
    await admin.advanceClock(1)
    await admin.resetClock()
    const fault = await admin.addFault({ kind: 'delay', delayMs: 1, path: '/v1/none' })
    expect(await admin.faults()).toEqual([expect.objectContaining({ id: fault.id, kind: 'delay' })])
    await admin.removeFault(fault.id)
    await admin.clearFaults()
    expect((await admin.fixtures()).counts).toMatchObject({ staff: 7, calls: 99 })
    await admin.replaceFixtures({ staff: [], customers: [], conversations: [] })
    await admin.reloadFixtures()
    await admin.resetFixtures()
    // Everything back to the start.
    await admin.reset()
    const table = Object.values(ADMIN_OPERATIONS).map(
      (operation) =>
        `${operation.method} ${operation.path
          .replace(':id', fault.id)
          .replace(':bot', 'demo_bot')
          .replace(':user', encodeURIComponent(USER))}`,
    )
    expect(sent.sort()).toEqual(table.sort())
  })

  it('follows a message to the webhook: webhooks() counts it, requests({ direction }) tells its POSTs apart', async () => {
    const receiver = await startReceiver()
    const mock = await startMock({
      env: {
        DLG_WEBHOOK_URL: receiver.url,
        DLG_WEBHOOK_SECRET: TEST_SECRET,
        DLG_WEBHOOK_BATCH_WAIT_MS: '0',
        // Delivered and read only by hand: the events are exactly the two below.
        DLG_SIM_DELIVERY_MS: '600000',
        DLG_SIM_READ_MS: '600000',
      },
    })
    onTestFinished(() => mock.stop())
    const { admin } = mock
    expect((await sendMessage(mock.url, 't-1', 'Merhaba')).status).toBe(200)
    // The echo of the send, then the delivery: two events, one or two POSTs.
    await admin.deliver({ messageId: 't-1' })
    await vi.waitFor(
      async () => expect((await admin.webhooks()).totals).toMatchObject({ eventsDelivered: 2 }),
      { timeout: 10_000, interval: 20 },
    )
    const state = await admin.webhooks()
    expect(state.webhooks).toEqual([expect.objectContaining({ url: receiver.url })])
    expect(state.totals).toMatchObject({ eventsQueued: 2, eventsDropped: 0, batchesDropped: 0 })
    const posts = await admin.requests({ direction: 'out' })
    expect(posts.length).toBe(receiver.requests.length)
    expect(posts.length).toBe(state.totals.batchesDelivered)
    for (const post of posts) {
      expect(post).toMatchObject({ method: 'POST', status: 200, webhook: expect.anything() })
    }
    const answered = await admin.requests({ direction: 'in' })
    expect(answered.map((entry) => entry.url)).toEqual(['/v1/bots/sendmessage/[redacted]'])
    expect(answered[0]?.webhook).toBeUndefined()
    expect((await admin.requests()).length).toBe(posts.length + 1)
  })

  it('takes a base URL with a trailing slash, and names the call when the mock cannot be reached', async () => {
    const mock = await startMock()
    await expect(adminClient(`${mock.url}/`, 'wrong-token-0123456789').clock()).rejects.toThrow(
      'diyalog-mock admin GET /__admin/clock: 401 Admin API: send Authorization: Bearer <DLG_ADMIN_TOKEN>',
    )
    await mock.stop()
    await expect(mock.admin.clock()).rejects.toThrow(
      `diyalog-mock admin GET /__admin/clock: no answer from ${mock.url}`,
    )
  })

  it('types each call exactly (checked by npm run typecheck)', () => {
    const client = {} as AdminClient
    const typed = () => {
      // @ts-expect-error a delay fault needs delayMs
      void client.addFault({ kind: 'delay' })
      // @ts-expect-error an auth-error fault needs a row of the error table
      void client.addFault({ kind: 'auth-error', reason: 'wrong-password' })
      // @ts-expect-error a field of another kind
      void client.addFault({ kind: 'drop', message: 'x' })
      // @ts-expect-error the journal has no such filter
      void client.requests({ staffId: '45188' })
      // @ts-expect-error fixtures are records, not numbers
      void client.replaceFixtures({ staff: [1], customers: [], conversations: [] })
      // @ts-expect-error the journal's direction is in or out
      void client.requests({ direction: 'both' })
      // @ts-expect-error a user is customer:<id> or staff:<id>
      void client.botLink('demo_bot', '1231232')
      // @ts-expect-error a reply by user needs the bot
      void client.reply({ user: 'customer:1231232', text: 'Merhaba' })
      // @ts-expect-error a target is a message or a user
      void client.deliver({ bot: 'demo_bot' })
      // @ts-expect-error an OTP is approved or dismissed
      void client.otp({ messageId: 'm', action: 'accept' })
      // @ts-expect-error a presence is online or offline
      void client.setUserBehaviour('customer:1231232', { presence: 'away' })
      void client.addFault({ kind: 'auth-error', reason: 'clock-skew', times: 1 })
      void client.requests({ direction: 'out' })
      void client.press({ messageId: 'm', button: 0, element: 1 })
      void client.reply({ user: 'staff:45186', bot: 'demo_bot', text: 'Merhaba' })
      void client.botConversation('demo_bot', 'staff:45186', { limit: 10 })
    }
    expect(typeof typed).toBe('function')
    expectTypeOf<FaultSpec>().toMatchTypeOf<{ kind: FaultKind }>()
    expectTypeOf<Awaited<ReturnType<AdminClient['requests']>>[number]>().toMatchTypeOf<JournalEntry>()
    expectTypeOf<
      Awaited<ReturnType<AdminClient['deliver']>>['events'][number]
    >().toEqualTypeOf<MessagingEvent>()
    expectTypeOf<Awaited<ReturnType<AdminClient['botConversation']>>>().toEqualTypeOf<BotConversationView>()
  })
})
