import { describe, expect, it } from 'vitest'
import { MAX_FILE_BYTES } from '../../src/messaging/document.js'
import { MESSAGING_ERRORS, type MessagingError } from '../../src/messaging/messaging-errors.js'
import {
  isAbsoluteUri,
  MESSAGING_LIMITS,
  readSendMessage,
  type BotSend,
} from '../../src/messaging/send-message.js'

/**
 * sendmessage's validation without HTTP: one test per documented rule (API-INVENTORY §6.2–6.8),
 * per decision (D22–D24, D42, D43, D44) and per row of the Document Message table.
 */

type Body = { recipient?: unknown; message?: Record<string, unknown> } & Record<string, unknown>

const MALFORMED = MESSAGING_ERRORS.malformed.message

/** The Text Message page's example, with `changes` merged into `message`. */
function textBody(changes: Record<string, unknown> = {}): Body {
  return {
    recipient: { appCustomerId: '1231232' },
    message: {
      messageId: 'messageId-1',
      text: 'Hello world !',
      quickReplies: [],
      quickRepliesV2: [],
      ...changes,
    },
  }
}

/** A message of one content kind besides the required arrays. */
function bodyWith(content: Record<string, unknown>, recipient: unknown = { appCustomerId: '70023' }): Body {
  return { recipient, message: { messageId: 'm-1', ...content, quickReplies: [], quickRepliesV2: [] } }
}

function accepted(body: unknown): BotSend {
  const read = readSendMessage(body)
  if (!read.ok) throw new Error(`refused: ${read.message}`)
  return read
}

function refused(body: unknown): MessagingError {
  const read = readSendMessage(body)
  if (read.ok) throw new Error(`accepted: ${JSON.stringify(read.message)}`)
  return read
}

/** The malformed answer's text after the documented prefix. */
function problemOf(body: unknown): string {
  const refusal = refused(body)
  expect(refusal.reason).toBe('malformed')
  expect(refusal.status).toBe(400)
  expect(refusal.message.startsWith(MALFORMED)).toBe(true)
  return refusal.message.slice(MALFORMED.length)
}

const quickReply = (title: string) => ({ contentType: 'text', title, payload: title.toLowerCase() })
const postback = (title: string) => ({ type: 'postback', title, payload: title })
const element = (title: string) => ({ title, buttons: [], buttonsV2: [postback('Yes')] })
const generic = (elements: unknown[], extra: Record<string, unknown> = {}) => ({
  attachment: {
    type: 'template',
    payload: { templateType: 'generic', elements, buttons: [], buttonsV2: [], ...extra },
  },
})
const buttonTemplate = (extra: Record<string, unknown> = {}) => ({
  attachment: {
    type: 'template',
    payload: {
      templateType: 'button',
      messageId: 'bt-1',
      text: 'How can I help you?',
      buttons: [],
      buttonsV2: [postback('Receipt')],
      elements: [],
      ...extra,
    },
  },
})
const JPEG_BASE64 = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]).toString(
  'base64',
)
const PDF_BASE64 = 'JVBERi0xLjcKJYGBgYEKCg=='
const documentOf = (document: Record<string, unknown>) => ({
  document: { fileName: 'diyalog-s3.pdf', fileData: PDF_BASE64, mimeType: 'pdf', ...document },
})

function zeroBase64(bytes: number): string {
  const rest = bytes % 3
  return 'A'.repeat(Math.floor(bytes / 3) * 4) + (rest === 0 ? '' : rest === 1 ? 'AA==' : 'AAA=')
}

