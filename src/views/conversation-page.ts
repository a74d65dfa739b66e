import type { SignedConversationLink } from '../links/link-signer.js'
import type { Attachment, Customer, Message, StaffMember } from '../store/fixture-schema.js'
import { pageLinks, type Page } from '../store/paging.js'
import type { PageFormat } from './format.js'
import { html, type SafeHtml } from './html.js'
import { brand, page } from './layout.js'

/**
 * The pages behind a conversation link, in Turkish like the product the mock stands in for:
 * the conversation as a chat (staff on the right, customer on the left, each bubble also
 * naming its sender and role, so nothing is told by colour or side alone), day separators,
 * attachments as chips, paging; and the refusal pages. Server-rendered, no script.
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

export interface ConversationViews {
  conversation(view: ConversationView): string
  invalidLink(): string
  expiredLink(expiredAt: number): string
  /** A page number that is not a positive integer, or lies past the last page. */
  noSuchPage(pageCount: number, firstPageHref: string): string
  notFound(): string
}

const ATTACHMENT_KINDS: Readonly<Record<Attachment['type'], string>> = {
  image: 'Görsel',
  audio: 'Ses',
  video: 'Video',
  file: 'Dosya',
  template: 'Şablon',
}

const ROLES: Readonly<Record<Message['from'], string>> = { staff: 'Çalışan', customer: 'Müşteri' }

function masthead(): SafeHtml {
  return html`<header class="masthead"><div class="wrap">${brand()}</div></header>`
}

function notice(title: string, paragraphs: SafeHtml): string {
  return page(
    title,
    html`${masthead()}
<main class="wrap"><section class="notice" aria-labelledby="notice-title">
<h1 id="notice-title">${title}</h1>
${paragraphs}
</section></main>`,
  )
}

