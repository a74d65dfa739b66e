import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { MessageContent } from '../../src/messaging/message-content.js'
import type { UserMessageEvent } from '../../src/webhooks/events.js'
import { KREDI_BOT, postback, simulation, T0, text, USERS, withContent } from './setup.js'

/** The simulated user answers (D28): replies, presses (API-INVENTORY §6.4–6.9), OTP approve and dismiss. */

/** HMAC-SHA256 hex, written here with node:crypto rather than through the mock's signer. */
const hmacHex = (payload: string, key: string) =>
  createHmac('sha256', key).update(payload, 'utf8').digest('hex')

const GENERIC: MessageContent = {
  kind: 'generic',
  elements: [
    {
      messageId: 'element-1',
      title: 'Kredi kartı',
      buttons: [
        postback('Başvur', 'APPLY_CARD'),
        { ...postback('Detay', 'https://example.com/card'), type: 'web_url' },
      ],
    },
    { messageId: 'element-2', title: 'İhtiyaç kredisi', buttons: [postback('Başvur', 'APPLY_LOAN')] },
    { title: 'No id', buttons: [postback('Ara', 'CALL')] },
  ],
}

const BUTTONS: MessageContent = {
  kind: 'button',
  messageId: 'template-7',
  text: 'Onaylıyor musunuz?',
  buttons: [postback('Evet', 'YES'), postback('Hayır', 'NO')],
}

const OTP: MessageContent = {
  kind: 'otp',
  mokMessage: 'Your one time password is "123456" ',
  mokValue: '33',
  buttons: [
    postback('Approve', '123456', { payloadHidden: true, payloadSeenByUser: 'Onaylıyorum' }),
    postback('Dismiss', 'cancelled', { payloadSeenByUser: 'İptal Edildi' }),
  ],
}

const messageOf = (events: readonly unknown[]) =>
  (
    events.find(
      (event) => typeof event === 'object' && event !== null && 'message' in event,
    ) as UserMessageEvent
  )?.message

describe('reply', () => {
  it('the user writes back: a Messages event with the mid of the message answered', () => {
    const { sim, advance, fresh, send } = simulation()
    send(USERS.selin, text('messageId-92'))
    advance(2300)
    fresh()
    advance(1000)
    const done = sim.reply({ bot: 'kredi_bot', recipient: 'customer:70021', text: 'Hello' })
    expect(done).toMatchObject({ ok: true, answered: 'messageId-92' })
    const events = fresh()
    expect(done.ok && done.events).toEqual(events)
    expect(events).toEqual([
      {
        sender: { id: '1614379680' },
        recipient: { appCustomerId: '70021', id: '243540663' },
        timestamp: T0 + 3300,
        message: { mid: 'messageId-92', text: 'Hello' },
      },
    ])
    expect(sim.messages.conversation('kredi_bot', USERS.selin).messages.at(-1)).toMatchObject({
      direction: 'from-user',
      mid: 'messageId-92',
      text: 'Hello',
      sentAt: T0 + 3300,
    })
  })

  it('answers the last message delivered, not a newer one still on its way', () => {
    const { sim, advance, fresh, send } = simulation()
    send(USERS.selin, text('first'))
    advance(300)
    send(USERS.selin, text('second'))
    fresh()
    const done = sim.reply({ bot: 'kredi_bot', recipient: USERS.selin, text: 'ok' })
    expect(done).toMatchObject({ ok: true, answered: 'first' })
    // It saw the first (reading it now); the second is still undelivered.
    expect(fresh().map((event) => Object.keys(event).at(-1))).toEqual(['reads', 'message'])
    expect(sim.messages.newestWithMid('second')?.deliveredAt).toBeUndefined()
  })

  it('a user only answers what they saw: replying to an undelivered message delivers and reads it (and older ones) first', () => {
    const { sim, fresh, send } = simulation()
    send(USERS.offline, text('older'))
    send(USERS.offline, text('answered'))
    send(USERS.offline, text('newer'))
    fresh()
    const done = sim.reply({ messageId: 'answered', text: 'Tamam' })
    expect(done.ok && done.events.map((event) => Object.keys(event).at(-1))).toEqual([
      'delivery',
      'reads',
      'message',
    ])
    const [delivered, read, message] = done.ok ? done.events : []
    expect(delivered).toMatchObject({ delivery: { mids: ['older', 'answered'], watermark: T0 } })
    expect(read).toMatchObject({ reads: { mids: ['older', 'answered'], watermark: T0 } })
    expect(message).toMatchObject({ message: { mid: 'answered', text: 'Tamam' } })
    expect(sim.messages.newestWithMid('newer')?.deliveredAt).toBeUndefined()
    // Nothing more planned for what it read by hand.
    expect(sim.pending().tasks).toBe(0)
  })

  it('answers the newest message when none is delivered yet', () => {
    const { sim, send } = simulation()
    send(USERS.offline, text('one'))
    send(USERS.offline, text('two'))
    expect(sim.reply({ bot: 'kredi_bot', recipient: 'customer:70022', text: 'x' })).toMatchObject({
      ok: true,
      answered: 'two',
    })
  })

  it('fails clearly: unknown bot, user, message; nothing to answer; no text', () => {
    const { sim, send } = simulation()
    send(USERS.selin, text('m'))
    expect(sim.reply({ bot: 'no_bot', recipient: USERS.selin, text: 'x' })).toMatchObject({
      ok: false,
      reason: 'bot-not-found',
      status: 404,
      message: 'no bot is named "no_bot"',
    })
    expect(sim.reply({ bot: 'kredi_bot', recipient: 'customer:999', text: 'x' })).toMatchObject({
      reason: 'recipient-not-found',
    })
    expect(sim.reply({ bot: 'kredi_bot', recipient: USERS.emre, text: 'x' })).toMatchObject({
      reason: 'nothing-to-answer',
      status: 409,
    })
    expect(sim.reply({ messageId: 'zzz\n', text: 'x' })).toMatchObject({
      reason: 'message-not-found',
      message: 'no message with messageId "zzz\\n" is stored',
    })
    expect(sim.reply({ messageId: 'm', text: '' })).toMatchObject({ reason: 'empty-text', status: 400 })
  })
})

