#!/usr/bin/env python3
"""Size, multiply-accumulates and PyTorch CPU latency of candidate architectures.

  /usr/bin/python3 training/benchmark_latency.py [--out training/results/latency.json]
      [--tfjs-dir training/runs/candidates]

Latency here is PyTorch 1.13 on this machine's CPU (eval mode, BN folded, batch 1,
channels-last, median of N runs after warm-up), useful only to rank the candidates; the
latency of the shipped model in TF.js per backend is measured on the TypeScript side.
Weights are random: latency and size do not depend on their values.
With --tfjs-dir each candidate's TF.js export is kept in DIR/<slug>/ (model.json + weights.bin)
for packages/core/bench/candidates.mjs, which measures their TF.js latency; DIR/candidates.json
lists them in order.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from moodlens_train.graph import TorchGraph, read_export, write_export  # noqa: E402
from moodlens_train.model import MobileNetV2Grey  # noqa: E402

CANDIDATES = [
    # name, input size, width, last_channels, stem stride, first block stride
    ("48px, standard strides", 48, 1.0, 384, 2, 2),
    ("64px, standard strides (shipped)", 64, 1.0, 384, 2, 2),
    ("96px, standard strides", 96, 1.0, 384, 2, 2),
    ("48px, stem stride 1", 48, 1.0, 384, 1, 2),
    ("64px, last conv 1280 (ImageNet head)", 64, 1.0, 1280, 2, 2),
    ("64px, no last 1x1 conv", 64, 1.0, 0, 2, 2),
    ("64px, width 0.75, last conv 1280", 64, 0.75, 1280, 2, 2),
]


def slug(name: str) -> str:
    """Folder name of a candidate's export: "64px, no last 1x1 conv" -> "64px-no-last-1x1-conv"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def macs(doc: dict, weights: dict) -> int:
    S = doc["inputSize"]
    shapes = {"input": (S, S, 1)}
    total = 0
    for nd in doc["graph"]:
        if nd["op"] in ("conv2d", "depthwiseConv2d"):
            h, w, c = shapes[nd["inputs"][0]]
            f = weights[nd["weights"]["filter"]]
            t, b, l, r = nd["pad"]
            s = nd["strides"]
            oh, ow = (h + t + b - f.shape[0]) // s + 1, (w + l + r - f.shape[1]) // s + 1
            cout = f.shape[3] if nd["op"] == "conv2d" else c
            total += oh * ow * int(np.prod(f.shape))
            shapes[nd["output"]] = (oh, ow, cout)
        elif nd["op"] == "add":
            shapes[nd["output"]] = shapes[nd["inputs"][0]]
        elif nd["op"] == "globalAveragePool":
            shapes[nd["output"]] = (shapes[nd["inputs"][0]][2],)
        elif nd["op"] == "dense":
            k = weights[nd["weights"]["kernel"]]
            total += int(np.prod(k.shape))
            shapes[nd["output"]] = (k.shape[1],)
    return total


@torch.no_grad()
def latency(model: torch.nn.Module, size: int, threads: int, runs: int) -> float:
    torch.set_num_threads(threads)
    x = torch.zeros(1, 1, size, size).contiguous(memory_format=torch.channels_last)
    for _ in range(10):
        model(x)
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        model(x)
        ts.append(time.perf_counter() - t)
    return float(np.median(ts) * 1000)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=str(Path(__file__).resolve().parent / "results" / "latency.json"))
    p.add_argument("--runs", type=int, default=100)
    p.add_argument("--tfjs-dir", default=None, help="keep each candidate's TF.js export in DIR/<slug>/")
    p.add_argument("--skip-torch-latency", action="store_true", help="only export (with --tfjs-dir); keep --out as is")
    a = p.parse_args(argv)
    if a.skip_torch_latency and not a.tfjs_dir:
        p.error("--skip-torch-latency only makes sense with --tfjs-dir")
    tfjs_dir = Path(a.tfjs_dir) if a.tfjs_dir else None
    torch.manual_seed(0)
    rows = []
    for name, size, width, last, ss, fs in CANDIDATES:
        m = MobileNetV2Grey(width=width, last_channels=last, stem_stride=ss, first_block_stride=fs).eval()
        if tfjs_dir is not None:
            export_dir = tfjs_dir / slug(name)
            rep = write_export(m, size, export_dir)
            doc, w = read_export(export_dir)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                rep = write_export(m, size, tmp)
                doc, w = read_export(tmp)
        tg = TorchGraph(doc, w).eval()  # folded graph, as shipped
        tg_cl = tg
        row = {
            "name": name,
            "input": size,
            "width": width,
            "last_channels": last,
            "stem_stride": ss,
            "params": rep["params"],
            "float16_bytes": rep["total_bytes"],
            "mmacs": round(macs(doc, w) / 1e6, 1),
        }
        if tfjs_dir is not None:
            row["slug"] = slug(name)
        if not a.skip_torch_latency:
            row["latency_ms_1thread"] = round(latency(tg_cl, size, 1, a.runs), 2)
            row["latency_ms_2threads"] = round(latency(tg_cl, size, 2, a.runs), 2)
        print(json.dumps(row), flush=True)
        rows.append(row)
    if tfjs_dir is not None:
        (tfjs_dir / "candidates.json").write_text(json.dumps({"rows": rows}, indent=1) + "\n")
    if a.skip_torch_latency:
        return
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"note": __doc__.strip().splitlines()[0], "torch": torch.__version__, "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
