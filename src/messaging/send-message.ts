import { nameList } from '../http/header-value.js'
import { checkFileData } from './document.js'
import type {
  MessageContent,
  OutgoingMessage,
  Pressable,
  RecipientQuery,
  TemplateElement,
} from './message-content.js'
import { malformed, messagingError, quoted, type MessagingError } from './messaging-errors.js'

/**
 * The body of `POST /v1/bots/sendmessage/<token>` read into an `OutgoingMessage` (docs/contract.md
 * §8.3, D22–D24, D42, D43, D44), without HTTP. The rules are the pages' (API-INVENTORY §6.2–6.8): the
 * recipient names exactly one user; the message has exactly one content kind — `text`,
 * `attachment` (a generic or button template, or an undocumented media type), `trigger` (which may
 * carry a `text`) or `document`; `quickReplies` and `quickRepliesV2` are both required arrays, and
 * quick replies go only under a text message. Types are strict (a number is not a string); `null`
 * counts as absent, as a Java reader of optional fields takes it; unknown fields are ignored and
 * named; v1 (Facebook-compatible) snake_case names are refused with their v2 name. Every string
 * and array is bounded (`MESSAGING_LIMITS`). A refusal names every field path at fault, e.g.
 * `message.quickRepliesV2[3].title`.
 */

/** The bounds: the documented ones (11 quick replies, 10 elements, 3 buttons, 5 MB files), and the mock's own. */
export const MESSAGING_LIMITS = {
  /** Ids: `messageId`, recipient ids, `customerNo` (the mock's bound). */
  id: 256,
  /** `text`, `mokMessage`, trigger `data`: 64 Ki characters (the mock's bound). */
  text: 65_536,
  /** Titles, subtitles, `payloadSeenByUser` (the mock's bound). */
  label: 1024,
  /** A button's or quick reply's `payload` (the mock's bound). */
  payload: 8192,
  /** `imageUrl` (the mock's bound). */
  url: 8192,
  /** `document.fileName` (a common file system's limit). */
  fileName: 255,
  /** `document.mimeType` (RFC 6838's 127 + 127 would be longer; the docs put an extension there). */
  mimeType: 127,
  /** `trigger.command`, `mokValue`, `txCode`, `deviceId` (the mock's bound). */
  short: 256,
  /** `quickRepliesV2`: "up to 11 buttons" (Quick Replies page). */
  quickReplies: 11,
  /** Generic template `elements`: "a maximum of 10" (legacy v1 page). */
  elements: 10,
  /** `buttonsV2` of an element, of a button template, of an OTP: "3 buttons at most". */
  buttons: 3,
  /** Arrays the docs want empty (`quickReplies`, `buttons`, …): the mock's bound; their contents are not read. */
  legacyItems: 100,
  /** A Java `Integer`, for photo, video and voice dimensions and durations. */
  integer: 2_147_483_647,
} as const

/** A body read and accepted: what to send, and what the mock tells the client in its own headers. */
export interface BotSend {
  readonly ok: true
  readonly recipient: RecipientQuery
  readonly message: OutgoingMessage
  /** Fields the mock did not read, as paths (`message.foo`), for `x-dlg-mock-ignored-fields`. */
  readonly ignoredFields: readonly string[]
  /** For `x-dlg-mock-notes`. */
  readonly notes: readonly string[]
}

export type BotRead = BotSend | MessagingError

type Json = Record<string, unknown>

