#!/bin/sh
# Short comparison runs for the trade-off table in docs/model-card.md: 3 epochs each, cosine
# set for 3 epochs, otherwise the shipped recipe (training/config.json). Run from the repo root:
#   sh training/run_comparisons.sh
# They ran at nice 19 beside the main run, on the CPU time it left idle. Each run logs to
# training/runs/cmp-SIZE/log.txt and training/runs/cmp-SIZE/metrics.jsonl.
set -e
PY=/usr/bin/python3
mkdir -p training/runs
for S in 48 64 96; do
  mkdir -p training/runs/cmp-$S
  nice -n 19 $PY training/train.py --config training/config.json --epochs 3 --input-size $S \
    --out training/runs/cmp-$S --resume >> training/runs/cmp-$S/log.txt 2>&1
done
