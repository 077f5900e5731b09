// A plain-JS, double-precision reference of the emotion-model graph ops, written from the format
// description (not from TF.js), so that the TF.js interpreter can be checked against it.

/** One image, channels last: value of (y, x, c) at `(y * width + x) * channels + c`. */
export interface ReferenceImage {
  readonly height: number
  readonly width: number
  readonly channels: number
  readonly data: Float64Array
}

export type Activation = 'relu6' | 'relu' | 'linear'

function activate(value: number, activation: Activation): number {
  if (activation === 'relu') return Math.max(0, value)
  if (activation === 'relu6') return Math.min(6, Math.max(0, value))
  return value
}

interface ConvolutionParameters {
  /** `[kh, kw, inChannels, outChannels]` (or `[kh, kw, channels, 1]` for depthwise). */
  readonly filterShape: readonly [number, number, number, number]
  readonly filter: ArrayLike<number>
  readonly bias: ArrayLike<number>
  readonly strides: number
  readonly pad: readonly [number, number, number, number]
  readonly activation: Activation
  readonly depthwise: boolean
}

export function convolve(image: ReferenceImage, p: ConvolutionParameters): ReferenceImage {
  const [kh, kw, inChannels, filterOut] = p.filterShape
  const [top, bottom, left, right] = p.pad
  const outChannels = p.depthwise ? inChannels : filterOut
  const height = Math.floor((image.height + top + bottom - kh) / p.strides) + 1
  const width = Math.floor((image.width + left + right - kw) / p.strides) + 1
  const data = new Float64Array(height * width * outChannels)
  for (let oy = 0; oy < height; oy++) {
    for (let ox = 0; ox < width; ox++) {
      for (let oc = 0; oc < outChannels; oc++) {
        let sum = p.bias[oc]!
        for (let ky = 0; ky < kh; ky++) {
          const y = oy * p.strides + ky - top
          if (y < 0 || y >= image.height) continue
          for (let kx = 0; kx < kw; kx++) {
            const x = ox * p.strides + kx - left
            if (x < 0 || x >= image.width) continue
            const pixel = (y * image.width + x) * image.channels
            if (p.depthwise) {
              sum += image.data[pixel + oc]! * p.filter[(ky * kw + kx) * inChannels + oc]!
            } else {
              for (let ic = 0; ic < inChannels; ic++) {
                sum +=
                  image.data[pixel + ic]! *
                  p.filter[((ky * kw + kx) * inChannels + ic) * filterOut + oc]!
              }
            }
          }
        }
        data[(oy * width + ox) * outChannels + oc] = activate(sum, p.activation)
      }
    }
  }
  return { height, width, channels: outChannels, data }
}

export function addImages(
  a: ReferenceImage,
  b: ReferenceImage,
  activation: Activation,
): ReferenceImage {
  return { ...a, data: a.data.map((value, i) => activate(value + b.data[i]!, activation)) }
}

export function globalAveragePool(image: ReferenceImage, activation: Activation): Float64Array {
  const sums = new Float64Array(image.channels)
  for (let i = 0; i < image.data.length; i++) sums[i % image.channels]! += image.data[i]!
  return sums.map((sum) => activate(sum / (image.height * image.width), activation))
}

export function dense(
  input: ArrayLike<number>,
  kernel: ArrayLike<number>,
  bias: ArrayLike<number>,
  activation: Activation,
): Float64Array {
  const units = bias.length
  const out = new Float64Array(units)
  for (let o = 0; o < units; o++) {
    let sum = bias[o]!
    for (let i = 0; i < input.length; i++) sum += input[i]! * kernel[i * units + o]!
    out[o] = activate(sum, activation)
  }
  return out
}

/**
 * Bilinear resizing with half-pixel centres (OpenCV INTER_LINEAR, PyTorch
 * `interpolate(align_corners=False)`), of one grey channel.
 */
export function resizeBilinear(
  data: ArrayLike<number>,
  width: number,
  height: number,
  size: number,
): Float64Array {
  const out = new Float64Array(size * size)
  const sample = (outIndex: number, inSize: number): [number, number, number] => {
    const position = Math.max(0, ((outIndex + 0.5) * inSize) / size - 0.5)
    const low = Math.min(Math.floor(position), inSize - 1)
    const high = Math.min(low + 1, inSize - 1)
    return [low, high, position - low]
  }
  for (let y = 0; y < size; y++) {
    const [y0, y1, fy] = sample(y, height)
    for (let x = 0; x < size; x++) {
      const [x0, x1, fx] = sample(x, width)
      const topRow = data[y0 * width + x0]! * (1 - fx) + data[y0 * width + x1]! * fx
      const bottomRow = data[y1 * width + x0]! * (1 - fx) + data[y1 * width + x1]! * fx
      out[y * size + x] = topRow * (1 - fy) + bottomRow * fy
    }
  }
  return out
}
