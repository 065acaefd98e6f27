#!/usr/bin/env bash
# The project's three claims, end to end: runs every claims suite (each resumable) and writes docs/results.md from
# their outputs. The models they plan on must exist: scripts/train-claims-models.sh makes them (the reach and push
# JEPAs and the rover's level-0 models are shipped; the distractor and mover pairs are not).
# CPU, estimated from per-episode times on the project's 2-core machine (docs/results.md lists what each run took):
# hierarchy ~3.5 h, learned-flagship ~1.5 h, the reach and push suites well under an hour together.
#   scripts/run-claims.sh [OUT_DIR (default runs)]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs}"
suites=(claims-distractors claims-movers claims-learned-reach claims-learned-push hierarchy learned-flagship)
for suite in "${suites[@]}"; do
  npx itinera bench --suite "configs/bench/$suite.yaml" --out "$out/$suite" --workers 2 --resume
done
npm run -s results -- "${suites[@]/#/$out/}" > docs/results.md
