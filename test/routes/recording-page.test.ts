import { describe, expect, it } from 'vitest'
import { byteRange, recordingSeconds } from '../../src/routes/recording-page.js'
import { createPageFormat } from '../../src/views/format.js'
import { recordingWav, SAMPLE_RATE, WAV_HEADER_BYTES } from '../../src/views/recording-audio.js'
import { DOCS_NOW } from '../helpers/app.js'
import {
  CALLS,
  expectLinkPageHeaders,
  EXPIRES_AT,
  HTML,
  LINK_KINDS,
  linkPageApp,
  linkStore,
  SESSIONS,
  signatureAs,
  testSigner,
  withParam,
} from '../helpers/link-pages.js'
import { signedRequest } from '../helpers/signing.js'

/**
 * `GET /v1/playrecords/<callId>?signature=…&expires=…`: a call's facts and its synthesised
 * recording (D37), in the real server's URL shape, outside the HMAC-authenticated `/v1` scope.
 */

const signer = testSigner()
const linkOf = (callId: string) => signer.mintRecording({ callId }, DOCS_NOW)
const asJson = (url: string) => url.replace('?', '.json?')
const audioOf = (url: string) => url.replace('?', '/audio.wav?')

const app = linkPageApp

/** A fact's value and the lines under it, as text, one a line. */
const factOf = (body: string, label: string) =>
  new RegExp(`<div(?: class="[a-z]+")?><dt>${label}</dt><dd>(.*?)</dd></div>`)
    .exec(body)?.[1]
    ?.replace(/<span class="sub">/g, '\n')
    .replace(/<[^>]+>/g, '')

/** The fields of a RIFF/WAVE PCM header. */
function wavHeader(wav: Buffer) {
  return {
    riff: wav.toString('ascii', 0, 4),
    riffSize: wav.readUInt32LE(4),
    wave: wav.toString('ascii', 8, 12),
    fmt: wav.toString('ascii', 12, 16),
    format: wav.readUInt16LE(20),
    channels: wav.readUInt16LE(22),
    sampleRate: wav.readUInt32LE(24),
    byteRate: wav.readUInt32LE(28),
    bitsPerSample: wav.readUInt16LE(34),
    data: wav.toString('ascii', 36, 40),
    dataBytes: wav.readUInt32LE(40),
  }
}

