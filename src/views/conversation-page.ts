import type { SignedConversationLink } from '../links/link-signer.js'
import type { Customer, Message, StaffMember } from '../store/fixture-schema.js'
import type { Page } from '../store/paging.js'
import type { PageFormat } from './format.js'
import { html } from './html.js'
import {
  CONVERSATION_WORDING,
  createRefusalViews,
  emptyState,
  linkPage,
  messageCountFact,
  noticePage,
  pagedMessages,
  pageSuffix,
  type RefusalViews,
} from './link-parts.js'

/**
 * The pages behind a conversation link, in Turkish like the product the mock stands in for:
 * the conversation as a chat (staff on the right, customer on the left, each bubble also
 * naming its sender and role, so nothing is told by colour or side alone), day separators,
 * attachments as chips, paging; and the refusal pages. Server-rendered, no script. The parts
 * every link page shares are in `link-parts.ts`.
 */

export interface ConversationView {
  readonly link: SignedConversationLink
  readonly staff: StaffMember | undefined
  readonly customer: Customer | undefined
  /** The messages of this page, oldest first. */
  readonly messages: readonly Message[]
  readonly page: Page
  /** The address of another page of the same link (same signature). */
  readonly pageHref: (number: number) => string
}

export interface ConversationViews extends RefusalViews {
  conversation(view: ConversationView): string
  /** The app's 404 page. */
  notFound(): string
}

export function createConversationViews(format: PageFormat): ConversationViews {
  function names(view: ConversationView) {
    return {
      staff: view.staff?.name ?? `Çalışan ${view.link.staffId}`,
      customer: view.customer?.name ?? `Müşteri ${view.link.customerId}`,
    }
  }

  function conversation(view: ConversationView): string {
    const { link, page: current } = view
    const name = names(view)
    const summary = html`<h1>${name.staff} – ${name.customer}</h1>
<dl class="facts">
<div><dt>Çalışan</dt><dd>${name.staff}<span class="sub">Sicil no: ${link.staffId}</span></dd></div>
<div><dt>Müşteri</dt><dd>${name.customer}<span class="sub">Müşteri no: ${link.customerId}</span></dd></div>
<div class="window"><dt>Tarih aralığı</dt><dd>${format.dateTime(link.startDate)} – ${format.dateTime(link.endDate)}<span class="sub">Saat dilimi: ${format.timeZone}</span></dd></div>
${messageCountFact(format, current)}
</dl>`
    const content =
      current.total === 0
        ? emptyState(
            'Bu tarih aralığında mesaj yok.',
            `Bağlantı geçerli; ${name.staff} ile ${name.customer} bu tarihler arasında yazışmamış.`,
          )
        : pagedMessages(format, current, view.messages, view.pageHref, (message) => ({
            sender: message.from === 'staff' ? name.staff : name.customer,
            className: message.from,
          }))
    return linkPage(format, {
      wording: CONVERSATION_WORDING,
      title: `${name.staff} – ${name.customer} · Yazışma detayı${pageSuffix(current)}`,
      skip: { label: 'Yazışmaya geç', target: 'yazisma' },
      summary,
      content,
      expiresAt: link.expiresAt,
    })
  }

  const notFound = noticePage(
    CONVERSATION_WORDING.section,
    'Sayfa bulunamadı',
    html`<p>Bu adreste bir sayfa yok. Yazışma bağlantısını eksiksiz kopyaladığınızdan emin olun.</p>`,
  )

  return { conversation, ...createRefusalViews(format, CONVERSATION_WORDING), notFound: () => notFound }
}
