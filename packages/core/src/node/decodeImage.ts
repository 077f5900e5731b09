import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { MoodlensError } from '../MoodlensError.ts'

/**
 * A decoded image: `width * height` RGBA quadruplets, row-major. `detect` of an
 * `EmotionDetector` accepts it as it is.
 *
 * @example
 * ```ts
 * import type { DecodedImage } from '@moodlens/core/node'
 *
 * const pixel: DecodedImage = { width: 1, height: 1, data: new Uint8Array([255, 0, 0, 255]) }
 * ```
 */
export interface DecodedImage {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/**
 * Options of {@link decodeImage}.
 *
 * @example
 * ```ts
 * import type { DecodeImageOptions } from '@moodlens/core/node'
 *
 * const options: DecodeImageOptions = { maxPixels: 12_000_000 }
 * ```
 */
export interface DecodeImageOptions {
  /**
   * Images with more pixels are refused with `ERR_IMAGE_TOO_LARGE` before any pixel is decoded.
   * Default {@link DEFAULT_DECODE_MAX_PIXELS}.
   */
  readonly maxPixels?: number | undefined
  /**
   * Turn JPEG pixels upright as their EXIF `Orientation` tag says (phone cameras store portraits
   * sideways and set the tag), as browsers do when they display or decode an image. Default
   * `true`; `false` returns the pixels as stored.
   */
  readonly exifOrientation?: boolean | undefined
}

/**
 * The default pixel limit of {@link decodeImage}: 25 megapixels, as the detector's.
 *
 * @example
 * ```ts
 * import { DEFAULT_DECODE_MAX_PIXELS } from '@moodlens/core/node'
 *
 * console.log(DEFAULT_DECODE_MAX_PIXELS) // 25000000
 * ```
 */
export const DEFAULT_DECODE_MAX_PIXELS = 25_000_000

type Format = 'jpeg' | 'png' | 'webp'

function corrupt(format: string, detail: string, cause?: unknown): MoodlensError {
  return new MoodlensError('ERR_CORRUPT_IMAGE', `Corrupt ${format} image: ${detail}`, { cause })
}

function formatOf(bytes: Uint8Array): Format | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (
    bytes.length >= 8 &&
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, i) => bytes[i] === byte)
  ) {
    return 'png'
  }
  const ascii = (start: number, end: number): string =>
    String.fromCharCode(...bytes.subarray(start, end))
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp'
  return undefined
}

// Dimensions from the headers, read before decoding so that a huge image is refused cheaply.
function jpegSize(bytes: Uint8Array): [number, number] {
  let at = 2
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) throw corrupt('JPEG', `no marker at byte ${at}`)
    const marker = bytes[at + 1]!
    if (marker === 0xff) {
      at++
      continue
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!
    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = (bytes[at + 5]! << 8) | bytes[at + 6]!
      const width = (bytes[at + 7]! << 8) | bytes[at + 8]!
      return [width, height]
    }
    at += 2 + length
  }
  throw corrupt('JPEG', 'no frame header (SOF) found')
}

function pngSize(bytes: Uint8Array): [number, number] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
    throw corrupt('PNG', 'no IHDR chunk')
  }
  return [view.getUint32(16), view.getUint32(20)]
}

function webpSize(bytes: Uint8Array): [number, number] {
  const chunk = String.fromCharCode(...bytes.subarray(12, 16))
  const u24 = (at: number): number => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)
  if (bytes.length >= 30 && chunk === 'VP8X') return [u24(24) + 1, u24(27) + 1]
  if (bytes.length >= 25 && chunk === 'VP8L') {
    const bits = bytes[21]! | (bytes[22]! << 8) | (bytes[23]! << 16) | (bytes[24]! << 24)
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1]
  }
  if (bytes.length >= 30 && chunk === 'VP8 ') {
    return [(bytes[26]! | (bytes[27]! << 8)) & 0x3fff, (bytes[28]! | (bytes[29]! << 8)) & 0x3fff]
  }
  throw corrupt('WebP', `unknown chunk "${chunk}"`)
}