describe('a recorded call', () => {
  it("shows the call's facts in Turkish and an audio player of its recording", async () => {
    const { open } = app()
    const link = linkOf(CALLS.recorded)
    expect(link).toMatch(/^\/v1\/playrecords\/3387307531615898478\?signature=[0-9a-f]{64}&expires=\d+$/)
    const response = await open(link)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe(HTML)
    const { body } = response
    expect(body).toContain('<title>Mehmet Çelik → İpek Doğan · Arama kaydı</title>')
    expect(body).toContain('<h1>Mehmet Çelik → İpek Doğan</h1>')
    expect(factOf(body, 'Arayan')).toBe(
      'Mehmet Çelik\nSicil no: 45188\nKurum çalışanı\nuserType: 4 (DomainUser)\nDiyalog Kurumsal',
    )
    // The call's own app name wins over the person's.
    expect(factOf(body, 'Aranan')).toBe(
      'İpek Doğan\nMüşteri no: 5667067\nAnonim müşteri\nuserType: 7 (AnonymousCustomer)\nDiyalog Web',
    )
    expect(factOf(body, 'Başlangıç')).toBe('8 Mart 2021 16:36:03\nSaat dilimi: Europe/Istanbul')
    expect(factOf(body, 'Bitiş')).toBe('8 Mart 2021 16:36:25')
    expect(factOf(body, 'Görüşme süresi')).toBe('11 sn\ncallTime: 11')
    expect(factOf(body, 'Arama türü')).toBe('Görüntülü\ncallType: video')
    expect(factOf(body, 'Kullanım türü')).toBe('Canlı yardım araması\ncallUseType: ONLINE_HELP_CALL')
    expect(factOf(body, 'Durum')).toBe('Tamamlandı\ncallState: ENDED')
    expect(factOf(body, 'Arama no')).toBe('3387307531615898478')
    // The audio, relative to the page, with the page's own signature and expiry.
    const query = link.slice(link.indexOf('?') + 1).replace('&', '&amp;')
    expect(body).toContain(`<audio controls preload="metadata" src="3387307531615898478/audio.wav?${query}">`)
    expect(body).toContain('<h2 id="player-title">Kayıt (11 sn)</h2>')
    expect(body).toContain(`download="arama-3387307531615898478.wav">Kaydı indir</a>`)
    expectLinkPageHeaders(response.headers, body, { media: true })
  })

  it('opens without API credentials, while every other /v1 path still needs them', async () => {
    const { open, app: built } = app()
    expect((await open(linkOf(CALLS.recorded))).statusCode).toBe(200)
    expect((await open(audioOf(linkOf(CALLS.recorded)))).statusCode).toBe(200)
    for (const url of [
      '/v1/playrecords',
      `/v1/playrecords/${CALLS.recorded}/`,
      `/v1/playrecords/${CALLS.recorded}/other.wav`,
      '/v1/reporting/nope',
    ]) {
      const response = await open(url)
      expect([url, response.statusCode, response.body]).toEqual([url, 400, 'Required headers not found'])
    }
    const unsigned = await built.inject({ method: 'POST', url: '/v1/reporting/getcalllist', payload: '{}' })
    expect([unsigned.statusCode, unsigned.body]).toEqual([400, 'Required headers not found'])
    // A signed request to the recording path is still served as the page, not as the API.
    const signed = await built.inject(
      signedRequest({ now: DOCS_NOW, method: 'GET', url: linkOf(CALLS.recorded), body: '' }),
    )
    expect(signed.statusCode).toBe(200)
    expect(signed.headers['content-type']).toBe(HTML)
  })

  it("answers as JSON: the call's facts, the recording's address and length, no messages", async () => {
    const { open } = app()
    const link = linkOf(CALLS.recorded)
    const fromPath = await open(asJson(link))
    const fromAccept = await open(link, { accept: 'application/json' })
    for (const response of [fromPath, fromAccept]) {
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
      expectLinkPageHeaders(response.headers, response.body, { media: true })
      expect(response.body).toMatch(/^\{"callId":3387307531615898478,/)
    }
    const document = fromPath.json()
    expect(fromAccept.json()).toEqual(document)
    expect(document).toEqual({
      callId: expect.any(Number),
      expiresAt: EXPIRES_AT,
      call: {
        initiator: {
          kind: 'staff',
          id: '45188',
          name: 'Mehmet Çelik',
          userType: 4,
          appName: 'Diyalog Kurumsal',
        },
        receiver: {
          kind: 'customer',
          id: '5667067',
          name: 'İpek Doğan',
          userType: 7,
          appName: 'Diyalog Web',
        },
        callStartedAt: Date.parse('2021-03-08T16:36:03.995+03:00'),
        callEndedAt: Date.parse('2021-03-08T16:36:25.505+03:00'),
        callTime: 11,
        callType: 'video',
        callState: 'ENDED',
        callUseType: 'ONLINE_HELP_CALL',
      },
      recording: {
        url: `http://mock.test:8080${audioOf(link)}`,
        durationSeconds: 11,
        mimeType: 'audio/wav',
      },
      page: { number: 1, size: 50, count: 1, total: 0, first: 0, last: 0 },
      messages: [],
    })
  })

  it("is what getcalllist's callViewUrl opens, and its audio is the call's", async () => {
    const { app: built, open } = app()
    const response = await built.inject(
      signedRequest({
        now: DOCS_NOW,
        url: '/v1/reporting/getcalllist',
        body: JSON.stringify({ startDate: Date.UTC(2021, 2, 1), endDate: DOCS_NOW, callType: 'all' }),
      }),
    )
    expect(response.statusCode).toBe(200)
    const urls = response
      .json<{ callViewUrl: string }[]>()
      .map((item) => item.callViewUrl)
      .filter((url) => url !== '')
    expect(urls).toHaveLength(2)
    for (const url of urls) {
      const { pathname, search } = new URL(url)
      const page = await open(`${pathname}${search}`)
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('<audio controls')
      const document = (await open(`${pathname}${search}`, { accept: 'application/json' })).json()
      const audio = new URL(document.recording.url)
      const wav = await open(`${audio.pathname}${audio.search}`)
      expect(wav.statusCode).toBe(200)
      expect(wav.rawPayload.length).toBe(
        WAV_HEADER_BYTES + document.recording.durationSeconds * SAMPLE_RATE * 2,
      )
    }
  })
})

describe('the audio', () => {
  it('is a valid WAV of the call, as long as the call was connected', async () => {
    const { open } = app()
    const response = await open(audioOf(linkOf(CALLS.recorded)))
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('audio/wav')
    const wav = response.rawPayload
    expect(response.headers['content-length']).toBe(String(wav.length))
    expect(wavHeader(wav)).toEqual({
      riff: 'RIFF',
      riffSize: wav.length - 8,
      wave: 'WAVE',
      fmt: 'fmt ',
      format: 1,
      channels: 1,
      sampleRate: 8000,
      byteRate: 16_000,
      bitsPerSample: 16,
      data: 'data',
      dataBytes: wav.length - WAV_HEADER_BYTES,
    })
    // The duration: data bytes over bytes a second.
    expect((wav.length - WAV_HEADER_BYTES) / 16_000).toBe(11)
    expect(wav.equals(recordingWav(CALLS.recorded, 11))).toBe(true)
    // Not silence.
    let peak = 0
    for (let i = WAV_HEADER_BYTES; i < wav.length; i += 2) peak = Math.max(peak, Math.abs(wav.readInt16LE(i)))
    expect(peak).toBeGreaterThan(8000)
  })

  it('may be kept by the browser until the link expires, never by a shared cache; no referrer; not sniffed', async () => {
    const { open, clock } = app()
    const response = await open(audioOf(linkOf(CALLS.recorded)))
    expect(response.headers['cache-control']).toBe('private, max-age=1800')
    expect(response.headers['referrer-policy']).toBe('no-referrer')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['accept-ranges']).toBe('bytes')
    expect(response.headers['etag']).toMatch(/^"[A-Za-z0-9_-]{22}"$/)
    expect(response.headers['content-disposition']).toBe('inline; filename="arama-3387307531615898478.wav"')
    // 1000 s later: a link minted then, and the one minted first.
    clock.advance(1000 * 1000)
    const fresh = await open(audioOf(signer.mintRecording({ callId: CALLS.recorded }, clock.now())))
    expect(fresh.headers['cache-control']).toBe('private, max-age=1800')
    const older = await open(audioOf(linkOf(CALLS.recorded)))
    expect(older.headers['cache-control']).toBe('private, max-age=800')
  })

  it('is served in byte ranges, as a media element asks for it', async () => {
    const { open } = app()
    const url = audioOf(linkOf(CALLS.recorded))
    const whole = recordingWav(CALLS.recorded, 11)
    const first = await open(url, { range: 'bytes=0-43' })
    expect(first.statusCode).toBe(206)
    expect(first.headers['content-range']).toBe(`bytes 0-43/${whole.length}`)
    expect(first.headers['content-length']).toBe('44')
    expect(first.rawPayload.equals(whole.subarray(0, 44))).toBe(true)
    const open1 = await open(url, { range: 'bytes=100-' })
    expect([open1.statusCode, open1.headers['content-range']]).toEqual([
      206,
      `bytes 100-${whole.length - 1}/${whole.length}`,
    ])
    expect(open1.rawPayload.equals(whole.subarray(100))).toBe(true)
    const suffix = await open(url, { range: 'bytes=-10' })
    expect(suffix.rawPayload.equals(whole.subarray(whole.length - 10))).toBe(true)
    const beyond = await open(url, { range: `bytes=${whole.length}-` })
    expect([beyond.statusCode, beyond.headers['content-range']]).toEqual([416, `bytes */${whole.length}`])
    // Several ranges, or a validator of other bytes: the whole recording.
    expect((await open(url, { range: 'bytes=0-1,5-6' })).statusCode).toBe(200)
    expect((await open(url, { range: 'bytes=0-1', 'if-range': '"other"' })).statusCode).toBe(200)
    const etag = String(first.headers['etag'])
    expect((await open(url, { range: 'bytes=0-1', 'if-range': etag })).statusCode).toBe(206)
    const head = await open(url, {}, 'HEAD')
    expect([head.statusCode, head.headers['content-length'], head.body]).toEqual([
      200,
      String(whole.length),
      '',
    ])
  })

  it('refuses a tampered (403) or expired (410) link like the page', async () => {
    const { open, clock } = app()
    const url = audioOf(linkOf(CALLS.recorded))
    expect((await open(url.replace(CALLS.recorded, CALLS.long))).statusCode).toBe(403)
    const tampered = await open(withParam(url, 'expires', String(EXPIRES_AT + 1)), {
      accept: 'application/json',
    })
    expect([tampered.statusCode, tampered.json()]).toEqual([
      403,
      { error: 'invalid-link', message: 'This link is not valid.' },
    ])
    clock.set(EXPIRES_AT)
    const expired = await open(url)
    expect(expired.statusCode).toBe(410)
    expect(expired.body).toContain('<h1 id="notice-title">Bağlantının süresi doldu</h1>')
  })
})