/** `message.quickRepliesV2`: the path of a field. */
export const fieldAt = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`)
/** `message.quickRepliesV2[3]`: the path of an item. */
export const itemAt = (path: string, index: number): string => `${path}[${index}]`

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Absent: not there, or `null`. */
export const isAbsent = (value: unknown): value is undefined | null => value === undefined || value === null

/** The JSON type of a value, as the messages name it. */
function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer'
  return typeof value
}

/** C0 and C1 control characters and DEL: never in an id, a name or a URL. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u

/** v1 (Facebook-compatible) names and what replaced them (API-INVENTORY §6.10, D23). */
const V1_NAMES: Readonly<Record<string, readonly string[]>> = {
  quick_replies: ['quickReplies', 'quickRepliesV2'],
  template_type: ['templateType'],
  payload_hidden: ['payloadHidden'],
  payload_seen_by_user: ['payloadSeenByUser'],
  image_url: ['imageUrl'],
  content_type: ['contentType'],
}

function v1Advice(key: string, replacements: readonly string[]): string {
  return key === 'quick_replies'
    ? 'send quickReplies: [] and the quick replies in quickRepliesV2'
    : `send ${replacements.join(' and ')}`
}

export interface StringRule {
  readonly required: boolean
  readonly max: number
  /** 1: the empty string is refused. */
  readonly min?: number
  /** No control characters (ids, names, URLs). */
  readonly line?: boolean
}

export interface ArrayRule {
  readonly required: boolean
  readonly max: number
  readonly min?: number
}

/**
 * Reads one body: collects every problem (each naming its field path), the fields it did not
 * read, and its notes. A reader never throws on the client's input.
 */
export class BodyReader {
  readonly problems: string[] = []
  readonly ignoredFields: string[] = []
  readonly notes: string[] = []
  /** Fields a v1-name problem already speaks for: their "missing" is not said again. */
  private readonly hinted = new Set<string>()

  problem(text: string): void {
    this.problems.push(text)
  }

  note(text: string): void {
    this.notes.push(text)
  }

  /** Missing fields are named in one problem, where the first of them was found. */
  private readonly missingFields: string[] = []
  private missingAt = -1

  missing(path: string): void {
    if (this.hinted.has(path)) return
    if (this.missingAt < 0) {
      this.missingAt = this.problems.length
      this.problems.push('')
    }
    this.missingFields.push(path)
  }

  private wrongType(path: string, expected: string, value: unknown): void {
    this.problem(`field ${path} must be ${expected} (got ${jsonType(value)})`)
  }

  /** The body itself: a JSON object. */
  root(value: unknown, known: readonly string[]): Json | undefined {
    if (!isObject(value)) {
      this.problem(`the body must be a JSON object (got ${jsonType(value)})`)
      return undefined
    }
    return this.fields(value, '', known)
  }

  /** `value` as the object at `path`: unknown fields named as ignored, v1 names refused. */
  object(value: unknown, path: string, known: readonly string[]): Json | undefined {
    if (!isObject(value)) {
      this.wrongType(path, 'an object', value)
      return undefined
    }
    return this.fields(value, path, known)
  }

  /** The field `key` of `parent` as an object. */
  objectField(
    parent: Json,
    path: string,
    key: string,
    known: readonly string[],
    required: boolean,
  ): Json | undefined {
    const value = parent[key]
    if (isAbsent(value)) {
      if (required) this.missingOrNull(fieldAt(path, key), 'an object', value)
      return undefined
    }
    return this.object(value, fieldAt(path, key), known)
  }

  private missingOrNull(path: string, expected: string, value: undefined | null): void {
    if (value === null) this.wrongType(path, expected, value)
    else this.missing(path)
  }

  private fields(value: Json, path: string, known: readonly string[]): Json {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.unknownField(value, path, key, known)
    }
    return value
  }

  private unknownField(value: Json, path: string, key: string, known: readonly string[]): void {
    const field = fieldAt(path, key)
    const replacements = V1_NAMES[key]
    if (replacements !== undefined && replacements.every((name) => known.includes(name))) {
      if (replacements.some((name) => isAbsent(value[name]))) {
        this.problem(`field ${field} is the v1 (Facebook-compatible) name: ${v1Advice(key, replacements)}`)
        for (const name of replacements) this.hinted.add(fieldAt(path, name))
        return
      }
      this.ignoredFields.push(field)
      this.note(`${field} is the v1 name of ${replacements.join(' and ')}, which the body has: ignored`)
      return
    }
    this.ignoredFields.push(field)
    const squashed = key.replace(/[-_]/g, '').toLowerCase()
    const near = known.find((name) => name.toLowerCase() === squashed)
    if (near !== undefined)
      this.note(`${nameList([field])} is not a field of the API: ${fieldAt(path, near)}?`)
  }

  string(parent: Json, path: string, key: string, rule: StringRule): string | undefined {
    const field = fieldAt(path, key)
    const value = parent[key]
    if (isAbsent(value)) {
      if (rule.required) this.missingOrNull(field, 'a string', value)
      return undefined
    }
    if (typeof value !== 'string') {
      this.wrongType(field, 'a string', value)
      return undefined
    }
    if (value.length > rule.max) {
      this.problem(`field ${field} must be at most ${rule.max} characters (got ${value.length})`)
    } else if (value.length < (rule.min ?? 0)) {
      this.problem(`field ${field} must not be empty`)
    } else if (rule.line === true && CONTROL.test(value)) {
      this.problem(`field ${field} must not hold control characters`)
    } else {
      return value
    }
    return undefined
  }

  /** A string that must be one of `allowed`. */
  choice<T extends string>(parent: Json, path: string, key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(parent, path, key, { required: true, max: MESSAGING_LIMITS.short })
    if (value === undefined) return undefined
    if ((allowed as readonly string[]).includes(value)) return value as T
    this.problem(
      `field ${fieldAt(path, key)} must be one of ${allowed.map((option) => JSON.stringify(option)).join(', ')} (got ${quoted(value)})`,
    )
    return undefined
  }

  boolean(parent: Json, path: string, key: string): boolean | undefined {
    const value = parent[key]
    if (isAbsent(value)) return undefined
    if (typeof value === 'boolean') return value
    this.wrongType(fieldAt(path, key), 'a boolean', value)
    return undefined
  }

  /** A whole number from 0 to a Java `Integer`'s largest. */
  count(parent: Json, path: string, key: string): number | undefined {
    const field = fieldAt(path, key)
    const value = parent[key]
    if (isAbsent(value)) {
      this.missingOrNull(field, 'an integer', value)
      return undefined
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.wrongType(field, 'an integer', value)
      return undefined
    }
    if (value < 0 || value > MESSAGING_LIMITS.integer) {
      this.problem(`field ${field} must be from 0 to ${MESSAGING_LIMITS.integer} (got ${value})`)
      return undefined
    }
    return value
  }

  array(parent: Json, path: string, key: string, rule: ArrayRule): readonly unknown[] | undefined {
    const field = fieldAt(path, key)
    const value = parent[key]
    if (isAbsent(value)) {
      if (rule.required) this.missingOrNull(field, 'an array', value)
      return undefined
    }
    if (!Array.isArray(value)) {
      this.wrongType(field, 'an array', value)
      return undefined
    }
    if (value.length > rule.max) {
      this.problem(`field ${field} must have at most ${rule.max} items (got ${value.length})`)
      return undefined
    }
    if (value.length < (rule.min ?? 0)) {
      this.problem(
        `field ${field} must have at least ${rule.min ?? 0} item${rule.min === 1 ? '' : 's'} (got ${value.length})`,
      )
      return undefined
    }
    return value
  }

  /** An array the docs want empty: any items (bounded), not read; a note says so when there are some. */
  legacyArray(parent: Json, path: string, key: string, why: string): void {
    const items = this.array(parent, path, key, { required: true, max: MESSAGING_LIMITS.legacyItems })
    if (items !== undefined && items.length > 0) {
      this.note(
        `${fieldAt(path, key)} has ${items.length} item${items.length === 1 ? '' : 's'}, not read: ${why}`,
      )
    }
  }

  /** The refusal for what was read, or undefined when nothing is wrong. */
  refusal(): MessagingError | undefined {
    if (this.problems.length === 0) return undefined
    const problems = [...this.problems]
    if (this.missingAt >= 0) {
      const plural = this.missingFields.length === 1 ? '' : 's'
      problems[this.missingAt] = `missing required field${plural} ${this.missingFields.join(', ')}`
    }
    return malformed(problems, { ignoredFields: this.ignoredFields, notes: this.notes })
  }
}

const ID: StringRule = { required: false, max: MESSAGING_LIMITS.id, min: 1, line: true }
const REQUIRED_ID: StringRule = { ...ID, required: true }
const LABEL: StringRule = { required: false, max: MESSAGING_LIMITS.label }
const TITLE: StringRule = { required: true, max: MESSAGING_LIMITS.label, min: 1 }
const PAYLOAD: StringRule = { required: true, max: MESSAGING_LIMITS.payload }
const URL_RULE: StringRule = { required: false, max: MESSAGING_LIMITS.url, line: true }

export const RULES = { ID, REQUIRED_ID, LABEL, TITLE, PAYLOAD, URL: URL_RULE } as const

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/

/** An absolute URI (a scheme, then what a URL parser takes), with no white space: a `web_url` payload. */
export function isAbsoluteUri(text: string): boolean {
  return SCHEME.test(text) && !/[\s\u0000-\u001f\u007f]/u.test(text) && URL.canParse(text)
}

/** `payloadSeenByUser` and `imageUrl`, only when given. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

const BUTTON_FIELDS = ['type', 'title', 'payload', 'payloadHidden', 'payloadSeenByUser'] as const
const BUTTON_TYPES = ['postback', 'web_url'] as const

/** A `buttonV2` (generic and button templates, OTP). */
export function readButtonV2(reader: BodyReader, value: unknown, path: string): Pressable | undefined {
  const button = reader.object(value, path, BUTTON_FIELDS)
  if (button === undefined) return undefined
  const type = reader.choice(button, path, 'type', BUTTON_TYPES)
  const title = reader.string(button, path, 'title', TITLE)
  let payload = reader.string(button, path, 'payload', PAYLOAD)
  const hidden = reader.boolean(button, path, 'payloadHidden')
  const seen = reader.string(button, path, 'payloadSeenByUser', LABEL)
  if (type === 'web_url' && payload !== undefined && !isAbsoluteUri(payload)) {
    reader.problem(
      `field ${fieldAt(path, 'payload')} of a web_url button must be an absolute URI such as https://example.com/ (got ${quoted(payload)})`,
    )
    payload = undefined
  }
  if (type === 'web_url' && hidden === true) {
    reader.problem(
      `field ${fieldAt(path, 'payloadHidden')} applies to postback buttons only (this one is web_url)`,
    )
    return undefined
  }
  if (type === undefined || title === undefined || payload === undefined) return undefined
  return { type, title, payload, payloadHidden: hidden ?? false, ...optional('payloadSeenByUser', seen) }
}

