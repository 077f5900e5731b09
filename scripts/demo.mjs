// `npm start`: the end-to-end demo of what moodlens has today, on the built packages, offline.
// A real face (a crop of a public-domain photograph) goes through the shipped emotion model; the
// detected mood ranks the demo catalogue; feedback reshapes the ranking; and the mood travels to a
// "server" sealed with an ECDH session key, under a JWT whose roles are checked.
import { readFileSync } from 'node:fs'
import { createEmotionClassifier, EMOTIONS } from '@moodlens/core'
import {
  createKeyAgreement,
  decryptJson,
  defineRoles,
  deriveSessionKey,
  encryptJson,
} from '@moodlens/crypto'
import { createTokenService } from '@moodlens/crypto/jwt'
import {
  createCatalog,
  createMoodJourney,
  createTasteProfile,
  moodTarget,
  parseCatalogCsv,
  recommend,
  valenceArousal,
} from '@moodlens/recommender'

const root = new URL('..', import.meta.url)
const percent = (value) => `${(value * 100).toFixed(0).padStart(3)}%`
const heading = (text) => console.log(`\n\x1b[1m${text}\x1b[0m`)
const trackLine = (rec) =>
  `  ${rec.score.toFixed(3)}  ${rec.track.track_name} - ${rec.track.track_artist}`.slice(0, 96)

// 1. The catalogue the app brings.
const csv = readFileSync(new URL('examples/server/data/demo-catalogue.csv', root), 'utf8')
const { tracks, errors } = parseCatalogCsv(csv, { idColumn: 'track_id' })
const catalog = createCatalog(tracks)
heading('1. Catalogue')
console.log(
  `  ${catalog.size} tracks from examples/server/data/demo-catalogue.csv (${errors.length} bad rows), ` +
    `features: ${catalog.features.map((feature) => feature.name).join(', ')}`,
)

// 2. Faces to emotions with the shipped MobileNetV2 (face crops made by the model's exporter from
// public-domain photographs; face detection comes with the EmotionDetector).
heading('2. Emotions from faces (shipped model, TF.js wasm backend)')
const fixture = JSON.parse(
  readFileSync(new URL('packages/core/src/__tests__/fixtures/emotion-parity.json', root), 'utf8'),
)
const faces = fixture.cases.filter((face) =>
  /^(astronaut|grace_hopper)#0 scale 1\.2 shift \(0, 0\)$/.test(face.name),
)
const classifier = await createEmotionClassifier({ backend: 'wasm' })
const results = await classifier.classify(
  faces.map((face) => ({
    width: face.width,
    height: face.height,
    data: new Uint8Array(Buffer.from(face.pixels, 'base64')),
  })),
)
classifier.dispose()
for (const [i, result] of results.entries()) {
  const top = EMOTIONS.map((emotion) => [emotion, result.probabilities[emotion]])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([emotion, p]) => `${emotion} ${percent(p)}`)
    .join(', ')
  console.log(`  ${faces[i].name.split('#')[0].padEnd(13)} -> ${result.emotion} (${top})`)
}
const mood = results[0].probabilities
const { valence, arousal } = valenceArousal(mood)
console.log(`  first face: valence ${valence.toFixed(2)}, arousal ${arousal.toFixed(2)}`)

// 3. The mood ranks the catalogue.
heading('3. Playlist for that mood (cosine similarity, with MMR diversity)')
const target = moodTarget(mood)
for (const rec of recommend(catalog, target, { k: 6, diversity: { lambda: 0.7 } })) {
  console.log(trackLine(rec))
}

heading('   Why the first one? (explain: contribution of each feature to the score)')
const [explained] = recommend(catalog, target, { k: 1, explain: true })
for (const part of [...explained.explanation]
  .sort((a, b) => b.contribution - a.contribution)
  .slice(0, 4)) {
  console.log(
    `  ${part.feature.padEnd(16)} ${part.contribution >= 0 ? '+' : ''}${part.contribution.toFixed(3)}`,
  )
}

// 4. A journey from sad to happy (the iso principle).
heading('4. Journey from sad to happy, 6 steps')
for (const step of createMoodJourney(catalog, { from: 'sad', to: 'happy', length: 6 })) {
  console.log(
    `  ${percent(step.progress)} valence ${Number(step.track.valence).toFixed(2)} energy ` +
      `${Number(step.track.energy).toFixed(2)}  ${step.track.track_name} - ${step.track.track_artist}`.slice(
        0,
        90,
      ),
  )
}

// 5. Feedback: the listener likes calm acoustic tracks when sad.
heading('5. Taste profile: after liking three acoustic tracks while sad')
const taste = createTasteProfile()
const acoustic = tracks
  .filter((track) => track.acousticness > 0.8 && track.valence < 0.4)
  .slice(0, 3)
taste.learn(
  catalog,
  acoustic.map((track) => ({ trackId: track.id, signal: 'like', mood: 'sad' })),
)
const mean = (recs, feature) => recs.reduce((sum, rec) => sum + rec.track[feature], 0) / recs.length
const before = recommend(catalog, 'sad', { k: 20 })
const after = recommend(catalog, 'sad', { k: 20, profile: taste })
console.log(
  `  mean acousticness of the top 20 for 'sad': ${mean(before, 'acousticness').toFixed(2)} -> ` +
    `${mean(after, 'acousticness').toFixed(2)}`,
)

// 6. Privacy: only probabilities leave the device, sealed with an ECDH session key.
heading('6. The mood sent to a server: ECDH P-256 + HKDF session key, AES-256-GCM envelope, JWT')
const client = await createKeyAgreement()
const server = await createKeyAgreement()
const salt = crypto.getRandomValues(new Uint8Array(16))
const info = 'moodlens demo session'
const clientKey = await deriveSessionKey(client.privateKey, server.publicJwk, { salt, info })
const serverKey = await deriveSessionKey(server.privateKey, client.publicJwk, { salt, info })
const envelope = await encryptJson(clientKey, { probabilities: mood }, { aad: 'user-42' })
console.log(`  envelope: ${envelope.slice(0, 72)}...`)
const received = await decryptJson(serverKey, envelope, { aad: 'user-42' })
console.log(`  server decrypted: ${JSON.stringify(received.probabilities).slice(0, 72)}...`)

const tokens = createTokenService({
  alg: 'HS256',
  issuer: 'moodlens-demo',
  audience: 'moodlens-api',
  signingKey: { kid: 'demo', key: crypto.getRandomValues(new Uint8Array(32)) },
})
const policy = defineRoles({
  listener: ['moods:write', 'recommendations:read'],
  curator: { inherits: ['listener'], permissions: ['tracks:write'] },
  admin: ['*'],
})
const claims = await tokens.verify(await tokens.sign({ sub: 'user-42', roles: ['listener'] }))
console.log(
  `  token for ${claims.sub} (${claims.roles.join(', ')}): moods:write ${policy.can(claims.roles, 'moods:write')}, ` +
    `tracks:write ${policy.can(claims.roles, 'tracks:write')}`,
)
console.log('\nThe REST server and the web app come next (examples/server, examples/web).')
