// The Python side of the emotion model in `npm test`: training/smoke_test.py runs a one-batch
// training step, the exporter and the format checks on a handful of rows. It needs Debian's
// Python with PyTorch; say how to get it instead of failing with an import error.
import { spawnSync } from 'node:child_process'

const python = process.env.MOODLENS_PYTHON ?? '/usr/bin/python3'
const probe = spawnSync(python, ['-c', 'import torch, torchvision, numpy, PIL'], {
  stdio: 'ignore',
})
if (probe.status !== 0) {
  console.error(`
moodlens: the training tests need Python 3 with PyTorch at ${python}, and it is not there.

  On Debian:   sudo apt-get update && sudo apt-get install -y python3-torch python3-torchvision python3-numpy python3-pil
  Elsewhere:   point MOODLENS_PYTHON at a Python 3 that has torch, torchvision, numpy and pillow.
`)
  process.exit(1)
}
const result = spawnSync(python, ['training/smoke_test.py'], {
  stdio: 'inherit',
  env: { ...process.env, PYTHONUNBUFFERED: '1' },
})
process.exit(result.status ?? 1)
