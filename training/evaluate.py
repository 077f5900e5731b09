#!/usr/bin/env python3
"""Evaluate the exported emotion model (model.json + weights.bin, i.e. exactly the shipped,
BN-folded, float16-rounded weights) on FER2013 PublicTest.

  /usr/bin/python3 training/evaluate.py [--model packages/core/models/emotion] \
      [--out training/results/eval] [--int8]
  /usr/bin/python3 training/evaluate.py --ckpt training/runs/main/best.pt ...  # a checkpoint instead

Writes OUT.json and OUT.md with:
- FER+ majority accuracy: faces whose seven emotion vote counts have a unique maximum
  (the primary metric); also the FER+-paper variant (unique maximum over all ten columns,
  which must be an emotion) for comparison with the literature;
- FER2013-label accuracy of the same predictions;
- per-class precision/recall/F1 and confusion matrices for both label sets;
- expected calibration error (15 equal-width confidence bins, top-1 confidence);
- the same with horizontal-flip test-time augmentation (mean of the two softmaxes),
  reported separately;
- optionally (--int8) the accuracy of the same graph with per-output-channel symmetric
  int8 weights (simulated: weights quantised and dequantised), to decide on int8.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from moodlens_train.augment import to_input  # noqa: E402
from moodlens_train.data import DEFAULT_DATA, ferplus_majority, ferplus_majority10, load_fer  # noqa: E402
from moodlens_train.graph import TorchGraph, read_export  # noqa: E402
from moodlens_train.model import LABELS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def per_class(pred: np.ndarray, y: np.ndarray, k: int = 7) -> dict:
    cm = np.zeros((k, k), np.int64)
    np.add.at(cm, (y, pred), 1)
    rows = []
    for c in range(k):
        tp = cm[c, c]
        # zero_division = 0: a class never predicted has precision 0 (and F1 0)
        prec = tp / cm[:, c].sum() if cm[:, c].sum() else 0.0
        rec = tp / cm[c, :].sum() if cm[c, :].sum() else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
        rows.append({"label": LABELS[c], "precision": float(prec), "recall": float(rec), "f1": float(f1), "support": int(cm[c, :].sum())})
    return {"per_class": rows, "macro_f1": float(np.mean([r["f1"] for r in rows])), "confusion": cm.tolist()}


def ece(probs: np.ndarray, y: np.ndarray, bins: int = 15) -> float:
    conf = probs.max(1)
    correct = probs.argmax(1) == y
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(total)


def metrics(logits_or_probs: np.ndarray, votes, other_votes, fer_label, is_probs=False) -> dict:
    probs = logits_or_probs if is_probs else softmax(logits_or_probs)
    pred = probs.argmax(1)
    maj = ferplus_majority(votes)
    m = maj >= 0
    maj10 = ferplus_majority10(votes, other_votes)
    m10 = maj10 >= 0
    vs = votes.sum(1, keepdims=True)
    has = vs[:, 0] > 0
    dist = votes[has] / vs[has]
    ce_votes = float(-(dist * np.log(np.clip(probs[has], 1e-12, 1))).sum(1).mean())
    return {
        "ferplus_majority": {
            "definition": "unique maximum among the seven emotion vote counts",
            "n": int(m.sum()),
            "accuracy": float((pred[m] == maj[m]).mean()),
            "ece_15": ece(probs[m], maj[m]),
            "mean_confidence": float(probs[m].max(1).mean()),
            **per_class(pred[m], maj[m]),
        },
        "ferplus_majority_10col": {
            "definition": "unique maximum over all ten FER+ columns, kept when it is an emotion (FER+ paper style)",
            "n": int(m10.sum()),
            "accuracy": float((pred[m10] == maj10[m10]).mean()),
        },
        "fer2013": {
            "definition": "FER2013's original single label",
            "n": int(len(pred)),
            "accuracy": float((pred == fer_label).mean()),
            "ece_15": ece(probs, fer_label),
            "mean_confidence": float(probs.max(1).mean()),
            **per_class(pred, fer_label),
        },
        "cross_entropy_vs_ferplus_votes": ce_votes,
    }


def quantise_int8(weights: dict[str, np.ndarray], doc: dict) -> dict[str, np.ndarray]:
    """Symmetric per-output-channel int8 (dequantised back to float32); biases unchanged."""
    out = dict(weights)
    for nd in doc["graph"]:
        if "weights" not in nd:
            continue
        key = nd["weights"].get("filter") or nd["weights"].get("kernel")
        w = weights[key].astype(np.float64)
        axis = 2 if nd["op"] == "depthwiseConv2d" else w.ndim - 1  # output-channel axis
        red = tuple(i for i in range(w.ndim) if i != axis)
        s = np.abs(w).max(axis=red, keepdims=True) / 127.0
        s[s == 0] = 1.0
        out[key] = (np.clip(np.rint(w / s), -127, 127) * s).astype(np.float32)
    return out


@torch.no_grad()
def run_graph(tg: TorchGraph, pixels: np.ndarray, size: int, flip: bool, batch: int = 500) -> np.ndarray:
    res = []
    for i in range(0, len(pixels), batch):
        x = to_input(torch.from_numpy(pixels[i : i + batch]), size)
        if flip:
            x = torch.flip(x, dims=[3])
        res.append(tg(x).double().numpy())
    return np.concatenate(res)


def fmt_pct(v: float) -> str:
    return f"{100 * v:.2f}%"


def markdown(res: dict) -> str:
    s = res["single"]
    L = []
    L.append(f"Model: `{res['model']}` ({res['size']['total_bytes']:,} bytes, {res['size']['params']:,} parameters)  ")
    L.append(f"Data: FER2013 PublicTest, {res['data']['publictest_faces']} faces with pixels  ")
    L.append(f"Command: `{res['command']}`\n")
    L.append("| metric | single model | horizontal-flip TTA |")
    L.append("|---|---|---|")
    t = res["flip_tta"]
    L.append(f"| FER+ majority accuracy (7-way unique max, n={s['ferplus_majority']['n']}) | {fmt_pct(s['ferplus_majority']['accuracy'])} | {fmt_pct(t['ferplus_majority']['accuracy'])} |")
    L.append(f"| FER+ majority accuracy, paper-style 10-column majority (n={s['ferplus_majority_10col']['n']}) | {fmt_pct(s['ferplus_majority_10col']['accuracy'])} | {fmt_pct(t['ferplus_majority_10col']['accuracy'])} |")
    L.append(f"| FER2013-label accuracy (n={s['fer2013']['n']}) | {fmt_pct(s['fer2013']['accuracy'])} | {fmt_pct(t['fer2013']['accuracy'])} |")
    L.append(f"| FER+ macro F1 | {s['ferplus_majority']['macro_f1']:.3f} | {t['ferplus_majority']['macro_f1']:.3f} |")
    L.append(f"| FER2013 macro F1 | {s['fer2013']['macro_f1']:.3f} | {t['fer2013']['macro_f1']:.3f} |")
    L.append(f"| ECE (15 bins) vs FER+ majority | {s['ferplus_majority']['ece_15']:.4f} | {t['ferplus_majority']['ece_15']:.4f} |")
    L.append(f"| ECE (15 bins) vs FER2013 label | {s['fer2013']['ece_15']:.4f} | {t['fer2013']['ece_15']:.4f} |")
    L.append(f"| mean top-1 confidence (FER+ majority faces) | {s['ferplus_majority']['mean_confidence']:.4f} | {t['ferplus_majority']['mean_confidence']:.4f} |")
    L.append(f"| cross-entropy vs FER+ vote distribution | {s['cross_entropy_vs_ferplus_votes']:.4f} | {t['cross_entropy_vs_ferplus_votes']:.4f} |")
    if "int8" in res:
        q = res["int8"]
        L.append(f"| FER+ majority accuracy, simulated per-channel int8 weights | {fmt_pct(q['ferplus_majority']['accuracy'])} | |")
        L.append(f"| FER2013-label accuracy, simulated per-channel int8 weights | {fmt_pct(q['fer2013']['accuracy'])} | |")
    for key, title in (("ferplus_majority", "FER+ majority labels"), ("fer2013", "FER2013 labels")):
        m = s[key]
        L.append(f"\n#### Per class, {title} (single model)\n")
        L.append("| class | precision | recall | F1 | support |")
        L.append("|---|---|---|---|---|")
        for r in m["per_class"]:
            L.append(f"| {r['label']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['support']} |")
        L.append(f"\nConfusion matrix, {title} (rows: true, columns: predicted)\n")
        L.append("| true \\ pred | " + " | ".join(LABELS) + " |")
        L.append("|---" * (len(LABELS) + 1) + "|")
        for lab, row in zip(LABELS, m["confusion"]):
            L.append(f"| {lab} | " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(L) + "\n"


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=str(ROOT / "packages" / "core" / "models" / "emotion"))
    p.add_argument("--ckpt", default=None, help="evaluate a training checkpoint's EMA weights (exported to a temp dir first)")
    p.add_argument("--weights", choices=["ema", "raw"], default="ema", help="with --ckpt: EMA or raw weights")
    p.add_argument("--data", default=str(DEFAULT_DATA))
    p.add_argument("--out", default=str(ROOT / "training" / "results" / "eval"))
    p.add_argument("--int8", action="store_true")
    p.add_argument("--max-rows", type=int, default=0, help="first N PublicTest faces only (tests)")
    a = p.parse_args(argv)
    torch.set_num_threads(2)
    t0 = time.time()
    model_dir = Path(a.model)
    if a.ckpt:
        import tempfile

        from moodlens_train.graph import write_export
        from export import load_checkpoint

        model, cfg, _ = load_checkpoint(a.ckpt, a.weights)
        model_dir = Path(tempfile.mkdtemp(prefix="moodlens-eval-"))
        write_export(model, int(cfg["input_size"]), model_dir)
    doc, weights = read_export(model_dir)
    size = doc["inputSize"]
    tg = TorchGraph(doc, weights)
    data = load_fer(a.data, log=lambda *_: None)
    val = data.subset(data.split == 1)
    if a.max_rows:
        val = val.subset(np.arange(len(val.row)) < a.max_rows)
    lg = run_graph(tg, val.pixels, size, False)
    lgf = run_graph(tg, val.pixels, size, True)
    res = {
        "model": str(a.ckpt or model_dir),
        "command": "/usr/bin/python3 " + " ".join([Path(sys.argv[0]).as_posix()] + (argv if argv is not None else sys.argv[1:])),
        "size": {
            "total_bytes": (model_dir / "model.json").stat().st_size + (model_dir / "weights.bin").stat().st_size,
            "weights_bytes": (model_dir / "weights.bin").stat().st_size,
            "params": int(sum(v.size for v in weights.values())),
            "input_size": size,
        },
        "data": {"publictest_faces": int(len(val.row)), "loader_report": {k: data.report[k] for k in ("rows", "skipped_empty_pixels", "malformed_total")}},
        "single": metrics(lg, val.votes, val.other_votes, val.fer_label),
        "flip_tta": metrics((softmax(lg) + softmax(lgf)) / 2, val.votes, val.other_votes, val.fer_label, is_probs=True),
    }
    if a.int8:
        tq = TorchGraph(doc, quantise_int8(weights, doc))
        res["int8"] = metrics(run_graph(tq, val.pixels, size, False), val.votes, val.other_votes, val.fer_label)
        res["int8"]["note"] = "simulated symmetric per-output-channel int8 weights, float activations"
    res["summary"] = {
        "split": "FER2013 PublicTest",
        "ferplusMajorityAccuracy": res["single"]["ferplus_majority"]["accuracy"],
        "ferplusMajorityN": res["single"]["ferplus_majority"]["n"],
        "fer2013Accuracy": res["single"]["fer2013"]["accuracy"],
        "ferplusMajorityAccuracyFlipTTA": res["flip_tta"]["ferplus_majority"]["accuracy"],
        "fer2013AccuracyFlipTTA": res["flip_tta"]["fer2013"]["accuracy"],
        "ece15FerplusMajority": res["single"]["ferplus_majority"]["ece_15"],
        "ece15Fer2013": res["single"]["fer2013"]["ece_15"],
        "evaluatedOn": "the exported float16 weights" if not a.ckpt else f"checkpoint {a.weights} weights, BN folded, float16",
        "command": res["command"],
    }
    res["seconds"] = round(time.time() - t0, 1)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(res, indent=1) + "\n")
    out.with_suffix(".md").write_text(markdown(res))
    print(markdown(res))
    return res


if __name__ == "__main__":
    main()
