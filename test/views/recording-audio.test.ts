import { describe, expect, it } from 'vitest'
import {
  MAX_SECONDS,
  MIN_SECONDS,
  recordingWav,
  SAMPLE_RATE,
  WAV_HEADER_BYTES,
} from '../../src/views/recording-audio.js'

const CALL = '3387307531615898478'

function samplesOf(wav: Buffer): Int16Array {
  const samples = new Int16Array((wav.length - WAV_HEADER_BYTES) / 2)
  for (let i = 0; i < samples.length; i++) samples[i] = wav.readInt16LE(WAV_HEADER_BYTES + 2 * i)
  return samples
}

function rms(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0
  for (let i = from; i < to; i++) sum += (samples[i] ?? 0) ** 2
  return Math.sqrt(sum / Math.max(1, to - from))
}

describe('recordingWav', () => {
  const wav = recordingWav(CALL, 10)
  const samples = samplesOf(wav)

  it('is a RIFF/WAVE file of 16-bit mono PCM at 8000 Hz', () => {
    expect(SAMPLE_RATE).toBe(8000)
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF')
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8)
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE')
    expect(wav.toString('ascii', 12, 16)).toBe('fmt ')
    expect(wav.readUInt32LE(16)).toBe(16)
    expect(wav.readUInt16LE(20)).toBe(1) // PCM
    expect(wav.readUInt16LE(22)).toBe(1) // mono
    expect(wav.readUInt32LE(24)).toBe(8000)
    expect(wav.readUInt32LE(28)).toBe(16000)
    expect(wav.readUInt16LE(32)).toBe(2)
    expect(wav.readUInt16LE(34)).toBe(16)
    expect(wav.toString('ascii', 36, 40)).toBe('data')
    expect(wav.readUInt32LE(40)).toBe(10 * 8000 * 2)
    expect(wav.length).toBe(44 + 10 * 8000 * 2)
  })

  it.each([
    [0, MIN_SECONDS],
    [-5, MIN_SECONDS],
    [Number.NaN, MIN_SECONDS],
    [-Infinity, MIN_SECONDS],
    [1, 1],
    [37, 37],
    [60, MAX_SECONDS],
    [61, MAX_SECONDS],
    [Infinity, MAX_SECONDS],
  ])('lasts %s s clamped to %s s', (seconds, expected) => {
    const clamped = recordingWav(CALL, seconds)
    expect(clamped.readUInt32LE(40)).toBe(expected * 8000 * 2)
    expect(clamped.readUInt32LE(4)).toBe(36 + expected * 8000 * 2)
    expect(clamped.length).toBe(44 + expected * 8000 * 2)
  })

  it('keeps a fraction of a second to the nearest sample', () => {
    expect(recordingWav(CALL, 2.5).readUInt32LE(40)).toBe(2.5 * 8000 * 2)
  })

  it('is the same for the same seed, and another for another seed', () => {
    expect(recordingWav(CALL, 10).equals(wav)).toBe(true)
    expect(recordingWav('-1527120504243668640', 10).equals(wav)).toBe(false)
    // A longer recording of the same call begins as the shorter one does.
    expect(
      recordingWav(CALL, 12).subarray(WAV_HEADER_BYTES, wav.length).equals(wav.subarray(WAV_HEADER_BYTES)),
    ).toBe(true)
  })

  it('is not silence, and never reaches full scale', () => {
    for (const seed of [CALL, '-1527120504243668640', '0', 'x']) {
      const all = samplesOf(recordingWav(seed, 20))
      expect(rms(all)).toBeGreaterThan(1500)
      let peak = 0
      for (const sample of all) peak = Math.max(peak, Math.abs(sample))
      expect(peak).toBeLessThan(32767)
      expect(peak).toBeGreaterThan(8000)
    }
  })

  it('has syllables and pauses: some 50 ms stretches silent, most voiced', () => {
    const window = SAMPLE_RATE / 20
    const levels: number[] = []
    for (let from = 0; from + window <= samples.length; from += window)
      levels.push(rms(samples, from, from + window))
    const silent = levels.filter((level) => level < 50).length
    const voiced = levels.filter((level) => level > 1000).length
    expect(silent).toBeGreaterThan(levels.length * 0.05)
    expect(voiced).toBeGreaterThan(levels.length * 0.4)
  })

  it('has a fundamental between 110 and 220 Hz while voiced', () => {
    const window = 320 // 40 ms
    /** Normalised autocorrelation of the window at `lag`. */
    const correlation = (from: number, lag: number) => {
      let sum = 0
      let a = 0
      let b = 0
      for (let i = from; i < from + window; i++) {
        sum += samples[i]! * samples[i + lag]!
        a += samples[i]! ** 2
        b += samples[i + lag]! ** 2
      }
      return sum / Math.sqrt(a * b)
    }
    let checked = 0
    for (let from = 0; from + window + 200 <= samples.length; from += 4 * window) {
      if (rms(samples, from, from + window) < 3000) continue
      // The period is the shortest lag (of 40…400 Hz) that repeats nearly as well as the best one.
      const lags = Array.from({ length: 181 }, (_, i) => 20 + i)
      const scores = lags.map((lag) => correlation(from, lag))
      const best = Math.max(...scores)
      const period = lags[scores.findIndex((score) => score >= 0.9 * best)]!
      expect(best).toBeGreaterThan(0.8)
      expect(SAMPLE_RATE / period).toBeGreaterThanOrEqual(105)
      expect(SAMPLE_RATE / period).toBeLessThanOrEqual(230) // 220 Hz within a whole lag
      checked++
    }
    expect(checked).toBeGreaterThan(5)
  })

  it('is made quickly enough to serve on request', () => {
    const started = performance.now()
    recordingWav(CALL, 60)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