function checkSize([width, height]: [number, number], maxPixels: number, format: string): void {
  if (width === 0 || height === 0) throw corrupt(format, `the header says ${width}x${height}`)
  if (width * height > maxPixels) {
    throw new MoodlensError(
      'ERR_IMAGE_TOO_LARGE',
      `The ${format} image has ${width}x${height} = ${width * height} pixels, over the limit of ${maxPixels} (the maxPixels option)`,
    )
  }
}

function toBytes(input: unknown): Uint8Array {
  if (input instanceof ArrayBuffer) return new Uint8Array(input)
  if (ArrayBuffer.isView(input)) {
    return new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
  }
  throw new MoodlensError(
    'ERR_UNSUPPORTED_IMAGE',
    'decodeImage takes the bytes of a JPEG, PNG or WebP file: a Uint8Array, Buffer or ArrayBuffer',
  )
}

/** The EXIF `Orientation` (1-8) of a JPEG, 1 when it has none or it cannot be read. */
export function jpegOrientation(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 2
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!
    // Start of scan: no more metadata segments.
    if (marker === 0xda) break
    const length = view.getUint16(at + 2)
    if (marker === 0xe1 && length >= 16 && at + 2 + length <= bytes.length) {
      const exif = at + 4
      if (String.fromCharCode(...bytes.subarray(exif, exif + 4)) === 'Exif') {
        const tiff = exif + 6
        const little = bytes[tiff] === 0x49 // 'II': little-endian, 'MM': big-endian
        const u16 = (offset: number): number => view.getUint16(offset, little)
        const u32 = (offset: number): number => view.getUint32(offset, little)
        const end = at + 2 + length
        const ifd = tiff + u32(tiff + 4)
        if (ifd + 2 > end) return 1
        const entries = u16(ifd)
        for (
          let entry = ifd + 2;
          entry + 12 <= end && entry < ifd + 2 + entries * 12;
          entry += 12
        ) {
          if (u16(entry) === 0x0112) {
            const orientation = u16(entry + 8)
            return orientation >= 1 && orientation <= 8 ? orientation : 1
          }
        }
      }
    }
    at += 2 + length
  }
  return 1
}

function orientJpeg(image: DecodedImage, orientation: number): DecodedImage {
  return orientation === 1 ? image : orient(image, orientation)
}

/** Turns stored pixels into displayed ones for an EXIF orientation (2-8). */
function orient(image: DecodedImage, orientation: number): DecodedImage {
  const { width, height, data } = image
  const swap = orientation >= 5
  const outWidth = swap ? height : width
  const outHeight = swap ? width : height
  const out = new Uint8Array(data.length)
  // One RGBA pixel per 32-bit word (copied first if the bytes are not 4-byte aligned).
  const bytes = data.byteOffset % 4 === 0 ? data : data.slice()
  const source = new Uint32Array(bytes.buffer, bytes.byteOffset, width * height)
  const target = new Uint32Array(out.buffer)
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sx: number
      let sy: number
      switch (orientation) {
        case 2: // mirrored
          ;[sx, sy] = [width - 1 - x, y]
          break
        case 3: // turned 180°
          ;[sx, sy] = [width - 1 - x, height - 1 - y]
          break
        case 4: // mirrored vertically
          ;[sx, sy] = [x, height - 1 - y]
          break
        case 5: // transposed
          ;[sx, sy] = [y, x]
          break
        case 6: // stored turned 90° anticlockwise: turn it clockwise
          ;[sx, sy] = [y, height - 1 - x]
          break
        case 7: // transversed
          ;[sx, sy] = [width - 1 - y, height - 1 - x]
          break
        default:
          // 8: stored turned 90° clockwise: turn it anticlockwise
          ;[sx, sy] = [width - 1 - y, x]
      }
      target[y * outWidth + x] = source[sy * width + sx]!
    }
  }
  return { width: outWidth, height: outHeight, data: out }
}

