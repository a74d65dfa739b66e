import { randomBytes } from 'node:crypto'
import { MESSAGING_ERRORS } from '../../messaging/messaging-errors.js'
import { SEND_MESSAGE } from '../../routes/bots/sendmessage.js'
import { SEND_MOK } from '../../routes/bots/sendmok.js'
import { exampleOf, type ConformanceCase, type RequestContext } from '../case.js'
import type { HttpRequest } from '../http.js'
import {
  answerType,
  describeAnswer,
  excerpt,
  fail,
  first,
  jsonObject,
  PASS,
  type Expectation,
} from '../checks.js'

/**
 * The Messaging API (`POST /v1/bots/<api>/<bot token>`, docs/contract.md §8.3, D22–D24). A real
 * server sends what it accepts to a real person, so every case that a conforming server would
 * deliver is marked `sendsMessage` and runs only with `--send-messages`, to `--bot-customer`. The
 * others can deliver nothing whatever the server does: a wrong token, or a recipient the server
 * does not know (`--unknown-customer`).
 */

const TEXT = exampleOf(SEND_MESSAGE)
const OTP = exampleOf(SEND_MOK)

/** A token no server has: 32 hex characters, like the docs' example, new for each run. */
const wrongToken = () => randomBytes(16).toString('hex')

/** A message id of this run, so the answer's `message_id` can be compared byte for byte. */
const runMessageId = () => `conformance-${randomBytes(6).toString('hex')}`

const textTo = (recipient: object, message: object = {}) => ({
  recipient,
  message: { ...TEXT.message, ...message },
})
const unknownRecipient = (context: RequestContext) => ({ appCustomerId: context.target.unknownCustomerId })

/** The answer is `status` with exactly `message` as plain text. */
function plainText(status: number, message: string): Expectation {
  return {
    expected: `${status}, text/plain, ${JSON.stringify(message)}`,
    check: (answers) => {
      const answer = first(answers)
      if (answer.status !== status || answer.body.trim() !== message) return fail(describeAnswer(answer))
      return answerType(answer) === 'text/plain'
        ? PASS
        : fail(`Content-Type ${answer.headers['content-type'] ?? '(none)'}`)
    },
  }
}

/**
 * 400 with the documented "The request content was malformed: …". Only the words up to the colon
 * are compared: what follows is the server's own (Akka HTTP puts a newline there).
 */
const MALFORMED_PREFIX = MESSAGING_ERRORS.malformed.message.split(':')[0] as string
const malformed: Expectation = {
  expected: `400, "${MALFORMED_PREFIX}: …"`,
  check: (answers) => {
    const answer = first(answers)
    return answer.status === 400 && answer.body.startsWith(`${MALFORMED_PREFIX}:`)
      ? PASS
      : fail(describeAnswer(answer))
  },
}

/**
 * A case that sends a message with a `messageId` of this run and expects 200
 * `{recipient_id, message_id}` with that id back, byte for byte: the request and the check share it.
 */
function sends(
  build: (context: RequestContext, messageId: string) => HttpRequest,
): Pick<ConformanceCase, 'expected' | 'check' | 'request'> {
  let asked = ''
  return {
    expected: '200 {"recipient_id": "<Diyalog id>", "message_id": "<the messageId sent>"}',
    request: (context) => {
      asked = runMessageId()
      return build(context, asked)
    },
    check: (answers) => {
      const body = jsonObject(first(answers))
      if (typeof body === 'string') return fail(body)
      if (typeof body['recipient_id'] !== 'string' || body['recipient_id'] === '') {
        return fail(`recipient_id is ${excerpt(JSON.stringify(body['recipient_id']))}, not a Diyalog id`)
      }
      return body['message_id'] === asked
        ? PASS
        : fail(
            `message_id is ${excerpt(JSON.stringify(body['message_id']))}, not the messageId sent (${asked})`,
          )
    },
  }
}

/** A document message to `--bot-customer`. */
const documentTo =
  (document: { readonly fileName: string; readonly fileData: string }) => (context: RequestContext) =>
    context.bot({
      route: SEND_MESSAGE,
      body: {
        recipient: { appCustomerId: context.target.botCustomerId },
        message: { messageId: runMessageId(), document, quickReplies: [], quickRepliesV2: [] },
      },
    })

const base64 = (text: string) => Buffer.from(text).toString('base64')

