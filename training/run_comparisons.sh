#!/bin/sh
# Short comparison runs for the trade-off table in docs/model-card.md (reduced schedule:
# 5 epochs, cosine set for 5 epochs, otherwise the shipped recipe). Run from the repo root:
#   sh training/run_comparisons.sh [PID_TO_WAIT_FOR]
# Each run logs to training/runs/cmp-*/log.txt.
set -e
if [ -n "$1" ]; then while kill -0 "$1" 2>/dev/null; do sleep 10; done; fi
PY=/usr/bin/python3
mkdir -p training/runs training/results
$PY training/benchmark_latency.py --out training/results/latency.json > training/runs/latency.log 2>&1
for S in 48 64 96; do
  mkdir -p training/runs/cmp-$S
  $PY training/train.py --config training/config.json --epochs 5 --input-size $S \
    --out training/runs/cmp-$S --resume >> training/runs/cmp-$S/log.txt 2>&1
done
