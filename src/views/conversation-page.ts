import type { Customer, Message, StaffMember } from '../store/fixture-schema.js'
import { html, styleHash, trusted, type SafeHtml } from './html.js'

/**
 * The pages behind a conversation link, in Turkish like the product the mock stands in for.
 * Server-rendered, no script, one inline style allowed by its hash.
 */

const TIME_ZONE = 'Europe/Istanbul'
const dateTime = new Intl.DateTimeFormat('tr-TR', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: TIME_ZONE,
})
const ATTACHMENT_LABELS: Readonly<Record<string, string>> = {
  image: 'Görsel',
  audio: 'Ses',
  video: 'Video',
  file: 'Dosya',
  template: 'Şablon',
}

const CSS = `
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:48rem;padding:1rem;color:#1a1a1a;background:#fff}
header{border-bottom:1px solid #ccc;margin-bottom:1rem}
ol{list-style:none;padding:0}
li{margin:.75rem 0;padding:.5rem .75rem;border:1px solid #ccc;border-radius:.5rem;overflow-wrap:anywhere}
li.staff{margin-left:3rem}
li.customer{margin-right:3rem}
.meta{font-size:.875rem;color:#444}
p.text{white-space:pre-wrap;margin:.25rem 0}
`.trim()

export const PAGE_STYLE_HASH = styleHash(CSS)

function page(title: string, body: SafeHtml): string {
  // The <style> content must be exactly CSS: the Content-Security-Policy allows it by hash.
  return html`<!doctype html>
<html lang="tr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${trusted(CSS)}</style>
</head>
<body>
${body}
</body>
</html>
`.value
}

export interface ConversationView {
  readonly staffId: string
  readonly customerId: string
  readonly staff: StaffMember | undefined
  readonly customer: Customer | undefined
  readonly startDate: number
  readonly endDate: number
  readonly messages: readonly Message[]
  /** How many messages the window holds; more than `messages.length` when the list was cut. */
  readonly total: number
}

function formatTime(epochMs: number): string {
  return dateTime.format(epochMs)
}

function messageItem(view: ConversationView, message: Message): SafeHtml {
  const sender =
    message.from === 'staff' ? (view.staff?.name ?? view.staffId) : (view.customer?.name ?? view.customerId)
  const attachment = message.attachment
  return html`<li class="${message.from}">
    <div class="meta">
      <strong>${sender}</strong> ·
      <time datetime="${new Date(message.sentAt).toISOString()}">${formatTime(message.sentAt)}</time>
    </div>
    ${message.text === undefined ? '' : html`<p class="text">${message.text}</p>`}
    ${attachment === undefined ? '' : html`<p>[${ATTACHMENT_LABELS[attachment.type] ?? attachment.type}: ${attachment.name}, ${attachment.sizeBytes} bayt]</p>`}
  </li>`
}

export function renderConversationPage(view: ConversationView): string {
  const staffName = view.staff?.name ?? view.staffId
  const customerName = view.customer?.name ?? view.customerId
  const shown = view.messages.length
  return page(
    `Yazışma: ${staffName} – ${customerName}`,
    html`<header>
        <h1>${staffName} (${view.staffId}) – ${customerName} (${view.customerId})</h1>
        <p>${formatTime(view.startDate)} – ${formatTime(view.endDate)}</p>
      </header>
      <main>
        ${
          shown === 0
            ? html`<p>Bu tarih aralığında mesaj yok.</p>`
            : html`<p>${view.total} mesaj${shown < view.total ? ` (ilk ${shown} gösteriliyor)` : ''}</p>
                <ol>
                  ${view.messages.map((message) => messageItem(view, message))}
                </ol>`
        }
      </main>`,
  )
}

export function renderInvalidLinkPage(): string {
  return page(
    'Geçersiz bağlantı',
    html`<main>
      <h1>Bağlantı geçersiz</h1>
      <p>Bu yazışma bağlantısı geçerli değil. Bağlantıyı yeniden oluşturun.</p>
    </main>`,
  )
}

export function renderExpiredLinkPage(expiredAt: number): string {
  return page(
    'Bağlantının süresi doldu',
    html`<main>
      <h1>Bağlantının süresi doldu</h1>
      <p>Bu bağlantının süresi ${formatTime(expiredAt)} tarihinde doldu. Yeni bir bağlantı oluşturun.</p>
    </main>`,
  )
}
