import type { Bot } from '../messaging/bots.js'
import { pressedText, signHiddenPayload } from '../messaging/hidden-payload.js'
import type { Pressable } from '../messaging/message-content.js'
import type { StoredToUser } from '../store/bot-messages.js'
import { failure, quoted, type SimulationFailure } from './failures.js'

/**
 * What a simulated user can press on a bot's message (API-INVENTORY §6.4–6.9), and what the
 * press sends back: the buttons of a generic template's elements, of a button template or of an
 * OTP, then the quick replies, in the order the message shows them. A press comes back as the
 * `Messages` event's text `[<id>]:<payload>`, where the id is the element's `messageId` (generic
 * template), the template's `messageId` (button template), else the message's own mid; a
 * `payloadHidden` payload comes back signed with the bot's payload key (D45). Pure functions.
 */

/** A button as an admin names it: its title, else its payload (a string), or its position from 0 (a number). */
export type ButtonRef = string | number
/** A generic template's element: its position from 0 (a number), or its `messageId`, else its title (a string). */
export type ElementRef = string | number

export interface PressableChoice {
  readonly pressable: Pressable
  readonly source: 'button' | 'quick-reply'
  /** The element's position, for a generic template's button. */
  readonly element?: number
  /** Position among the message's pressables (the list `pressablesOf` gives). */
  readonly position: number
  /** The id the press is returned with: `[<replyId>]:<payload>`. */
  readonly replyId: string
}

export type ChoiceResult = { readonly ok: true; readonly choice: PressableChoice } | SimulationFailure

/** Everything the user may press on the message, in the order shown; with `element`, only that element's buttons (and the quick replies). */
export function pressablesOf(
  message: StoredToUser,
  element?: ElementRef,
): { readonly ok: true; readonly choices: PressableChoice[] } | SimulationFailure {
  const choices: PressableChoice[] = []
  const add = (pressable: Pressable, source: PressableChoice['source'], replyId: string, at?: number) =>
    choices.push({
      pressable,
      source,
      ...(at === undefined ? {} : { element: at }),
      position: choices.length,
      replyId,
    })
  const { content } = message
  if (element !== undefined && content.kind !== 'generic') {
    return failure(
      'element-not-found',
      `message ${quoted(message.mid)} is a ${content.kind} message: only a generic template has elements`,
    )
  }
  if (content.kind === 'generic') {
    const indexes = content.elements.map((_, index) => index)
    const chosen =
      element === undefined
        ? indexes
        : typeof element === 'number'
          ? indexes.filter((index) => index === element)
          : [
              indexes.find((index) => content.elements[index]?.messageId === element) ??
                indexes.find((index) => content.elements[index]?.title === element),
            ].filter((index) => index !== undefined)
    if (chosen.length === 0) {
      return failure(
        'element-not-found',
        `message ${quoted(message.mid)} has no element ${typeof element === 'number' ? element : quoted(String(element))} (it has ${content.elements.length}, numbered from 0)`,
      )
    }
    for (const index of chosen) {
      const shown = content.elements[index]
      for (const button of shown?.buttons ?? []) add(button, 'button', shown?.messageId ?? message.mid, index)
    }
  } else if (content.kind === 'button') {
    for (const button of content.buttons) add(button, 'button', content.messageId)
  } else if (content.kind === 'otp') {
    for (const button of content.buttons) add(button, 'button', message.mid)
  }
  for (const reply of message.quickReplies) add(reply, 'quick-reply', message.mid)
  return { ok: true, choices }
}

/** The pressable an admin named: a position, else the first with that title, else the first with that payload. */
export function choosePressable(
  message: StoredToUser,
  button: ButtonRef,
  element?: ElementRef,
): ChoiceResult {
  const listed = pressablesOf(message, element)
  if (!listed.ok) return listed
  const { choices } = listed
  if (choices.length === 0) {
    return failure('no-buttons', `message ${quoted(message.mid)} has no buttons or quick replies to press`)
  }
  const choice =
    typeof button === 'number'
      ? choices[button]
      : (choices.find((entry) => entry.pressable.title === button) ??
        choices.find((entry) => entry.pressable.payload === button))
  if (choice === undefined) {
    const named = typeof button === 'number' ? `number ${button}` : quoted(button)
    return failure(
      'button-not-found',
      `message ${quoted(message.mid)} has no button ${named} (its ${choices.length} are numbered from 0; by title: ${choices
        .map((entry) => quoted(entry.pressable.title))
        .join(', ')})`,
    )
  }
  return { ok: true, choice }
}

/** An OTP's approve (its first postback button) or dismiss (its second). */
export function otpChoice(message: StoredToUser, action: 'approve' | 'dismiss'): ChoiceResult {
  if (message.content.kind !== 'otp') {
    return failure(
      'not-an-otp',
      `message ${quoted(message.mid)} is a ${message.content.kind} message, not an OTP (sendmok)`,
    )
  }
  const listed = pressablesOf(message)
  if (!listed.ok) return listed
  const postbacks = listed.choices.filter(
    (entry) => entry.source === 'button' && entry.pressable.type === 'postback',
  )
  const choice = postbacks[action === 'approve' ? 0 : 1]
  if (choice === undefined) {
    return failure(
      'no-otp-button',
      `the OTP ${quoted(message.mid)} has ${postbacks.length === 0 ? 'no postback button' : 'one postback button only'}: ${action} presses its ${action === 'approve' ? 'first' : 'second'}`,
    )
  }
  return { ok: true, choice }
}

/** The payload as the press returns it: signed with the bot's payload key when hidden (D45). */
export function returnedPayload(pressable: Pressable, bot: Pick<Bot, 'payloadKey'>): string {
  return pressable.payloadHidden ? signHiddenPayload(pressable.payload, bot.payloadKey) : pressable.payload
}

/** The `Messages` event's text of a press: `[<id>]:<payload>`. */
export function pressTextOf(choice: PressableChoice, bot: Pick<Bot, 'payloadKey'>): string {
  return pressedText(choice.replyId, returnedPayload(choice.pressable, bot))
}

/** What the user's chat shows for the press: `payloadSeenByUser`, else the payload. */
export function seenByUser(pressable: Pressable): string {
  return pressable.payloadSeenByUser ?? pressable.payload
}
