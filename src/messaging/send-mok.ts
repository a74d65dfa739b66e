import { BodyReader, MESSAGING_LIMITS, RULES, readButtonsV2, type BotRead } from './send-message.js'

/**
 * The body of `POST /v1/bots/sendmok/<token>` (SendOTP, API-INVENTORY §6.9) read into an
 * `OutgoingMessage` of kind `otp`, without HTTP. The body is flat and names a customer:
 * `customerNo`, `messageId` and `mokMessage` are required, `mokValue`, `imageUrl`, `txCode`,
 * `deviceId` optional strings, `buttonsV2` at most three buttons as in the templates. The
 * conventions are sendmessage's (`send-message.ts`): strict types, `null` as absent, unknown
 * fields ignored and named, v1 names refused, every string bounded.
 *
 * `messageId` is required (docs/contract.md D42): both tables (EN and TR) mark it so, and only the Turkish prose
 * says the server makes one when it is missing. A client that sends it works with either reading.
 */

const MOK_FIELDS = [
  'customerNo',
  'messageId',
  'mokMessage',
  'mokValue',
  'imageUrl',
  'txCode',
  'deviceId',
  'buttonsV2',
] as const

const SHORT = { required: false, max: MESSAGING_LIMITS.short, line: true } as const

/** Reads a sendmok body (already parsed JSON): the OTP to send, or the documented refusal. */
export function readSendMok(body: unknown): BotRead {
  const reader = new BodyReader()
  const root = reader.root(body, MOK_FIELDS)
  if (root === undefined) return reader.refusal() as NonNullable<ReturnType<BodyReader['refusal']>>
  const customerNo = reader.string(root, '', 'customerNo', RULES.REQUIRED_ID)
  const messageId = reader.string(root, '', 'messageId', RULES.REQUIRED_ID)
  const mokMessage = reader.string(root, '', 'mokMessage', {
    required: true,
    min: 1,
    max: MESSAGING_LIMITS.text,
  })
  const mokValue = reader.string(root, '', 'mokValue', SHORT)
  const imageUrl = reader.string(root, '', 'imageUrl', RULES.URL)
  const txCode = reader.string(root, '', 'txCode', SHORT)
  const deviceId = reader.string(root, '', 'deviceId', SHORT)
  const buttons = readButtonsV2(reader, root, '', false)
  if (reader.problems.length > 0 && ('recipient' in root || 'message' in root)) {
    reader.problem(
      'the SendOTP body is flat: customerNo, messageId and mokMessage at the top, no recipient or message',
    )
  }
  const refusal = reader.refusal()
  if (refusal !== undefined) return refusal
  // No problem was found, so every required field was read.
  return {
    ok: true,
    recipient: { appCustomerId: customerNo as string },
    message: {
      messageId: messageId as string,
      content: {
        kind: 'otp',
        mokMessage: mokMessage as string,
        ...(mokValue === undefined ? {} : { mokValue }),
        ...(imageUrl === undefined ? {} : { imageUrl }),
        ...(txCode === undefined ? {} : { txCode }),
        ...(deviceId === undefined ? {} : { deviceId }),
        buttons: buttons ?? [],
      },
      quickReplies: [],
    },
    ignoredFields: reader.ignoredFields,
    notes: reader.notes,
  }
}
