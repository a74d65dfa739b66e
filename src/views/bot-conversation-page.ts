import type { SignedBotLink } from '../links/link-signer.js'
import type {
  BotConversationView,
  BotMessageFromUser,
  BotMessageToUser,
  BotMessageView,
} from '../messaging/bot-conversation.js'
import type { MessageContent, Pressable, TemplateElement } from '../messaging/message-content.js'
import type { Recipient, RecipientBehaviour } from '../messaging/recipient.js'
import type { Page } from '../store/paging.js'
import type { PageFormat } from './format.js'
import { html, type SafeHtml } from './html.js'
import {
  createRefusalViews,
  emptyState,
  fact,
  ID_LABELS,
  linkPage,
  messageCountFact,
  pager,
  pageSuffix,
  ROLES,
  type LinkWording,
  type RefusalViews,
} from './link-parts.js'

/**
 * The page behind a bot-conversation link (Messaging API, minted by the admin API): one bot's
 * conversation with one user as it stands when the page is opened — the bot and the user with
 * their Diyalog ids, then every message oldest first, grouped by day. The bot's messages are on
 * the right, each with its content drawn per kind (text, quick replies as chips, generic
 * template cards, button template, trigger, document, media, OTP) and its state (Gönderildi,
 * İletildi, Okundu, with the times); the user's answers on the left, a press naming what was
 * pressed. Every bubble says in text who wrote to whom, so nothing is told by side or colour
 * alone. Only the shared style of `layout.ts`, no script, nothing loaded: an image URL is shown
 * as text (a link when it is http or https), never fetched.
 */

export const BOT_WORDING: LinkWording = {
  section: 'Bot yazışması',
  link: 'bot yazışması bağlantısı',
  renew: 'Yazışmayı görmek için yönetim API’sinden yeni bir bağlantı oluşturun.',
  pages: 'Bu yazışma',
  sample: 'bot mesajlarının iletimi, okunması ve kullanıcı yanıtları simülasyondur',
}

export interface BotConversationPageView {
  readonly link: SignedBotLink
  /** Undefined: the data knows no such bot, or no such user. */
  readonly conversation: BotConversationView | undefined
  /** The messages of this page, oldest first. */
  readonly messages: readonly BotMessageView[]
  readonly page: Page
  readonly pageHref: (number: number) => string
}

export interface BotConversationViews extends RefusalViews {
  botConversation(view: BotConversationPageView): string
}

const PRESENCE_LABELS: Readonly<Record<RecipientBehaviour['presence'], string>> = {
  online: 'Çevrimiçi',
  offline: 'Çevrimdışı: mesajlar iletilmeyi bekler',
}

const READING_LABELS: Readonly<Record<RecipientBehaviour['reading'], string>> = {
  delayed: 'Biraz sonra okur',
  'at-once': 'İletilince okur',
  never: 'Hiç okumaz',
}

/** How a document is shown in the chat (`photo`, `video`, `voice` of the Document Message). */
export const SHOWN_AS_LABELS: Readonly<Record<(MessageContent & { kind: 'document' })['shownAs'], string>> = {
  document: 'Belge',
  photo: 'Fotoğraf',
  video: 'Video',
  voice: 'Sesli mesaj',
}

/** `attachment.type` of a media message (D43: no page documents its payload). */
export const MEDIA_LABELS: Readonly<Record<(MessageContent & { kind: 'media' })['type'], string>> = {
  image: 'Görsel',
  audio: 'Ses',
  video: 'Video',
  file: 'Dosya',
}

/** The three states of a bot's message, as the page and the JSON name them. */
export type DeliveryState = 'sent' | 'delivered' | 'read'

export const DELIVERY_LABELS: Readonly<Record<DeliveryState, string>> = {
  sent: 'Gönderildi',
  delivered: 'İletildi',
  read: 'Okundu',
}

export function deliveryState(message: BotMessageToUser): DeliveryState {
  if (message.readAt !== undefined) return 'read'
  return message.deliveredAt !== undefined ? 'delivered' : 'sent'
}

/**
 * An address a bot sent (an image, a `web_url` button's payload): a link when it is http or
 * https, plain text otherwise (`javascript:` and the like never become a link). The page's
 * policy blocks every load; the link, followed, sends no referrer (the page's URL holds its
 * signature).
 */
export function webAddress(text: string): SafeHtml {
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  return url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:')
    ? html`<a href="${url.href}" rel="noopener noreferrer nofollow" referrerpolicy="no-referrer">${text}</a>`
    : html`${text}`
}

/** `Müşteri 70021` for a user the data does not know. */
const userLabel = (ref: Pick<Recipient, 'kind' | 'id'>) => `${ROLES[ref.kind]} ${ref.id}`

