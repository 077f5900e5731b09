#!/usr/bin/env python3
"""Export a training checkpoint (EMA weights) to packages/core/models/emotion/ and write the
TypeScript parity fixture.

  /usr/bin/python3 training/export.py --ckpt training/runs/main/best.pt \
      [--metrics training/results/eval.json]

Steps: fold BN, round to float16, write model.json + weights.bin, validate them against
the format (graph.check_export), re-run the graph from the files with two independent
executors (PyTorch float32, NumPy float64) and compare with the PyTorch training model,
then write packages/core/src/__tests__/fixtures/emotion-parity.json, whose images are
crops of the public-domain photos in ../shared/data/faces/ plus seeded synthetic images
(never FER2013 pixels).
"""
from __future__ import annotations

import argparse
import base64
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from moodlens_train.data import DEFAULT_DATA  # noqa: E402
from moodlens_train.graph import TorchGraph, check_export, numpy_forward, read_export, write_export  # noqa: E402
from moodlens_train.model import MobileNetV2Grey  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "packages" / "core" / "models" / "emotion"
DEFAULT_FIXTURE = ROOT / "packages" / "core" / "src" / "__tests__" / "fixtures" / "emotion-parity.json"

# Hand-measured face boxes (x0, y0, x1, y1) in the original photos, eyebrows-to-chin,
# ear-to-ear, roughly what a face detector returns.
FACE_BOXES = {
    "astronaut.png": [(178, 72, 272, 170)],
    "grace_hopper.jpg": [(170, 140, 352, 330)],
    "solvay_1927.jpg": [(595, 255, 660, 337), (487, 195, 548, 275)],
}
CROP_SCALE = 1.2  # the preprocessing contract (docs/model-card.md): square side = 1.2 x max(w, h) of the face box


def luma_bt601(img: Image.Image) -> np.ndarray:
    """RGB -> grey, BT.601 luma (0.299 R + 0.587 G + 0.114 B), rounded to uint8."""
    a = np.asarray(img.convert("RGB"), dtype=np.float64)
    y = a[..., 0] * 0.299 + a[..., 1] * 0.587 + a[..., 2] * 0.114
    return np.clip(np.rint(y), 0, 255).astype(np.uint8)


def square_crop(grey: np.ndarray, box, scale: float, dx: float = 0.0, dy: float = 0.0, size: int = 64) -> np.ndarray:
    """Square crop centred on the box (shifted by dx, dy in units of the side), side = scale *
    max(w, h), zero outside the image, bilinear resize to size x size."""
    x0, y0, x1, y1 = box
    side = scale * max(x1 - x0, y1 - y0)
    cx, cy = (x0 + x1) / 2 + dx * side, (y0 + y1) / 2 + dy * side
    im = Image.fromarray(grey)
    crop = im.transform(
        (size, size),
        Image.EXTENT,
        (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2),
        resample=Image.BILINEAR,
    )
    return np.asarray(crop, dtype=np.uint8)