describe('a text message', () => {
  it('is read into its content, its id and no quick replies', () => {
    const read = accepted(textBody())
    expect(read.recipient).toEqual({ appCustomerId: '1231232' })
    expect(read.message).toEqual({
      messageId: 'messageId-1',
      content: { kind: 'text', text: 'Hello world !' },
      quickReplies: [],
    })
    expect(read.ignoredFields).toEqual([])
    expect(read.notes).toEqual([])
  })

  it('keeps the client\u2019s messageId exactly, and has none when the client sent none (or null)', () => {
    const id = ' msg \u00fc\u{1F600} "x" \\ '
    expect(accepted(textBody({ messageId: id })).message.messageId).toBe(id)
    const without = textBody()
    delete without.message?.['messageId']
    expect(Object.hasOwn(accepted(without).message, 'messageId')).toBe(false)
    expect(Object.hasOwn(accepted(textBody({ messageId: null })).message, 'messageId')).toBe(false)
  })

  it('refuses an empty text, a text over 64 KiB characters and a text that is not a string', () => {
    expect(problemOf(textBody({ text: '' }))).toBe('field message.text must not be empty')
    expect(accepted(textBody({ text: 'x'.repeat(MESSAGING_LIMITS.text) })).ok).toBe(true)
    expect(problemOf(textBody({ text: 'x'.repeat(MESSAGING_LIMITS.text + 1) }))).toBe(
      `field message.text must be at most ${MESSAGING_LIMITS.text} characters (got ${MESSAGING_LIMITS.text + 1})`,
    )
    expect(problemOf(textBody({ text: 42 }))).toBe('field message.text must be a string (got integer)')
  })

  it('bounds messageId at 256 characters without control characters', () => {
    expect(accepted(textBody({ messageId: 'i'.repeat(256) })).ok).toBe(true)
    expect(problemOf(textBody({ messageId: 'i'.repeat(257) }))).toBe(
      'field message.messageId must be at most 256 characters (got 257)',
    )
    expect(problemOf(textBody({ messageId: 'a\nb' }))).toBe(
      'field message.messageId must not hold control characters',
    )
    expect(problemOf(textBody({ messageId: '' }))).toBe('field message.messageId must not be empty')
  })
})

describe('the recipient: exactly one of appCustomerId, appStaffId, id (D24)', () => {
  it.each([[{ appCustomerId: '1231232' }], [{ appStaffId: '45186' }], [{ id: '2074022437' }]])(
    'takes %j',
    (recipient) => {
      expect(accepted({ ...textBody(), recipient }).recipient).toEqual(recipient)
    },
  )

  it('refuses none and several, naming them', () => {
    expect(problemOf({ ...textBody(), recipient: {} })).toBe(
      'recipient must name exactly one of appCustomerId, appStaffId, id (got none)',
    )
    expect(problemOf({ ...textBody(), recipient: { appCustomerId: '1', id: '2' } })).toBe(
      'recipient must name exactly one of appCustomerId, appStaffId, id (got 2: appCustomerId, id)',
    )
  })

  it('counts null as absent, refuses a number and a missing recipient', () => {
    expect(
      accepted({ ...textBody(), recipient: { appCustomerId: '1', appStaffId: null, id: null } }).recipient,
    ).toEqual({
      appCustomerId: '1',
    })
    expect(problemOf({ ...textBody(), recipient: { appCustomerId: 1231232 } })).toBe(
      'field recipient.appCustomerId must be a string (got integer)',
    )
    expect(problemOf({ message: textBody().message })).toBe('missing required field recipient')
    expect(problemOf({ ...textBody(), recipient: 'me' })).toBe(
      'field recipient must be an object (got string)',
    )
  })
})

describe('exactly one content kind (D24)', () => {
  it('refuses a message with none, naming the kinds', () => {
    expect(problemOf(bodyWith({}))).toBe(
      'message must have exactly one of text, attachment, trigger, document (got none)',
    )
  })

  it('refuses several, naming them', () => {
    expect(problemOf(bodyWith({ text: 'hi', ...documentOf({}) }))).toBe(
      'message must have exactly one of text, attachment, trigger, document (got text, document)',
    )
    expect(problemOf(bodyWith({ trigger: { command: 'c', data: '' }, ...buttonTemplate() }))).toBe(
      'message must have exactly one of text, attachment, trigger, document (got attachment, trigger; a trigger may carry a text, nothing else)',
    )
  })

  it('counts null as absent, as a client that writes every field of its class sends', () => {
    const read = accepted(bodyWith({ text: 'hi', attachment: null, trigger: null, document: null }))
    expect(read.message.content).toEqual({ kind: 'text', text: 'hi' })
  })
})

