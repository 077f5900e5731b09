import { describe, expect, it } from 'vitest'
import { createFpsMeter, FPS_SAMPLES, FPS_WINDOW_MS } from './createFpsMeter.ts'

describe('createFpsMeter', () => {
  it('is 0 until two detections were seen', () => {
    expect(createFpsMeter().tick(1234)).toBe(0)
  })

  it('measures the rate of evenly spaced detections', () => {
    const meter = createFpsMeter()
    let fps = 0
    for (let i = 0; i < 25; i++) fps = meter.tick(i * 40)
    expect(fps).toBeCloseTo(25, 9)
  })

  it('follows a slowdown within FPS_SAMPLES detections', () => {
    const meter = createFpsMeter()
    let t = 0
    for (let i = 0; i < 30; i++) meter.tick((t += 20))
    let fps = 0
    for (let i = 0; i < FPS_SAMPLES; i++) fps = meter.tick((t += 200))
    expect(fps).toBeCloseTo(5, 9)
  })

  it('forgets samples older than FPS_WINDOW_MS', () => {
    const meter = createFpsMeter()
    meter.tick(0)
    meter.tick(10)
    // after a long gap only the new sample is in the window: no rate yet
    expect(meter.tick(10 + FPS_WINDOW_MS + 1)).toBe(0)
  })

  it('starts over after reset()', () => {
    const meter = createFpsMeter()
    meter.tick(0)
    meter.tick(100)
    meter.reset()
    expect(meter.tick(150)).toBe(0)
    expect(meter.tick(200)).toBeCloseTo(20, 9)
  })
})
