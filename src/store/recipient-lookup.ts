import type { PersonRef } from './people.js'
import type { Store } from './store.js'
import type { RecipientQuery } from '../messaging/message-content.js'
import type { Recipient } from '../messaging/recipient.js'

/**
 * Who a bot's message is for (docs/messaging.md): the user the client named by one of the three
 * documented ids — `appCustomerId` a customer number, `appStaffId` a staff number, `id` a Diyalog
 * id, whichever user holds it — as the store knows them. Undefined: no such user, the documented
 * 500 `Not delivered due to recepient not found.` (D22).
 */
export function resolveRecipient(store: Store, query: RecipientQuery): Recipient | undefined {
  const person: PersonRef | undefined =
    'appCustomerId' in query
      ? { kind: 'customer', id: query.appCustomerId }
      : 'appStaffId' in query
        ? { kind: 'staff', id: query.appStaffId }
        : store.userByDiyalogId(query.id)
  if (person === undefined) return undefined
  const user = store.person(person)
  const diyalogId = store.diyalogIdOf(person)
  const behaviour = store.behaviourOf(person)
  if (user === undefined || diyalogId === undefined || behaviour === undefined) return undefined
  return { kind: person.kind, id: person.id, diyalogId, name: user.name, behaviour }
}