/** `buttonsV2` of at most three buttons; undefined when any is wrong. */
export function readButtonsV2(
  reader: BodyReader,
  parent: Json,
  path: string,
  required: boolean,
): readonly Pressable[] | undefined {
  const items = reader.array(parent, path, 'buttonsV2', { required, max: MESSAGING_LIMITS.buttons })
  if (items === undefined) return required ? undefined : []
  const buttons = items.map((item, index) =>
    readButtonV2(reader, item, itemAt(fieldAt(path, 'buttonsV2'), index)),
  )
  return buttons.every((button) => button !== undefined) ? (buttons as Pressable[]) : undefined
}

const QUICK_REPLY_FIELDS = [
  'contentType',
  'title',
  'payload',
  'payloadHidden',
  'payloadSeenByUser',
  'imageUrl',
] as const

function readQuickReply(reader: BodyReader, value: unknown, path: string): Pressable | undefined {
  const reply = reader.object(value, path, QUICK_REPLY_FIELDS)
  if (reply === undefined) return undefined
  const contentType = reader.choice(reply, path, 'contentType', ['text'] as const)
  const title = reader.string(reply, path, 'title', TITLE)
  const payload = reader.string(reply, path, 'payload', PAYLOAD)
  const hidden = reader.boolean(reply, path, 'payloadHidden')
  const seen = reader.string(reply, path, 'payloadSeenByUser', LABEL)
  const imageUrl = reader.string(reply, path, 'imageUrl', URL_RULE)
  if (contentType === undefined || title === undefined || payload === undefined) return undefined
  return {
    type: 'postback',
    title,
    payload,
    payloadHidden: hidden ?? false,
    ...optional('payloadSeenByUser', seen),
    ...optional('imageUrl', imageUrl),
  }
}

