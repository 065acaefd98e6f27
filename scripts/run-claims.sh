#!/usr/bin/env bash
# The project's three claims, end to end: runs configs/bench/claims.yaml (every claims suite in one resumable run) and
# writes docs/results.md from its output. The models they plan on must exist: the shipped ones (models/) or
# scripts/train-claims-models.sh's remakes. docs/results.md states the CPU each part took.
#   scripts/run-claims.sh [OUT_DIR (default runs/claims)]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/claims}"
npx itinera bench --suite configs/bench/claims.yaml --out "$out" --workers 2 --resume
npm run -s results -- "$out" > docs/results.md
