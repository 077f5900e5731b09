import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setCameraPermission } from './__tests__/cameraPermission.ts'
import { CameraError } from './CameraError.ts'
import { createCamera, type Camera, type CameraSnapshot } from './createCamera.ts'

function record(camera: Camera): CameraSnapshot['status'][] {
  const statuses: CameraSnapshot['status'][] = []
  camera.subscribe(() => {
    const { status } = camera.getSnapshot()
    if (statuses.at(-1) !== status) statuses.push(status)
  })
  return statuses
}

describe('createCamera with Chromium’s fake camera', () => {
  let camera: Camera
  beforeEach(() => setCameraPermission(true))
  afterEach(async () => {
    camera.stop()
    await setCameraPermission(true)
  })

  it('streams the camera into the video, lists it, and stops every track on stop()', async () => {
    camera = createCamera({ video: { width: 640, height: 480 } })
    const statuses = record(camera)
    const video = document.createElement('video')
    camera.attach(video)
    await camera.start()

    const { status, stream, error, devices, deviceId } = camera.getSnapshot()
    expect(statuses).toEqual(['requesting', 'streaming'])
    expect(status).toBe('streaming')
    expect(error).toBeNull()
    expect(video.srcObject).toBe(stream)
    expect(video.muted).toBe(true)
    const [track] = stream!.getVideoTracks()
    expect(track!.readyState).toBe('live')
    expect(track!.getSettings()).toMatchObject({ width: 640, height: 480 })
    expect(devices.map((device) => device.kind)).toContain('videoinput')
    expect(devices.some((device) => device.label.endsWith('fake-camera.y4m'))).toBe(true)
    expect(deviceId).toBe(track!.getSettings().deviceId)

    camera.stop()
    expect(camera.getSnapshot()).toMatchObject({ status: 'idle', stream: null, error: null })
    expect(stream!.getTracks().every((t) => t.readyState === 'ended')).toBe(true)
    expect(video.srcObject).toBeNull()
  })

  it('reports a refused permission as denied, with the browser’s NotAllowedError as cause', async () => {
    await setCameraPermission(false)
    camera = createCamera()
    const statuses = record(camera)
    await camera.start()
    const { status, error, stream } = camera.getSnapshot()
    expect(statuses).toEqual(['requesting', 'denied'])
    expect(status).toBe('denied')
    expect(stream).toBeNull()
    expect(error).toBeInstanceOf(CameraError)
    expect(error!.code).toBe('ERR_CAMERA_DENIED')
    expect((error!.cause as DOMException).name).toBe('NotAllowedError')
  })

  it('notices the permission being revoked while streaming and stops the tracks', async () => {
    camera = createCamera()
    await camera.start()
    const stream = camera.getSnapshot().stream!
    await setCameraPermission(false)
    await expect.poll(() => camera.getSnapshot().status, { timeout: 10_000 }).toBe('denied')
    expect(camera.getSnapshot().error!.code).toBe('ERR_CAMERA_DENIED')
    expect(stream.getTracks().every((track) => track.readyState === 'ended')).toBe(true)
  })

  it('reports a camera that is not there as unavailable', async () => {
    camera = createCamera({ deviceId: 'no-such-camera' })
    record(camera)
    await camera.start()
    expect(camera.getSnapshot().status).toBe('unavailable')
    expect(camera.getSnapshot().error!.code).toBe('ERR_CAMERA_NOT_FOUND')

    // Choosing a real camera from the list recovers.
    await expect
      .poll(() => camera.getSnapshot().devices.length, { timeout: 10_000 })
      .toBeGreaterThan(0)
    const [fake] = camera.getSnapshot().devices
    await camera.selectDevice(fake!.deviceId)
    await camera.start()
    expect(camera.getSnapshot().status).toBe('streaming')
    expect(camera.getSnapshot().deviceId).toBe(fake!.deviceId)
  })

  it('reports a camera that stops by itself (unplugged) as an error and releases the rest', async () => {
    camera = createCamera()
    await camera.start()
    const stream = camera.getSnapshot().stream!
    // What Chromium dispatches when the device disappears.
    stream.getVideoTracks()[0]!.dispatchEvent(new Event('ended'))
    expect(camera.getSnapshot().status).toBe('error')
    expect(camera.getSnapshot().error!.code).toBe('ERR_CAMERA_ENDED')
    expect(stream.getTracks().every((track) => track.readyState === 'ended')).toBe(true)
  })

  it('re-reads the devices on devicechange while subscribed, and stops listening after', async () => {
    camera = createCamera()
    const unsubscribe = camera.subscribe(() => {})
    await expect
      .poll(() => camera.getSnapshot().devices.length, { timeout: 10_000 })
      .toBeGreaterThan(0)
    const before = camera.getSnapshot().devices
    // What the browser dispatches when a camera is plugged in or out.
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'))
    await expect.poll(() => camera.getSnapshot().devices, { timeout: 10_000 }).not.toBe(before)
    expect(camera.getSnapshot().devices.map((device) => device.deviceId)).toEqual(
      before.map((device) => device.deviceId),
    )

    unsubscribe()
    const after = camera.getSnapshot().devices
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(camera.getSnapshot().devices).toBe(after)
  })

  it('never leaks the stream of a request that stop() overtook', async () => {
    camera = createCamera()
    const started = camera.start()
    expect(camera.getSnapshot().status).toBe('requesting')
    camera.stop()
    await started
    expect(camera.getSnapshot()).toMatchObject({ status: 'idle', stream: null })
    // A new start gets a fresh stream; the overtaken one was stopped.
    await camera.start()
    expect(camera.getSnapshot().status).toBe('streaming')
  })
})
