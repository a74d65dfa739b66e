import type { Attachment, Message } from '../store/fixture-schema.js'
import { pageLinks, type Page } from '../store/paging.js'
import type { PageFormat } from './format.js'
import { html, type SafeHtml } from './html.js'
import { brand, page } from './layout.js'

/**
 * What the pages behind every kind of link share (conversation, messaging day, online help,
 * recording): the page shell with its summary and footer, the refusal pages, the chat bubbles
 * grouped by day, and the pager. In Turkish, server-rendered, no script; every value escaped by
 * the `html` template.
 */

/** How a kind of link names itself on its pages. */
export interface LinkWording {
  /** The product line's section: `Yazışma detayı`. */
  readonly section: string
  /** Completes "Bu … geçerli değil": `yazışma bağlantısı`. */
  readonly link: string
  /** The last line of the invalid and expired pages: `Yazışmayı görmek için yeni bir bağlantı oluşturun.` */
  readonly renew: string
  /** Starts "… N sayfadan oluşuyor" on the no-such-page page: `Bu yazışma`. */
  readonly pages: string
  /** The footer's note on the data: `bu yazışmalar örnek verilerdir`. */
  readonly sample: string
}

export const CONVERSATION_WORDING: LinkWording = {
  section: 'Yazışma detayı',
  link: 'yazışma bağlantısı',
  renew: 'Yazışmayı görmek için yeni bir bağlantı oluşturun.',
  pages: 'Bu yazışma',
  sample: 'bu yazışmalar örnek verilerdir',
}

/** The refusals every link page answers (the statuses are the route's: 403, 410, 400/404). */
export interface RefusalViews {
  invalidLink(): string
  expiredLink(expiredAt: number): string
  /** A page number that is not a positive integer, or lies past the last page. */
  noSuchPage(pageCount: number, firstPageHref: string): string
}

export function masthead(section: string, flush = false): SafeHtml {
  return html`<header class="masthead${flush ? ' flush' : ''}"><div class="wrap">${brand(section)}</div></header>`
}

/** A page that only says something: a refusal, a page that does not exist. */
export function noticePage(section: string, title: string, paragraphs: SafeHtml): string {
  return page(
    title,
    html`${masthead(section)}
<main class="wrap"><section class="notice" aria-labelledby="notice-title">
<h1 id="notice-title">${title}</h1>
${paragraphs}
</section></main>`,
  )
}

export function createRefusalViews(format: PageFormat, wording: LinkWording): RefusalViews {
  // Pages that never change are rendered once.
  const invalid = noticePage(
    wording.section,
    'Bağlantı geçersiz',
    html`<p>Bu ${wording.link} geçerli değil: eksik kopyalanmış ya da değiştirilmiş olabilir.</p>
<p>${wording.renew}</p>`,
  )
  return {
    invalidLink: () => invalid,
    expiredLink: (expiredAt) =>
      noticePage(
        wording.section,
        'Bağlantının süresi doldu',
        html`<p>Bu bağlantının süresi <time datetime="${new Date(expiredAt).toISOString()}">${format.dateTime(expiredAt)}</time> (${format.timeZone}) itibarıyla doldu.</p>
<p>${wording.renew}</p>`,
      ),
    noSuchPage: (pageCount, firstPageHref) =>
      noticePage(
        wording.section,
        'Bu sayfa yok',
        html`<p>${wording.pages} ${format.count(pageCount)} sayfadan oluşuyor; istenen sayfa numarası geçerli değil.</p>
<p><a href="${firstPageHref}">İlk sayfaya git</a></p>`,
      ),
  }
}

export interface ShellParts {
  readonly wording: LinkWording
  readonly title: string
  /** The skip link's text and the id of the `main` it leads to. */
  readonly skip: { readonly label: string; readonly target: string }
  /** The summary band under the masthead: the page's `h1` and its facts. */
  readonly summary: SafeHtml
  readonly content: SafeHtml
  readonly expiresAt: number
}

/** A link page: skip link, product line, summary, content, and a footer saying until when the link opens. */
export function linkPage(format: PageFormat, parts: ShellParts): string {
  return page(
    parts.title,
    html`<a class="skip" href="#${parts.skip.target}">${parts.skip.label}</a>
${masthead(parts.wording.section, true)}
<main id="${parts.skip.target}">
<div class="summary"><div class="wrap">
${parts.summary}
</div></div>
<div class="wrap">
${parts.content}
</div>
</main>
<footer class="site-footer"><div class="wrap">
<p>Bu bağlantı ${format.dateTime(parts.expiresAt)} tarihine kadar açılır (${format.timeZone}).</p>
<p>diyalog-mock, Diyalog sunucusunun yerel test karşılığıdır; ${parts.wording.sample}.</p>
</div></footer>`,
  )
}

/** One entry of a summary's facts: a label, a value, lines under it; `long` for ids that need two columns. */
export function fact(
  label: string,
  value: SafeHtml | string,
  subs: readonly (SafeHtml | string)[] = [],
  className?: 'long' | 'wide',
): SafeHtml {
  return html`<div${className === undefined ? '' : html` class="${className}"`}><dt>${label}</dt><dd>${value}${subs.map((sub) => html`<span class="sub">${sub}</span>`)}</dd></div>`
}

