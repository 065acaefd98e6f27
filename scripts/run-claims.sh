#!/usr/bin/env bash
# The project's three claims, end to end: runs every claims suite (each resumable) and writes docs/results.md from
# their outputs. The models they plan on must exist: scripts/train-claims-models.sh makes them (of these, only the
# rover's level-0 models are shipped).
# CPU, estimated from per-episode wall times of earlier runs of the same cells on the busy 2-core machine (not from a
# full run of this script): hierarchy ~3.5 h (its header); learned-flagship ~3.2 h (rooms ~50 s an episode, commute
# 110–160 s, elevator-out 35–195 s); push on the simulator 30–40 s an episode (~35 steps at ~0.8 s a plan), reach
# seconds; the distractor and mover suites 100 learned reach episodes each, minutes. About 7 h of CPU in all, ~4 h
# with --workers 2 on an otherwise idle machine, plus ~10–20 min of training per model. docs/results.md states what
# each run took (episode wall time summed per suite).
#   scripts/run-claims.sh [OUT_DIR (default runs)]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs}"
suites=(claims-distractors claims-movers claims-learned-reach claims-learned-push hierarchy learned-flagship)
for suite in "${suites[@]}"; do
  npx itinera bench --suite "configs/bench/$suite.yaml" --out "$out/$suite" --workers 2 --resume
done
npm run -s results -- "${suites[@]/#/$out/}" > docs/results.md
