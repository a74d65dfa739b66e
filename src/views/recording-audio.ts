import { createHash } from 'node:crypto'

/**
 * A synthesised call recording: a WAV file (RIFF/WAVE, PCM 16-bit mono, 8000 Hz, the
 * telephone band) that sounds like two people talking — not words, but voice-like: a buzz of
 * a few harmonics whose fundamental glides within 110…220 Hz, cut into syllables of about a
 * quarter of a second (a ~4 Hz amplitude envelope), phrases of a few syllables, short pauses
 * between them, two voices taking turns. Everything is derived from a hash of `seed` (the call
 * id), so one call always has the same recording and the mock ships no audio asset.
 */

export const SAMPLE_RATE = 8000
export const MIN_SECONDS = 1
export const MAX_SECONDS = 60
/** The RIFF header, the `fmt ` chunk and the `data` chunk header. */
export const WAV_HEADER_BYTES = 44

const LOWEST_PITCH = 110
const HIGHEST_PITCH = 220
/** Peak level as a fraction of full scale: the harmonic weights sum to 1, so no sample clips. */
const PEAK = 0.6 * 32767

/** A deterministic source of numbers in [0, 1) (sfc32), seeded from the seed's SHA-256. */
function randomFrom(seed: string): () => number {
  const hash = createHash('sha256').update(seed, 'utf8').digest()
  let a = hash.readUInt32LE(0)
  let b = hash.readUInt32LE(4)
  let c = hash.readUInt32LE(8)
  let d = hash.readUInt32LE(12)
  return () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4_294_967_296
  }
}

interface Voice {
  /** The pitch a phrase starts near, in Hz. */
  readonly pitch: number
  /** Weights of harmonics 1…5, summing to 1. */
  readonly timbre: readonly number[]
}

/** A syllable (voiced) or a pause (silent), in samples. */
interface Segment {
  readonly start: number
  readonly length: number
  readonly voiced: boolean
  readonly fromPitch: number
  readonly toPitch: number
  readonly loudness: number
  readonly weights: readonly number[]
}

const between = (random: () => number, low: number, high: number) => low + (high - low) * random()
const clampPitch = (pitch: number) => Math.min(HIGHEST_PITCH, Math.max(LOWEST_PITCH, pitch))

function normalised(weights: readonly number[]): number[] {
  const sum = weights.reduce((total, weight) => total + weight, 0)
  return weights.map((weight) => weight / sum)
}

function voiceOf(random: () => number, low: number, high: number): Voice {
  const timbre = [1, between(random, 0.4, 0.8), between(random, 0.2, 0.5), between(random, 0.1, 0.3)]
  return { pitch: between(random, low, high), timbre: normalised([...timbre, between(random, 0.03, 0.12)]) }
}

/** Phrases of syllables with pauses between them, voices taking turns, until `total` samples. */
function scheduleOf(random: () => number, total: number): Segment[] {
  const voices = [voiceOf(random, 115, 150), voiceOf(random, 165, 205)]
  const segments: Segment[] = []
  const ms = (milliseconds: number) => Math.round((milliseconds * SAMPLE_RATE) / 1000)
  let start = 0
  const pause = (length: number) => {
    segments.push({ start, length, voiced: false, fromPitch: 0, toPitch: 0, loudness: 0, weights: [] })
    start += length
  }
  let turn = random() < 0.5 ? 0 : 1
  pause(ms(between(random, 60, 200)))
  while (start < total) {
    const voice = voices[turn] ?? voices[0]!
    const syllables = 3 + Math.floor(random() * 6)
    // A phrase starts a little above the voice's pitch and drifts down (declination).
    let pitch = clampPitch(voice.pitch * between(random, 1, 1.12))
    for (let i = 0; i < syllables && start < total; i++) {
      const toPitch = clampPitch(pitch * between(random, 0.88, 1.1) - 2)
      // A vowel of its own: the voice's timbre, each harmonic a little louder or softer.
      const weights = normalised(voice.timbre.map((weight) => weight * between(random, 0.6, 1.4)))
      const length = ms(between(random, 150, 320))
      segments.push({
        start,
        length,
        voiced: true,
        fromPitch: pitch,
        toPitch,
        loudness: between(random, 0.65, 1),
        weights,
      })
      start += length
      pitch = toPitch
      pause(ms(between(random, 15, 60)))
    }
    pause(ms(between(random, 180, 550)))
    if (random() < 0.7) turn = 1 - turn
  }
  return segments
}

/**
 * A WAV recording of `seconds` (clamped to 1…60; NaN counts as 1), the same bytes for the same
 * `seed`. Fractions of a second are kept to the nearest sample.
 */
export function recordingWav(seed: string, seconds: number): Buffer {
  const duration = Number.isNaN(seconds) ? MIN_SECONDS : Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, seconds))
  const samples = Math.round(duration * SAMPLE_RATE)
  const dataBytes = samples * 2
  const wav = Buffer.alloc(WAV_HEADER_BYTES + dataBytes)

  wav.write('RIFF', 0, 'ascii')
  wav.writeUInt32LE(36 + dataBytes, 4)
  wav.write('WAVE', 8, 'ascii')
  wav.write('fmt ', 12, 'ascii')
  wav.writeUInt32LE(16, 16) // fmt chunk size
  wav.writeUInt16LE(1, 20) // PCM
  wav.writeUInt16LE(1, 22) // mono
  wav.writeUInt32LE(SAMPLE_RATE, 24)
  wav.writeUInt32LE(SAMPLE_RATE * 2, 28) // bytes a second
  wav.writeUInt16LE(2, 32) // bytes a frame
  wav.writeUInt16LE(16, 34) // bits a sample
  wav.write('data', 36, 'ascii')
  wav.writeUInt32LE(dataBytes, 40)

  let phase = 0
  for (const segment of scheduleOf(randomFrom(seed), samples)) {
    if (!segment.voiced) continue // Buffer.alloc left the pause silent
    const [w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0] = segment.weights
    const end = Math.min(samples, segment.start + segment.length)
    for (let n = segment.start; n < end; n++) {
      const x = (n - segment.start) / segment.length
      const pitch = segment.fromPitch + (segment.toPitch - segment.fromPitch) * x
      phase += (2 * Math.PI * pitch) / SAMPLE_RATE
      if (phase > 2 * Math.PI) phase -= 2 * Math.PI
      // Harmonics 2…5 from the first by the Chebyshev recurrence: sin(kφ) = 2cos φ·sin((k−1)φ) − sin((k−2)φ).
      const s1 = Math.sin(phase)
      const twoCos = 2 * Math.cos(phase)
      const s2 = twoCos * s1
      const s3 = twoCos * s2 - s1
      const s4 = twoCos * s3 - s2
      const s5 = twoCos * s4 - s3
      const envelope = Math.sin(Math.PI * x) * segment.loudness
      const value = PEAK * envelope * (w1 * s1 + w2 * s2 + w3 * s3 + w4 * s4 + w5 * s5)
      wav.writeInt16LE(Math.max(-32767, Math.min(32767, Math.round(value))), WAV_HEADER_BYTES + 2 * n)
    }
  }
  return wav
}
