import { readFile } from 'node:fs/promises'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { MoodlensError, type MoodlensErrorCode } from '../MoodlensError.ts'
import { decodeImage } from './decodeImage.ts'

const FIXTURES = new URL('../__tests__/fixtures/faces/', import.meta.url)

/** A 40x30 test pattern: red rises along x, green along y, blue constant, alpha opaque. */
function pattern(): { width: number; height: number; data: Uint8Array } {
  const width = 40
  const height = 30
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([x * 6, y * 8, 90, 255], (y * width + x) * 4)
    }
  }
  return { width, height, data }
}

function pngOf(image: ReturnType<typeof pattern>): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height })
  png.data = Buffer.from(image.data)
  return PNG.sync.write(png)
}

function maxDifference(a: Uint8Array, b: Uint8Array): number {
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!))
  return max
}

async function codeOf(promise: Promise<unknown>): Promise<MoodlensErrorCode> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(MoodlensError)
  return (error as MoodlensError).code
}

describe('decodeImage', () => {
  it('decodes PNG exactly, from a Buffer, a Uint8Array or an ArrayBuffer', async () => {
    const image = pattern()
    const png = pngOf(image)
    for (const bytes of [
      Buffer.from(png),
      new Uint8Array(png),
      new Uint8Array(png).buffer as ArrayBuffer,
    ]) {
      const decoded = await decodeImage(bytes)
      expect(decoded.width).toBe(40)
      expect(decoded.height).toBe(30)
      expect(decoded.data).toBeInstanceOf(Uint8Array)
      expect(Array.from(decoded.data)).toEqual(Array.from(image.data))
    }
  })

  it('decodes JPEG (lossy: within a few levels of the original)', async () => {
    const image = pattern()
    const encoded = jpeg.encode({ ...image, data: Buffer.from(image.data) }, 95).data
    const decoded = await decodeImage(encoded)
    expect([decoded.width, decoded.height]).toEqual([40, 30])
    expect(maxDifference(decoded.data, image.data)).toBeLessThan(16)
  })

  it('turns JPEGs upright as their EXIF orientation says, unless told not to', async () => {
    const image = pattern()
    const plain = new Uint8Array(jpeg.encode({ ...image, data: Buffer.from(image.data) }, 100).data)
    /** The JPEG with an APP1 EXIF segment holding one IFD entry: Orientation. */
    const withOrientation = (orientation: number): Uint8Array => {
      const exif = [
        ...[0xff, 0xe1, 0x00, 0x22], // APP1, length 34
        ...new TextEncoder().encode('Exif\0\0'),
        ...[0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08], // big-endian TIFF, IFD0 at 8
        ...[0x00, 0x01], // one entry
        ...[0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00],
        ...[0x00, 0x00, 0x00, 0x00], // no next IFD
      ]
      return new Uint8Array([...plain.subarray(0, 2), ...exif, ...plain.subarray(2)])
    }
    /** Red and green of an output pixel: the stored x * 6 and y * 8 it came from. */
    const at = (decoded: { width: number; data: Uint8Array }, x: number, y: number) => {
      const i = (y * decoded.width + x) * 4
      return [decoded.data[i]!, decoded.data[i + 1]!]
    }
    const close = ([r, g]: number[], [sx, sy]: [number, number]) => {
      expect(Math.abs(r! - sx * 6)).toBeLessThan(8)
      expect(Math.abs(g! - sy * 8)).toBeLessThan(8)
    }
    const upright = await decodeImage(withOrientation(1))
    expect([upright.width, upright.height]).toEqual([40, 30])
    close(at(upright, 10, 5), [10, 5])
    const turned180 = await decodeImage(withOrientation(3))
    expect([turned180.width, turned180.height]).toEqual([40, 30])
    close(at(turned180, 10, 5), [29, 24])
    // 6: stored turned anticlockwise, displayed 30 wide and 40 high.
    const clockwise = await decodeImage(withOrientation(6))
    expect([clockwise.width, clockwise.height]).toEqual([30, 40])
    close(at(clockwise, 3, 12), [12, 26])
    const anticlockwise = await decodeImage(withOrientation(8))
    expect([anticlockwise.width, anticlockwise.height]).toEqual([30, 40])
    close(at(anticlockwise, 3, 12), [27, 3])
    const stored = await decodeImage(withOrientation(6), { exifOrientation: false })
    expect([stored.width, stored.height]).toEqual([40, 30])
    close(at(stored, 10, 5), [10, 5])
  })

  it('decodes WebP (lossless)', async () => {
    // The same pattern, encoded by ffmpeg's libwebp: `ffmpeg -i pattern.png -c:v libwebp
    // -lossless 1 pattern-lossless.webp`.
    const webp = await readFile(
      new URL('../__tests__/fixtures/pattern-lossless.webp', import.meta.url),
    )
    const decoded = await decodeImage(webp)
    expect([decoded.width, decoded.height]).toEqual([40, 30])
    expect(Array.from(decoded.data)).toEqual(Array.from(pattern().data))
  })

  it('decodes the test photos to their sizes', async () => {
    for (const [file, width, height] of [
      ['astronaut.png', 512, 512],
      ['grace_hopper.jpg', 512, 600],
      ['solvay_1927.jpg', 2048, 922],
    ] as const) {
      const decoded = await decodeImage(await readFile(new URL(file, FIXTURES)))
      expect([decoded.width, decoded.height]).toEqual([width, height])
      expect(decoded.data.length).toBe(width * height * 4)
    }
  })

  it('refuses what is not bytes, empty data and other formats with ERR_UNSUPPORTED_IMAGE', async () => {
    const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00')
    for (const input of ['photo.jpg', null, 42, new Uint8Array(0), gif, new Uint8Array(100)]) {
      expect(await codeOf(decodeImage(input as Uint8Array))).toBe('ERR_UNSUPPORTED_IMAGE')
    }
  })

  it('refuses truncated and malformed files with ERR_CORRUPT_IMAGE', async () => {
    const png = pngOf(pattern())
    const photo = new Uint8Array(await readFile(new URL('grace_hopper.jpg', FIXTURES)))
    const broken = [
      png.subarray(0, png.length - 30), // truncated PNG
      png.subarray(0, 20), // PNG cut inside its header
      photo.subarray(0, 3000), // truncated JPEG
      photo.subarray(0, 4), // JPEG signature only
      new Uint8Array([...new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '), ...new Uint8Array(20)]),
    ]
    // A PNG with a scrambled data chunk.
    const scrambled = new Uint8Array(png)
    scrambled.fill(7, 50, 80)
    broken.push(scrambled)
    for (const bytes of broken) expect(await codeOf(decodeImage(bytes))).toBe('ERR_CORRUPT_IMAGE')
  })

  it('refuses images over maxPixels from their header, with ERR_IMAGE_TOO_LARGE', async () => {
    const png = pngOf(pattern())
    expect(await codeOf(decodeImage(png, { maxPixels: 1199 }))).toBe('ERR_IMAGE_TOO_LARGE')
    expect((await decodeImage(png, { maxPixels: 1200 })).width).toBe(40)
    // A PNG header claiming 100000 x 100000 pixels: refused before any decoding.
    const huge = new Uint8Array(png)
    new DataView(huge.buffer).setUint32(16, 100_000)
    new DataView(huge.buffer).setUint32(20, 100_000)
    expect(await codeOf(decodeImage(huge))).toBe('ERR_IMAGE_TOO_LARGE')
    const photo = await readFile(new URL('solvay_1927.jpg', FIXTURES))
    expect(await codeOf(decodeImage(photo, { maxPixels: 2048 * 922 - 1 }))).toBe(
      'ERR_IMAGE_TOO_LARGE',
    )
  })

  it('rejects a bad maxPixels option with a TypeError', async () => {
    await expect(decodeImage(pngOf(pattern()), { maxPixels: 0 })).rejects.toBeInstanceOf(TypeError)
    await expect(
      decodeImage(pngOf(pattern()), { exifOrientation: 'yes' as never }),
    ).rejects.toBeInstanceOf(TypeError)
  })
})
