import { Value } from 'typebox/value'
import { describe, expect, it } from 'vitest'
import { DEMO_BOT_TOKEN } from '../../../src/messaging/bots.js'
import {
  apiNameOf,
  botOpenApiPath,
  botPath,
  botPathPattern,
  botRouteUrl,
  redactBotTokens,
  type BotRoute,
} from '../../../src/routes/bot-route.js'
import { BOT_ROUTES } from '../../../src/routes/bots/index.js'
import { SEND_MESSAGE } from '../../../src/routes/bots/sendmessage.js'
import { exampleBodyOf } from '../../../src/routes/signed-route.js'

/**
 * The Messaging API's table: each entry's examples are the documentation's, read as valid by its
 * own `read` and fitting its own schema, so OpenAPI, Postman and the conformance runner send
 * bodies the mock takes.
 */

const examplesOf = (route: BotRoute) =>
  (route.body as { readonly examples?: readonly unknown[] }).examples ?? []

describe.each(BOT_ROUTES.map((route) => [apiNameOf(route), route] as const))('%s', (_name, route) => {
  it('has a summary, its family and an example body', () => {
    expect(route.summary.length).toBeGreaterThan(10)
    expect(route.family).toBe('Messaging API')
    expect(route.method).toBe('POST')
    expect(exampleBodyOf(route)).toBeDefined()
  })

  it('reads every example as valid, with no ignored field, and every example fits the schema', () => {
    const examples = examplesOf(route)
    expect(examples.length).toBeGreaterThan(0)
    for (const [index, example] of examples.entries()) {
      const read = route.read(example)
      expect(read.ok ? read.ignoredFields : read.message, `example ${index}`).toEqual([])
      expect(Value.Check(route.body, example), `example ${index} against the schema`).toBe(true)
    }
  })

  it('has an answer example that fits the answer schema', () => {
    const replies = (route.reply as { readonly examples?: readonly unknown[] }).examples ?? []
    expect(replies).toEqual([{ recipient_id: '2074022437', message_id: '-7523925115459309081' }])
    for (const reply of replies) expect(Value.Check(route.reply, reply)).toBe(true)
  })

  it('has descriptions on its schema\u2019s fields', () => {
    const properties = route.body.properties as Record<string, { description?: string }>
    for (const [name, schema] of Object.entries(properties)) {
      expect(schema.description, name).toBeTruthy()
    }
  })
})

describe('the table', () => {
  it('holds sendmessage and sendmok', () => {
    expect(BOT_ROUTES.map((route) => route.path)).toEqual(['/sendmessage', '/sendmok'])
  })

  it('builds each path form from one entry', () => {
    expect(apiNameOf(SEND_MESSAGE)).toBe('sendmessage')
    expect(botRouteUrl(SEND_MESSAGE)).toBe('/sendmessage/:token')
    expect(botPath(SEND_MESSAGE, DEMO_BOT_TOKEN)).toBe(`/v1/bots/sendmessage/${DEMO_BOT_TOKEN}`)
    expect(botPath(SEND_MESSAGE, 'a/b c')).toBe('/v1/bots/sendmessage/a%2Fb%20c')
    expect(botOpenApiPath(SEND_MESSAGE)).toBe('/v1/bots/sendmessage/{token}')
    expect(botPathPattern(SEND_MESSAGE)).toBe('/v1/bots/sendmessage/<token>')
  })

  it('has one sendmessage example per documented kind, the SendMessage page\u2019s first', () => {
    const kinds = examplesOf(SEND_MESSAGE).map((example) => {
      const read = SEND_MESSAGE.read(example)
      if (!read.ok) throw new Error(read.message)
      const { content } = read.message
      return content.kind === 'document' ? `document/${content.shownAs}` : content.kind
    })
    expect(kinds).toEqual([
      'text',
      'text',
      'text',
      'generic',
      'button',
      'trigger',
      'document/document',
      'document/photo',
      'document/video',
      'document/voice',
    ])
    expect(exampleBodyOf(SEND_MESSAGE)).toEqual({
      recipient: { appCustomerId: '1231231' },
      message: { text: 'hello world', messageId: 'msg-id-123-112233', quickReplies: [], quickRepliesV2: [] },
    })
  })

  it('agrees with the schema on bodies of every kind besides the examples', () => {
    const bodies = [
      { recipient: { appStaffId: '45186' }, message: { text: 'x', quickReplies: [], quickRepliesV2: [] } },
      {
        recipient: { id: '2074022437' },
        message: { attachment: { type: 'file', payload: { any: 1 } }, quickReplies: [], quickRepliesV2: [] },
      },
      {
        recipient: { id: '2074022437' },
        message: { trigger: { command: 'Open', data: '' }, quickReplies: [], quickRepliesV2: [] },
      },
    ]
    for (const body of bodies) {
      expect(SEND_MESSAGE.read(body).ok).toBe(true)
      expect(Value.Check(SEND_MESSAGE.body, body)).toBe(true)
    }
  })
})

describe('redactBotTokens', () => {
  it('hides every segment of a /v1/bots path but the prefix and the API names, wherever the token is', () => {
    const token = DEMO_BOT_TOKEN
    expect(redactBotTokens(`/v1/bots/sendmessage/${token}`)).toBe('/v1/bots/sendmessage/[redacted]')
    expect(redactBotTokens(`/v1/bots/sendmok/${token}?a=1#f`)).toBe('/v1/bots/sendmok/[redacted]?a=1#f')
    expect(redactBotTokens(`/v1/bots/v1/bots/sendmessage/${token}`)).toBe(
      '/v1/bots/v1/bots/sendmessage/[redacted]',
    )
    expect(redactBotTokens(`/v1/bots/${token}`)).toBe('/v1/bots/[redacted]')
    expect(redactBotTokens(`/V1//Bots/SendMessage/${token}/x`)).toBe(
      '/V1//Bots/SendMessage/[redacted]/[redacted]',
    )
    expect(redactBotTokens('/v1/bots')).toBe('/v1/bots')
  })

  it('leaves every other path as it is', () => {
    expect(redactBotTokens('/v1/reporting/getcalllist?x=1')).toBe('/v1/reporting/getcalllist?x=1')
    expect(redactBotTokens('/v1/botsx/sendmessage/abc')).toBe('/v1/botsx/sendmessage/abc')
    expect(redactBotTokens('/views/messaging?sig=abc')).toBe('/views/messaging?sig=abc')
  })
})
