#!/usr/bin/env python3
"""Markdown tables for docs/model-card.md from the run logs and result files.

  /usr/bin/python3 training/report_tables.py > training/results/tables.md

Reads training/runs/*/metrics.jsonl (the per-epoch EMA metrics written by train.py) and
training/results/latency.json (benchmark_latency.py). Prints the training curve of the
main run and the trade-off table.
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def read_jsonl(p: Path) -> list[dict]:
    if not p.exists():
        return []
    return [json.loads(line) for line in p.read_text().splitlines() if line.strip()]


def main() -> None:
    runs = HERE / "runs"
    main_hist = read_jsonl(runs / "main" / "metrics.jsonl")
    # keep the last record per epoch (a resumed run may repeat an epoch)
    by_epoch = {}
    for r in main_hist:
        by_epoch[r["epoch"]] = r
    print("### Training curve of the shipped run (EMA weights, PublicTest, float32 checkpoint)\n")
    print("| epoch | train loss (soft CE) | lr at end | FER+ majority acc | FER2013 acc | train s | eval s |")
    print("|---|---|---|---|---|---|---|")
    for e in sorted(by_epoch):
        r = by_epoch[e]
        print(
            f"| {e} | {r['train_loss']:.4f} | {r['lr']:.2e} | {100 * r['ema']['ferplus_acc']:.2f}% | "
            f"{100 * r['ema']['fer2013_acc']:.2f}% | {r['train_s']:.0f} | {r['eval_s']:.0f} |"
        )
    tot = sum(r["train_s"] + r["eval_s"] for r in by_epoch.values())
    print(f"\nSum of per-epoch train + eval time: {tot / 60:.1f} min.\n")

    lat = {}
    lp = HERE / "results" / "latency.json"
    if lp.exists():
        for r in json.loads(lp.read_text())["rows"]:
            lat[(r["input"], r["width"], r["last_channels"], r["stem_stride"])] = r
    print("### Trade-off table\n")
    print(
        "| candidate | input | params | float16 export | MMACs | PyTorch CPU ms (1 thread) | "
        "FER+ acc, 3-epoch run | FER2013 acc, 3-epoch run | FER+ acc, shipped schedule |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    cmp = {}
    for d in sorted(runs.glob("cmp-*")):
        h = read_jsonl(d / "metrics.jsonl")
        if h:
            cmp[int(d.name.split("-")[1])] = h
    for key, r in lat.items():
        size, width, last, ss = key
        h = cmp.get(size) if (width, last, ss) == (1.0, 384, 2) else None
        done = h and len({x["epoch"] for x in h}) >= 3
        short_f = f"{100 * h[-1]['ema']['ferplus_acc']:.2f}%" if done else ("incomplete" if h else "not trained")
        short_o = f"{100 * h[-1]['ema']['fer2013_acc']:.2f}%" if done else ("incomplete" if h else "not trained")
        full = ""
        if (size, width, last, ss) == (64, 1.0, 384, 2) and by_epoch:
            full = f"{100 * by_epoch[max(by_epoch)]['ema']['ferplus_acc']:.2f}% (epoch {max(by_epoch)})"
        print(
            f"| {r['name']} | {size} | {r['params']:,} | {r['float16_bytes'] / 1e6:.2f} MB | {r['mmacs']} | "
            f"{r['latency_ms_1thread']} | {short_f} | {short_o} | {full or 'not trained'} |"
        )


if __name__ == "__main__":
    main()