export function createBotConversationViews(format: PageFormat): BotConversationViews {
  const timeOf = (epochMs: number, dayOf: number) =>
    html`<time datetime="${new Date(epochMs).toISOString()}">${format.dayKey(epochMs) === format.dayKey(dayOf) ? format.time(epochMs) : format.dateTime(epochMs)}</time>`

  /** What pressing it does and sends back, after its title. */
  function pressDetails(pressable: Pressable): SafeHtml {
    return html`${pressable.type} · ${pressable.type === 'web_url' ? webAddress(pressable.payload) : html`payload: ${pressable.payload}`}${pressable.payloadHidden ? ' · gizli: imzalı döner' : ''}${pressable.payloadSeenByUser === undefined ? '' : html` · sohbette: ${pressable.payloadSeenByUser}`}${pressable.imageUrl === undefined ? '' : html` · simge: ${webAddress(pressable.imageUrl)}`}`
  }

  /** Buttons (`buttonsV2`) as a list of pills. */
  function buttons(list: readonly Pressable[]): SafeHtml | '' {
    if (list.length === 0) return ''
    return html`<ul class="members" aria-label="Düğmeler">
${list.map((button) => html`<li>${button.title} <span class="role">· ${pressDetails(button)}</span></li>`)}
</ul>`
  }

  /** Quick replies (`quickRepliesV2`) as chips, as they sit above the user's composer. */
  function quickReplies(list: readonly Pressable[]): SafeHtml | '' {
    if (list.length === 0) return ''
    return html`<p class="attachment" aria-label="Hızlı yanıtlar">${list.map((reply, i) => html`${i === 0 ? '' : ' '}<span class="chip"><span class="kind">Hızlı yanıt</span> <span class="name">${reply.title}</span> <span class="size">${pressDetails(reply)}</span></span>`)}</p>`
  }

  function chip(kind: string, name: SafeHtml | string, size?: SafeHtml | string): SafeHtml {
    return html`<span class="chip"><span class="kind">${kind}</span> <span class="name">${name}</span>${size === undefined ? '' : html` <span class="size">${size}</span>`}</span>`
  }

  function card(element: TemplateElement, index: number, count: number): SafeHtml {
    return html`<section class="player" aria-label="Kart ${index + 1}/${count}">
<h3>${element.title ?? `Kart ${index + 1}`}</h3>
${element.subtitle === undefined ? '' : html`<p>${element.subtitle}</p>`}
${element.imageUrl === undefined ? '' : html`<p>Görsel (yüklenmez): ${webAddress(element.imageUrl)}</p>`}
<p>Kart ${index + 1}/${count}${element.messageId === undefined ? '' : html` · messageId: ${element.messageId}`}</p>
${buttons(element.buttons)}
</section>`
  }

  function content(message: BotMessageToUser): SafeHtml {
    const c = message.content
    switch (c.kind) {
      case 'text':
        return html`<p class="text">${c.text}</p>`
      case 'generic':
        return html`<p class="attachment">${chip('Genel şablon', `${format.count(c.elements.length)} kart`)}</p>
${c.elements.map((element, i) => card(element, i, c.elements.length))}`
      case 'button':
        return html`<p class="attachment">${chip('Düğmeli şablon', `messageId: ${c.messageId}`)}</p>
<p class="text">${c.text}</p>
${buttons(c.buttons)}`
      case 'trigger':
        return html`${c.text === undefined ? '' : html`<p class="text">${c.text}</p>`}
<p class="attachment">${chip('Uygulama tetikleyici', html`komut: ${c.command}`, c.data === '' ? 'veri: (boş)' : html`veri: ${c.data}`)}</p>`
      case 'document': {
        const details = [
          format.fileSize(c.size),
          c.width === undefined || c.height === undefined ? undefined : `${c.width}×${c.height}`,
          c.duration === undefined ? undefined : format.duration(c.duration),
          c.mimeType === undefined ? undefined : `mimeType: ${c.mimeType}`,
        ].filter((part) => part !== undefined)
        return html`<p class="attachment">${chip(SHOWN_AS_LABELS[c.shownAs], c.fileName, details.join(' · '))}</p>`
      }
      case 'media':
        return html`<p class="attachment">${chip('Medya', MEDIA_LABELS[c.type], `attachment.type: ${c.type}; içeriği belgelenmemiş`)}</p>`
      case 'otp':
        return html`<p class="text">${c.mokMessage}</p>
<p class="attachment">${chip('Tek kullanımlık şifre', c.mokValue === undefined ? 'mokValue yok' : html`mokValue: ${c.mokValue}`, 'uygulamaya iletilir')}${c.txCode === undefined ? '' : html` ${chip('İşlem kodu', c.txCode)}`}${c.deviceId === undefined ? '' : html` ${chip('Cihaz', c.deviceId)}`}${c.imageUrl === undefined ? '' : html` ${chip('Görsel', webAddress(c.imageUrl), 'yüklenmez')}`}</p>
${buttons(c.buttons)}`
    }
  }

  /** The message's id, its state and when it reached each step, the state reached last in bold. */
  function receipts(message: BotMessageToUser): SafeHtml {
    const state = deliveryState(message)
    const step = (label: string, at: number, last: boolean) =>
      last
        ? html`<strong>${label} ${timeOf(at, message.sentAt)}</strong>`
        : html`${label} ${timeOf(at, message.sentAt)}`
    return html`<p class="when">${message.mid} · ${step(DELIVERY_LABELS.sent, message.sentAt, state === 'sent')}${message.deliveredAt === undefined ? '' : html` · ${step(DELIVERY_LABELS.delivered, message.deliveredAt, state === 'delivered')}`}${message.readAt === undefined ? '' : html` · ${step(DELIVERY_LABELS.read, message.readAt, true)}`}</p>`
  }

  function toUser(message: BotMessageToUser, view: BotConversationView): SafeHtml {
    return html`<li class="msg own">
<p class="who">${view.bot.name} <span class="role">· Bot → ${ROLES[view.recipient.kind]}${message.otp ? ' · sendmok' : ''}</span></p>
${content(message)}
${quickReplies(message.quickReplies)}
${receipts(message)}
</li>`
  }

  function fromUser(message: BotMessageFromUser, view: BotConversationView): SafeHtml {
    const { pressed } = message
    return html`<li class="msg theirs">
<p class="who">${view.recipient.name} <span class="role">· ${ROLES[view.recipient.kind]} → Bot</span></p>
${
  pressed === undefined
    ? html`<p class="text">${message.text}</p>`
    : html`<p class="attachment">${chip('Basıldı', pressed.title, html`sohbette: ${pressed.seenByUser}`)}</p>
<p class="text">Webhook metni: <code class="api">${message.text}</code></p>`
}
<p class="when">yanıtladığı: ${message.mid} · ${timeOf(message.sentAt, message.sentAt)}</p>
</li>`
  }

  /** The messages (oldest first) by calendar day in the page's zone, each day a labelled section. */
  function days(messages: readonly BotMessageView[], view: BotConversationView): SafeHtml[] {
    const sections: SafeHtml[] = []
    for (let start = 0; start < messages.length;) {
      const first = messages[start] as BotMessageView
      const key = format.dayKey(first.sentAt)
      let end = start + 1
      while (end < messages.length && format.dayKey((messages[end] as BotMessageView).sentAt) === key) end++
      sections.push(html`<section class="day" aria-labelledby="day-${key}">
<h2 id="day-${key}"><time datetime="${key}">${format.day(first.sentAt)}</time></h2>
<ol class="messages">
${messages.slice(start, end).map((message) => (message.direction === 'to-user' ? toUser(message, view) : fromUser(message, view)))}
</ol>
</section>`)
      start = end
    }
    return sections
  }

  function unknown(view: BotConversationPageView): string {
    const { link } = view
    const user = userLabel(link.recipient)
    return linkPage(format, {
      wording: BOT_WORDING,
      title: `${link.botName} – ${user} · Bot yazışması`,
      skip: { label: 'Yazışmaya geç', target: 'yazisma' },
      summary: html`<h1>${link.botName} – ${user}</h1>
<dl class="facts many">
${fact('Bot', link.botName)}
${fact('Kullanıcı', user, [`${ID_LABELS[link.recipient.kind]}: ${link.recipient.id}`])}
</dl>`,
      content: emptyState(
        'Bot ya da kullanıcı bulunamadı.',
        `Bağlantı geçerli, ancak bu sunucunun verilerinde “${link.botName}” adlı bir bot ya da ${link.recipient.id} numaralı bir ${ROLES[link.recipient.kind].toLocaleLowerCase('tr-TR')} yok.`,
      ),
      expiresAt: link.expiresAt,
    })
  }

  function botConversation(view: BotConversationPageView): string {
    const { link, conversation, page: current } = view
    if (conversation === undefined) return unknown(view)
    const { bot, recipient } = conversation
    const summary = html`<h1>${bot.name} – ${recipient.name}</h1>
<dl class="facts many">
${fact('Bot', bot.name, [`Diyalog id: ${bot.diyalogId}`])}
${fact('Kullanıcı', recipient.name, [`${ID_LABELS[recipient.kind]}: ${recipient.id} · ${ROLES[recipient.kind]}`, `Diyalog id: ${recipient.diyalogId}`])}
${fact('Simülasyon', PRESENCE_LABELS[recipient.behaviour.presence], [READING_LABELS[recipient.behaviour.reading]])}
${messageCountFact(format, current)}
</dl>`
    const body =
      current.total === 0
        ? emptyState(
            'Bu yazışmada henüz mesaj yok.',
            `Bağlantı geçerli; ${bot.name} henüz ${recipient.name} kullanıcısına yazmamış. Sayfa her açılışta yazışmanın son hâlini gösterir.`,
          )
        : html`${pager(format, current, view.pageHref, 'üst')}
${days(view.messages, conversation)}
${pager(format, current, view.pageHref, 'alt')}`
    return linkPage(format, {
      wording: BOT_WORDING,
      title: `${bot.name} – ${recipient.name} · Bot yazışması${pageSuffix(current)}`,
      skip: { label: 'Yazışmaya geç', target: 'yazisma' },
      summary,
      content: body,
      expiresAt: link.expiresAt,
    })
  }

  return { botConversation, ...createRefusalViews(format, BOT_WORDING) }
}