const RECIPIENT_FIELDS = ['appCustomerId', 'appStaffId', 'id'] as const

function readRecipient(reader: BodyReader, body: Json): RecipientQuery | undefined {
  const recipient = reader.objectField(body, '', 'recipient', RECIPIENT_FIELDS, true)
  if (recipient === undefined) return undefined
  const given = RECIPIENT_FIELDS.filter((key) => !isAbsent(recipient[key]))
  const values = given.map((key) => reader.string(recipient, 'recipient', key, REQUIRED_ID))
  const one = 'recipient must name exactly one of appCustomerId, appStaffId, id'
  if (given.length === 0) {
    reader.problem(`${one} (got none)`)
    return undefined
  }
  if (given.length > 1) {
    reader.problem(`${one} (got ${given.length}: ${given.join(', ')})`)
    return undefined
  }
  const [key] = given
  const [value] = values
  if (value === undefined) return undefined
  if (key === 'appCustomerId') return { appCustomerId: value }
  if (key === 'appStaffId') return { appStaffId: value }
  return { id: value }
}

const LEGACY_BUTTONS = 'buttons is the old version and stays []; buttons go in buttonsV2'

const ELEMENT_FIELDS = ['messageId', 'title', 'subtitle', 'imageUrl', 'buttons', 'buttonsV2'] as const

