import { Type, type Static } from 'typebox'
import { MESSAGING_LIMITS as LIMITS } from '../../messaging/send-message.js'
import { readSendMok } from '../../messaging/send-mok.js'
import { BotSendReply, botRoute } from '../bot-route.js'
import { ButtonV2 } from './sendmessage.js'

// `POST /v1/bots/sendmok/<token>`: SendOTP (docs/contract.md §8.3, D22, D42).

const Short = (description: string) => Type.Optional(Type.String({ maxLength: LIMITS.short, description }))

/** The request body. Its one example is the SendOTP page's, as printed (it is valid JSON). */
export const SendMokBody = Type.Object(
  {
    customerNo: Type.String({
      minLength: 1,
      maxLength: LIMITS.id,
      description: 'The customer number of the recipient.',
    }),
    messageId: Type.String({
      minLength: 1,
      maxLength: LIMITS.id,
      description: 'Your id of the message, returned with a pressed button\u2019s payload. Required (D42).',
    }),
    mokMessage: Type.String({
      minLength: 1,
      maxLength: LIMITS.text,
      description: 'The text of the OTP message.',
    }),
    mokValue: Short('The one-time password; the SDK raises it as an event to your main app.'),
    imageUrl: Type.Optional(Type.String({ maxLength: LIMITS.url, description: 'An image in the message.' })),
    txCode: Short('Transaction code, for logging and analysis only.'),
    deviceId: Short('The user\u2019s device id, for logging and analysis only.'),
    buttonsV2: Type.Optional(
      Type.Array(ButtonV2, {
        maxItems: LIMITS.buttons,
        description: 'At most 3 buttons, e.g. Approve and Dismiss.',
      }),
    ),
  },
  {
    description:
      'Flat: no recipient or message object; a customer only. Unknown fields are ignored and named in x-dlg-mock-ignored-fields.',
    examples: [
      {
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
      },
    ],
  },
)

export type SendMokRequest = Static<typeof SendMokBody>

export const SEND_MOK = botRoute({
  method: 'POST',
  path: '/sendmok',
  family: 'Messaging API',
  summary: 'Sends a one-time password (OTP) to a customer as the bot, with an optional image and buttons',
  body: SendMokBody,
  reply: BotSendReply,
  read: readSendMok,
})
