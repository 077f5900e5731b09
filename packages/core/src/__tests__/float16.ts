// IEEE 754 half precision, written independently of TF.js so that tests can check its decoder.
const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** The half-precision bits nearest to `value` (round half to even). */
export function toFloat16Bits(value: number): number {
  f32[0] = value
  const bits = u32[0]!
  const sign = (bits >>> 16) & 0x8000
  const exponent = (bits >>> 23) & 0xff
  let mantissa = bits & 0x7fffff
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0)
  const halfExponent = exponent - 127 + 15
  if (halfExponent >= 0x1f) return sign | 0x7c00
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign
    mantissa |= 0x800000
    const shift = 14 - halfExponent
    const halfway = 1 << (shift - 1)
    let rounded = mantissa >>> shift
    const rest = mantissa & ((1 << shift) - 1)
    if (rest > halfway || (rest === halfway && rounded & 1)) rounded++
    return sign | rounded
  }
  let rounded = (halfExponent << 10) | (mantissa >>> 13)
  const rest = mantissa & 0x1fff
  // A carry out of the mantissa correctly bumps the exponent.
  if (rest > 0x1000 || (rest === 0x1000 && rounded & 1)) rounded++
  return sign | rounded
}

/** The value of half-precision `bits`. */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >>> 10) & 0x1f
  const mantissa = bits & 0x3ff
  if (exponent === 0) return sign * mantissa * 2 ** -24
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Infinity
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15)
}

/** `value` rounded to the nearest half-precision number. */
export function roundToFloat16(value: number): number {
  return fromFloat16Bits(toFloat16Bits(value))
}
