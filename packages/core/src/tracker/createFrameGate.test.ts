import { describe, expect, it } from 'vitest'
import { createFrameGate } from './createFrameGate.ts'

/** Offers `frames` frame times to the gate; detections take `latencyMs`. Returns the started ones. */
function run(maxFps: number, frames: readonly number[], latencyMs = 0): number[] {
  const gate = createFrameGate(maxFps)
  const started: number[] = []
  let finishAt = Infinity
  for (const now of frames) {
    if (now >= finishAt) {
      gate.finished()
      finishAt = Infinity
    }
    if (gate.canStart(now)) {
      gate.started(now)
      started.push(now)
      finishAt = now + latencyMs
    }
  }
  return started
}

const frameTimes = (fps: number, seconds: number, jitterMs = 0): number[] =>
  Array.from(
    { length: fps * seconds },
    (_, i) => (i * 1000) / fps + (i % 2 === 0 ? jitterMs : -jitterMs),
  )

describe('createFrameGate', () => {
  it('lets every frame through when detection keeps up and maxFps is not reached', () => {
    const frames = frameTimes(30, 2)
    expect(run(60, frames)).toEqual(frames)
    expect(run(Infinity, frames)).toEqual(frames)
  })

  it('holds a 30 fps video to maxFps 10: every third frame', () => {
    const frames = frameTimes(30, 3)
    const started = run(10, frames)
    expect(started).toHaveLength(30)
    expect(started).toEqual(frames.filter((_, i) => i % 3 === 0))
  })

  it('does not halve the rate when frames arrive a little early (jitter)', () => {
    // 30 fps with +-1.5 ms jitter against maxFps 30
    const started = run(30, frameTimes(30, 4, 1.5))
    expect(started).toHaveLength(120)
  })

  it('never starts a detection while one is in flight: slow inference skips frames', () => {
    // 110 ms per detection on a 30 fps video: one detection per 4 frames (133 ms)
    const frames = frameTimes(30, 3)
    const started = run(Infinity, frames, 110)
    for (let i = 1; i < started.length; i++) {
      expect((started[i] ?? 0) - (started[i - 1] ?? 0)).toBeGreaterThanOrEqual(110)
    }
    expect(started).toEqual(frames.filter((_, i) => i % 4 === 0))
  })

  it('reports busy between started() and finished()', () => {
    const gate = createFrameGate(Infinity)
    expect(gate.busy).toBe(false)
    gate.started(0)
    expect(gate.busy).toBe(true)
    expect(gate.canStart(1000)).toBe(false)
    gate.finished()
    expect(gate.canStart(1000)).toBe(true)
  })

  it('does not burst to catch up after a gap', () => {
    const gate = createFrameGate(10)
    gate.started(0)
    gate.finished()
    // five seconds later: one detection, then the 100 ms interval again
    expect(gate.canStart(5000)).toBe(true)
    gate.started(5000)
    gate.finished()
    expect(gate.canStart(5033)).toBe(false)
    expect(gate.canStart(5066)).toBe(false)
    expect(gate.canStart(5100)).toBe(true)
  })

  it('holds detections back until a given time, and reset() forgets everything', () => {
    const gate = createFrameGate(Infinity)
    gate.holdUntil(1000)
    expect(gate.canStart(999)).toBe(false)
    expect(gate.canStart(1000)).toBe(true)
    gate.started(1000)
    gate.reset()
    expect(gate.busy).toBe(false)
    expect(gate.canStart(0)).toBe(true)
  })
})