describe('a call without a recording', () => {
  it.each([
    [CALLS.missed, 'Arama hiç bağlanmadığı için kaydı yok.', 'Cevapsız', 'Bağlanmadı\ncallTime: 0'],
    [CALLS.notRecorded, 'Bu arama kaydedilmemiş.', 'Tamamlandı', '2 dk 21 sn\ncallTime: 141'],
  ])('%s shows its facts and "kayıt yok"; its audio is 404', async (callId, reason, state, connected) => {
    const { open } = app()
    const link = linkOf(callId)
    const response = await open(link)
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('<h2 id="empty-title">Bu arama için kayıt yok.</h2>')
    expect(response.body).toContain(reason)
    expect(response.body).not.toContain('<audio')
    expect(factOf(response.body, 'Durum')?.split('\n')[0]).toBe(state)
    expect(factOf(response.body, 'Görüşme süresi')).toBe(connected)
    expectLinkPageHeaders(response.headers, response.body, { media: true })
    expect((await open(asJson(link))).json()).toMatchObject({
      recording: null,
      page: { total: 0 },
      messages: [],
    })
    const audio = await open(audioOf(link))
    expect(audio.statusCode).toBe(404)
    expect(audio.body).toContain('<h1 id="notice-title">Kayıt yok</h1>')
    const json = await open(audioOf(link), { accept: 'application/json' })
    expect([json.statusCode, json.json()]).toEqual([
      404,
      { error: 'no-recording', message: 'This call has no recording.' },
    ])
  })

  it('shows "kayıt yok" for a signed id the data does not know', async () => {
    const { open } = app()
    const link = linkOf(CALLS.unknown)
    const response = await open(link)
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('<h1>Arama -42</h1>')
    expect(response.body).toContain('-42 numaralı arama bu sunucunun verilerinde yok.')
    expect((await open(asJson(link))).json()).toMatchObject({ callId: -42, call: null, recording: null })
    expect((await open(audioOf(link))).statusCode).toBe(404)
  })

  it('is clipped to 60 s when the call was longer (D37), and says so', async () => {
    const { open } = app()
    const link = linkOf(CALLS.long)
    const { body } = await open(link)
    expect(factOf(body, 'Görüşme süresi')).toBe('6 dk 24 sn\ncallTime: 384')
    expect(body).toContain('görüşme 6 dk 24 sn sürdü, örnek kayıt 1 dk ile sınırlı')
    expect((await open(asJson(link))).json().recording.durationSeconds).toBe(60)
    expect(wavHeader((await open(audioOf(link))).rawPayload).dataBytes).toBe(60 * 16_000)
  })
})