function decodeJpeg(bytes: Uint8Array, maxPixels: number): DecodedImage {
  let image: { width: number; height: number; data: Uint8Array }
  try {
    image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      tolerantDecoding: false,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: Math.max(512, Math.ceil((maxPixels * 8) / 2 ** 20)),
    })
  } catch (error) {
    throw corrupt('JPEG', error instanceof Error ? error.message : String(error), error)
  }
  return { width: image.width, height: image.height, data: image.data }
}

function decodePng(bytes: Uint8Array): DecodedImage {
  let image: { width: number; height: number; data: Uint8Array }
  try {
    image = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  } catch (error) {
    throw corrupt('PNG', error instanceof Error ? error.message : String(error), error)
  }
  const { width, height, data } = image
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

type WebpDecode = (
  data: ArrayBuffer,
) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>
let webpDecoder: Promise<WebpDecode> | undefined

// @jsquash/webp is ESM-only and WebAssembly: loaded on the first WebP, with its .wasm read from
// the installed package (its own loader would fetch it).
async function loadWebpDecoder(): Promise<WebpDecode> {
  const module = (await import('@jsquash/webp/decode.js')) as {
    default: WebpDecode
    init: (module: WebAssembly.Module) => Promise<void>
  }
  const wasmPath = createRequire(import.meta.url).resolve('@jsquash/webp/codec/dec/webp_dec.wasm')
  await module.init(await WebAssembly.compile(await readFile(wasmPath)))
  return module.default
}

async function decodeWebp(bytes: Uint8Array): Promise<DecodedImage> {
  webpDecoder ??= loadWebpDecoder()
  const decode = await webpDecoder
  let image: { width: number; height: number; data: Uint8ClampedArray }
  try {
    image = await decode(bytes.slice().buffer)
  } catch (error) {
    throw corrupt('WebP', error instanceof Error ? error.message : String(error), error)
  }
  const { width, height, data } = image
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

/**
 * Decodes the bytes of a JPEG, PNG or WebP file (read from disk, an upload, a `fetch`) into
 * RGBA pixels, which `detect` of an `EmotionDetector` accepts. The format is recognised from
 * the bytes, not from a file name. Node only: `@moodlens/core/node`.
 *
 * @throws `MoodlensError` (of `@moodlens/core`) `ERR_UNSUPPORTED_IMAGE` (not bytes, or another format),
 * `ERR_CORRUPT_IMAGE` (truncated or malformed data), `ERR_IMAGE_TOO_LARGE` (over `maxPixels`,
 * refused from the header before decoding).
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * import { createEmotionDetector } from '@moodlens/core'
 * import { decodeImage } from '@moodlens/core/node'
 *
 * const detector = await createEmotionDetector()
 * const image = await decodeImage(await readFile('photo.jpg'))
 * const faces = await detector.detect(image)
 * ```
 */
export async function decodeImage(
  bytes: Uint8Array | ArrayBuffer,
  options: DecodeImageOptions = {},
): Promise<DecodedImage> {
  const { maxPixels = DEFAULT_DECODE_MAX_PIXELS, exifOrientation = true } = options
  if (!Number.isInteger(maxPixels) || maxPixels < 1) {
    throw new TypeError('decodeImage: options.maxPixels must be a positive integer')
  }
  if (typeof exifOrientation !== 'boolean') {
    throw new TypeError('decodeImage: options.exifOrientation must be a boolean')
  }
  const data = toBytes(bytes)
  if (data.length === 0) {
    throw new MoodlensError('ERR_UNSUPPORTED_IMAGE', 'decodeImage: the data is empty')
  }
  switch (formatOf(data)) {
    case 'jpeg':
      checkSize(jpegSize(data), maxPixels, 'JPEG')
      return orientJpeg(decodeJpeg(data, maxPixels), exifOrientation ? jpegOrientation(data) : 1)
    case 'png':
      checkSize(pngSize(data), maxPixels, 'PNG')
      return decodePng(data)
    case 'webp':
      checkSize(webpSize(data), maxPixels, 'WebP')
      return decodeWebp(data)
    default:
      throw new MoodlensError(
        'ERR_UNSUPPORTED_IMAGE',
        'decodeImage: the data is not a JPEG, PNG or WebP image',
      )
  }
}
