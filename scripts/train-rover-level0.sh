#!/usr/bin/env bash
# Trains the rover's level-0 JEPA (configs/train/rover-jepa.yaml) on rooms-v1 data that the hierarchical preset
# makes itself: rover-hierarchical on the simulator with coloured action noise (≤ 0.3 of each actuator's half range).
# Collection: 30,000 steps (30 episodes) took 18.5 min on the 2-core machine under other engineers' load;
# training: 6.1–6.7 min (load average 1–9 from other work), 16 min for a third of the data at load 12–14. Training
# twice on the same data gives an identical weights.bin. Not shipped: it does not plan rooms yet (0/5 development
# and 0/5 fresh seeds; see scripts/rover-level0-ranking.ts for how poorly it orders plans). Appending to an existing data/rover-level0 continues its stream (resumable).
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${STEPS:-30000}
OUT=${OUT:-runs/rover-level0}
npx itinera collect --sim rooms --planner rover-hierarchical --action-noise 0.3 --steps "$STEPS" --seed 1000 --out data/rover-level0
npx itinera train --data data/rover-level0 --config configs/train/rover-jepa.yaml --backend wasm --out "$OUT"