describe('quickReplies and quickRepliesV2 (D23)', () => {
  it('requires both, naming the ones missing', () => {
    const body = textBody()
    delete body.message?.['quickReplies']
    expect(problemOf(body)).toBe('missing required field message.quickReplies')
    delete body.message?.['quickRepliesV2']
    expect(problemOf(body)).toBe('missing required fields message.quickReplies, message.quickRepliesV2')
    expect(problemOf(textBody({ quickRepliesV2: null }))).toBe(
      'field message.quickRepliesV2 must be an array (got null)',
    )
    expect(problemOf(textBody({ quickReplies: {} }))).toBe(
      'field message.quickReplies must be an array (got object)',
    )
  })

  it('reads up to 11 quick replies of a text message as postbacks', () => {
    const replies: Record<string, unknown>[] = Array.from({ length: 11 }, (_, i) => quickReply(`Q${i}`))
    replies[0] = {
      ...quickReply('Yes'),
      payloadHidden: true,
      payloadSeenByUser: 'Yes I want to continue',
      imageUrl: 'https://diyalog.im/yes.png',
    }
    const read = accepted(textBody({ quickRepliesV2: replies }))
    expect(read.message.quickReplies).toHaveLength(11)
    expect(read.message.quickReplies[0]).toEqual({
      type: 'postback',
      title: 'Yes',
      payload: 'yes',
      payloadHidden: true,
      payloadSeenByUser: 'Yes I want to continue',
      imageUrl: 'https://diyalog.im/yes.png',
    })
    expect(read.message.quickReplies[1]).toEqual({
      type: 'postback',
      title: 'Q1',
      payload: 'q1',
      payloadHidden: false,
    })
  })

  it('refuses a 12th quick reply', () => {
    const replies = Array.from({ length: 12 }, (_, i) => quickReply(`Q${i}`))
    expect(problemOf(textBody({ quickRepliesV2: replies }))).toBe(
      'field message.quickRepliesV2 must have at most 11 items (got 12)',
    )
  })

  it('requires contentType "text", a title and a payload, naming the item', () => {
    const replies = [quickReply('A'), quickReply('B'), quickReply('C'), { contentType: 'text', payload: 'd' }]
    expect(problemOf(textBody({ quickRepliesV2: replies }))).toBe(
      'missing required field message.quickRepliesV2[3].title',
    )
    expect(problemOf(textBody({ quickRepliesV2: [{ ...quickReply('A'), contentType: 'image' }] }))).toBe(
      'field message.quickRepliesV2[0].contentType must be one of "text" (got "image")',
    )
    expect(problemOf(textBody({ quickRepliesV2: [{ ...quickReply('A'), payloadHidden: 'yes' }] }))).toBe(
      'field message.quickRepliesV2[0].payloadHidden must be a boolean (got string)',
    )
    expect(problemOf(textBody({ quickRepliesV2: [null] }))).toBe(
      'field message.quickRepliesV2[0] must be an object (got null)',
    )
  })

  it('takes quick replies only under a text message', () => {
    const withReplies = bodyWith({ ...buttonTemplate() })
    ;(withReplies.message as Record<string, unknown>)['quickRepliesV2'] = [quickReply('A')]
    expect(problemOf(withReplies)).toBe(
      'field message.quickRepliesV2 must be [] unless the message is a text message (this one is a button template)',
    )
    const trigger = bodyWith({ text: 'tap', trigger: { command: 'c', data: '' } })
    ;(trigger.message as Record<string, unknown>)['quickRepliesV2'] = [quickReply('A')]
    expect(problemOf(trigger)).toMatch(/\(this one is a trigger\)$/)
    const media = bodyWith({ attachment: { type: 'audio', payload: {} } })
    ;(media.message as Record<string, unknown>)['quickRepliesV2'] = [quickReply('A')]
    expect(problemOf(media)).toMatch(/\(this one is an audio attachment\)$/)
    const document = bodyWith(documentOf({}))
    ;(document.message as Record<string, unknown>)['quickRepliesV2'] = [quickReply('A')]
    expect(problemOf(document)).toMatch(/\(this one is a document\)$/)
  })

  it('takes old-version quickReplies it does not read, and says so', () => {
    const read = accepted(
      textBody({ quickReplies: [{ content_type: 'text', title: 'Old', payload: 'old' }] }),
    )
    expect(read.message.quickReplies).toEqual([])
    expect(read.notes).toEqual([
      'message.quickReplies has 1 item, not read: quickReplies is the old version and stays []; quick replies go in quickRepliesV2',
    ])
  })
})

