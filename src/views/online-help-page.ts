import type { SignedOnlineHelpLink } from '../links/link-signer.js'
import type { HelpState, Message, OnlineHelpInput } from '../store/fixture-schema.js'
import type { OnlineHelpTimes } from '../store/online-help.js'
import type { Page } from '../store/paging.js'
import type { TimeWindow } from '../store/store.js'
import type { PageFormat } from './format.js'
import { html, type SafeHtml } from './html.js'
import {
  apiValue,
  createRefusalViews,
  fact as factOf,
  emptyState,
  linkPage,
  messageCountFact,
  pagedMessages,
  pageSuffix,
  type LinkWording,
  type RefusalViews,
} from './link-parts.js'

/**
 * The page behind an online-help (canlı yardım) link of `getonlinehelplist`: the session's facts
 * as the list reports them (D34) — customer, agent, state, requested / started / ended times,
 * wait and help durations — and its messages (D36): the private messages of the customer and the
 * agent from the start to the end, or to now while it runs; customer on the left, agent on the
 * right. A session that never started, or one the data does not know, shows its facts (or its
 * id) and an explicit empty state.
 */

export const ONLINE_HELP_WORDING: LinkWording = {
  section: 'Canlı yardım detayı',
  link: 'canlı yardım bağlantısı',
  renew: 'Oturumu görmek için yeni bir bağlantı oluşturun.',
  pages: 'Bu oturumun mesajları',
  sample: 'bu oturumlar ve yazışmalar örnek verilerdir',
}

/** The documented `helpState` values, in Turkish. */
export const HELP_STATE_LABELS: Readonly<Record<HelpState, string>> = {
  onlinehelp_requested: 'Temsilci bekleniyor',
  onlinehelp_cancelled_by_customer: 'Müşteri iptal etti',
  onlinehelp_started: 'Sürüyor',
  onlinehelp_ended_by_customer: 'Müşteri sonlandırdı',
  onlinehelp_ended_by_agent: 'Temsilci sonlandırdı',
  onlinehelp_ended_customer_kill_app: 'Müşteri uygulamayı kapattı',
}

export interface OnlineHelpView {
  readonly link: SignedOnlineHelpLink
  /** Undefined when the data does not know the session. */
  readonly session: OnlineHelpInput | undefined
  readonly times: OnlineHelpTimes | undefined
  readonly customerName: string | undefined
  /** Undefined when the help never started, or the fixtures do not know the agent. */
  readonly agentName: string | undefined
  /** The messages' window (D36); undefined when the help never started. */
  readonly window: TimeWindow | undefined
  readonly nowMs: number
  /** The messages of this page, oldest first. */
  readonly messages: readonly Message[]
  readonly page: Page
  readonly pageHref: (number: number) => string
}

export interface OnlineHelpViews extends RefusalViews {
  onlineHelp(view: OnlineHelpView): string
}

/** `fact` with at most one line under the value. */
const fact = (label: string, value: SafeHtml | string, sub?: SafeHtml | string, className?: 'long') =>
  factOf(label, value, sub === undefined ? [] : [sub], className)

