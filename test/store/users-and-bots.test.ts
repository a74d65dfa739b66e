import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bot, derivedDiyalogId, parseBots } from '../../src/messaging/bots.js'
import { DEFAULT_BEHAVIOUR } from '../../src/messaging/recipient.js'
import { WEBHOOK_DEFAULTS } from '../../src/webhooks/webhook-config.js'
import { botDiyalogId, botsOfRecords, type WebhookDefaults } from '../../src/store/bots.js'
import { FixtureError, loadFixturesDir, parseFixtureData } from '../../src/store/fixture-loader.js'
import { BOT_NAME_PATTERN, type BotRecord } from '../../src/store/fixture-schema.js'
import { createStore } from '../../src/store/store.js'

/** The Messaging API's part of the data model: users' Diyalog ids and behaviour, and `bots.json` (docs/data-model.md). */

const TOKEN = 'tok-of-bot-one-0123456789abcdef'
const OTHER_TOKEN = 'tok-of-bot-two-0123456789abcdef'
const SECRET = 'app-secret-never-shown-9f8e7d'
const PAYLOAD_KEY = 'payload-key-never-shown-1a2b3c'

const base = {
  staff: [
    { staffId: 's1', name: 'Ayşe' },
    { staffId: 's2', name: 'Mehmet', diyalogId: '1614379681', messaging: { reading: 'never' } },
  ],
  customers: [
    { customerId: 'c1', name: 'Ömer', diyalogId: '243540663', messaging: { presence: 'offline' } },
    { customerId: 'c2', name: 'İpek', messaging: {} },
    { customerId: 'c3', name: 'Gülşen' },
  ],
  conversations: [] as unknown[],
}

function problems(data: object): readonly string[] {
  try {
    parseFixtureData(data, 'test')
  } catch (error) {
    if (error instanceof FixtureError) return error.problems
    throw error
  }
  return []
}

/** The problems of a data set, and its whole error message, which must hold none of the secrets. */
function refusal(data: object): string {
  let message = ''
  try {
    parseFixtureData(data, 'test')
  } catch (error) {
    if (!(error instanceof FixtureError)) throw error
    message = error.message
  }
  expect(message).not.toBe('')
  for (const secret of [TOKEN, OTHER_TOKEN, SECRET, PAYLOAD_KEY]) expect(message).not.toContain(secret)
  return message
}

const withUsers = (edit: (data: any) => void) => {
  const data = structuredClone(base) as any
  edit(data)
  return data
}

