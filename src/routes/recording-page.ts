import { createHash } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Clock } from '../clock.js'
import { PAGE_SECURITY_HEADERS } from '../http/page-response.js'
import {
  RECORDING_AUDIO_FILE,
  RECORDING_PATH,
  recordingAudioPath,
  type LinkSigner,
  type SignedRecordingLink,
} from '../links/link-signer.js'
import { callParties, type StoredCall } from '../store/calls.js'
import type { Store } from '../store/store.js'
import { RecordingAudioRefusal, RecordingDocument, recordingDocument } from '../views/link-json.js'
import { MAX_SECONDS, MIN_SECONDS, recordingWav } from '../views/recording-audio.js'
import type { RecordingView, RecordingViews } from '../views/recording-page.js'
import {
  EXPIRY,
  LINK_ROUTE_OPTIONS,
  linkAnswer,
  linkRefusals,
  LongIdParam,
  refusalOf,
  registerLinkPage,
  SignatureParam,
  sendRefusal,
  TimeParam,
  wantsJson,
} from './link-page.js'

export interface RecordingPageDeps {
  readonly store: Store
  readonly linkSigner: LinkSigner
  readonly clock: Clock
  readonly views: RecordingViews
  /** The JSON view's empty page has this size, like every link's. */
  readonly pageSize: number
  readonly publicUrl: () => string
}

/**
 * The routes are registered on the root instance with their full paths, not in the `/v1` scope:
 * a recording link opens without API credentials, like the real server's, and Fastify matches a
 * route before any scope's not-found handler, so every other `/v1/...` path stays HMAC-only.
 */
const PAGE_ROUTE = `${RECORDING_PATH}/:callId`
const JSON_ROUTE = `${RECORDING_PATH}/:callId.json`
const AUDIO_ROUTE = `${RECORDING_PATH}/:callId/${RECORDING_AUDIO_FILE}`

const RecordingParams = Type.Object({
  callId: LongIdParam("The call's `callId`, a Java long in canonical decimal. Signed."),
})

/** The link's query, as `recordingKind` writes it (the real server's names and order). */
const RecordingQuery = Type.Object({
  signature: SignatureParam('hex'),
  expires: TimeParam(EXPIRY),
})

const AudioHeaders = Type.Object({
  range: Type.Optional(
    Type.String({
      description:
        'One range, `bytes=<first>-[<last>]` or `bytes=-<suffix>` (206); a first byte past the end is 416; another unit, a malformed value or several ranges get the whole recording.',
      examples: ['bytes=0-43'],
    }),
  ),
  'if-range': Type.Optional(
    Type.String({
      description: 'An ETag: the range is served only of these very bytes, else the whole recording.',
    }),
  ),
})

const Wav = Type.String({ format: 'binary', description: 'RIFF WAVE, PCM.' })

/** What every audio answer with a body says about it. */
const AUDIO_HEADERS = {
  'accept-ranges': Type.Literal('bytes'),
  etag: Type.String({ description: "The recording's bytes' tag, for `If-Range`." }),
  'cache-control': Type.String({
    description:
      '`private, max-age=<seconds until the link expires>`: the browser may keep it, no shared cache may.',
  }),
  'content-disposition': Type.String({ examples: ['inline; filename="arama-<callId>.wav"'] }),
}

/** The page's policy: the link pages' own, and the audio from the page's origin. */
export const RECORDING_PAGE_HEADERS = {
  'content-security-policy': `${PAGE_SECURITY_HEADERS['content-security-policy']}; media-src 'self'`,
} as const

/**
 * How long a call's synthesised recording is (D37), or undefined when the call has none: the
 * connected seconds, 1 to 60. Whether there is one is the call's `recording` flag, as for
 * `getcalllist`'s `callViewUrl` (the loader allows it only on an ENDED call).
 */
export function recordingSeconds(call: StoredCall | undefined): number | undefined {
  if (call === undefined || !call.recording) return undefined
  return Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, call.connectedSeconds))
}

