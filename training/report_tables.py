#!/usr/bin/env python3
"""Markdown tables for docs/model-card.md from the run logs and result files.

  /usr/bin/python3 training/report_tables.py > training/results/tables.md

Reads training/runs/*/metrics.jsonl (the per-epoch EMA metrics written by train.py) and
training/results/latency.json (benchmark_latency.py). Prints the training curves of the
first run (runs/main), of the second stage (runs/stage2, a warm restart from runs/main's
best EMA weights) and of the third stage (runs/stage3, a self-distilled warm restart from
runs/stage2's best EMA weights) and the trade-off table (all pasted into the model card).
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
    by_epoch = curve(runs, "main", "Training curve of stage 1 (runs/main)")
    curve(runs, "stage2", "Training curve of stage 2 (runs/stage2)")
    curve(runs, "stage3", "Training curve of stage 3 (runs/stage3, self-distilled, the shipped weights)")
    print(tradeoff_table(runs, by_epoch))


def curve(runs: Path, name: str, title: str) -> dict:
    """Print one run's per-epoch table (EMA weights, PublicTest, float32 checkpoint)."""
    # keep the last record per epoch (a resumed run may repeat an epoch)
    by_epoch = {}
    for r in read_jsonl(runs / name / "metrics.jsonl"):
        by_epoch[r["epoch"]] = r
    if not by_epoch:
        return by_epoch
    print(f"### {title} (EMA weights, PublicTest, float32 checkpoint)\n")
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
    return by_epoch


def tradeoff_table(runs: Path, main: dict) -> str:
    """The model card's trade-off table: latency.json rows + the comparison runs' EMA metrics."""

    def hist(d: str) -> dict:
        return {r["epoch"]: r for r in read_jsonl(runs / d / "metrics.jsonl")}

    def pct(x: float) -> str:
        return f"{100 * x:.1f} %"

    def cell(h: dict, n: int) -> str:
        if not h:
            return "not run (time)"
        if n - 1 in h:
            return f"{pct(h[n - 1]['ema']['ferplus_acc'])} / {pct(h[n - 1]['ema']['fer2013_acc'])}"
        last = max(h)
        return f"incomplete: {pct(h[last]['ema']['ferplus_acc'])} FER+ after epoch {last} of {n}"

    lp = HERE / "results" / "latency.json"
    rows = json.loads(lp.read_text())["rows"] if lp.exists() else []
    out = [
        "| candidate | MMACs | params | float16 export | PyTorch CPU ms, 1 / 2 threads | "
        "FER+ acc after epoch 0 (same warm-up in every run) | FER+ / FER2013 acc, 3-epoch run | "
        "FER+ / FER2013 acc, 6-epoch run | FER+ / FER2013 acc, 20-epoch run |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        size = r["input"]
        trained = (r["width"], r["last_channels"], r["stem_stride"]) == (1.0, 384, 2)
        if trained:
            h3, h6 = hist(f"cmp-{size}"), hist(f"cmp6-{size}")
            e0 = h3.get(0) or h6.get(0)
            e0s = pct(e0["ema"]["ferplus_acc"]) if e0 else "not run"
            c20 = "not run (time)"
            if size == 64 and main:
                last = main[max(main)]
                c20 = f"{pct(last['ema']['ferplus_acc'])} / {pct(last['ema']['fer2013_acc'])} (stage 1 of the shipped model)"
            cells = [e0s, cell(h3, 3), cell(h6, 6), c20]
        else:
            cells = ["not trained"] * 4
        out.append(
            f"| {r['name']} | {r['mmacs']} | {r['params']:,} | {r['float16_bytes'] / 1e6:.2f} MB | "
            f"{r['latency_ms_1thread']} / {r['latency_ms_2threads']} | " + " | ".join(cells) + " |"
        )
    return "\n".join(out)


if __name__ == "__main__":
    main()