describe('v1 (Facebook-compatible) bodies (D23)', () => {
  it('refuses the SendMessage page\u2019s example (made valid JSON) with the v2 names to send', () => {
    const v1 = {
      recipient: { appCustomerId: '1231231' },
      message: { text: 'hello world', messageId: 'msg-id-123-112233', quick_replies: [] },
    }
    expect(problemOf(v1)).toBe(
      'field message.quick_replies is the v1 (Facebook-compatible) name: send quickReplies: [] and the quick replies in quickRepliesV2',
    )
  })

  it('names the v1 field of a quick reply, a template and a button with what replaced it', () => {
    expect(
      problemOf(textBody({ quickRepliesV2: [{ content_type: 'text', title: 'A', payload: 'a' }] })),
    ).toBe(
      'field message.quickRepliesV2[0].content_type is the v1 (Facebook-compatible) name: send contentType',
    )
    expect(
      problemOf(textBody({ quickRepliesV2: [{ ...quickReply('A'), image_url: 'https://x.example/a.png' }] })),
    ).toBe('field message.quickRepliesV2[0].image_url is the v1 (Facebook-compatible) name: send imageUrl')
    const v1Template = bodyWith({
      attachment: { type: 'template', payload: { template_type: 'generic', elements: [element('A')] } },
    })
    expect(problemOf(v1Template)).toBe(
      'field message.attachment.payload.template_type is the v1 (Facebook-compatible) name: send templateType',
    )
    const v1Button = bodyWith(buttonTemplate({ buttonsV2: [{ ...postback('A'), payload_hidden: true }] }))
    expect(problemOf(v1Button)).toBe(
      'field message.attachment.payload.buttonsV2[0].payload_hidden is the v1 (Facebook-compatible) name: send payloadHidden',
    )
  })

  it('tells a v1 element whose buttons were not moved to buttonsV2', () => {
    const body = bodyWith(generic([{ title: 'A', buttons: [postback('Yes')] }]))
    expect(problemOf(body)).toBe(
      'missing required field message.attachment.payload.elements[0].buttonsV2 (buttons is the old version and stays []; buttons go in buttonsV2)',
    )
  })

  it('ignores a v1 name sent beside its v2 name, and says so', () => {
    const read = accepted(textBody({ quick_replies: [] }))
    expect(read.ignoredFields).toEqual(['message.quick_replies'])
    expect(read.notes).toEqual([
      'message.quick_replies is the v1 name of quickReplies and quickRepliesV2, which the body has: ignored',
    ])
  })
})

