#!/usr/bin/env bash
# Makes the rover's shipped level-0 JEPAs again (models/rover-level0-rooms, models/rover-level0-commute): data from the
# hierarchical preset itself on the simulator with coloured action noise (≤ 0.3 of each actuator's half range), then
# configs/train/rover-jepa.yaml / rover-jepa-commute.yaml (windows and plans seen from the rover's own pose).
# Measured on the 2-core machine with other work running: rooms collection 31,000 steps ~6 min, training 4.7–6.2 min;
# commute collection 32,000 steps ~7 min, training ~14 min (load average 3). Training twice on the same data gives an
# identical weights.bin. Appending to an existing data/rover-level0-* continues its stream (resumable).
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${STEPS:-30000}
for sim in rooms commute; do
  npx itinera collect --sim "$sim" --planner rover-hierarchical --action-noise 0.3 --steps "$STEPS" --seed 1000 --out "data/rover-level0-$sim"
done
npx itinera train --data data/rover-level0-rooms --config configs/train/rover-jepa.yaml --backend wasm --out models/rover-level0-rooms
npx itinera train --data data/rover-level0-commute --config configs/train/rover-jepa-commute.yaml --backend wasm --out models/rover-level0-commute
