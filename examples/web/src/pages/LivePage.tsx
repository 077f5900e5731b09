import { useCamera, useExternalStore } from '@moodlens/react'
import { useEmotion, useEmotionDetector } from '@moodlens/react/emotion'
import { useEffect, useState, type ReactElement } from 'react'
import { describeError } from '../api/describeError.ts'
import { useServices } from '../appContext.ts'
import { EmotionBars } from '../components/EmotionBars.tsx'
import { FaceOverlay } from '../components/FaceOverlay.tsx'
import { MoodPicker } from '../components/MoodPicker.tsx'
import { MoodTimeline } from '../components/MoodTimeline.tsx'
import { PrivacyNote } from '../components/PrivacyNote.tsx'
import { EMOTION_LABELS } from '../emotionStyle.ts'
import { MOOD_SOURCE_WORDS } from '../mood/createMoodStore.ts'
import { DETECTOR_OPTIONS } from '../detectorOptions.ts'

// What each camera state means for the person in front of it.
const CAMERA_MESSAGES: Readonly<Record<string, string>> = {
  idle: 'The camera is off. Turn it on to detect your mood, or pick a mood by hand.',
  requesting: 'Waiting for permission to use the camera…',
  denied:
    'Camera access was refused. You can allow it in the browser’s site settings, or pick your mood by hand below: everything else works without the camera.',
  unavailable:
    'No camera was found on this device. Pick your mood by hand below: everything else works without a camera.',
  error: 'The camera stopped working. Check that no other app is using it, then turn it on again.',
}

/** The webcam with each face's emotion, the probabilities, and the mood timeline. */
export default function LivePage(): ReactElement {
  const { moods, reporter } = useServices()
  const { videoRef, status, start, stop, devices, selectDevice } = useCamera({
    audio: false,
    facingMode: 'user',
  })
  const model = useEmotionDetector(DETECTOR_OPTIONS)
  const live = useEmotion(videoRef, { detector: model.detector })
  const mood = useExternalStore(moods)
  const report = useExternalStore(reporter)
  const [size, setSize] = useState({ width: 0, height: 0 })
  const streaming = status === 'streaming'

  // The tracker's smoothed probabilities become the app's mood once its mood is stable.
  useEffect(() => {
    if (live.mood !== null && live.probabilities !== null) {
      moods.set(live.probabilities, 'camera', { emotion: live.mood })
    }
  }, [moods, live.mood, live.probabilities])

  const cameraFailed = status === 'denied' || status === 'unavailable'
  return (
    <>
      <h1>Live mood</h1>
      <PrivacyNote />
      <div className="grid">
        <section className="card" aria-labelledby="camera-title">
          <h2 id="camera-title">Camera</h2>
          <div className="stage">
            <video
              ref={videoRef}
              className="mirrored"
              autoPlay
              playsInline
              muted
              aria-label="Your camera picture"
              onLoadedMetadata={(event) =>
                setSize({
                  width: event.currentTarget.videoWidth,
                  height: event.currentTarget.videoHeight,
                })
              }
            />
            {streaming ? (
              <>
                <FaceOverlay faces={live.faces} width={size.width} height={size.height} mirrored />
                {live.status === 'running' && live.faces.length === 0 && (
                  <p className="stage-hint" role="status">
                    No face in view: face the camera, in good light.
                  </p>
                )}
              </>
            ) : (
              <p className="placeholder">{CAMERA_MESSAGES[status]}</p>
            )}
          </div>
          <div className="toolbar">
            {streaming ? (
              <button type="button" onClick={() => stop()}>
                Turn camera off
              </button>
            ) : (
              <button
                type="button"
                className="primary"
                onClick={() => void start()}
                disabled={status === 'requesting'}
              >
                Turn camera on
              </button>
            )}
            {devices.length > 1 && (
              <label>
                Camera{' '}
                <select onChange={(event) => void selectDevice(event.target.value)}>
                  {devices.map((device, index) => (
                    <option key={device.deviceId} value={device.deviceId}>
                      {device.label || `Camera ${index + 1}`}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {streaming && model.status === 'ready' && (
              <span className="muted" aria-live="off">
                {live.fps.toFixed(1)} analyses per second
                {model.detector && ` (TF.js ${model.detector.backend.name})`}
              </span>
            )}
          </div>
          {status === 'error' && (
            <p className="alert" role="alert">
              {CAMERA_MESSAGES.error}
            </p>
          )}
          {model.status === 'loading' && !cameraFailed && (
            <div role="status">
              <label>
                Loading the face and emotion models… {Math.round(model.progress * 100)}%
                <progress max={1} value={model.progress} />
              </label>
            </div>
          )}
          {model.status === 'error' && (
            <p className="alert" role="alert">
              The emotion models could not be loaded ({describeError(model.error)}). Reload the page
              to try again; meanwhile pick your mood by hand.
            </p>
          )}
          {(cameraFailed || model.status === 'error') && (
            <MoodPicker
              value={mood.current?.source === 'manual' ? mood.current.emotion : undefined}
              onPick={(picked) => moods.set(picked, 'manual')}
            />
          )}
        </section>
        <section className="card" aria-labelledby="now-title">
          <h2 id="now-title">Your mood now</h2>
          <p aria-live="polite">
            {mood.current === undefined ? (
              <span className="muted">Not detected yet.</span>
            ) : (
              <>
                <span className="mood-now" data-testid="current-mood">
                  {EMOTION_LABELS[mood.current.emotion]}
                </span>{' '}
                <span className="muted">({MOOD_SOURCE_WORDS[mood.current.source]})</span>
              </>
            )}
          </p>
          <EmotionBars probabilities={mood.current?.probabilities} />
          <p className="muted" role="status">
            {report.sentAt === undefined
              ? 'Nothing sent to the server yet.'
              : `Sent ${report.sent} encrypted mood reading${report.sent === 1 ? '' : 's'}; the last at ${new Date(report.sentAt).toLocaleTimeString()}.`}
          </p>
          {report.error !== undefined && (
            <p className="alert" role="alert">
              Your mood could not be saved: {describeError(report.error)}
            </p>
          )}
          <p>
            <a href="#/playlist">Get a playlist for this mood →</a>
          </p>
        </section>
      </div>
      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Mood timeline</h2>
        <MoodTimeline samples={mood.timeline} />
      </section>
    </>
  )
}