export function createConversationViews(format: PageFormat): ConversationViews {
  function names(view: ConversationView) {
    return {
      staff: view.staff?.name ?? `Çalışan ${view.link.staffId}`,
      customer: view.customer?.name ?? `Müşteri ${view.link.customerId}`,
    }
  }

  function attachmentChip(attachment: Attachment): SafeHtml {
    return html`<p class="attachment"><span class="chip"><span class="kind">${ATTACHMENT_KINDS[attachment.type]}</span> <span class="name">${attachment.name}</span>${attachment.sizeBytes > 0 ? html` <span class="size">${format.fileSize(attachment.sizeBytes)}</span>` : ''}</span></p>`
  }

  function messageItem(message: Message, sender: string): SafeHtml {
    return html`<li class="msg ${message.from}">
<p class="who">${sender} <span class="role">· ${ROLES[message.from]}</span></p>
${message.text === undefined ? '' : html`<p class="text">${message.text}</p>`}
${message.attachment === undefined ? '' : attachmentChip(message.attachment)}
<p class="when"><time datetime="${new Date(message.sentAt).toISOString()}">${format.time(message.sentAt)}</time></p>
</li>`
  }

  /** Messages grouped by calendar day in the page's zone, each day a labelled section. */
  function days(view: ConversationView): SafeHtml[] {
    const sender = names(view)
    const { messages } = view
    const sections: SafeHtml[] = []
    let start = 0
    let key = messages.length === 0 ? '' : format.dayKey((messages[0] as Message).sentAt)
    while (start < messages.length) {
      let end = start + 1
      let next = ''
      while (end < messages.length && (next = format.dayKey((messages[end] as Message).sentAt)) === key) end++
      sections.push(html`<section class="day" aria-labelledby="day-${key}">
<h2 id="day-${key}"><time datetime="${key}">${format.day((messages[start] as Message).sentAt)}</time></h2>
<ol class="messages">
${messages.slice(start, end).map((message) => messageItem(message, message.from === 'staff' ? sender.staff : sender.customer))}
</ol>
</section>`)
      start = end
      key = next
    }
    return sections
  }

  function pager(view: ConversationView, position: 'üst' | 'alt'): SafeHtml | '' {
    const { page: current } = view
    if (current.count === 1) return ''
    const links = pageLinks(current)
    // A link to the page itself, or to none, is shown but disabled, so the controls never move.
    const link = (number: number | null, label: string, rel?: string) =>
      number === null || number === current.number
        ? html`<a class="btn" role="link" aria-disabled="true">${label}</a>`
        : html`<a class="btn" href="${view.pageHref(number)}"${rel === undefined ? '' : html` rel="${rel}"`}>${label}</a>`
    return html`<nav class="pager" aria-label="Sayfalar (${position})">
<p class="status">${format.count(current.total)} mesajdan ${format.count(current.first)}–${format.count(current.last)} arası · Sayfa ${format.count(current.number)} / ${format.count(current.count)}</p>
${link(links.first, '« İlk')}
${link(links.prev, '‹ Daha eski', 'prev')}
<span class="spacer"></span>
${link(links.next, 'Daha yeni ›', 'next')}
${link(links.last, 'Son »')}
</nav>`
  }

  function conversation(view: ConversationView): string {
    const { link, page: current } = view
    const name = names(view)
    const title =
      `${name.staff} – ${name.customer} · Yazışma detayı` +
      (current.count > 1 ? ` (Sayfa ${current.number}/${current.count})` : '')
    const summary = html`<div class="summary"><div class="wrap">
<h1>${name.staff} – ${name.customer}</h1>
<dl class="facts">
<div><dt>Çalışan</dt><dd>${name.staff}<span class="sub">Sicil no: ${link.staffId}</span></dd></div>
<div><dt>Müşteri</dt><dd>${name.customer}<span class="sub">Müşteri no: ${link.customerId}</span></dd></div>
<div class="window"><dt>Tarih aralığı</dt><dd>${format.dateTime(link.startDate)} – ${format.dateTime(link.endDate)}<span class="sub">Saat dilimi: ${format.timeZone}</span></dd></div>
<div><dt>Mesajlar</dt><dd>${format.count(current.total)} mesaj${current.count > 1 ? html`<span class="sub">${format.count(current.count)} sayfa</span>` : ''}</dd></div>
</dl>
</div></div>`
    const content =
      current.total === 0
        ? html`<section class="empty" aria-labelledby="empty-title">
<h2 id="empty-title">Bu tarih aralığında mesaj yok.</h2>
<p>Bağlantı geçerli; ${name.staff} ile ${name.customer} bu tarihler arasında yazışmamış.</p>
</section>`
        : html`${pager(view, 'üst')}
${days(view)}
${pager(view, 'alt')}`
    return page(
      title,
      html`<a class="skip" href="#yazisma">Yazışmaya geç</a>
<header class="masthead flush"><div class="wrap">${brand()}</div></header>
<main id="yazisma">
${summary}
<div class="wrap">
${content}
</div>
</main>
<footer class="site-footer"><div class="wrap">
<p>Bu bağlantı ${format.dateTime(link.expiresAt)} tarihine kadar açılır (${format.timeZone}).</p>
<p>diyalog-mock, Diyalog sunucusunun yerel test karşılığıdır; bu yazışmalar örnek verilerdir.</p>
</div></footer>`,
    )
  }

  // Pages that never change are rendered once.
  const invalidLink = notice(
    'Bağlantı geçersiz',
    html`<p>Bu yazışma bağlantısı geçerli değil: eksik kopyalanmış ya da değiştirilmiş olabilir.</p>
<p>Yazışmayı görmek için yeni bir bağlantı oluşturun.</p>`,
  )
  const notFound = notice(
    'Sayfa bulunamadı',
    html`<p>Bu adreste bir sayfa yok. Yazışma bağlantısını eksiksiz kopyaladığınızdan emin olun.</p>`,
  )

  return {
    conversation,
    invalidLink: () => invalidLink,
    expiredLink: (expiredAt) =>
      notice(
        'Bağlantının süresi doldu',
        html`<p>Bu bağlantının süresi <time datetime="${new Date(expiredAt).toISOString()}">${format.dateTime(expiredAt)}</time> (${format.timeZone}) itibarıyla doldu.</p>
<p>Yazışmayı görmek için yeni bir bağlantı oluşturun.</p>`,
      ),
    noSuchPage: (pageCount, firstPageHref) =>
      notice(
        'Bu sayfa yok',
        html`<p>Bu yazışma ${format.count(pageCount)} sayfadan oluşuyor; istenen sayfa numarası geçerli değil.</p>
<p><a href="${firstPageHref}">İlk sayfaya git</a></p>`,
      ),
    notFound: () => notFound,
  }
}