describe('the generic template', () => {
  it('reads its elements and their buttons', () => {
    const read = accepted(
      bodyWith(
        generic([
          {
            title: 'Your Holiday Offer',
            subtitle: 'Special',
            imageUrl: 'https://diyalog.im/6.jpg',
            messageId: 'el-0',
            buttons: [],
            buttonsV2: [
              {
                type: 'postback',
                title: 'Interested',
                payload: 'yes',
                payloadHidden: true,
                payloadSeenByUser: 'I am',
              },
              { type: 'web_url', title: 'Open Offer', payload: 'http://dlgmessenger.com' },
            ],
          },
          { buttons: [], buttonsV2: [] },
        ]),
      ),
    )
    expect(read.message.content).toEqual({
      kind: 'generic',
      elements: [
        {
          messageId: 'el-0',
          title: 'Your Holiday Offer',
          subtitle: 'Special',
          imageUrl: 'https://diyalog.im/6.jpg',
          buttons: [
            {
              type: 'postback',
              title: 'Interested',
              payload: 'yes',
              payloadHidden: true,
              payloadSeenByUser: 'I am',
            },
            {
              type: 'web_url',
              title: 'Open Offer',
              payload: 'http://dlgmessenger.com',
              payloadHidden: false,
            },
          ],
        },
        { buttons: [] },
      ],
    })
  })

  it('has 1 to 10 elements', () => {
    expect(problemOf(bodyWith(generic([])))).toBe(
      'field message.attachment.payload.elements must have at least 1 item (got 0)',
    )
    const ten = Array.from({ length: 10 }, (_, i) => element(`E${i}`))
    expect(accepted(bodyWith(generic(ten))).ok).toBe(true)
    expect(problemOf(bodyWith(generic([...ten, element('E10')])))).toBe(
      'field message.attachment.payload.elements must have at most 10 items (got 11)',
    )
  })

  it('gives each element at most 3 buttonsV2, and requires buttons and buttonsV2', () => {
    const four = [postback('1'), postback('2'), postback('3'), postback('4')]
    expect(problemOf(bodyWith(generic([{ buttons: [], buttonsV2: four }])))).toBe(
      'field message.attachment.payload.elements[0].buttonsV2 must have at most 3 items (got 4)',
    )
    expect(problemOf(bodyWith(generic([element('A'), { buttonsV2: [] }])))).toBe(
      'missing required field message.attachment.payload.elements[1].buttons',
    )
    expect(problemOf(bodyWith(generic([{ buttons: [] }])))).toBe(
      'missing required field message.attachment.payload.elements[0].buttonsV2',
    )
  })

  it('requires the payload\u2019s buttons and buttonsV2 arrays, and notes items it does not read', () => {
    const body = bodyWith(generic([element('A')]))
    const payload = (body.message as { attachment: { payload: Record<string, unknown> } }).attachment.payload
    delete payload['buttons']
    delete payload['buttonsV2']
    expect(problemOf(body)).toBe(
      'missing required fields message.attachment.payload.buttons, message.attachment.payload.buttonsV2',
    )
    const read = accepted(
      bodyWith(generic([{ ...element('A'), buttons: [{ type: 'old' }] }], { buttonsV2: [postback('X')] })),
    )
    expect(read.notes).toEqual([
      "message.attachment.payload.buttonsV2 has 1 item, not read: a generic template's buttons are its elements' buttonsV2",
      'message.attachment.payload.elements[0].buttons has 1 item, not read: buttons is the old version and stays []; buttons go in buttonsV2',
    ])
  })

  it('refuses a template payload that is not an object', () => {
    expect(problemOf(bodyWith({ attachment: { type: 'template', payload: [] } }))).toBe(
      'field message.attachment.payload must be an object (got array)',
    )
  })

  it('refuses an unknown template type and a template without one', () => {
    expect(
      problemOf(
        bodyWith({ attachment: { type: 'template', payload: { templateType: 'list', elements: [] } } }),
      ),
    ).toBe('field message.attachment.payload.templateType must be one of "generic", "button" (got "list")')
    expect(problemOf(bodyWith({ attachment: { type: 'template', payload: {} } }))).toBe(
      'missing required field message.attachment.payload.templateType',
    )
  })
})