describe('recording links that do not open', () => {
  it.each([
    ['the id in the path', (url: string) => url.replace(CALLS.recorded, CALLS.long)],
    ['the id, not a number', (url: string) => url.replace(CALLS.recorded, 'kayit')],
    ['the id, beyond a long', (url: string) => url.replace(CALLS.recorded, '9223372036854775808')],
    ['expires', (url: string) => withParam(url, 'expires', String(EXPIRES_AT - 1))],
    ['signature', (url: string) => withParam(url, 'signature', 'f'.repeat(64))],
    [
      'signature in upper case',
      (url: string) =>
        url.replace(/signature=([0-9a-f]+)/, (_, hex: string) => `signature=${hex.toUpperCase()}`),
    ],
    ['no signature', (url: string) => withParam(url, 'signature', undefined)],
  ])('refuses a link with %s changed: 403 page and JSON', async (_, change) => {
    const { open } = app()
    const url = change(linkOf(CALLS.recorded))
    const page = await open(url)
    expect(page.statusCode).toBe(403)
    expect(page.body).toContain('Bu arama kaydı bağlantısı geçerli değil')
    expect(page.body).toContain('Kaydı dinlemek için yeni bir bağlantı oluşturun.')
    expectLinkPageHeaders(page.headers, page.body, { media: true })
    const json = await open(url, { accept: 'application/json' })
    expect([json.statusCode, json.json()]).toEqual([
      403,
      { error: 'invalid-link', message: 'This link is not valid.' },
    ])
  })

  it('refuses the signature of another kind over the same id and expiry', async () => {
    const { open } = app()
    const asOnlineHelp = signatureAs(
      { ...LINK_KINDS.onlineHelp, encoding: 'hex' },
      { onlineHelpId: CALLS.recorded },
      EXPIRES_AT,
    )
    const own = signatureAs(LINK_KINDS.recording, { callId: CALLS.recorded }, EXPIRES_AT)
    const at = (signature: string) =>
      `/v1/playrecords/${CALLS.recorded}?signature=${signature}&expires=${EXPIRES_AT}`
    expect((await open(at(asOnlineHelp))).statusCode).toBe(403)
    expect((await open(audioOf(at(asOnlineHelp)))).statusCode).toBe(403)
    expect((await open(at(own))).statusCode).toBe(200)
    // The recording's signature on the online-help path of a session with the same id.
    const recording = new URL(linkOf(CALLS.recorded), 'http://x').searchParams.get('signature')
    expect(
      (await open(`/views/onlinehelp/${SESSIONS.ended}?expiresAt=${EXPIRES_AT}&sig=${recording}`)).statusCode,
    ).toBe(403)
  })

  it('refuses a link signed with another secret', async () => {
    const { open } = app()
    const foreign = testSigner('another-link-secret-0123456789').mintRecording(
      { callId: CALLS.recorded },
      DOCS_NOW,
    )
    expect((await open(foreign)).statusCode).toBe(403)
    expect((await open(audioOf(foreign))).statusCode).toBe(403)
  })

  it('says when an expired link expired (410), as a page and as JSON', async () => {
    const { open, clock } = app()
    clock.set(EXPIRES_AT)
    const link = linkOf(CALLS.recorded)
    const page = await open(link)
    expect(page.statusCode).toBe(410)
    expect(page.body).toContain('9 Mart 2021 16:58</time> (Europe/Istanbul) itibarıyla doldu.')
    expect(page.body).toContain('<span>Arama kaydı</span>')
    expectLinkPageHeaders(page.headers, page.body, { media: true })
    const json = await open(asJson(link))
    expect([json.statusCode, json.json()]).toEqual([
      410,
      { error: 'expired-link', message: 'This link has expired.', expiredAt: EXPIRES_AT },
    ])
  })
})

