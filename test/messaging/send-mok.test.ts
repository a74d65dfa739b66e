import { describe, expect, it } from 'vitest'
import { MESSAGING_ERRORS } from '../../src/messaging/messaging-errors.js'
import { readSendMok } from '../../src/messaging/send-mok.js'

/** sendmok's validation without HTTP (API-INVENTORY §6.9, D42). */

const DOCS_EXAMPLE = {
  customerNo: '123456789',
  messageId: 'messageId-74',
  mokMessage: 'Your one time password is "123456" ',
  mokValue: '33',
  imageUrl: 'https://dlgmessenger.com/otp.jpg',
  txCode: 'LOG2',
  deviceId: '628FAF5A-B690-4E1A-A0EC-1518A6334F0B',
  buttonsV2: [
    {
      type: 'postback',
      title: 'Approve',
      payload: '123456',
      payloadHidden: true,
      payloadSeenByUser: 'Onaylıyorum',
    },
    { type: 'postback', title: 'Dismiss', payload: 'cancelled', payloadSeenByUser: 'İptal Edildi' },
  ],
}

function problemOf(body: unknown): string {
  const read = readSendMok(body)
  if (read.ok) throw new Error('accepted')
  expect(read.status).toBe(400)
  return read.message.slice(MESSAGING_ERRORS.malformed.message.length)
}

describe('sendmok', () => {
  it('reads the SendOTP page\u2019s example into an OTP for the customer', () => {
    const read = readSendMok(DOCS_EXAMPLE)
    expect(read).toEqual({
      ok: true,
      recipient: { appCustomerId: '123456789' },
      message: {
        messageId: 'messageId-74',
        content: {
          kind: 'otp',
          mokMessage: 'Your one time password is "123456" ',
          mokValue: '33',
          imageUrl: 'https://dlgmessenger.com/otp.jpg',
          txCode: 'LOG2',
          deviceId: '628FAF5A-B690-4E1A-A0EC-1518A6334F0B',
          buttons: [
            {
              type: 'postback',
              title: 'Approve',
              payload: '123456',
              payloadHidden: true,
              payloadSeenByUser: 'Onaylıyorum',
            },
            {
              type: 'postback',
              title: 'Dismiss',
              payload: 'cancelled',
              payloadHidden: false,
              payloadSeenByUser: 'İptal Edildi',
            },
          ],
        },
        quickReplies: [],
      },
      ignoredFields: [],
      notes: [],
    })
  })

  it('needs only customerNo, messageId and mokMessage', () => {
    const read = readSendMok({ customerNo: '1', messageId: 'm', mokMessage: 'Your code is 1234' })
    expect(read.ok && read.message.content).toEqual({
      kind: 'otp',
      mokMessage: 'Your code is 1234',
      buttons: [],
    })
  })

  it('requires messageId, as both tables do (D42)', () => {
    expect(problemOf({ customerNo: '1', mokMessage: 'x' })).toBe('missing required field messageId')
  })

  it('says the body is flat when it gets a sendmessage body', () => {
    expect(problemOf({ recipient: { appCustomerId: '1' }, message: { text: 'x' } })).toBe(
      'missing required fields customerNo, messageId, mokMessage; the SendOTP body is flat: customerNo, messageId and mokMessage at the top, no recipient or message',
    )
  })

  it('takes at most 3 buttons, each a valid buttonV2', () => {
    const button = DOCS_EXAMPLE.buttonsV2[1]
    expect(problemOf({ ...DOCS_EXAMPLE, buttonsV2: [button, button, button, button] })).toBe(
      'field buttonsV2 must have at most 3 items (got 4)',
    )
    expect(problemOf({ ...DOCS_EXAMPLE, buttonsV2: [{ ...button, type: 'web_url' }] })).toBe(
      'field buttonsV2[0].payload of a web_url button must be an absolute URI such as https://example.com/ (got "cancelled")',
    )
  })

  it('types and bounds its strings', () => {
    expect(problemOf({ ...DOCS_EXAMPLE, customerNo: 123456789 })).toBe(
      'field customerNo must be a string (got integer)',
    )
    expect(problemOf({ ...DOCS_EXAMPLE, mokValue: 'x'.repeat(257) })).toBe(
      'field mokValue must be at most 256 characters (got 257)',
    )
    expect(problemOf({ ...DOCS_EXAMPLE, deviceId: 'a\u0000' })).toBe(
      'field deviceId must not hold control characters',
    )
    expect(problemOf({ ...DOCS_EXAMPLE, mokMessage: '' })).toBe('field mokMessage must not be empty')
  })

  it('ignores and names unknown fields, refuses v1 names, takes null as absent', () => {
    const read = readSendMok({ ...DOCS_EXAMPLE, channel: 'sms', txCode: null })
    expect(read.ok && read.ignoredFields).toEqual(['channel'])
    expect(read.ok && read.message.content).not.toHaveProperty('txCode')
    const { imageUrl: _, ...withoutImage } = DOCS_EXAMPLE
    expect(problemOf({ ...withoutImage, image_url: 'https://x.example/a.jpg' })).toBe(
      'field image_url is the v1 (Facebook-compatible) name: send imageUrl',
    )
    expect(problemOf('otp')).toBe('the body must be a JSON object (got string)')
  })
})
