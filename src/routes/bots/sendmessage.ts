import { Type, type Static } from 'typebox'
import { MAX_FILE_BYTES } from '../../messaging/document.js'
import { MESSAGING_LIMITS as LIMITS, readSendMessage } from '../../messaging/send-message.js'
import { BotSendReply, botRoute } from '../bot-route.js'

// `POST /v1/bots/sendmessage/<token>` (docs/contract.md §8.3, D22–D24, D42, D43, D44).

const Id = (description: string) => Type.String({ minLength: 1, maxLength: LIMITS.id, description })

/** Arrays the docs want empty (`[]`): any items are taken and not read. */
const Legacy = (description: string) =>
  Type.Array(Type.Unknown(), { maxItems: LIMITS.legacyItems, description, examples: [[]] })

export const ButtonV2 = Type.Object(
  {
    type: Type.Enum(['postback', 'web_url'], {
      description:
        '`postback`: the payload comes back through the webhook; `web_url`: the device opens the payload.',
    }),
    title: Type.String({ minLength: 1, maxLength: LIMITS.label, description: 'Title of the button.' }),
    payload: Type.String({
      maxLength: LIMITS.payload,
      description:
        'postback: returned as webhook text `"[<messageId>]:<payload>"` when pressed; web_url: an absolute URI.',
    }),
    payloadHidden: Type.Optional(
      Type.Boolean({
        description: 'postback only. true: the payload comes back signed with the bot\u2019s key.',
      }),
    ),
    payloadSeenByUser: Type.Optional(
      Type.String({
        maxLength: LIMITS.label,
        description: 'Shown in the chat when pressed (default: the payload).',
      }),
    ),
  },
  { description: 'A button (buttonV2).' },
)

const QuickReplyV2 = Type.Object(
  {
    contentType: Type.Literal('text', { description: 'Always "text".' }),
    title: Type.String({ minLength: 1, maxLength: LIMITS.label, description: 'Title of the button.' }),
    payload: Type.String({
      maxLength: LIMITS.payload,
      description: 'Returned through the webhook when pressed.',
    }),
    payloadHidden: Type.Optional(
      Type.Boolean({
        description: 'true: the payload comes back signed with the bot\u2019s key (default false).',
      }),
    ),
    payloadSeenByUser: Type.Optional(
      Type.String({
        maxLength: LIMITS.label,
        description: 'Shown in the chat when pressed (default: the payload).',
      }),
    ),
    imageUrl: Type.Optional(Type.String({ maxLength: LIMITS.url, description: 'Icon of the button.' })),
  },
  { description: 'A quick reply (quickReplyV2).' },
)

const Element = Type.Object(
  {
    messageId: Type.Optional(
      Id('Returned with a pressed button\u2019s payload, to tell which element it was.'),
    ),
    title: Type.Optional(Type.String({ maxLength: LIMITS.label })),
    subtitle: Type.Optional(Type.String({ maxLength: LIMITS.label })),
    imageUrl: Type.Optional(Type.String({ maxLength: LIMITS.url })),
    buttons: Legacy('The old version: `[]`.'),
    buttonsV2: Type.Array(ButtonV2, { maxItems: LIMITS.buttons, description: 'At most 3 buttons.' }),
  },
  { description: 'One card of the carousel.' },
)

const GenericPayload = Type.Object(
  {
    templateType: Type.Literal('generic'),
    elements: Type.Array(Element, {
      minItems: 1,
      maxItems: LIMITS.elements,
      description: 'The carousel: 1 to 10 elements.',
    }),
    buttons: Legacy('`[]`.'),
    buttonsV2: Legacy('`[]` (the buttons of a generic template are its elements\u2019).'),
  },
  { description: 'Generic template: a carousel of elements.' },
)

const ButtonPayload = Type.Object(
  {
    templateType: Type.Literal('button'),
    messageId: Id('Returned with a pressed button\u2019s payload.'),
    text: Type.String({ minLength: 1, maxLength: LIMITS.text, description: 'Text above the buttons.' }),
    buttons: Legacy('The old version: `[]`.'),
    buttonsV2: Type.Array(ButtonV2, { maxItems: LIMITS.buttons, description: 'At most 3 buttons.' }),
    elements: Legacy('`[]`: a button template has no elements.'),
  },
  { description: 'Button template: a text with up to 3 buttons.' },
)

const Attachment = Type.Union(
  [
    Type.Object(
      { type: Type.Literal('template'), payload: Type.Union([GenericPayload, ButtonPayload]) },
      { description: 'A generic or button template.' },
    ),
    Type.Object(
      {
        type: Type.Enum(['image', 'audio', 'video', 'file']),
        payload: Type.Object(
          {},
          {
            additionalProperties: true,
            description: 'Not documented: any object is accepted and not read (send files as `document`).',
          },
        ),
      },
      { description: 'A media attachment, whose payload no page documents.' },
    ),
  ],
  { description: 'Content other than text: a template, or a media type.' },
)

