/**
 * A user a bot can reach (docs/messaging.md): a customer or a staff member of the store, with
 * its Diyalog id (`recipient_id` of the answer, `recipient.id` of the webhooks) and how the
 * simulated user behaves (D28): whether its device is online, and when it reads.
 */

export interface RecipientBehaviour {
  /** `offline`: nothing is delivered until it comes online. */
  readonly presence: 'online' | 'offline'
  /** `delayed`: after `DLG_SIM_READ_MS`; `at-once`: when delivered; `never`. */
  readonly reading: 'delayed' | 'at-once' | 'never'
}

export const DEFAULT_BEHAVIOUR: RecipientBehaviour = { presence: 'online', reading: 'delayed' }

export interface Recipient {
  readonly kind: 'customer' | 'staff'
  /** The customer number or staff number. */
  readonly id: string
  readonly diyalogId: string
  readonly name: string
  /** As the fixtures say (default `DEFAULT_BEHAVIOUR`); the admin API may override it at run time. */
  readonly behaviour: RecipientBehaviour
}

/** `customer:70021`, `staff:45186`: one key per user, whichever id named it. */
export const recipientKey = (recipient: Pick<Recipient, 'kind' | 'id'>): string =>
  `${recipient.kind}:${recipient.id}`
