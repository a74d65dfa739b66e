import { onTestFinished } from 'vitest'
import { controllableClock, manualClock, type ControllableClock } from '../../src/clock.js'
import { bot, type Bot } from '../../src/messaging/bots.js'
import type { MessageContent, OutgoingMessage, Pressable } from '../../src/messaging/message-content.js'
import { DEFAULT_BEHAVIOUR, type Recipient, type RecipientBehaviour } from '../../src/messaging/recipient.js'
import { createSimulation, type Simulation, type SimulationOptions } from '../../src/simulation/simulation.js'
import { eventKeyOf, type MessagingEvent } from '../../src/webhooks/events.js'

/** A simulation over a frozen clock, a few users and two bots, recording what it emits. */

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0)

export const KREDI_BOT: Bot = bot({
  name: 'kredi_bot',
  token: '5f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f',
  diyalogId: '1614379680',
  payloadKey: 'company-key-for-hidden-payloads',
})
export const OTP_BOT: Bot = bot({
  name: 'otp_bot',
  token: 'a1b2c3d4e5f6a7b8c9d0e1f2',
  diyalogId: '1614379681',
})

const user = (
  kind: Recipient['kind'],
  id: string,
  diyalogId: string,
  behaviour: Partial<RecipientBehaviour> = {},
): Recipient => ({
  kind,
  id,
  diyalogId,
  name: `${kind} ${id}`,
  behaviour: { ...DEFAULT_BEHAVIOUR, ...behaviour },
})

export const USERS = {
  selin: user('customer', '70021', '243540663'),
  offline: user('customer', '70022', '243540664', { presence: 'offline' }),
  neverReads: user('customer', '4471209', '243540665', { reading: 'never' }),
  atOnce: user('customer', '1231232', '2074022437', { reading: 'at-once' }),
  otp: user('customer', '123456789', '243540666'),
  emre: user('staff', '45186', '918273645'),
}

export interface Emitted {
  readonly bot: string
  readonly event: MessagingEvent
}

export function simulation(options: Partial<SimulationOptions> = {}) {
  const clock: ControllableClock = controllableClock(manualClock(T0))
  clock.freeze()
  const emitted: Emitted[] = []
  const users = Object.values(USERS)
  const sim: Simulation = createSimulation({
    clock,
    resolve: (query) =>
      users.find((entry) =>
        'appCustomerId' in query
          ? entry.kind === 'customer' && entry.id === query.appCustomerId
          : 'appStaffId' in query
            ? entry.kind === 'staff' && entry.id === query.appStaffId
            : entry.diyalogId === query.id,
      ),
    emit: (sender, event) => emitted.push({ bot: sender.name, event }),
    bots: (name) => [KREDI_BOT, OTP_BOT].find((entry) => entry.name === name),
    ...options,
  })
  onTestFinished(() => sim.stop())
  /** Moves the frozen clock `ms` milliseconds. */
  const advance = (ms: number) => clock.advance(ms / 1000)
  /** What was emitted since the last call. */
  let seen = 0
  const fresh = (): MessagingEvent[] => {
    const events = emitted.slice(seen).map((entry) => entry.event)
    seen = emitted.length
    return events
  }
  const keys = (events: readonly MessagingEvent[]) => events.map(eventKeyOf)
  const send = (to: Recipient, message: OutgoingMessage, from: Bot = KREDI_BOT) => {
    const result = sim.send(
      from,
      to.kind === 'customer' ? { appCustomerId: to.id } : { appStaffId: to.id },
      message,
      clock.now(),
    )
    if (!result.ok) throw new Error(`not sent: ${result.reason}`)
    return result
  }
  return { clock, sim, emitted, advance, fresh, keys, send }
}

export const text = (
  messageId: string | undefined,
  quickReplies: readonly Pressable[] = [],
): OutgoingMessage => ({
  ...(messageId === undefined ? {} : { messageId }),
  content: { kind: 'text', text: 'Hello world !' },
  quickReplies,
})

export const withContent = (messageId: string, content: MessageContent): OutgoingMessage => ({
  messageId,
  content,
  quickReplies: [],
})

export const postback = (title: string, payload: string, more: Partial<Pressable> = {}): Pressable => ({
  type: 'postback',
  title,
  payload,
  payloadHidden: false,
  ...more,
})