const Trigger = Type.Object(
  {
    command: Type.String({ minLength: 1, maxLength: LIMITS.short, description: 'Agreed with your app.' }),
    data: Type.String({ maxLength: LIMITS.text, description: 'Agreed with your app; `""` when none.' }),
  },
  {
    description: 'Raises an event carrying command and data in your main app when the user taps the message.',
  },
)

const Size = (description: string) => Type.Integer({ minimum: 0, maximum: LIMITS.integer, description })

const Document = Type.Object(
  {
    fileName: Type.String({
      minLength: 3,
      maxLength: LIMITS.fileName,
      description: 'The file name, with an extension.',
    }),
    fileData: Type.String({
      description: `The file in standard base64 (one line, padding optional); at most ${MAX_FILE_BYTES} bytes decoded.`,
    }),
    mimeType: Type.Optional(
      Type.String({
        maxLength: LIMITS.mimeType,
        description: 'The file\u2019s type; the docs put its extension here (`pdf`).',
      }),
    ),
    photo: Type.Optional(
      Type.Object(
        { width: Size('Pixels.'), height: Size('Pixels.') },
        { description: 'Shown as a photo: the file must be a JPEG, PNG, GIF, WebP or BMP image.' },
      ),
    ),
    video: Type.Optional(
      Type.Object(
        { width: Size('Pixels.'), height: Size('Pixels.'), duration: Size('Seconds.') },
        { description: 'Shown as a video.' },
      ),
    ),
    voice: Type.Optional(
      Type.Object({ duration: Size('Seconds.') }, { description: 'Shown as a voice message.' }),
    ),
  },
  { description: 'A file sent in the body. At most one of photo, video, voice; none: a plain document.' },
)

/**
 * The request body. Its first example is the SendMessage page's own, made valid JSON (a comma
 * added, `quick_replies` replaced by `quickReplies` and `quickRepliesV2`); then one per template
 * page, each as printed except the Document Message page's, whose `"JVBERi0xLjcKJYGBgYEKCj...."`
 * is cut short, whose `mimeType` is doubled and whose objects end in a comma: there the file is
 * that PDF start as whole base64, the photo a JPEG start.
 */