describe('staff and customers as users of the Messaging API', () => {
  it('accept a Diyalog id and a behaviour; the store keeps what they give', () => {
    expect(problems(base)).toEqual([])
    const store = createStore(parseFixtureData(structuredClone(base), 'test'))
    expect(store.customer('c1')).toEqual({
      customerId: 'c1',
      name: 'Ömer',
      userType: 5,
      appName: 'Diyalog Android',
      diyalogId: '243540663',
      messaging: { presence: 'offline', reading: 'delayed' },
    })
    // Nothing is added for what a record leaves out.
    expect(Object.keys(store.customer('c3') ?? {})).toEqual(['customerId', 'name', 'userType', 'appName'])
  })

  it('behaviourOf: the fixtures’ behaviour, each missing field DEFAULT_BEHAVIOUR’s; DEFAULT_BEHAVIOUR without one', () => {
    const store = createStore(parseFixtureData(structuredClone(base), 'test'))
    expect(store.behaviourOf({ kind: 'customer', id: 'c1' })).toEqual({
      presence: 'offline',
      reading: 'delayed',
    })
    expect(store.behaviourOf({ kind: 'staff', id: 's2' })).toEqual({ presence: 'online', reading: 'never' })
    expect(store.behaviourOf({ kind: 'customer', id: 'c2' })).toEqual(DEFAULT_BEHAVIOUR)
    expect(store.behaviourOf({ kind: 'customer', id: 'c3' })).toEqual(DEFAULT_BEHAVIOUR)
    expect(store.behaviourOf({ kind: 'staff', id: 's1' })).toEqual({ presence: 'online', reading: 'delayed' })
    // Staff s1 and customer s1 are different people: there is no customer s1.
    expect(store.behaviourOf({ kind: 'customer', id: 's1' })).toBeUndefined()
  })

  it.each<[string, object, string]>([
    [
      'a Diyalog id of zero',
      withUsers((d) => (d.customers[2].diyalogId = '0')),
      'customers.json: record 2 (customerId c3), field diyalogId: must match pattern',
    ],
    [
      'a Diyalog id with a leading zero',
      withUsers((d) => (d.customers[2].diyalogId = '0243540663')),
      'customers.json: record 2 (customerId c3), field diyalogId: must match pattern',
    ],
    [
      'a negative Diyalog id',
      withUsers((d) => (d.staff[0].diyalogId = '-5')),
      'staff.json: record 0 (staffId s1), field diyalogId: must match pattern',
    ],
    [
      'a Diyalog id of 20 digits',
      withUsers((d) => (d.staff[0].diyalogId = '12345678901234567890')),
      'staff.json: record 0 (staffId s1), field diyalogId: must match pattern',
    ],
    [
      'a 19-digit Diyalog id beyond a signed 64-bit integer',
      withUsers((d) => (d.staff[0].diyalogId = '9223372036854775808')),
      'staff.json: record 0 (staffId s1), field diyalogId: not a signed 64-bit integer',
    ],
    [
      'a Diyalog id as a JSON number',
      withUsers((d) => (d.staff[0].diyalogId = 243540664)),
      'staff.json: record 0 (staffId s1), field diyalogId: must be string',
    ],
    [
      'an unknown presence',
      withUsers((d) => (d.customers[2].messaging = { presence: 'away' })),
      'customers.json: record 2 (customerId c3), field messaging.presence: must be one of "online", "offline"',
    ],
    [
      'an unknown reading',
      withUsers((d) => (d.customers[2].messaging = { reading: 'later' })),
      'field messaging.reading: must be one of "delayed", "at-once", "never"',
    ],
    [
      'an unknown behaviour field',
      withUsers((d) => (d.customers[2].messaging = { typing: true })),
      'customers.json: record 2 (customerId c3), field messaging: unknown field typing',
    ],
    [
      'a staff member and a customer with the same Diyalog id',
      withUsers((d) => (d.customers[2].diyalogId = '1614379681')),
      'customers.json: record 2 (customerId c3), field diyalogId: duplicate Diyalog id 1614379681 (also staff.json record 1 (staffId s2))',
    ],
    [
      'two customers with the same Diyalog id',
      withUsers((d) => (d.customers[1].diyalogId = '243540663')),
      'customers.json: record 1 (customerId c2), field diyalogId: duplicate Diyalog id 243540663 (also customers.json record 0 (customerId c1))',
    ],
  ])('refuses %s', (_label, data, expected) => {
    expect(problems(data).join('\n')).toContain(expected)
  })

  it('the largest signed 64-bit integer is a Diyalog id', () => {
    expect(problems(withUsers((d) => (d.staff[0].diyalogId = '9223372036854775807')))).toEqual([])
  })
})

const goodBot: BotRecord = {
  name: 'kredi_bot',
  token: TOKEN,
  diyalogId: '1614379680',
  alive: false,
  payloadKey: PAYLOAD_KEY,
  webhook: {
    id: 'OTP',
    url: 'https://hooks.example.com/diyalog',
    appSecret: SECRET,
    events: ['MessageDeliveries', 'MessageReads'],
    signature: 'sha1=hex',
    batchMax: 3,
    batchWaitMs: 0,
    timeoutMs: 250,
    retries: 1,
    backoffMs: 10,
  },
}
const plainBot: BotRecord = { name: 'plain.bot-2', token: OTHER_TOKEN }

const withBots = (...bots: unknown[]) => ({ ...structuredClone(base), bots })
const editBot = (edit: (record: any) => void, record: BotRecord = goodBot) => {
  const copy = structuredClone(record) as any
  edit(copy)
  return withBots(copy, plainBot)
}