describe('the button template', () => {
  it('reads its messageId, text and up to 3 buttons', () => {
    const read = accepted(
      bodyWith(
        buttonTemplate({
          buttonsV2: [
            postback('Send Me Receipt'),
            { ...postback('Cancel'), payloadHidden: true },
            { type: 'web_url', title: 'New', payload: 'https://dlgmessenger.com' },
          ],
        }),
      ),
    )
    expect(read.message.content).toEqual({
      kind: 'button',
      messageId: 'bt-1',
      text: 'How can I help you?',
      buttons: [
        { type: 'postback', title: 'Send Me Receipt', payload: 'Send Me Receipt', payloadHidden: false },
        { type: 'postback', title: 'Cancel', payload: 'Cancel', payloadHidden: true },
        { type: 'web_url', title: 'New', payload: 'https://dlgmessenger.com', payloadHidden: false },
      ],
    })
  })

  it('requires messageId, text, buttons, buttonsV2 and elements', () => {
    const body = bodyWith(buttonTemplate())
    const payload = (body.message as { attachment: { payload: Record<string, unknown> } }).attachment.payload
    for (const key of ['messageId', 'text', 'buttons', 'buttonsV2', 'elements']) delete payload[key]
    expect(problemOf(body)).toBe(
      'missing required fields message.attachment.payload.messageId, message.attachment.payload.text, message.attachment.payload.buttons, message.attachment.payload.buttonsV2, message.attachment.payload.elements',
    )
  })

  it('refuses a 4th button and notes elements it does not read', () => {
    const four = [postback('1'), postback('2'), postback('3'), postback('4')]
    expect(problemOf(bodyWith(buttonTemplate({ buttonsV2: four })))).toBe(
      'field message.attachment.payload.buttonsV2 must have at most 3 items (got 4)',
    )
    expect(accepted(bodyWith(buttonTemplate({ elements: [element('A')] }))).notes).toEqual([
      'message.attachment.payload.elements has 1 item, not read: a button template has no elements (the docs want [])',
    ])
  })
})

describe('buttonV2', () => {
  const withButton = (button: unknown) => bodyWith(buttonTemplate({ buttonsV2: [button] }))
  const at = 'message.attachment.payload.buttonsV2[0]'

  it('has type postback or web_url, a title and a payload', () => {
    expect(problemOf(withButton({ ...postback('A'), type: 'call' }))).toBe(
      `field ${at}.type must be one of "postback", "web_url" (got "call")`,
    )
    expect(problemOf(withButton({ type: 'postback' }))).toBe(
      `missing required fields ${at}.title, ${at}.payload`,
    )
    expect(problemOf(withButton({ ...postback('A'), title: '' }))).toBe(`field ${at}.title must not be empty`)
  })

  it('opens only an absolute URI for web_url', () => {
    expect(problemOf(withButton({ type: 'web_url', title: 'Open', payload: 'dlgmessenger.com' }))).toBe(
      `field ${at}.payload of a web_url button must be an absolute URI such as https://example.com/ (got "dlgmessenger.com")`,
    )
    expect(isAbsoluteUri('https://dlgmessenger.com/a?b=c')).toBe(true)
    expect(isAbsoluteUri('tel:+905551112233')).toBe(true)
    expect(isAbsoluteUri('http://')).toBe(false)
    expect(isAbsoluteUri('https://exa mple.com')).toBe(false)
    expect(isAbsoluteUri('/relative/path')).toBe(false)
  })

  it('takes payloadHidden on postback buttons only', () => {
    expect(
      problemOf(
        withButton({ type: 'web_url', title: 'Open', payload: 'https://a.example', payloadHidden: true }),
      ),
    ).toBe(`field ${at}.payloadHidden applies to postback buttons only (this one is web_url)`)
    const read = accepted(
      withButton({ type: 'web_url', title: 'Open', payload: 'https://a.example', payloadHidden: false }),
    )
    expect(read.message.content).toMatchObject({ buttons: [{ payloadHidden: false }] })
  })
})

describe('the trigger app message', () => {
  it('reads command and data, with or without a text', () => {
    expect(
      accepted(
        bodyWith({ text: 'Approve', trigger: { command: 'ApproveTransaction', data: '{custNo:2337368}' } }),
      ).message.content,
    ).toEqual({
      kind: 'trigger',
      text: 'Approve',
      command: 'ApproveTransaction',
      data: '{custNo:2337368}',
    })
    expect(accepted(bodyWith({ trigger: { command: 'Open', data: '' } })).message.content).toEqual({
      kind: 'trigger',
      command: 'Open',
      data: '',
    })
  })

  it('requires command and data, both strings', () => {
    expect(problemOf(bodyWith({ trigger: {} }))).toBe(
      'missing required fields message.trigger.command, message.trigger.data',
    )
    expect(problemOf(bodyWith({ trigger: { command: 'Open', data: { custNo: 1 } } }))).toBe(
      'field message.trigger.data must be a string (got object)',
    )
  })
})