describe('press', () => {
  it('a quick reply: [<mid>]:<payload>, and the user’s chat shows payloadSeenByUser', () => {
    const { sim, advance, fresh, send } = simulation()
    send(
      USERS.selin,
      text('messageId-92', [postback('Yes', 'YES', { payloadSeenByUser: 'Evet' }), postback('No', 'NO')]),
    )
    advance(2300)
    fresh()
    const done = sim.press({ messageId: 'messageId-92', button: 'No' })
    expect(done).toMatchObject({ ok: true, answered: 'messageId-92', text: '[messageId-92]:NO' })
    expect(done.ok && done.pressed).toMatchObject({ source: 'quick-reply', position: 1 })
    expect(fresh()).toEqual([
      {
        sender: { id: '1614379680' },
        recipient: { appCustomerId: '70021', id: '243540663' },
        timestamp: T0 + 2300,
        message: { mid: 'messageId-92', text: '[messageId-92]:NO' },
      },
    ])
    sim.press({ messageId: 'messageId-92', button: 0 })
    expect(sim.messages.conversation('kredi_bot', USERS.selin).messages.at(-1)).toMatchObject({
      direction: 'from-user',
      text: '[messageId-92]:YES',
      pressed: { title: 'Yes', seenByUser: 'Evet' },
    })
    // By payload too.
    expect(sim.press({ messageId: 'messageId-92', button: 'NO' })).toMatchObject({
      text: '[messageId-92]:NO',
    })
  })

  it("a generic template's button comes back with its element's messageId", () => {
    const { sim, advance, fresh, send } = simulation()
    send(USERS.selin, withContent('carousel-1', GENERIC))
    advance(2300)
    fresh()
    // The first with that title is the first element's; naming the element chooses.
    expect(sim.press({ messageId: 'carousel-1', button: 'Başvur' })).toMatchObject({
      text: '[element-1]:APPLY_CARD',
      pressed: { element: 0, position: 0 },
    })
    expect(sim.press({ messageId: 'carousel-1', button: 'Başvur', element: 1 })).toMatchObject({
      text: '[element-2]:APPLY_LOAN',
    })
    expect(sim.press({ messageId: 'carousel-1', button: 0, element: 'element-2' })).toMatchObject({
      text: '[element-2]:APPLY_LOAN',
    })
    // An element without a messageId: the message's own mid.
    expect(sim.press({ messageId: 'carousel-1', button: 'Ara' })).toMatchObject({ text: '[carousel-1]:CALL' })
    const texts = fresh().map((event) => (event as UserMessageEvent).message.text)
    expect(texts).toEqual([
      '[element-1]:APPLY_CARD',
      '[element-2]:APPLY_LOAN',
      '[element-2]:APPLY_LOAN',
      '[carousel-1]:CALL',
    ])
    expect(sim.press({ messageId: 'carousel-1', button: 0, element: 3 })).toMatchObject({
      ok: false,
      reason: 'element-not-found',
      status: 404,
    })
  })

  it("a button template's button comes back with the template's messageId", () => {
    const { sim, advance, fresh, send } = simulation()
    send(USERS.selin, withContent('message-5', BUTTONS))
    advance(2300)
    fresh()
    expect(sim.press({ messageId: 'message-5', button: 'Hayır' })).toMatchObject({
      ok: true,
      answered: 'message-5',
      text: '[template-7]:NO',
    })
    expect(messageOf(fresh())).toEqual({ mid: 'message-5', text: '[template-7]:NO' })
    expect(sim.press({ messageId: 'message-5', button: 'Evet', element: 0 })).toMatchObject({
      reason: 'element-not-found',
    })
  })

  it('a payloadHidden payload comes back signed: HMAC-SHA256 hex with the bot’s payload key', () => {
    const { sim, advance, fresh, send } = simulation()
    send(USERS.selin, text('messageId-1', [postback('Approve', '123456', { payloadHidden: true })]))
    advance(2300)
    fresh()
    const done = sim.press({ messageId: 'messageId-1', button: 'Approve' })
    const expected = `[messageId-1]:${hmacHex('123456', 'company-key-for-hidden-payloads')}`
    expect(done).toMatchObject({ ok: true, text: expected })
    expect(messageOf(fresh())?.text).toBe(expected)
    expect(expected).not.toContain('123456')
    expect(expected).toMatch(/^\[messageId-1\]:[0-9a-f]{64}$/)
    // The key is the bot's, not the token.
    expect(KREDI_BOT.payloadKey).not.toBe(KREDI_BOT.token)
  })

  it('a web_url button opens its URL on the device and sends no event', () => {
    const { sim, advance, fresh, send } = simulation()
    send(USERS.selin, withContent('carousel-1', GENERIC))
    advance(2300)
    fresh()
    const done = sim.press({ messageId: 'carousel-1', button: 'Detay' })
    expect(done).toMatchObject({ ok: true, opened: 'https://example.com/card', events: [] })
    expect(done.ok && done.text).toBeUndefined()
    expect(fresh()).toEqual([])
    expect(sim.messages.counts().fromUser).toBe(0)
  })

  it('pressing an unread message reads it first', () => {
    const { sim, fresh, send } = simulation()
    send(USERS.offline, text('m', [postback('Yes', 'YES')]))
    fresh()
    const done = sim.press({ messageId: 'm', button: 'Yes' })
    expect(done.ok && done.events.map((event) => Object.keys(event).at(-1))).toEqual([
      'delivery',
      'reads',
      'message',
    ])
  })

  it('fails clearly: no buttons, no such button, no such message', () => {
    const { sim, send } = simulation()
    send(USERS.selin, text('plain'))
    send(USERS.selin, text('quick', [postback('Yes', 'YES')]))
    expect(sim.press({ messageId: 'plain', button: 0 })).toMatchObject({ reason: 'no-buttons', status: 409 })
    expect(sim.press({ messageId: 'quick', button: 'Maybe' })).toMatchObject({
      reason: 'button-not-found',
      status: 404,
      message: 'message "quick" has no button "Maybe" (its 1 are numbered from 0; by title: "Yes")',
    })
    expect(sim.press({ messageId: 'quick', button: 3 })).toMatchObject({ reason: 'button-not-found' })
    expect(sim.press({ messageId: 'gone', button: 0 })).toMatchObject({ reason: 'message-not-found' })
    expect(sim.press({ messageId: 'quick', bot: 'otp_bot', button: 0 })).toMatchObject({
      reason: 'message-not-found',
    })
  })
})

