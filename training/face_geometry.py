#!/usr/bin/env python3
"""Where the eyes and mouth sit in FER2013's 48x48 crops (the basis of the preprocessing
contract in docs/model-card.md).

  /usr/bin/python3 training/face_geometry.py

Averages the Training faces and finds the darkest pixel of the mean face in three windows
(left eye, right eye, mouth), i.e. the centres of the dark eye and mouth regions.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from moodlens_train.data import load_fer  # noqa: E402

d = load_fer(log=lambda *_: None)
mean = d.pixels[d.split == 0].astype(np.float64).mean(0)
windows = {"left eye": (12, 24, 8, 22), "right eye": (12, 24, 26, 40), "mouth": (32, 44, 18, 30)}
pos = {}
for name, (r0, r1, c0, c1) in windows.items():
    sub = mean[r0:r1, c0:c1]
    r, c = np.unravel_index(sub.argmin(), sub.shape)
    pos[name] = (r0 + r, c0 + c)
    print(f"{name}: row {r0 + r}, column {c0 + c} (pixel centre at {(r0 + r + 0.5) / 48:.3f}, {(c0 + c + 0.5) / 48:.3f} of the side)")
(le, lc), (re_, rc) = pos["left eye"], pos["right eye"]
iod = rc - lc
eye_y = ((le + re_) / 2 + 0.5) / 48
print(f"eye line at {eye_y:.3f} of the side from the top; inter-ocular distance {iod} px = {iod / 48:.3f} of the side "
      f"-> side = {48 / iod:.2f} x inter-ocular distance; eye midpoint at x = {((lc + rc) / 2 + 0.5) / 48:.3f}")