export const SendMessageBody = Type.Object(
  {
    recipient: Type.Object(
      {
        appCustomerId: Type.Optional(Id('Your customer number.')),
        appStaffId: Type.Optional(Id('Your staff number.')),
        id: Type.Optional(Id('The Diyalog user id.')),
      },
      { description: 'Exactly one of appCustomerId, appStaffId, id.' },
    ),
    message: Type.Object(
      {
        messageId: Type.Optional(
          Id('Your id of the message; every webhook event names it. Absent: the mock makes one.'),
        ),
        text: Type.Optional(
          Type.String({
            maxLength: LIMITS.text,
            description: 'A text message (not empty); or the notification text of a trigger.',
          }),
        ),
        attachment: Type.Optional(Attachment),
        trigger: Type.Optional(Trigger),
        document: Type.Optional(Document),
        quickReplies: Legacy('Required, the old version: `[]`.'),
        quickRepliesV2: Type.Array(QuickReplyV2, {
          maxItems: LIMITS.quickReplies,
          description: 'Required. Up to 11 quick replies under a text message; `[]` for every other kind.',
        }),
      },
      {
        description:
          'Exactly one of text, attachment, trigger (which may carry a text), document. `null` counts as absent.',
      },
    ),
  },
  {
    description:
      'Types are strict; unknown fields are ignored and named in x-dlg-mock-ignored-fields; the v1 snake_case names are refused.',
    examples: [
      {
        recipient: { appCustomerId: '1231231' },
        message: {
          text: 'hello world',
          messageId: 'msg-id-123-112233',
          quickReplies: [],
          quickRepliesV2: [],
        },
      },
      {
        recipient: { appCustomerId: '1231232' },
        message: { messageId: 'messageId-1', text: 'Hello world !', quickReplies: [], quickRepliesV2: [] },
      },
      {
        recipient: { appCustomerId: '1231232' },
        message: {
          messageId: 'messageId-1',
          text: 'Do you want to continue?',
          quickReplies: [],
          quickRepliesV2: [
            {
              contentType: 'text',
              title: 'Yes',
              payload: 'yes',
              payloadHidden: false,
              payloadSeenByUser: 'Yes I want to contunue',
              imageUrl: 'https://diyalog.im/app/testmessage/testimages/quickreplytemplate-yes.png',
            },
            {
              contentType: 'text',
              title: 'Yes',
              payload: 'yes',
              payloadHidden: false,
              payloadSeenByUser: 'No I dont',
              imageUrl: 'https://diyalog.im/app/testmessage/testimages/quickreplytemplate-no.png',
            },
          ],
        },
      },
      {
        recipient: { appCustomerId: '123456789' },
        message: {
          messageId: 'messageId-1',
          attachment: {
            type: 'template',
            payload: {
              templateType: 'generic',
              elements: [
                {
                  title: 'Your Holiday Offer',
                  imageUrl: 'https://diyalog.im/app/testmessage/testimages/generictemplate-6.jpg',
                  subtitle: 'We have a special holiday offer for you. This holiday is for you.',
                  messageId: 'messageid-of-element-0',
                  buttons: [],
                  buttonsV2: [
                    {
                      type: 'postback',
                      title: 'I am interested22',
                      payload: 'campaing1-approved',
                      payloadHidden: true,
                      payloadSeenByUser: 'I am interested',
                    },
                    {
                      type: 'postback',
                      title: 'Cancel',
                      payload: 'cncl',
                      payloadHidden: false,
                      payloadSeenByUser: 'Cancel',
                    },
                  ],
                },
                {
                  title: 'Flight Ticket Offer',
                  imageUrl: 'https://diyalog.im/app/testmessage/testimages/generictemplate-5.jpg',
                  subtitle: 'You can take flight ticket with big discount.',
                  messageId: 'messageid-of-element-1',
                  buttons: [],
                  buttonsV2: [
                    { type: 'web_url', title: 'Open Offer', payload: 'http://dlgmessenger.com' },
                    {
                      type: 'postback',
                      title: 'Cancel',
                      payload: 'cncl',
                      payloadHidden: false,
                      payloadSeenByUser: 'Cancel',
                    },
                  ],
                },
              ],
              buttons: [],
              buttonsV2: [],
            },
          },
          quickReplies: [],
          quickRepliesV2: [],
        },
      },
      {
        recipient: { appCustomerId: '123456789' },
        message: {
          messageId: 'messageId-1',
          attachment: {
            type: 'template',
            payload: {
              templateType: 'button',
              text: 'How can I help you?',
              messageId: 'messageId-1',
              buttons: [],
              buttonsV2: [
                {
                  type: 'postback',
                  title: 'Send Me Receipt',
                  payload: '211',
                  payloadHidden: true,
                  payloadSeenByUser: 'Send me receipt',
                },
                {
                  type: 'postback',
                  title: 'Cancel Transaction',
                  payload: '211',
                  payloadHidden: true,
                  payloadSeenByUser: 'Cancel my transaction',
                },
                { type: 'web_url', title: 'New Transaction', payload: 'https://dlgmessenger.com' },
              ],
              elements: [],
            },
          },
          quickReplies: [],
          quickRepliesV2: [],
        },
      },
      {
        recipient: { appCustomerId: '70023' },
        message: {
          text: 'Please click this message to approve your transaction',
          messageId: 'messageId-5566112',
          trigger: { command: 'ApproveTransaction', data: '{custNo:2337368}' },
          quickReplies: [],
          quickRepliesV2: [],
        },
      },
      {
        recipient: { appCustomerId: '70023' },
        message: {
          messageId: 'messageId-5566112',
          document: { fileName: 'diyalog-s3.pdf', fileData: 'JVBERi0xLjcKJYGBgYEKCg==', mimeType: 'pdf' },
          quickReplies: [],
          quickRepliesV2: [],
        },
      },
      {
        recipient: { appCustomerId: '70023' },
        message: {
          messageId: 'messageId-5566112',
          document: {
            fileName: 'background_test_1_landscape.jpg',
            fileData: '/9j/4AAQSkZJRgAB',
            mimeType: 'jpg',
            photo: { width: 640, height: 480 },
          },
          quickReplies: [],
          quickRepliesV2: [],
        },
      },
      {
        recipient: { appCustomerId: '70023' },
        message: {
          messageId: 'messageId-5566112',
          document: {
            fileName: 'capture_1.mp4',
            fileData: 'JVBERi0xLjcKJYGBgYEKCg==',
            mimeType: 'mp4',
            video: { width: 360, height: 480, duration: 120 },
          },
          quickReplies: [],
          quickRepliesV2: [],
        },
      },
      {
        recipient: { appCustomerId: '70023' },
        message: {
          messageId: 'messageId-5566112',
          document: {
            fileName: 'voice.ogg',
            fileData: 'JVBERi0xLjcKJYGBgYEKCg==',
            mimeType: 'ogg',
            voice: { duration: 18 },
          },
          quickReplies: [],
          quickRepliesV2: [],
        },
      },
    ],
  },
)

export type SendMessageRequest = Static<typeof SendMessageBody>

export const SEND_MESSAGE = botRoute({
  method: 'POST',
  path: '/sendmessage',
  family: 'Messaging API',
  summary:
    'Sends a message as the bot: text with quick replies, a generic or button template, a trigger, or a document',
  body: SendMessageBody,
  reply: BotSendReply,
  read: readSendMessage,
})