/** A single byte range of a body of `length` bytes: both ends inclusive. */
export interface ByteRange {
  readonly start: number
  readonly end: number
}

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/

/**
 * What a `Range` header asks of a body of `length` bytes (RFC 9110 §14): one range, or
 * `'unsatisfiable'` (416), or undefined for the whole body — no header, another unit, a
 * malformed value or several ranges, which a server may answer with the whole body.
 */
export function byteRange(
  header: string | undefined,
  length: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined
  const match = SINGLE_RANGE.exec(header.trim())
  if (match === null) return undefined
  const [, from = '', to = ''] = match
  if (from === '' && to === '') return undefined
  if (from === '') {
    // The last `to` bytes.
    const suffix = Number(to)
    if (suffix === 0 || length === 0) return 'unsatisfiable'
    return { start: Math.max(0, length - suffix), end: length - 1 }
  }
  const start = Number(from)
  if (to !== '' && Number(to) < start) return undefined
  if (start >= length) return 'unsatisfiable'
  return { start, end: to === '' ? length - 1 : Math.min(Number(to), length - 1) }
}

interface Recording {
  readonly wav: Buffer
  readonly etag: string
}

/** The last few recordings made: a media element asks for one in several ranges, and each costs ~30 ms to make. */
const CACHED_RECORDINGS = 8

function recordingCache() {
  const cache = new Map<string, Recording>()
  return (callId: string, seconds: number): Recording => {
    const key = `${callId}:${seconds}`
    const found = cache.get(key)
    if (found !== undefined) {
      // Most recently used last.
      cache.delete(key)
      cache.set(key, found)
      return found
    }
    const wav = recordingWav(callId, seconds)
    const recording = { wav, etag: `"${createHash('sha256').update(wav).digest('base64url').slice(0, 22)}"` }
    cache.set(key, recording)
    if (cache.size > CACHED_RECORDINGS) cache.delete(cache.keys().next().value as string)
    return recording
  }
}

/**
 * `GET /v1/playrecords/<callId>?signature=<64 hex>&expires=<epoch ms>`: a call's facts and its
 * recording, in the real server's URL shape; `GET /v1/playrecords/<callId>.json` (or
 * `Accept: application/json`) as JSON; `GET /v1/playrecords/<callId>/audio.wav?…` (the same
 * signature) the recording itself, `audio/wav`, in byte ranges if asked.
 */