function readElement(reader: BodyReader, value: unknown, path: string): TemplateElement | undefined {
  const element = reader.object(value, path, ELEMENT_FIELDS)
  if (element === undefined) return undefined
  const messageId = reader.string(element, path, 'messageId', ID)
  const title = reader.string(element, path, 'title', LABEL)
  const subtitle = reader.string(element, path, 'subtitle', LABEL)
  const imageUrl = reader.string(element, path, 'imageUrl', URL_RULE)
  if (isAbsent(element['buttonsV2']) && Array.isArray(element['buttons']) && element['buttons'].length > 0) {
    reader.problem(`missing required field ${fieldAt(path, 'buttonsV2')} (${LEGACY_BUTTONS})`)
    return undefined
  }
  reader.legacyArray(element, path, 'buttons', LEGACY_BUTTONS)
  const buttons = readButtonsV2(reader, element, path, true)
  if (buttons === undefined) return undefined
  return {
    ...optional('messageId', messageId),
    ...optional('title', title),
    ...optional('subtitle', subtitle),
    ...optional('imageUrl', imageUrl),
    buttons,
  }
}

const TEMPLATE_TYPES = ['generic', 'button'] as const
const GENERIC_FIELDS = ['templateType', 'elements', 'buttons', 'buttonsV2'] as const
const BUTTON_TEMPLATE_FIELDS = [
  'templateType',
  'messageId',
  'text',
  'buttons',
  'buttonsV2',
  'elements',
] as const
const TEMPLATE_FIELDS = [...new Set([...GENERIC_FIELDS, ...BUTTON_TEMPLATE_FIELDS])]

