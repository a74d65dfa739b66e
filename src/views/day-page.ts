import type { SignedDayLink } from '../links/link-signer.js'
import type { Message } from '../store/fixture-schema.js'
import type { Page } from '../store/paging.js'
import type { PersonRef } from '../store/people.js'
import type { PageFormat } from './format.js'
import { html, type SafeHtml } from './html.js'
import {
  createRefusalViews,
  emptyState,
  ID_LABELS,
  linkPage,
  messageCountFact,
  pagedMessages,
  pageSuffix,
  ROLES,
  type LinkWording,
  type RefusalViews,
} from './link-parts.js'

/**
 * The page behind a messaging-list row's link (`getstaffmessaginglist`,
 * `getcustomermessaginglist`): that day's conversation, private (the two people) or a group's
 * (its name and members). The row's party — the `senderId` whose `sendMessageCount` the row
 * gives — writes on the right, everyone else on the left, and every bubble names its sender and
 * role in text. The page says how many of the messages the party sent, the row's count.
 */

export const DAY_WORDING: LinkWording = {
  section: 'Günlük yazışma',
  link: 'yazışma bağlantısı',
  renew: 'Yazışmayı görmek için yeni bir bağlantı oluşturun.',
  pages: 'Bu yazışma',
  sample: 'bu yazışmalar örnek verilerdir',
}

/** The most group members the page lists by name; the rest are counted. */
export const MEMBERS_SHOWN = 50

export interface DayView {
  readonly link: SignedDayLink
  /** A person's name, or undefined when the fixtures do not know them. */
  readonly nameOf: (person: PersonRef) => string | undefined
  /** The group of a group row; undefined for a private row, `{ name: undefined }` for an unknown group. */
  readonly group:
    | { readonly groupId: number; readonly name: string | undefined; readonly members: readonly PersonRef[] }
    | undefined
  /** How many of the link's messages (all pages) the party sent: the row's `sendMessageCount`. */
  readonly sentByParty: number
  /** The messages of this page, oldest first. */
  readonly messages: readonly Message[]
  readonly page: Page
  readonly pageHref: (number: number) => string
}

export interface DayViews extends RefusalViews {
  day(view: DayView): string
}

/** `Çalışan 45188` for a person the fixtures do not know. */
export const fallbackName = (person: PersonRef) => `${ROLES[person.kind]} ${person.id}`

export function createDayViews(format: PageFormat): DayViews {
  function person(view: DayView, ref: PersonRef): string {
    return view.nameOf(ref) ?? fallbackName(ref)
  }

  function members(view: DayView, refs: readonly PersonRef[]): SafeHtml {
    if (refs.length === 0) return html`<span class="sub">Üyeler bilinmiyor.</span>`
    const shown = refs.slice(0, MEMBERS_SHOWN)
    const more = refs.length - shown.length
    return html`<ul class="members">
${shown.map((ref) => html`<li>${person(view, ref)} <span class="role">· ${ROLES[ref.kind]} · ${ref.id}</span></li>`)}
${more > 0 ? html`<li>ve ${format.count(more)} kişi daha</li>` : ''}
</ul>`
  }

  function day(view: DayView): string {
    const { link, page: current, group } = view
    const party = person(view, link.party)
    const other = link.other.kind === 'group' ? undefined : person(view, link.other)
    const groupName = group === undefined ? undefined : (group.name ?? `Grup ${group.groupId}`)
    const heading = groupName ?? `${party} – ${other ?? ''}`
    const otherFact =
      link.other.kind === 'group'
        ? html`<div><dt>Grup</dt><dd>${groupName}<span class="sub">Grup no: ${link.other.id}</span></dd></div>`
        : html`<div><dt>Alıcı</dt><dd>${other}<span class="sub">${ID_LABELS[link.other.kind]}: ${link.other.id} · ${ROLES[link.other.kind]}</span></dd></div>`
    const summary = html`<h1>${heading}</h1>
<dl class="facts many">
<div><dt>Gönderen</dt><dd>${party}<span class="sub">${ID_LABELS[link.party.kind]}: ${link.party.id} · ${ROLES[link.party.kind]}</span></dd></div>
${otherFact}
<div><dt>Tarih aralığı</dt><dd>${format.dateTime(link.startDate)} – ${format.dateTime(link.endDate)}<span class="sub">Saat dilimi: ${format.timeZone}</span></dd></div>
${messageCountFact(format, current)}
<div><dt>Gönderilen</dt><dd>${format.count(view.sentByParty)} mesaj<span class="sub">${party} tarafından</span></dd></div>
${group === undefined ? '' : html`<div class="wide"><dt>Üyeler (${format.count(group.members.length)})</dt><dd>${members(view, group.members)}</dd></div>`}
</dl>`
    const content =
      current.total === 0
        ? emptyState(
            'Bu tarih aralığında mesaj yok.',
            group === undefined
              ? `Bağlantı geçerli; ${party} ile ${other ?? ''} bu tarihler arasında yazışmamış.`
              : `Bağlantı geçerli; ${groupName ?? ''} grubunda bu tarihler arasında mesaj yok.`,
          )
        : pagedMessages(format, current, view.messages, view.pageHref, (message) => {
            const own = message.from === link.party.kind && message.senderId === link.party.id
            return {
              sender: own ? party : person(view, { kind: message.from, id: message.senderId }),
              className: own ? 'own' : 'theirs',
            }
          })
    return linkPage(format, {
      wording: DAY_WORDING,
      title: `${heading} · ${group === undefined ? 'Günlük yazışma' : 'Grup yazışması'}${pageSuffix(current)}`,
      skip: { label: 'Yazışmaya geç', target: 'yazisma' },
      summary,
      content,
      expiresAt: link.expiresAt,
    })
  }

  return { day, ...createRefusalViews(format, DAY_WORDING) }
}
