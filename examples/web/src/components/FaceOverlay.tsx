import type { FaceEmotion } from '@moodlens/core'
import type { ReactElement } from 'react'
import { EMOTION_COLORS, EMOTION_LABELS } from '../emotionStyle.ts'

/**
 * Each face's box and emotion over the video. The SVG shares the video's coordinate system
 * (`viewBox` in video pixels, both letterboxed the same way), so boxes need no scaling; the video is
 * shown mirrored like a mirror, so boxes are mirrored too, but their labels are not.
 */
export function FaceOverlay({
  faces,
  width,
  height,
  mirrored,
}: {
  faces: readonly FaceEmotion[]
  width: number
  height: number
  mirrored: boolean
}): ReactElement | null {
  if (width === 0 || height === 0) return null
  const fontSize = Math.max(14, Math.round(height / 24))
  return (
    <svg
      className="face-overlay"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="xMidYMid meet"
      role="img"
      aria-label={
        faces.length === 0
          ? 'No face detected'
          : faces.map((face) => `${EMOTION_LABELS[face.emotion]} face`).join(', ')
      }
    >
      {faces.map((face, index) => {
        const x = mirrored ? width - face.box.x - face.box.width : face.box.x
        const color = EMOTION_COLORS[face.emotion]
        const label = `${EMOTION_LABELS[face.emotion]} ${Math.round(face.confidence * 100)}%`
        const labelY =
          face.box.y > fontSize * 1.6 ? face.box.y - fontSize * 0.5 : face.box.y + fontSize * 1.2
        return (
          <g key={index} data-testid="face-box" data-emotion={face.emotion}>
            <rect
              x={x}
              y={face.box.y}
              width={face.box.width}
              height={face.box.height}
              fill="none"
              stroke={color}
              strokeWidth={Math.max(2, fontSize / 6)}
              rx={6}
            />
            <rect
              x={x}
              y={labelY - fontSize}
              width={label.length * fontSize * 0.64 + fontSize * 0.6}
              height={fontSize * 1.3}
              fill={color}
              rx={4}
            />
            <text
              x={x + fontSize * 0.3}
              y={labelY}
              fill="#fff"
              fontSize={fontSize}
              fontWeight={600}
            >
              {label}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