function readTemplate(reader: BodyReader, value: unknown, path: string): MessageContent | undefined {
  if (!isObject(value)) {
    reader.object(value, path, [])
    return undefined
  }
  const given = value['templateType']
  const templateType = TEMPLATE_TYPES.find((type) => type === given)
  if (templateType === undefined) {
    // Unknown and v1 fields first (`template_type` says what to send), then the type itself.
    reader.object(value, path, TEMPLATE_FIELDS)
    reader.choice(value, path, 'templateType', TEMPLATE_TYPES)
    return undefined
  }
  if (templateType === 'generic') {
    const payload = reader.object(value, path, GENERIC_FIELDS) as Json
    const items = reader.array(payload, path, 'elements', {
      required: true,
      min: 1,
      max: MESSAGING_LIMITS.elements,
    })
    reader.legacyArray(payload, path, 'buttons', 'the docs want []')
    reader.legacyArray(payload, path, 'buttonsV2', "a generic template's buttons are its elements' buttonsV2")
    if (items === undefined) return undefined
    const elements = items.map((item, index) =>
      readElement(reader, item, itemAt(fieldAt(path, 'elements'), index)),
    )
    if (!elements.every((element) => element !== undefined)) return undefined
    return { kind: 'generic', elements: elements as TemplateElement[] }
  }
  const payload = reader.object(value, path, BUTTON_TEMPLATE_FIELDS) as Json
  const messageId = reader.string(payload, path, 'messageId', REQUIRED_ID)
  const text = reader.string(payload, path, 'text', { required: true, min: 1, max: MESSAGING_LIMITS.text })
  reader.legacyArray(payload, path, 'buttons', LEGACY_BUTTONS)
  const buttons = readButtonsV2(reader, payload, path, true)
  reader.legacyArray(payload, path, 'elements', 'a button template has no elements (the docs want [])')
  if (messageId === undefined || text === undefined || buttons === undefined) return undefined
  return { kind: 'button', messageId, text, buttons }
}