export const botCases: readonly ConformanceCase[] = [
  {
    id: 'bots.wrong-token',
    level: 'MUST',
    ref: '§8.3, D22 (Document Message error table)',
    description: 'sendmessage with a token no bot has',
    ...plainText(MESSAGING_ERRORS.wrongToken.status, MESSAGING_ERRORS.wrongToken.message),
    request: (context) =>
      context.bot({ route: SEND_MESSAGE, token: wrongToken(), body: textTo(unknownRecipient(context)) }),
  },
  {
    id: 'bots.sendmok-wrong-token',
    level: 'MUST',
    ref: '§8.3, D22',
    description: 'sendmok with a token no bot has',
    ...plainText(MESSAGING_ERRORS.wrongToken.status, MESSAGING_ERRORS.wrongToken.message),
    request: (context) =>
      context.bot({
        route: SEND_MOK,
        token: wrongToken(),
        body: { ...OTP, customerNo: context.target.unknownCustomerId },
      }),
  },
  {
    id: 'bots.malformed-json',
    level: 'MUST',
    ref: '§8.3, D22',
    description: 'a body that is not JSON',
    ...malformed,
    request: (context) => context.bot({ route: SEND_MESSAGE, body: '{"recipient":' }),
  },
  {
    id: 'bots.quick-replies-required',
    level: 'MUST',
    ref: '§8.3 ("you will receive malformed request error"), D23',
    description: 'a text message without quickReplies and quickRepliesV2',
    ...malformed,
    request: (context) =>
      context.bot({
        route: SEND_MESSAGE,
        body: textTo(unknownRecipient(context), { quickReplies: undefined, quickRepliesV2: undefined }),
      }),
  },
  {
    id: 'bots.unknown-recipient',
    level: 'MUST',
    ref: '§8.3, D22',
    description: 'a valid text message to a customer the server does not know',
    ...plainText(MESSAGING_ERRORS.recipientNotFound.status, MESSAGING_ERRORS.recipientNotFound.message),
    request: (context) => context.bot({ route: SEND_MESSAGE, body: textTo(unknownRecipient(context)) }),
  },
  {
    id: 'bots.send-text',
    level: 'MUST',
    ref: '§8.3',
    description: 'a text message to --bot-customer, with a messageId',
    sendsMessage: true,
    ...sends((context, messageId) =>
      context.bot({
        route: SEND_MESSAGE,
        body: textTo({ appCustomerId: context.target.botCustomerId }, { messageId }),
      }),
    ),
  },
  {
    id: 'bots.sendmok',
    level: 'MUST',
    ref: '§8.3 (SendOTP)',
    description: 'a one-time password to --bot-customer',
    sendsMessage: true,
    ...sends((context, messageId) =>
      context.bot({ route: SEND_MOK, body: { ...OTP, customerNo: context.target.botCustomerId, messageId } }),
    ),
  },
  {
    id: 'bots.document-empty',
    level: 'MUST',
    ref: '§8.3 (Document Message error table)',
    description: 'a document with an empty fileData',
    sendsMessage: true,
    ...plainText(MESSAGING_ERRORS.fileEmpty.status, MESSAGING_ERRORS.fileEmpty.message),
    request: documentTo({ fileName: 'bos.pdf', fileData: '' }),
  },
  {
    id: 'bots.document-not-base64',
    level: 'MUST',
    ref: '§8.3 (Document Message error table)',
    description: 'a document whose fileData is not base64',
    sendsMessage: true,
    ...plainText(MESSAGING_ERRORS.fileNotValid.status, MESSAGING_ERRORS.fileNotValid.message),
    request: documentTo({ fileName: 'dekont.pdf', fileData: '%%%not base64%%%' }),
  },
  {
    id: 'bots.D23-v1-names',
    level: 'DECISION',
    ref: 'D23',
    description: 'a v1 (snake_case) message: quick_replies instead of quickReplies and quickRepliesV2',
    ...malformed,
    request: (context) =>
      context.bot({
        route: SEND_MESSAGE,
        body: {
          recipient: unknownRecipient(context),
          message: { text: TEXT.message.text, quick_replies: [] },
        },
      }),
  },
  {
    id: 'bots.D24-two-recipients',
    level: 'DECISION',
    ref: 'D24',
    description: 'a recipient named by both appCustomerId and id',
    ...malformed,
    request: (context) =>
      context.bot({
        route: SEND_MESSAGE,
        // Neither id names anyone, whichever a server would take.
        body: textTo({
          appCustomerId: context.target.unknownCustomerId,
          id: context.target.unknownCustomerId,
        }),
      }),
  },
  {
    id: 'bots.D24-two-kinds',
    level: 'DECISION',
    ref: 'D24',
    description: 'a message with both a text and a document',
    ...malformed,
    request: (context) =>
      context.bot({
        route: SEND_MESSAGE,
        body: textTo(unknownRecipient(context), {
          document: { fileName: 'not.txt', fileData: base64('merhaba') },
        }),
      }),
  },
]