describe('media attachments (D43)', () => {
  it.each(['image', 'audio', 'video', 'file'] as const)(
    'takes %s with any payload object, and says it is not documented',
    (type) => {
      const read = accepted(
        bodyWith({ attachment: { type, payload: { url: 'https://x.example/f', anything: [1] } } }),
      )
      expect(read.message.content).toEqual({ kind: 'media', type })
      expect(read.ignoredFields).toEqual([])
      expect(read.notes).toHaveLength(1)
      expect(read.notes[0]).toMatch(
        /^message\.attachment\.payload of an? \w+ attachment is not documented: accepted as it is and not read/,
      )
    },
  )

  it('still requires the payload object and a known type', () => {
    expect(problemOf(bodyWith({ attachment: { type: 'image' } }))).toBe(
      'missing required field message.attachment.payload',
    )
    expect(problemOf(bodyWith({ attachment: { type: 'image', payload: 'https://x.example/f.png' } }))).toBe(
      'field message.attachment.payload must be an object (got string)',
    )
    expect(problemOf(bodyWith({ attachment: { type: 'sticker', payload: {} } }))).toBe(
      'field message.attachment.type must be one of "template", "image", "audio", "video", "file" (got "sticker")',
    )
  })
})

describe('the document message (D44)', () => {
  it('reads a plain document and the size of its file', () => {
    expect(accepted(bodyWith(documentOf({}))).message.content).toEqual({
      kind: 'document',
      fileName: 'diyalog-s3.pdf',
      mimeType: 'pdf',
      size: 16,
      shownAs: 'document',
    })
  })

  it('reads a photo, a video and a voice message with their sizes', () => {
    const photo = documentOf({
      fileName: 'a.jpg',
      fileData: JPEG_BASE64,
      mimeType: 'jpg',
      photo: { width: 640, height: 480 },
    })
    expect(accepted(bodyWith(photo)).message.content).toMatchObject({
      shownAs: 'photo',
      width: 640,
      height: 480,
      size: 12,
    })
    const video = documentOf({ fileName: 'capture_1.mp4', video: { width: 360, height: 480, duration: 120 } })
    expect(accepted(bodyWith(video)).message.content).toMatchObject({
      shownAs: 'video',
      width: 360,
      height: 480,
      duration: 120,
    })
    const voice = documentOf({ fileName: 'voice.ogg', voice: { duration: 18 } })
    expect(accepted(bodyWith(voice)).message.content).toMatchObject({ shownAs: 'voice', duration: 18 })
  })

  it('takes at most one of photo, video, voice', () => {
    expect(problemOf(bodyWith(documentOf({ photo: { width: 1, height: 1 }, voice: { duration: 1 } })))).toBe(
      'message.document may have at most one of photo, video, voice (got photo, voice)',
    )
    expect(
      accepted(bodyWith(documentOf({ photo: null, video: null, voice: { duration: 1 } }))).message.content,
    ).toMatchObject({
      shownAs: 'voice',
    })
  })

  it('requires whole numbers from 0 for dimensions and durations', () => {
    expect(problemOf(bodyWith(documentOf({ video: { width: 360, height: -1, duration: 1.5 } })))).toBe(
      'field message.document.video.height must be from 0 to 2147483647 (got -1); field message.document.video.duration must be an integer (got number)',
    )
    expect(problemOf(bodyWith(documentOf({ photo: { width: 640 } })))).toBe(
      'missing required field message.document.photo.height',
    )
  })

  it('requires fileName with an extension and fileData; mimeType is optional', () => {
    expect(problemOf(bodyWith(documentOf({ fileName: 'report' })))).toBe(
      'field message.document.fileName must end in an extension, as report.pdf (got "report")',
    )
    expect(problemOf(bodyWith(documentOf({ fileName: '.pdf' })))).toMatch(/must end in an extension/)
    expect(problemOf(bodyWith({ document: { fileName: 'a.pdf' } }))).toBe(
      'missing required field message.document.fileData',
    )
    expect(
      accepted(bodyWith({ document: { fileName: 'a.pdf', fileData: PDF_BASE64 } })).message.content,
    ).not.toHaveProperty('mimeType')
  })

  describe('the table\u2019s rows', () => {
    const row = (document: Record<string, unknown>) => refused(bodyWith(documentOf(document)))

    it('File data bytes is empty', () => {
      expect(row({ fileData: '' })).toMatchObject({ status: 400, message: 'File data bytes is empty' })
    })

    it('File data bytes not valid, the reason in the notes', () => {
      const refusal = row({ fileData: 'JVBERi0xLjcKJYGBgYEKCj....' })
      expect(refusal).toMatchObject({ status: 400, message: 'File data bytes not valid' })
      expect(refusal.notes).toEqual(['fileData has . at character 23, which is not a base64 character'])
    })

    it('Exceeded max file size of 5MB, for 5 MiB + 1 byte; 5 MiB exactly is sent', () => {
      expect(row({ fileData: zeroBase64(MAX_FILE_BYTES + 1) })).toMatchObject({
        status: 400,
        message: 'Exceeded max file size of 5MB',
      })
      expect(
        accepted(bodyWith(documentOf({ fileData: zeroBase64(MAX_FILE_BYTES) }))).message.content,
      ).toMatchObject({
        size: MAX_FILE_BYTES,
      })
    })

    it('File as photo cannot be parsed due to it is not a image file.', () => {
      expect(row({ photo: { width: 640, height: 480 } })).toMatchObject({
        status: 400,
        message: 'File as photo cannot be parsed due to it is not a image file.',
      })
    })

    it('come after the malformed checks: a body with another fault is malformed first', () => {
      const body = { ...bodyWith(documentOf({ fileData: '' })), recipient: {} }
      expect(problemOf(body)).toBe(
        'recipient must name exactly one of appCustomerId, appStaffId, id (got none)',
      )
    })
  })
})