export const recordingPageRoute: FastifyPluginAsyncTypebox<RecordingPageDeps> = async (app, deps) => {
  const { store, views } = deps
  const recordingOf = recordingCache()

  const verify = (request: FastifyRequest, nowMs: number) =>
    deps.linkSigner.verifyRecording(
      (request.params as { callId?: unknown }).callId,
      request.query as Record<string, unknown>,
      nowMs,
    )

  const audio = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('vary', 'Accept')
    const nowMs = deps.clock.now()
    const check = verify(request, nowMs)
    const json = wantsJson(request, [])
    if (check.status !== 'valid') return sendRefusal(reply, json, refusalOf(check, views))
    const { link } = check
    const seconds = recordingSeconds(store.call(link.callId))
    if (seconds === undefined) {
      return sendRefusal(reply, json, {
        status: 404,
        body: { error: 'no-recording', message: 'This call has no recording.' },
        page: views.noRecording,
      })
    }
    const { wav, etag } = recordingOf(link.callId, seconds)
    reply.headers({
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      // The same bytes until the link expires: the browser may keep them, no shared cache may.
      'cache-control': `private, max-age=${Math.max(0, Math.floor((link.expiresAt - nowMs) / 1000))}`,
      etag,
      'accept-ranges': 'bytes',
      'content-disposition': `inline; filename="arama-${link.callId}.wav"`,
    })
    reply.type('audio/wav')
    // A range only of these very bytes (RFC 9110 §13.1.5): else the whole recording.
    const ifRange = request.headers['if-range']
    const range =
      ifRange === undefined || ifRange === etag ? byteRange(request.headers.range, wav.length) : undefined
    if (range === 'unsatisfiable') {
      return reply.code(416).header('content-range', `bytes */${wav.length}`).send()
    }
    if (range === undefined) return reply.code(200).header('content-length', wav.length).send(wav)
    const part = wav.subarray(range.start, range.end + 1)
    return reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${wav.length}`)
      .header('content-length', part.length)
      .send(part)
  }

  const description =
    "A call of `getcalllist` with a recording, as its `callViewUrl` opens it: the real server's URL shape (`/v1/playrecords/<callId>?signature=<64 hex>&expires=<epoch ms>`), outside the HMAC scope, so it opens without API credentials. The call's facts and its synthesised recording (D37), which `recording.url` (JSON) or the page's player fetch from `audio.wav` with the same signature."
  registerLinkPage<SignedRecordingLink>(
    app,
    {
      page: PAGE_ROUTE,
      json: JSON_ROUTE,
      summary:
        "A call's facts and its recording, the page its callViewUrl opens, no API credentials (HTML; JSON with Accept: application/json)",
      jsonSummary: 'The same call and recording as JSON',
      description,
      params: RecordingParams,
      querystring: RecordingQuery,
      document: RecordingDocument,
      paged: false,
    },
    {
      clock: deps.clock,
      refusals: views,
      pageSize: deps.pageSize,
      publicUrl: deps.publicUrl,
      headers: RECORDING_PAGE_HEADERS,
      verify,
      show(link, opened) {
        const stored = store.call(link.callId)
        const seconds = recordingSeconds(stored)
        // The signed parameters as the link carries them: the audio opens with the same ones.
        const query = { signature: opened.query['signature'], expires: opened.query['expires'] }
        const audioPath = recordingAudioPath(link.callId, query)
        const parties = stored === undefined ? undefined : callParties(stored, (ref) => store.person(ref))
        const view: RecordingView = {
          link,
          call:
            stored === undefined || parties === undefined
              ? undefined
              : { ...stored, initiatorParty: parties.initiator, receiverParty: parties.receiver },
          recording:
            seconds === undefined || stored === undefined
              ? undefined
              : {
                  // Relative to the page (`…/playrecords/<callId>`), so a proxy's path prefix is kept.
                  src: audioPath.slice(`${RECORDING_PATH}/`.length),
                  durationSeconds: seconds,
                  clippedAt: stored.connectedSeconds > MAX_SECONDS ? MAX_SECONDS : undefined,
                },
        }
        return {
          html: () => views.recording(view),
          json: () => recordingDocument(view, `${deps.publicUrl()}${audioPath}`, opened.noMessages().page),
        }
      },
    },
  )
  app.get(
    AUDIO_ROUTE,
    {
      ...LINK_ROUTE_OPTIONS,
      schema: {
        summary:
          "A call's synthesised recording (audio/wav, byte ranges), with the recording link's signature",
        description:
          "The recording itself (D37): a WAV of the call's connected seconds, 1 to 60, the same bytes for the same call. One byte range at a time (`Range: bytes=…`, RFC 9110 §14), so a media element can seek; a refusal is a page, or JSON when `Accept` prefers it.",
        params: RecordingParams,
        querystring: RecordingQuery,
        headers: AudioHeaders,
        response: {
          200: {
            description: 'The whole recording.',
            headers: AUDIO_HEADERS,
            content: { 'audio/wav': { schema: Wav } },
          },
          206: {
            description: 'The byte range asked for.',
            headers: {
              ...AUDIO_HEADERS,
              'content-range': Type.String({ description: '`bytes <first>-<last>/<length>`' }),
            },
            content: { 'audio/wav': { schema: Wav } },
          },
          416: {
            description: 'The range starts past the end: no body.',
            headers: { 'content-range': Type.String({ description: '`bytes */<length>`' }) },
            type: 'null',
          },
          404: linkAnswer('The call has no recording (`no-recording`).', 'page', RecordingAudioRefusal),
          ...linkRefusals('page', RecordingAudioRefusal),
        },
      },
    },
    audio,
  )
}
