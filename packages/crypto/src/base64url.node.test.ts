import { Buffer } from 'node:buffer'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64url, encodeBase64url } from './base64url.ts'

// Node's Buffer is an independent base64url implementation to compare against.
describe('base64url against node:buffer', () => {
  it('encodes as Buffer does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(encodeBase64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'))
      }),
    )
  })

  it('decodes what Buffer encodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const decoded = decodeBase64url(Buffer.from(bytes).toString('base64url'))
        expect(Buffer.from(decoded).equals(Buffer.from(bytes))).toBe(true)
      }),
    )
  })
})