export function createOnlineHelpViews(format: PageFormat): OnlineHelpViews {
  const when = (epochMs: number) =>
    html`<time datetime="${new Date(epochMs).toISOString()}">${format.dateTimeSeconds(epochMs)}</time>`

  function unknownSession(view: OnlineHelpView): string {
    const { link } = view
    return linkPage(format, {
      wording: ONLINE_HELP_WORDING,
      title: `Canlı yardım ${link.onlineHelpId} · Canlı yardım detayı`,
      skip: { label: 'Oturuma geç', target: 'oturum' },
      summary: html`<h1>Canlı yardım ${link.onlineHelpId}</h1>
<dl class="facts many">
${fact('Oturum no', link.onlineHelpId, undefined, 'long')}
</dl>`,
      content: emptyState(
        'Bu canlı yardım oturumu bulunamadı.',
        `Bağlantı geçerli, ancak ${link.onlineHelpId} numaralı oturum bu sunucunun verilerinde yok.`,
      ),
      expiresAt: link.expiresAt,
    })
  }

  function onlineHelp(view: OnlineHelpView): string {
    const { link, session, times, page: current } = view
    if (session === undefined || times === undefined) return unknownSession(view)
    const customer = view.customerName ?? `Müşteri ${session.customerId}`
    const started = view.window !== undefined
    const agent = started ? (view.agentName ?? `Çalışan ${session.agentId ?? ''}`) : undefined
    const running = started && times.endedAt === undefined
    const soFar = (from: number) => `şu ana kadar ${format.duration(Math.floor((view.nowMs - from) / 1000))}`

    const waitFact =
      times.waitTime !== undefined
        ? fact('Bekleme süresi', format.duration(times.waitTime))
        : session.state === 'onlinehelp_requested'
          ? fact('Bekleme süresi', 'Hâlâ bekliyor', soFar(session.requestedAt))
          : fact('Bekleme süresi', '—')
    const helpFact =
      times.helpTime !== undefined
        ? fact('Yardım süresi', format.duration(times.helpTime))
        : running && times.startedAt !== undefined
          ? fact('Yardım süresi', 'Sürüyor', soFar(times.startedAt))
          : fact('Yardım süresi', '—', 'Yardım başlamadı')
    const endFact =
      times.endedAt !== undefined
        ? fact('Bitiş', when(times.endedAt))
        : session.state === 'onlinehelp_cancelled_by_customer' && session.endedAt !== undefined
          ? fact('İptal', when(session.endedAt), 'Müşteri talebi geri çekti')
          : fact('Bitiş', running ? 'Sürüyor' : '—')

    const summary = html`<h1>${agent === undefined ? customer : `${customer} – ${agent}`}</h1>
<dl class="facts many">
${fact('Müşteri', customer, `Müşteri no: ${session.customerId}`)}
${agent === undefined ? fact('Temsilci', 'Atanmadı', 'Bir temsilci bağlanmadı') : fact('Temsilci', agent, `Sicil no: ${session.agentId ?? ''}`)}
${fact('Durum', html`<span class="state">${HELP_STATE_LABELS[session.state]}</span>`, apiValue('helpState', session.state))}
${messageCountFact(format, current)}
${fact('Talep', when(session.requestedAt), `Saat dilimi: ${format.timeZone}`)}
${fact('Başlama', times.startedAt === undefined ? 'Başlamadı' : when(times.startedAt))}
${endFact}
${waitFact}
${helpFact}
${fact('Oturum no', link.onlineHelpId, undefined, 'long')}
</dl>`

    const content = !started
      ? emptyState(
          'Bu oturum hiç başlamadı.',
          session.state === 'onlinehelp_cancelled_by_customer'
            ? 'Müşteri, bir temsilci bağlanmadan talebini iptal etti; bu yüzden mesaj yok.'
            : 'Müşteri yardım istedi; henüz bir temsilci bağlanmadı, bu yüzden mesaj yok.',
        )
      : current.total === 0
        ? emptyState(
            'Bu oturumda mesaj yok.',
            `Bağlantı geçerli; ${customer} ile ${agent ?? ''} oturum boyunca yazışmamış.`,
          )
        : pagedMessages(format, current, view.messages, view.pageHref, (message) => ({
            sender: message.from === 'staff' ? (agent ?? '') : customer,
            className: message.from,
          }))

    return linkPage(format, {
      wording: ONLINE_HELP_WORDING,
      title: `${agent === undefined ? customer : `${customer} – ${agent}`} · Canlı yardım detayı${pageSuffix(current)}`,
      skip: { label: 'Oturuma geç', target: 'oturum' },
      summary,
      content,
      expiresAt: link.expiresAt,
    })
  }

  return { onlineHelp, ...createRefusalViews(format, ONLINE_HELP_WORDING) }
}