describe('bots.json', () => {
  it('accepts a full record and a bare one; the store keeps them as they are and counts them', () => {
    const store = createStore(parseFixtureData(withBots(goodBot, plainBot), 'test'))
    expect(store.bots).toEqual([goodBot, plainBot])
    expect(store.counts.bots).toBe(2)
  })

  it('may be left out: no bots', () => {
    const store = createStore(parseFixtureData(structuredClone(base), 'test'))
    expect(store.bots).toEqual([])
    expect(store.counts.bots).toBe(0)
  })

  it('loads from a directory’s bots.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlg-bots-'))
    for (const kind of ['staff', 'customers', 'conversations'] as const) {
      writeFileSync(join(dir, `${kind}.json`), JSON.stringify(base[kind]))
    }
    writeFileSync(join(dir, 'bots.json'), JSON.stringify([plainBot]))
    expect((await loadFixturesDir(dir)).bots).toEqual([plainBot])
  })

  it.each<[string, object, string]>([
    [
      'a missing token',
      editBot((b) => delete b.token),
      'bots.json: record 0 (name kredi_bot): missing required field token',
    ],
    [
      'a short token',
      editBot((b) => (b.token = 'abc')),
      'bots.json: record 0 (name kredi_bot), field token: must match pattern',
    ],
    [
      'a token that is not URL-path safe',
      editBot((b) => (b.token = `${TOKEN}/x`)),
      'bots.json: record 0 (name kredi_bot), field token: must match pattern',
    ],
    ['a name with a space', editBot((b) => (b.name = 'kredi bot')), 'field name: must match pattern'],
    [
      'an unknown field',
      editBot((b) => (b.secret = SECRET)),
      'bots.json: record 0 (name kredi_bot): unknown field secret',
    ],
    ['alive not a boolean', editBot((b) => (b.alive = 'yes')), 'field alive: must be boolean'],
    [
      'an empty payload key',
      editBot((b) => (b.payloadKey = '')),
      'field payloadKey: must not have fewer than 1 characters',
    ],
    [
      'a webhook without url',
      editBot((b) => delete b.webhook.url),
      'field webhook: missing required field url',
    ],
    [
      'a webhook without app secret',
      editBot((b) => delete b.webhook.appSecret),
      'field webhook: missing required field appSecret',
    ],
    [
      'an unknown webhook field',
      editBot((b) => (b.webhook.verifyToken = 'x')),
      'bots.json: record 0 (name kredi_bot), field webhook: unknown field verifyToken',
    ],
    [
      'an unknown event name',
      editBot((b) => (b.webhook.events = ['MessageReads', 'MessageSeen'])),
      'bots.json: record 0 (name kredi_bot), field webhook.events.1: must be one of "MessageEchoes", "MessageDeliveries", "MessageReads", "Messages"',
    ],
    [
      'an event listed twice',
      editBot((b) => (b.webhook.events = ['Messages', 'Messages'])),
      'field webhook.events:',
    ],
    [
      'an unknown signature format',
      editBot((b) => (b.webhook.signature = 'sha256')),
      'bots.json: record 0 (name kredi_bot), field webhook.signature: must be one of "hex", "sha1=hex", "base64"',
    ],
    ['a batch of zero', editBot((b) => (b.webhook.batchMax = 0)), 'field webhook.batchMax:'],
    ['a negative retry count', editBot((b) => (b.webhook.retries = -1)), 'field webhook.retries:'],
    [
      'a relative webhook url',
      editBot((b) => (b.webhook.url = '/hooks/diyalog')),
      'bots.json: record 0 (name kredi_bot), field webhook.url: must be an absolute http:// or https:// URL',
    ],
    [
      'a webhook url of another scheme',
      editBot((b) => (b.webhook.url = 'ftp://hooks.example.com/')),
      'bots.json: record 0 (name kredi_bot), field webhook.url: must be an http:// or https:// URL (got ftp:)',
    ],
    [
      'two bots of one name',
      withBots(goodBot, { ...plainBot, name: 'kredi_bot' }),
      'bots.json: record 1: duplicate name kredi_bot (also record 0)',
    ],
    [
      'two bots of one token',
      withBots(goodBot, { ...plainBot, token: TOKEN }),
      'bots.json: record 1 (name plain.bot-2), field token: the same token as record 0 (name kredi_bot)',
    ],
    [
      'two bots of one Diyalog id',
      withBots(goodBot, { ...plainBot, diyalogId: '1614379680' }),
      "bots.json: record 1 (name plain.bot-2), field diyalogId: Diyalog id 1614379680 is also record 0 (name kredi_bot)'s",
    ],
    [
      'a bot whose own Diyalog id is another bot’s derived one',
      withBots(plainBot, { ...goodBot, diyalogId: derivedDiyalogId('bot', plainBot.name) }),
      `bots.json: record 1 (name kredi_bot), field diyalogId: Diyalog id ${derivedDiyalogId('bot', plainBot.name)} is also record 0 (name plain.bot-2)'s`,
    ],
    [
      'a bot whose derived Diyalog id is another bot’s own',
      withBots({ ...goodBot, diyalogId: derivedDiyalogId('bot', plainBot.name) }, plainBot),
      `bots.json: record 1 (name plain.bot-2): its Diyalog id ${derivedDiyalogId('bot', plainBot.name)} (derived from its name) is also record 0 (name kredi_bot)'s; give it a diyalogId`,
    ],
    [
      'a bot with a user’s Diyalog id',
      editBot((b) => (b.diyalogId = '243540663')),
      "bots.json: record 0 (name kredi_bot), field diyalogId: Diyalog id 243540663 is also customers.json record 0 (customerId c1)'s",
    ],
    [
      'a bot’s Diyalog id of more than 15 digits (webhooks write it as a JSON number, D46)',
      editBot((b) => (b.diyalogId = '9999999999999999')),
      'bots.json: record 0 (name kredi_bot), field diyalogId: must match pattern "^[1-9][0-9]{0,14}$"',
    ],
  ])('refuses %s, never quoting a token or secret', (_label, data, expected) => {
    expect(refusal(data)).toContain(expected)
  })

  it('never quotes a webhook url: it may hold credentials', () => {
    const url = 'ftp://user:hunter2@hooks.example.com/?key=k3y'
    const message = refusal(editBot((b) => (b.webhook.url = url)))
    expect(message).not.toContain('hunter2')
    expect(message).not.toContain('k3y')
  })

  it('allows bot names as DLG_BOTS does', () => {
    const token = 'a'.repeat(16)
    for (const name of [
      'a',
      'demo_bot',
      'a.b-c_9',
      'x'.repeat(64),
      'x'.repeat(65),
      'a b',
      'şube',
      'a:b',
      '',
    ]) {
      expect(new RegExp(BOT_NAME_PATTERN).test(name), name).toBe(parseBots(`${name}:${token}`).ok)
    }
  })
})