describe('escaping', () => {
  it('escapes names from the fixtures', async () => {
    const payload = '"><script>alert(1)</script>'
    const { open } = app({ store: linkStore({ customer: `Ömer ${payload}`, staff: `Ayşe ${payload}` }) })
    const response = await open(linkOf(CALLS.long))
    expect(response.statusCode).toBe(200)
    expect(response.body).not.toContain('<script')
    expect(response.body).toContain(
      '<h1>Ömer &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; → Ayşe &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>',
    )
    expectLinkPageHeaders(response.headers, response.body, { media: true })
  })
})

describe('byteRange', () => {
  it.each([
    [undefined, undefined],
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=0-', { start: 0, end: 99 }],
    ['bytes=90-200', { start: 90, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=-200', { start: 0, end: 99 }],
    [' bytes=5-5 ', { start: 5, end: 5 }],
    ['bytes=100-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=9-1', undefined],
    ['bytes=-', undefined],
    ['bytes=0-1,3-4', undefined],
    ['items=0-1', undefined],
    ['bytes=a-b', undefined],
  ] as const)('%j of 100 bytes is %j', (header, expected) => {
    expect(byteRange(header, 100)).toEqual(expected)
  })
})

describe('recordingSeconds', () => {
  it("is the call's connected seconds from 1 to 60, or undefined without a recording", () => {
    const store = linkStore()
    expect(recordingSeconds(store.call(CALLS.recorded))).toBe(11)
    expect(recordingSeconds(store.call(CALLS.long))).toBe(60)
    expect(recordingSeconds(store.call(CALLS.missed))).toBeUndefined()
    expect(recordingSeconds(undefined)).toBeUndefined()
  })
})

describe('durations, as the facts write them', () => {
  it.each([
    [0, '0 sn'],
    [11, '11 sn'],
    [60, '1 dk'],
    [384, '6 dk 24 sn'],
    [3600, '1 sa'],
    [3725, '1 sa 2 dk'],
    [45_000, '12 sa 30 dk'],
    [-5, '0 sn'],
    [11.9, '11 sn'],
  ])('%d s is %s', (seconds, text) => {
    expect(createPageFormat().duration(seconds)).toBe(text)
  })

  it('writes times to the second', () => {
    expect(createPageFormat().dateTimeSeconds(Date.parse('2021-03-08T13:36:03.995Z'))).toBe(
      '8 Mart 2021 16:36:03',
    )
    expect(createPageFormat('UTC').dateTimeSeconds(Date.parse('2021-03-08T13:36:03.995Z'))).toBe(
      '8 Mart 2021 13:36:03',
    )
  })
})
