import { describe, expect, it } from 'vitest'
import { encodeEnvelope, webhookBody } from '../../src/webhooks/envelope.js'
import { delivery, echo, reads, userMessage } from './listening-receiver.js'

describe('webhookBody', () => {
  it('is the documented envelope: object "dialog", one entry per event with the webhook id and the send time', () => {
    const events = [echo('messageId-92'), delivery('messageId-92'), reads('messageId-92')]
    expect(webhookBody('OTP', 1560172933001, events)).toEqual({
      object: 'dialog',
      entry: [
        { id: 'OTP', time: 1560172933001, messaging: [events[0]] },
        { id: 'OTP', time: 1560172933001, messaging: [events[1]] },
        { id: 'OTP', time: 1560172933001, messaging: [events[2]] },
      ],
    })
  })

  it('keeps the events in the order given', () => {
    const events = ['a', 'b', 'c', 'd'].map((mid) => echo(mid))
    const mids = webhookBody('x', 0, events).entry.map((entry) => midOf(entry.messaging[0]))
    expect(mids).toEqual(['a', 'b', 'c', 'd'])
  })
})

function midOf(event: ReturnType<typeof echo>): string {
  return 'messageEcho' in event ? event.messageEcho.mid : ''
}

describe('encodeEnvelope', () => {
  it('writes the bytes once, compact JSON in UTF-8, fields in the documented order', () => {
    const event = userMessage('messageId-92', 'Merhaba, nasılsın? 👋')
    const { body, bytes } = encodeEnvelope('OTP', 1560172933001, [event])
    const text = bytes.toString('utf8')
    expect(text).toBe(JSON.stringify(body))
    expect(
      text.startsWith('{"object":"dialog","entry":[{"id":"OTP","time":1560172933001,"messaging":[{'),
    ).toBe(true)
    expect(bytes.includes(Buffer.from('nasılsın? 👋', 'utf8'))).toBe(true)
    expect(JSON.parse(text)).toEqual(body)
  })

  it('the messaging array of every entry holds exactly one event', () => {
    const { body } = encodeEnvelope('OTP', 1, [echo('m1'), delivery('m1', 'm2')])
    expect(body.entry.map((entry) => entry.messaging.length)).toEqual([1, 1])
  })
})
