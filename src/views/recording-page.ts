import type { SignedRecordingLink } from '../links/link-signer.js'
import { callUseTypeName, type CallParty, type StoredCall } from '../store/calls.js'
import type { CallState, CallType } from '../store/fixture-schema.js'
import type { PageFormat } from './format.js'
import { html, type SafeHtml } from './html.js'
import {
  apiValue,
  createRefusalViews,
  emptyState,
  fact,
  ID_LABELS,
  linkPage,
  noticePage,
  type LinkWording,
  type RefusalViews,
} from './link-parts.js'

/**
 * The page behind a call's recording link (`getcalllist`'s `callViewUrl`, the real server's
 * `/v1/playrecords/<callId>?signature=…&expires=…`): the call's facts — both people with their
 * names, user types and app names, the times, the connected time, type, use type and state, in
 * Turkish with the API's value beside — and the synthesised recording (D37) in an
 * `<audio controls>` element, with a download link. A call without a recording, or one the data
 * does not know, shows an explicit "kayıt yok" state.
 */

export const RECORDING_WORDING: LinkWording = {
  section: 'Arama kaydı',
  link: 'arama kaydı bağlantısı',
  renew: 'Kaydı dinlemek için yeni bir bağlantı oluşturun.',
  pages: 'Bu kayıt',
  sample: 'bu aramalar örnek verilerdir, kayıtlar sentetik seslerdir',
}

/** User types of docs/contract.md §4.1, in Turkish, and as the API names them. */
export const USER_TYPE_LABELS: Readonly<Record<number, readonly [turkish: string, api: string]>> = {
  1: ['Bireysel', 'Personel'],
  2: ['İşletme', 'Business'],
  3: ['Kurumsal', 'Enterprise'],
  4: ['Kurum çalışanı', 'DomainUser'],
  5: ['Kurum müşterisi', 'DomainCustomer'],
  6: ['Bot', 'Bot'],
  7: ['Anonim müşteri', 'AnonymousCustomer'],
}

export const CALL_TYPE_LABELS: Readonly<Record<CallType, string>> = {
  video: 'Görüntülü',
  voice: 'Sesli',
  '': 'Belirtilmemiş (Diyalog 1.6.2 öncesi)',
}

export const CALL_STATE_LABELS: Readonly<Record<CallState, string>> = {
  ENDED: 'Tamamlandı',
  MISSED: 'Cevapsız',
  START: 'Başladı',
}

/** By the fixtures' `useType` (the request's integer `callUseType`). */
export const CALL_USE_TYPE_LABELS: readonly string[] = [
  'Bilinmiyor',
  'Standart Diyalog araması',
  'Görüntülü yardım araması',
  'Canlı yardım araması',
]

export interface RecordingView {
  readonly link: SignedRecordingLink
  /** Undefined when the data does not know the call. */
  readonly call:
    (StoredCall & { readonly initiatorParty: CallParty; readonly receiverParty: CallParty }) | undefined
  /** The synthesised recording; undefined when the call has none. */
  readonly recording:
    | {
        /** The audio's address relative to the page (keeps a proxy's path prefix). */
        readonly src: string
        readonly durationSeconds: number
        /** The recording is shorter than the call: the synthesis stops at this many seconds (D37). */
        readonly clippedAt: number | undefined
      }
    | undefined
}

export interface RecordingViews extends RefusalViews {
  recording(view: RecordingView): string
  /** The audio address of a call without a recording (404). */
  noRecording(): string
}

export const nameOrFallback = (party: CallParty) =>
  party.name ?? `${party.ref.kind === 'staff' ? 'Çalışan' : 'Müşteri'} ${party.ref.id}`

export function createRecordingViews(format: PageFormat): RecordingViews {
  const when = (epochMs: number) =>
    html`<time datetime="${new Date(epochMs).toISOString()}">${format.dateTimeSeconds(epochMs)}</time>`

  const partyFact = (label: string, party: CallParty) => {
    const [turkish, api] = USER_TYPE_LABELS[party.userType] ?? ['Bilinmeyen tür', '?']
    return fact(label, nameOrFallback(party), [
      `${ID_LABELS[party.ref.kind]}: ${party.ref.id}`,
      turkish,
      apiValue('userType', `${party.userType} (${api})`),
      party.appName,
    ])
  }

  function player(view: RecordingView, callId: string): SafeHtml {
    const { recording, call } = view
    if (recording === undefined) {
      const reason =
        call === undefined
          ? `Bağlantı geçerli, ancak ${callId} numaralı arama bu sunucunun verilerinde yok.`
          : call.connectedSeconds === 0 || call.state !== 'ENDED'
            ? 'Arama hiç bağlanmadığı için kaydı yok.'
            : 'Bu arama kaydedilmemiş.'
      return emptyState('Bu arama için kayıt yok.', reason)
    }
    const length = format.duration(recording.durationSeconds)
    return html`<section class="player" aria-labelledby="player-title">
<h2 id="player-title">Kayıt (${length})</h2>
<audio controls preload="metadata" src="${recording.src}">Tarayıcınız bu kaydı oynatamıyor; <a href="${recording.src}">kaydı indirin</a>.</audio>
<p>WAV, ${length} · sentetik örnek ses, konuşma değildir${recording.clippedAt === undefined ? '' : html` · görüşme ${format.duration(call?.connectedSeconds ?? 0)} sürdü, örnek kayıt ${format.duration(recording.clippedAt)} ile sınırlı`} · <a href="${recording.src}" download="arama-${callId}.wav">Kaydı indir</a></p>
</section>`
  }

  function recording(view: RecordingView): string {
    const { link, call } = view
    const heading =
      call === undefined
        ? `Arama ${link.callId}`
        : `${nameOrFallback(call.initiatorParty)} → ${nameOrFallback(call.receiverParty)}`
    const summary = html`<h1>${heading}</h1>
<dl class="facts many">
${
  call === undefined
    ? fact('Arama no', link.callId, [], 'long')
    : html`${partyFact('Arayan', call.initiatorParty)}
${partyFact('Aranan', call.receiverParty)}
${fact('Başlangıç', when(call.startedAt), [`Saat dilimi: ${format.timeZone}`])}
${fact('Bitiş', when(call.endedAt))}
${fact('Görüşme süresi', call.connectedSeconds === 0 ? 'Bağlanmadı' : format.duration(call.connectedSeconds), [apiValue('callTime', call.connectedSeconds)])}
${fact('Arama türü', CALL_TYPE_LABELS[call.callType], [apiValue('callType', call.callType === '' ? '""' : call.callType)])}
${fact('Kullanım türü', CALL_USE_TYPE_LABELS[call.useType] ?? 'Bilinmiyor', [apiValue('callUseType', callUseTypeName(call.useType))])}
${fact('Durum', html`<span class="state">${CALL_STATE_LABELS[call.state]}</span>`, [apiValue('callState', call.state)])}
${fact('Arama no', link.callId, [], 'long')}`
}
</dl>`
    return linkPage(format, {
      wording: RECORDING_WORDING,
      title: `${heading} · Arama kaydı`,
      skip: { label: 'Kayda geç', target: 'kayit' },
      summary,
      content: player(view, link.callId),
      expiresAt: link.expiresAt,
    })
  }

  const noRecording = noticePage(
    RECORDING_WORDING.section,
    'Kayıt yok',
    html`<p>Bu aramanın bir kaydı yok.</p>`,
  )

  return { recording, noRecording: () => noRecording, ...createRefusalViews(format, RECORDING_WORDING) }
}
