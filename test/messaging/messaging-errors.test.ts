import { describe, expect, it } from 'vitest'
import {
  malformed,
  MAX_PROBLEMS,
  MESSAGING_ERRORS,
  messagingError,
  quoted,
} from '../../src/messaging/messaging-errors.js'

describe('the Messaging API\u2019s documented answers (D22)', () => {
  it('are the Document Message page\u2019s table, word for word', () => {
    expect(Object.values(MESSAGING_ERRORS).map(({ status, message }) => [status, message])).toEqual([
      [400, 'The request content was malformed: '],
      [400, 'Exceeded max file size of 5MB'],
      [400, 'File data bytes not valid'],
      [400, 'File data bytes is empty'],
      [400, 'File as photo cannot be parsed due to it is not a image file.'],
      [503, 'You may be using wrong token.'],
      [500, 'Not delivered due to recepient not found.'],
      [500, 'Sender bot is not alive.'],
    ])
  })

  it('carry the mock\u2019s ignored fields and notes beside the documented text', () => {
    expect(messagingError('botNotAlive', { notes: ['n'] })).toEqual({
      ok: false,
      reason: 'botNotAlive',
      status: 500,
      message: 'Sender bot is not alive.',
      ignoredFields: [],
      notes: ['n'],
    })
  })

  it('name each problem once, at most ten, and count the rest', () => {
    expect(malformed(['a', 'b', 'a']).message).toBe('The request content was malformed: a; b')
    const many = Array.from({ length: MAX_PROBLEMS + 3 }, (_, i) => `p${i}`)
    expect(malformed(many).message).toBe(
      `The request content was malformed: ${many.slice(0, MAX_PROBLEMS).join('; ')}; and 3 more`,
    )
  })

  it('quote a client value as JSON, cut at 64 characters without splitting one', () => {
    expect(quoted('a"b\n')).toBe('"a\\"b\\n"')
    expect(quoted('x'.repeat(64))).toBe(`"${'x'.repeat(64)}"`)
    expect(quoted('x'.repeat(65))).toBe(`"${'x'.repeat(64)}"...`)
    expect(quoted('\u{1F600}'.repeat(70))).toBe(`"${'\u{1F600}'.repeat(64)}"...`)
  })
})
