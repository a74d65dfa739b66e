/**
 * The Messaging API's answers other than 200 (docs/contract.md D22): the Document Message page's
 * error table — the only one the Messaging pages have — holds for every `/v1/bots/...` call, as
 * plain text, exactly as documented (`recepient` included). The validation (`send-message.ts`,
 * `send-mok.ts`) returns these as values; the routes (`routes/bots-api.ts`) only write them.
 */

export const MESSAGING_ERRORS = {
  /** The body is not JSON, has a field of the wrong type, misses one, or breaks a rule (D23, D24). */
  malformed: { status: 400, message: 'The request content was malformed: ' },
  fileTooLarge: { status: 400, message: 'Exceeded max file size of 5MB' },
  fileNotValid: { status: 400, message: 'File data bytes not valid' },
  fileEmpty: { status: 400, message: 'File data bytes is empty' },
  notAnImage: { status: 400, message: 'File as photo cannot be parsed due to it is not a image file.' },
  wrongToken: { status: 503, message: 'You may be using wrong token.' },
  recipientNotFound: { status: 500, message: 'Not delivered due to recepient not found.' },
  botNotAlive: { status: 500, message: 'Sender bot is not alive.' },
} as const satisfies Record<string, { readonly status: number; readonly message: string }>

export type MessagingErrorReason = keyof typeof MESSAGING_ERRORS

/** When each documented answer is given, for OpenAPI and the README (the table's third column). */
export const MESSAGING_ERROR_WHEN: Readonly<Record<MessagingErrorReason, string>> = {
  malformed: 'the body is not JSON, misses a field, has one of the wrong type, or breaks a documented rule',
  fileTooLarge: 'document.fileData decodes to more than 5 MiB (5,242,880 bytes)',
  fileNotValid: 'document.fileData is not standard base64',
  fileEmpty: 'document.fileData is the empty string',
  notAnImage: 'document.photo is given but the file is not a JPEG, PNG, GIF, WebP or BMP image',
  wrongToken: 'no bot has the token of the path (checked before the body is read)',
  recipientNotFound: 'no user has the recipient id',
  botNotAlive: 'the bot is switched off',
}

/** A refusal: the documented status and text, and what the mock adds in its own headers. */
export interface MessagingError {
  readonly ok: false
  readonly reason: MessagingErrorReason
  readonly status: number
  readonly message: string
  /** Body fields the request had and the mock did not read (`x-dlg-mock-ignored-fields`), as paths. */
  readonly ignoredFields: readonly string[]
  /** The mock's explanations (`x-dlg-mock-notes`); they never change the status or the text. */
  readonly notes: readonly string[]
}

export interface ErrorExtras {
  readonly ignoredFields?: readonly string[]
  readonly notes?: readonly string[]
}

/** A documented answer, as a value. */
export function messagingError(reason: MessagingErrorReason, extras: ErrorExtras = {}): MessagingError {
  const { status, message } = MESSAGING_ERRORS[reason]
  return {
    ok: false,
    reason,
    status,
    message,
    ignoredFields: extras.ignoredFields ?? [],
    notes: extras.notes ?? [],
  }
}

/** At most this many problems are named in one answer; the rest are counted. */
export const MAX_PROBLEMS = 10

/** `The request content was malformed: <problem>; <problem>…`, each problem naming its field path. */
export function malformed(problems: readonly string[], extras: ErrorExtras = {}): MessagingError {
  const unique = [...new Set(problems)]
  const shown = unique.slice(0, MAX_PROBLEMS)
  const more = unique.length - shown.length
  const text = `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`
  return { ...messagingError('malformed', extras), message: `${MESSAGING_ERRORS.malformed.message}${text}` }
}

/** Longest client string quoted back in an answer, in characters (code points). */
export const MAX_QUOTED = 64

/**
 * A value of the client's, quoted in an answer: a JSON string (control characters escaped), cut at
 * `MAX_QUOTED` characters without splitting a character, the cut marked outside the quotes.
 */
export function quoted(text: string): string {
  const chars = Array.from(text.slice(0, MAX_QUOTED * 2))
  const cut = chars.length > MAX_QUOTED || text.length > MAX_QUOTED * 2
  return cut ? `${JSON.stringify(chars.slice(0, MAX_QUOTED).join(''))}...` : JSON.stringify(text)
}