/**
 * A value as the API writes it (`helpState: onlinehelp_ended_by_agent`), in monospace, a line
 * break allowed after each underscore rather than inside a word.
 */
export function apiValue(field: string, value: string | number): SafeHtml {
  const parts = String(value).split('_')
  return html`<code class="api">${field}: ${parts.map((part, i) => (i === 0 ? part : html`_<wbr>${part}`))}</code>`
}

/** An explicit empty state: a valid link with nothing to show is not an error. */
export function emptyState(title: string, text: SafeHtml | string): SafeHtml {
  return html`<section class="empty" aria-labelledby="empty-title">
<h2 id="empty-title">${title}</h2>
<p>${text}</p>
</section>`
}

const ATTACHMENT_KINDS: Readonly<Record<Attachment['type'], string>> = {
  image: 'Görsel',
  audio: 'Ses',
  video: 'Video',
  file: 'Dosya',
  template: 'Şablon',
}

/** A person's side, as a bubble and a fact name it. */
export const ROLES: Readonly<Record<Message['from'], string>> = { staff: 'Çalışan', customer: 'Müşteri' }
/** What a person's number is called. */
export const ID_LABELS: Readonly<Record<Message['from'], string>> = {
  staff: 'Sicil no',
  customer: 'Müşteri no',
}

/** How a bubble is drawn: who sent it, and its class (`staff`, `customer`: the side; `own`: the right). */
export interface Bubble {
  readonly sender: string
  readonly className: string
}

function attachmentChip(format: PageFormat, attachment: Attachment): SafeHtml {
  return html`<p class="attachment"><span class="chip"><span class="kind">${ATTACHMENT_KINDS[attachment.type]}</span> <span class="name">${attachment.name}</span>${attachment.sizeBytes > 0 ? html` <span class="size">${format.fileSize(attachment.sizeBytes)}</span>` : ''}</span></p>`
}

function messageItem(format: PageFormat, message: Message, bubble: Bubble): SafeHtml {
  return html`<li class="msg ${bubble.className}">
<p class="who">${bubble.sender} <span class="role">· ${ROLES[message.from]}</span></p>
${message.text === undefined ? '' : html`<p class="text">${message.text}</p>`}
${message.attachment === undefined ? '' : attachmentChip(format, message.attachment)}
<p class="when"><time datetime="${new Date(message.sentAt).toISOString()}">${format.time(message.sentAt)}</time></p>
</li>`
}

/** Messages (oldest first) grouped by calendar day in the page's zone, each day a labelled section. */
export function messageDays(
  format: PageFormat,
  messages: readonly Message[],
  bubbleOf: (message: Message) => Bubble,
): SafeHtml[] {
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
${messages.slice(start, end).map((message) => messageItem(format, message, bubbleOf(message)))}
</ol>
</section>`)
    start = end
    key = next
  }
  return sections
}

/** The pager above (`üst`) or below (`alt`) the messages; nothing when there is one page. */
export function pager(
  format: PageFormat,
  current: Page,
  pageHref: (number: number) => string,
  position: 'üst' | 'alt',
): SafeHtml | '' {
  if (current.count === 1) return ''
  const links = pageLinks(current)
  // A link to the page itself, or to none, is shown but disabled, so the controls never move.
  const link = (number: number | null, label: string, rel?: string) =>
    number === null || number === current.number
      ? html`<a class="btn" role="link" aria-disabled="true">${label}</a>`
      : html`<a class="btn" href="${pageHref(number)}"${rel === undefined ? '' : html` rel="${rel}"`}>${label}</a>`
  return html`<nav class="pager" aria-label="Sayfalar (${position})">
<p class="status">${format.count(current.total)} mesajdan ${format.count(current.first)}–${format.count(current.last)} arası · Sayfa ${format.count(current.number)} / ${format.count(current.count)}</p>
${link(links.first, '« İlk')}
${link(links.prev, '‹ Daha eski', 'prev')}
<span class="spacer"></span>
${link(links.next, 'Daha yeni ›', 'next')}
${link(links.last, 'Son »')}
</nav>`
}

/** The messages of a page between its two pagers. */
export function pagedMessages(
  format: PageFormat,
  current: Page,
  messages: readonly Message[],
  pageHref: (number: number) => string,
  bubbleOf: (message: Message) => Bubble,
): SafeHtml {
  return html`${pager(format, current, pageHref, 'üst')}
${messageDays(format, messages, bubbleOf)}
${pager(format, current, pageHref, 'alt')}`
}

/** `(Sayfa 2/3)` after a title, when there is more than one page. */
export const pageSuffix = (current: Page) =>
  current.count > 1 ? ` (Sayfa ${current.number}/${current.count})` : ''

/** The facts' "Mesajlar" entry: the count, and the number of pages when there are several. */
export function messageCountFact(format: PageFormat, current: Page): SafeHtml {
  return html`<div><dt>Mesajlar</dt><dd>${format.count(current.total)} mesaj${current.count > 1 ? html`<span class="sub">${format.count(current.count)} sayfa</span>` : ''}</dd></div>`
}