def fixture_images(size: int, data_dir: Path) -> list[tuple[str, np.ndarray]]:
    cases = []
    for fname, boxes in FACE_BOXES.items():
        grey = luma_bt601(Image.open(data_dir / "faces" / fname))
        for bi, box in enumerate(boxes):
            variants = [(CROP_SCALE, 0, 0)]
            if bi == 0:
                variants += [(1.0, 0, 0), (1.5, 0, 0), (CROP_SCALE, 0.1, 0), (CROP_SCALE, 0, -0.1)]
            for sc, dx, dy in variants:
                name = f"{fname.split('.')[0]}#{bi} scale {sc} shift ({dx}, {dy})"
                cases.append((name, square_crop(grey, box, sc, dx, dy, size)))
        if fname == "astronaut.png":
            flipped = square_crop(grey, boxes[0], CROP_SCALE, 0, 0, size)[:, ::-1]
            cases.append((f"astronaut#0 scale {CROP_SCALE} mirrored", np.ascontiguousarray(flipped)))
    rng = np.random.default_rng(20261125)
    cases.append(("uniform noise (seed 20261125)", rng.integers(0, 256, (size, size), dtype=np.uint8)))
    yy, xx = np.mgrid[0:size, 0:size]
    cases.append(("horizontal gradient", np.round(xx * 255.0 / (size - 1)).astype(np.uint8)))
    cases.append(("vertical gradient", np.round(yy * 255.0 / (size - 1)).astype(np.uint8)))
    cases.append(("all black", np.zeros((size, size), np.uint8)))
    cases.append(("all white", np.full((size, size), 255, np.uint8)))
    cases.append(("checkerboard 8px", (((yy // 8 + xx // 8) % 2) * 255).astype(np.uint8)))
    return cases


def git_commit() -> str:
    try:
        c = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "training"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        return c + (" (training/ had uncommitted changes)" if dirty else "")
    except Exception as e:  # noqa: BLE001
        return f"unknown ({e})"


def load_checkpoint(path: str | Path, weights: str = "ema") -> tuple[MobileNetV2Grey, dict, dict]:
    """weights: 'ema' (shipped) or 'raw' (the optimiser's weights; only in last.pt)."""
    ck = torch.load(path, map_location="cpu")
    model = MobileNetV2Grey(**ck["model_config"])
    model.load_state_dict(ck["ema"] if weights == "ema" else ck["model"])
    model.eval()
    return model, ck["cfg"], ck


def export(
    model: MobileNetV2Grey,
    cfg: dict,
    out_dir: Path,
    fixture: Path | None,
    data_dir: Path,
    training_info: dict,
    log=print,
) -> dict:
    size = int(cfg["input_size"])
    rep = write_export(model, size, out_dir, training_info)
    rep["check"] = check_export(out_dir)
    doc, weights = read_export(out_dir)
    tg = TorchGraph(doc, weights)
    cases = fixture_images(size, data_dir)
    u8 = torch.from_numpy(np.stack([c[1] for c in cases]))
    x = tg.normalise(u8)
    logits_graph = tg(x).double().numpy()
    with torch.no_grad():
        logits_model = model(x.contiguous()).double().numpy()
    logits_np = numpy_forward(doc, weights, x.permute(0, 2, 3, 1).double().numpy())
    rep["parity"] = {
        "graph_vs_numpy_max_abs": float(np.abs(logits_graph - logits_np).max()),
        "graph_vs_training_model_max_abs (float16 rounding)": float(np.abs(logits_graph - logits_model).max()),
        "argmax_agreement_graph_vs_model": float((logits_graph.argmax(1) == logits_model.argmax(1)).mean()),
    }
    log(f"[export] {json.dumps(rep)}")
    if rep["parity"]["graph_vs_numpy_max_abs"] > 1e-3:
        raise AssertionError("NumPy and PyTorch executors of the exported graph disagree")
    if fixture is not None:
        fixture.parent.mkdir(parents=True, exist_ok=True)
        fx = {
            "description": (
                "Parity cases for the exported emotion model: expected logits come from the PyTorch executor "
                "of model.json + weights.bin (folded, float16-rounded weights, float32 arithmetic). Images: "
                "square crops (BT.601 luma, PIL bilinear) of the public-domain photos in ../shared/data/faces/ "
                "and seeded synthetic images. Generated by training/export.py; regenerate with it whenever the "
                "weights change."
            ),
            "inputSize": size,
            "labels": doc["labels"],
            "tolerance": {"note": "both sides run float32 arithmetic on the same float16-rounded weights", "logitsAbs": 1e-3},
            "cases": [
                {
                    "name": name,
                    "width": size,
                    "height": size,
                    "pixels": base64.b64encode(img.tobytes()).decode(),
                    "logits": [round(float(v), 6) for v in lg],
                }
                for (name, img), lg in zip(cases, logits_graph)
            ],
        }
        fixture.write_text(json.dumps(fx, indent=1) + "\n")
        rep["fixture_cases"] = len(cases)
    return rep


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", required=True)
    p.add_argument("--out", default=str(DEFAULT_OUT))
    p.add_argument("--fixture", default=str(DEFAULT_FIXTURE), help="'' to skip")
    p.add_argument("--data", default=str(DEFAULT_DATA))
    p.add_argument("--metrics", default=None, help="evaluation JSON (evaluate.py) to embed under 'training'")
    a = p.parse_args(argv)
    torch.set_num_threads(2)
    model, cfg, ck = load_checkpoint(a.ckpt)
    info = {
        "recipe": "training/README.md",
        "codeCommit": git_commit(),
        "checkpoint": {"epoch": ck.get("epoch"), "weights": "EMA"},
        "config": cfg,
        "data": "FER2013 Training split with FER+ vote distributions as targets; PublicTest for validation",
    }
    if a.metrics:
        m = json.loads(Path(a.metrics).read_text())
        info["metricsPublicTest"] = m.get("summary", m)
    export(model, cfg, Path(a.out), Path(a.fixture) if a.fixture else None, Path(a.data), info)


if __name__ == "__main__":
    main()
