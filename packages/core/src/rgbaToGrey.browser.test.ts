import { describe, expect, it } from 'vitest'
import { rgbaToGrey } from './rgbaToGrey.ts'

// Runs in real Chromium: pixels drawn on a canvas come back through getImageData, as a camera
// frame would.
describe('rgbaToGrey on canvas pixels', () => {
  it('converts what a 2D canvas drew', () => {
    const canvas = document.createElement('canvas')
    canvas.width = 4
    canvas.height = 2
    const context = canvas.getContext('2d', { willReadFrequently: true })
    if (!context) throw new Error('no 2D context')
    context.fillStyle = 'rgb(200, 100, 50)'
    context.fillRect(0, 0, 2, 2)
    context.fillStyle = 'rgb(0, 128, 255)'
    context.fillRect(2, 0, 2, 2)

    const grey = rgbaToGrey(context.getImageData(0, 0, 4, 2))

    const left = Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50)
    const right = Math.round(0.299 * 0 + 0.587 * 128 + 0.114 * 255)
    expect(Array.from(grey.data)).toEqual([left, left, right, right, left, left, right, right])
  })

  it('accepts an OffscreenCanvas ImageData', () => {
    const canvas = new OffscreenCanvas(3, 3)
    const context = canvas.getContext('2d')
    if (!context) throw new Error('no OffscreenCanvas 2D context')
    context.fillStyle = '#ffffff'
    context.fillRect(0, 0, 3, 3)
    const grey = rgbaToGrey(context.getImageData(0, 0, 3, 3))
    expect(grey.data.every((value) => value === 255)).toBe(true)
  })
})