describe('botsOfRecords', () => {
  const defaults: WebhookDefaults = { ...WEBHOOK_DEFAULTS, id: 'env-hook', retries: 7 }

  it('makes a bot of every record, in order, with what the record gives', () => {
    const [full] = botsOfRecords([goodBot], defaults)
    expect(full).toEqual({
      name: 'kredi_bot',
      token: TOKEN,
      diyalogId: '1614379680',
      alive: false,
      payloadKey: PAYLOAD_KEY,
      webhook: { ...goodBot.webhook },
    })
  })

  it('fills in what a record leaves out: alive, the token as payload key, the derived Diyalog id, no webhook', () => {
    const [bare] = botsOfRecords([plainBot], defaults)
    expect(bare).toEqual(bot({ name: plainBot.name, token: OTHER_TOKEN }))
    expect(bare).toEqual({
      name: 'plain.bot-2',
      token: OTHER_TOKEN,
      diyalogId: derivedDiyalogId('bot', 'plain.bot-2'),
      alive: true,
      payloadKey: OTHER_TOKEN,
    })
    expect(botDiyalogId(plainBot)).toBe(bare?.diyalogId)
  })

  it('takes what a webhook leaves out from the defaults (the environment’s DLG_WEBHOOK_*)', () => {
    const [hooked] = botsOfRecords(
      [{ ...plainBot, webhook: { url: 'http://127.0.0.1:9/hook', appSecret: SECRET, batchMax: 2 } }],
      defaults,
    )
    expect(hooked?.webhook).toEqual({
      id: 'env-hook',
      url: 'http://127.0.0.1:9/hook',
      appSecret: SECRET,
      events: WEBHOOK_DEFAULTS.events,
      signature: 'hex',
      batchMax: 2,
      batchWaitMs: WEBHOOK_DEFAULTS.batchWaitMs,
      timeoutMs: WEBHOOK_DEFAULTS.timeoutMs,
      retries: 7,
      backoffMs: WEBHOOK_DEFAULTS.backoffMs,
    })
  })

  it('keeps an empty event list: a bot that sends no webhooks though DLG_WEBHOOK_URL is set', () => {
    expect(problems(withBots(editBot((b) => (b.webhook.events = [])).bots[0]))).toEqual([])
    const [quiet] = botsOfRecords(
      [{ ...plainBot, webhook: { url: 'http://h/', appSecret: SECRET, events: [] } }],
      defaults,
    )
    expect(quiet?.webhook?.events).toEqual([])
  })
})
