#!/usr/bin/env bash
# Trains the rover's level-0 JEPA (configs/train/rover-jepa.yaml) on rooms-v1 data that the hierarchical preset
# makes itself: rover-hierarchical on the simulator with coloured action noise (≤ 0.3 of each actuator's half range).
# Collection: 30,000 steps (30 episodes) took 18.5 min on the 2-core machine under other engineers' load;
# training: 6.1 min with the machine nearly idle, 16 min for a third of the data under load ~12. Rerunning with
# the same data and config gives an identical weights.bin. Not shipped: it does not plan rooms yet (see
# scripts/rover-level0-ranking.ts). Appending to an existing data/rover-level0 continues its stream (resumable).
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${STEPS:-30000}
OUT=${OUT:-runs/rover-level0}
npx itinera collect --sim rooms --planner rover-hierarchical --action-noise 0.3 --steps "$STEPS" --seed 1000 --out data/rover-level0
npx itinera train --data data/rover-level0 --config configs/train/rover-jepa.yaml --backend wasm --out "$OUT"