describe('what the reader says about the whole body', () => {
  it('refuses a body that is not an object', () => {
    expect(problemOf([])).toBe('the body must be a JSON object (got array)')
    expect(problemOf(null)).toBe('the body must be a JSON object (got null)')
  })

  it('names every unknown field as a path, and suggests a field spelled nearly right', () => {
    const read = accepted({
      ...textBody({ extra: 1, quickRepliesv2: [] }),
      zz: true,
      recipient: { appCustomerId: '1', name: 'x' },
    })
    // In the order the reader meets them: the body's own fields first, then each object's.
    expect(read.ignoredFields).toEqual(['zz', 'recipient.name', 'message.extra', 'message.quickRepliesv2'])
    expect(read.notes).toEqual(['message.quickRepliesv2 is not a field of the API: message.quickRepliesV2?'])
  })

  it('names several problems at once, at most ten, and counts the rest', () => {
    expect(problemOf({ recipient: { appCustomerId: 1 }, message: { ...textBody().message, text: 2 } })).toBe(
      'field recipient.appCustomerId must be a string (got integer); field message.text must be a string (got integer)',
    )
    const replies = Array.from({ length: 11 }, () => ({ contentType: 'video', title: 'A', payload: 'a' }))
    expect(problemOf(textBody({ quickRepliesV2: replies }))).toMatch(
      /quickRepliesV2\[9\]\.contentType[^;]*; and 1 more$/,
    )
  })

  it('quotes a client value cut to 64 characters', () => {
    const long = `${'x'.repeat(100)}`
    expect(problemOf(bodyWith({ attachment: { type: long, payload: {} } }))).toBe(
      `field message.attachment.type must be one of "template", "image", "audio", "video", "file" (got "${'x'.repeat(64)}"...)`,
    )
  })
})