/** `an image`, `a file`. */
const withArticle = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`

const ATTACHMENT_FIELDS = ['type', 'payload'] as const
const ATTACHMENT_TYPES = ['template', 'image', 'audio', 'video', 'file'] as const

function readAttachment(reader: BodyReader, message: Json): MessageContent | undefined {
  const path = 'message.attachment'
  const attachment = reader.objectField(message, 'message', 'attachment', ATTACHMENT_FIELDS, true)
  if (attachment === undefined) return undefined
  const type = reader.choice(attachment, path, 'type', ATTACHMENT_TYPES)
  const payload = attachment['payload']
  if (isAbsent(payload)) {
    reader.objectField(attachment, path, 'payload', [], true)
    return undefined
  }
  if (type === undefined) return undefined
  if (type === 'template') return readTemplate(reader, payload, fieldAt(path, 'payload'))
  if (!isObject(payload)) {
    reader.object(payload, fieldAt(path, 'payload'), [])
    return undefined
  }
  // D43: no page documents these payloads; any object is taken, and none of it is read.
  reader.note(
    `${path}.payload of ${withArticle(type)} attachment is not documented: accepted as it is and not read (the documented way to send a file is message.document)`,
  )
  return { kind: 'media', type }
}

const TRIGGER_FIELDS = ['command', 'data'] as const

function readTrigger(reader: BodyReader, message: Json): MessageContent | undefined {
  const text = reader.string(message, 'message', 'text', { required: false, max: MESSAGING_LIMITS.text })
  const trigger = reader.objectField(message, 'message', 'trigger', TRIGGER_FIELDS, true)
  if (trigger === undefined) return undefined
  const command = reader.string(trigger, 'message.trigger', 'command', {
    required: true,
    min: 1,
    max: MESSAGING_LIMITS.short,
    line: true,
  })
  const data = reader.string(trigger, 'message.trigger', 'data', {
    required: true,
    max: MESSAGING_LIMITS.text,
  })
  if (command === undefined || data === undefined) return undefined
  return { kind: 'trigger', ...optional('text', text), command, data }
}

/** A document before its file is checked: the file's text is kept only until then. */
interface DocumentDraft {
  readonly content: Extract<MessageContent, { kind: 'document' }>
  readonly fileData: string
}

const DOCUMENT_FIELDS = ['fileName', 'fileData', 'mimeType', 'photo', 'video', 'voice'] as const
const SHOWN_AS = ['photo', 'video', 'voice'] as const
/** A name, a dot, an extension of 1–32 characters that are not dots, slashes or white space. */
const WITH_EXTENSION = /.\.[^.\s/\\]{1,32}$/su

function readDocument(reader: BodyReader, message: Json): DocumentDraft | undefined {
  const path = 'message.document'
  const document = reader.objectField(message, 'message', 'document', DOCUMENT_FIELDS, true)
  if (document === undefined) return undefined
  let fileName = reader.string(document, path, 'fileName', {
    required: true,
    min: 1,
    max: MESSAGING_LIMITS.fileName,
    line: true,
  })
  if (fileName !== undefined && !WITH_EXTENSION.test(fileName)) {
    reader.problem(`field ${path}.fileName must end in an extension, as report.pdf (got ${quoted(fileName)})`)
    fileName = undefined
  }
  // Any length: the body limit bounds it, and the 5 MB row of the table answers a big file.
  const fileData = reader.string(document, path, 'fileData', { required: true, max: Number.MAX_SAFE_INTEGER })
  const mimeType = reader.string(document, path, 'mimeType', {
    required: false,
    max: MESSAGING_LIMITS.mimeType,
    line: true,
  })
  const given = SHOWN_AS.filter((key) => !isAbsent(document[key]))
  if (given.length > 1) {
    reader.problem(`${path} may have at most one of photo, video, voice (got ${given.join(', ')})`)
    return undefined
  }
  const [shownAs = 'document'] = given
  let dimensions: { width?: number; height?: number; duration?: number } | undefined = {}
  if (shownAs === 'photo' || shownAs === 'video') {
    const known = shownAs === 'photo' ? ['width', 'height'] : ['width', 'height', 'duration']
    const media = reader.objectField(document, path, shownAs, known, true)
    const at = fieldAt(path, shownAs)
    const width = media === undefined ? undefined : reader.count(media, at, 'width')
    const height = media === undefined ? undefined : reader.count(media, at, 'height')
    const duration =
      media === undefined || shownAs === 'photo' ? undefined : reader.count(media, at, 'duration')
    const complete =
      width !== undefined && height !== undefined && (shownAs === 'photo' || duration !== undefined)
    dimensions = complete ? { width, height, ...optional('duration', duration) } : undefined
  } else if (shownAs === 'voice') {
    const voice = reader.objectField(document, path, 'voice', ['duration'], true)
    const duration = voice === undefined ? undefined : reader.count(voice, fieldAt(path, 'voice'), 'duration')
    dimensions = duration === undefined ? undefined : { duration }
  }
  if (fileName === undefined || fileData === undefined || dimensions === undefined) return undefined
  return {
    content: {
      kind: 'document',
      fileName,
      ...optional('mimeType', mimeType),
      size: 0,
      shownAs,
      ...dimensions,
    },
    fileData,
  }
}

const CONTENT_KINDS = ['text', 'attachment', 'trigger', 'document'] as const
type ContentKind = (typeof CONTENT_KINDS)[number]

function describeContent(content: MessageContent): string {
  if (content.kind === 'generic' || content.kind === 'button') return `a ${content.kind} template`
  if (content.kind === 'media') return `${withArticle(content.type)} attachment`
  return withArticle(content.kind)
}

function readContent(
  reader: BodyReader,
  message: Json,
  kinds: readonly ContentKind[],
): MessageContent | DocumentDraft | undefined {
  const one = 'message must have exactly one of text, attachment, trigger, document'
  const others = kinds.filter((kind) => kind !== 'trigger' && kind !== 'text')
  if (kinds.includes('trigger') && others.length > 0) {
    reader.problem(`${one} (got ${kinds.join(', ')}; a trigger may carry a text, nothing else)`)
    return undefined
  }
  if (kinds.includes('trigger')) return readTrigger(reader, message)
  if (kinds.length !== 1) {
    reader.problem(`${one} (got ${kinds.length === 0 ? 'none' : kinds.join(', ')})`)
    return undefined
  }
  const [kind] = kinds
  if (kind === 'attachment') return readAttachment(reader, message)
  if (kind === 'document') return readDocument(reader, message)
  const text = reader.string(message, 'message', 'text', {
    required: true,
    min: 1,
    max: MESSAGING_LIMITS.text,
  })
  return text === undefined ? undefined : { kind: 'text', text }
}

const BODY_FIELDS = ['recipient', 'message'] as const
const MESSAGE_FIELDS = ['messageId', ...CONTENT_KINDS, 'quickReplies', 'quickRepliesV2'] as const

function readMessage(
  reader: BodyReader,
  body: Json,
):
  | { messageId?: string; content: MessageContent | DocumentDraft; quickReplies: readonly Pressable[] }
  | undefined {
  const path = 'message'
  const message = reader.objectField(body, '', path, MESSAGE_FIELDS, true)
  if (message === undefined) return undefined
  const messageId = reader.string(message, path, 'messageId', ID)
  reader.legacyArray(
    message,
    path,
    'quickReplies',
    'quickReplies is the old version and stays []; quick replies go in quickRepliesV2',
  )
  const items = reader.array(message, path, 'quickRepliesV2', {
    required: true,
    max: MESSAGING_LIMITS.quickReplies,
  })
  const kinds = CONTENT_KINDS.filter((kind) => !isAbsent(message[kind]))
  const content = readContent(reader, message, kinds)
  if (items === undefined || content === undefined) return undefined
  const isText = 'kind' in content && content.kind === 'text'
  if (items.length > 0 && !isText) {
    const kind = 'kind' in content ? describeContent(content) : 'a document'
    reader.problem(
      `field message.quickRepliesV2 must be [] unless the message is a text message (this one is ${kind})`,
    )
    return undefined
  }
  const quickReplies = items.map((item, index) =>
    readQuickReply(reader, item, itemAt('message.quickRepliesV2', index)),
  )
  if (!quickReplies.every((reply) => reply !== undefined)) return undefined
  return { ...optional('messageId', messageId), content, quickReplies: quickReplies as Pressable[] }
}

/**
 * Checks a document's file once the rest of the body is right: the documented rows (empty, not
 * base64, over 5 MB, not an image) answer for a body that is otherwise well-formed.
 */
function withCheckedFile(
  reader: BodyReader,
  draft: DocumentDraft,
): Extract<MessageContent, { kind: 'document' }> | MessagingError {
  const check = checkFileData(draft.fileData, { asPhoto: draft.content.shownAs === 'photo' })
  if (!check.ok) {
    const notes = check.detail === undefined ? reader.notes : [...reader.notes, check.detail]
    return messagingError(check.problem, { ignoredFields: reader.ignoredFields, notes })
  }
  return { ...draft.content, size: check.size }
}

/** Reads a sendmessage body (already parsed JSON): the message to send, or the documented refusal. */
export function readSendMessage(body: unknown): BotRead {
  const reader = new BodyReader()
  const root = reader.root(body, BODY_FIELDS)
  const recipient = root === undefined ? undefined : readRecipient(reader, root)
  const message = root === undefined ? undefined : readMessage(reader, root)
  const refusal = reader.refusal()
  if (refusal !== undefined) return refusal
  // No problem was found, so both were read.
  const sent = message as NonNullable<typeof message>
  let content: MessageContent
  if ('fileData' in sent.content) {
    const checked = withCheckedFile(reader, sent.content)
    if ('ok' in checked) return checked
    content = checked
  } else {
    content = sent.content
  }
  return {
    ok: true,
    recipient: recipient as RecipientQuery,
    message: { ...optional('messageId', sent.messageId), content, quickReplies: sent.quickReplies },
    ignoredFields: reader.ignoredFields,
    notes: reader.notes,
  }
}
