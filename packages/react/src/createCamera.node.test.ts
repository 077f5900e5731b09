import { describe, expect, it } from 'vitest'
import { CameraError } from './CameraError.ts'
import { createCamera } from './createCamera.ts'

describe('createCamera without a camera API', () => {
  it('reports unavailable with ERR_CAMERA_UNSUPPORTED and never throws', async () => {
    expect(typeof navigator === 'undefined' || navigator.mediaDevices === undefined).toBe(true)
    const camera = createCamera({ facingMode: 'user' })
    const statuses: string[] = []
    const unsubscribe = camera.subscribe(() => statuses.push(camera.getSnapshot().status))
    await camera.start()
    expect(statuses).toEqual(['requesting', 'unavailable'])
    const { error, stream, devices } = camera.getSnapshot()
    expect(error).toBeInstanceOf(CameraError)
    expect(error!.name).toBe('CameraError')
    expect(error!.code).toBe('ERR_CAMERA_UNSUPPORTED')
    expect(stream).toBeNull()
    expect(devices).toEqual([])
    camera.stop()
    expect(camera.getSnapshot().status).toBe('idle')
    unsubscribe()
  })
})
