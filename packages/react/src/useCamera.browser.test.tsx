import { act } from 'react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setCameraPermission } from './__tests__/cameraPermission.ts'
import { renderHook } from './__tests__/renderHook.tsx'
import type { CameraOptions } from './createCamera.ts'
import { useCamera } from './useCamera.ts'

describe('useCamera in StrictMode', () => {
  const video = document.createElement('video')
  beforeEach(() => setCameraPermission(true))
  afterEach(() => setCameraPermission(true))

  it('streams into the ref’d video, restarts on new constraints, stops every track on unmount', async () => {
    const hook = await renderHook(
      (options: CameraOptions) => {
        const camera = useCamera(options)
        camera.videoRef(video)
        return camera
      },
      { audio: false, video: { width: 320, height: 240 } },
    )
    expect(hook.current.status).toBe('idle')
    expect(hook.current.videoRef.current).toBe(video)

    await act(() => hook.current.start())
    const first = hook.current.stream!
    expect(hook.current.status).toBe('streaming')
    expect(video.srcObject).toBe(first)
    expect(first.getVideoTracks()[0]!.getSettings().width).toBe(320)
    expect(hook.current.devices.length).toBeGreaterThan(0)

    // Equal options in a new object change nothing; new values restart the stream.
    await hook.rerender({ audio: false, video: { width: 320, height: 240 } })
    expect(hook.current.stream).toBe(first)
    await hook.rerender({ audio: false, video: { width: 640, height: 480 } })
    await expect
      .poll(() => hook.current.stream !== first && hook.current.stream !== null, {
        timeout: 10_000,
      })
      .toBe(true)
    const second = hook.current.stream!
    expect(first.getTracks().every((track) => track.readyState === 'ended')).toBe(true)
    expect(second.getVideoTracks()[0]!.getSettings().width).toBe(640)
    expect(video.srcObject).toBe(second)

    await hook.unmount()
    expect(second.getTracks().every((track) => track.readyState === 'ended')).toBe(true)
    expect(video.srcObject).toBeNull()
  })

  it('turns a refused permission into the denied state, without throwing', async () => {
    await setCameraPermission(false)
    const hook = await renderHook(() => useCamera({ audio: false }), undefined)
    await act(() => hook.current.start())
    expect(hook.current.status).toBe('denied')
    expect(hook.current.error?.code).toBe('ERR_CAMERA_DENIED')
    expect(hook.current.stream).toBeNull()
    await hook.unmount()
  })
})
