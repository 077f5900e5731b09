// The peers take a TF.js tensor in Node (they have no decoder of their own), so the bench hands
// each one the same RGBA frame turned into an int32 [height, width, 3] tensor, inside the timed
// call: that is a Node user's end-to-end cost, as moodlens' own time includes reading the frame.

/** Builds the `[height, width, 3]` int32 tensor of an RGBA image; the caller disposes it. */
export function rgbaToTensor(tf, { width, height, data }) {
  const rgb = new Int32Array(width * height * 3)
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgb[i] = data[j]
    rgb[i + 1] = data[j + 1]
    rgb[i + 2] = data[j + 2]
  }
  return tf.tensor3d(rgb, [height, width, 3], 'int32')
}