describe('OTP', () => {
  it('approve presses the first postback button (hidden: signed), dismiss the second', () => {
    const { sim, advance, fresh, send } = simulation()
    send(USERS.otp, withContent('messageId-74', OTP))
    advance(2300)
    fresh()
    const approved = sim.otp({ messageId: 'messageId-74', action: 'approve' })
    const signed = `[messageId-74]:${hmacHex('123456', KREDI_BOT.payloadKey)}`
    expect(approved).toMatchObject({ ok: true, answered: 'messageId-74', text: signed })
    expect(messageOf(fresh())).toEqual({ mid: 'messageId-74', text: signed })
    const dismissed = sim.otp({ messageId: 'messageId-74', action: 'dismiss' })
    expect(dismissed).toMatchObject({ ok: true, text: '[messageId-74]:cancelled' })
    expect(messageOf(fresh())).toEqual({ mid: 'messageId-74', text: '[messageId-74]:cancelled' })
    expect(sim.messages.conversation('kredi_bot', USERS.otp).messages.slice(1)).toMatchObject([
      { direction: 'from-user', pressed: { title: 'Approve', seenByUser: 'Onaylıyorum' } },
      { direction: 'from-user', pressed: { title: 'Dismiss', seenByUser: 'İptal Edildi' } },
    ])
  })

  it('fails clearly: not an OTP, or an OTP without the button', () => {
    const { sim, send } = simulation()
    send(USERS.otp, text('plain'))
    send(
      USERS.otp,
      withContent('one-button', {
        ...OTP,
        kind: 'otp',
        buttons: [postback('Approve', '1')],
      } as MessageContent),
    )
    send(USERS.otp, withContent('no-buttons', { kind: 'otp', mokMessage: 'Code 1', buttons: [] }))
    expect(sim.otp({ messageId: 'plain', action: 'approve' })).toMatchObject({
      reason: 'not-an-otp',
      status: 409,
    })
    expect(sim.otp({ messageId: 'one-button', action: 'approve' })).toMatchObject({
      ok: true,
      text: '[one-button]:1',
    })
    expect(sim.otp({ messageId: 'one-button', action: 'dismiss' })).toMatchObject({
      reason: 'no-otp-button',
      message: 'the OTP "one-button" has one postback button only: dismiss presses its second',
    })
    expect(sim.otp({ messageId: 'no-buttons', action: 'approve' })).toMatchObject({ reason: 'no-otp-button' })
  })
})
