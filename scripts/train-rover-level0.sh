#!/usr/bin/env bash
# Makes the rover's shipped level-0 JEPAs again (models/rover-level0-rooms, models/rover-level0-commute): data from the
# hierarchical preset itself on the simulator with coloured action noise (≤ 0.3 of each actuator's half range), then
# configs/train/rover-jepa.yaml / rover-jepa-commute.yaml (windows and plans seen from the rover's own pose). The
# commute model learns from both variants (elevator and ramp), each dataset keeping its own validation share.
# Measured on the 2-core machine with other work running: rooms collection 31,000 steps ~6 min, training 4.7–6.2 min;
# commute collection 55,000 + 42,000 steps (standard, elevator-out) ~12 + ~6 min, training 5.3 min. Training twice on
# the same data gives an identical weights.bin. Appending to an existing data/rover-level0-* continues its stream
# (resumable). The shipped commute model's data was collected at commit b066551, before the drive cost stopped charging
# the paddle's reach near waypoints passed through; the collecting preset now drives a little differently, so a remake
# gives different data and weights (how they plan was not measured).
set -euo pipefail
cd "$(dirname "$0")/.."
collect() { npx itinera collect --planner rover-hierarchical --action-noise 0.3 "$@"; }
collect --sim rooms --steps 30000 --seed 1000 --out data/rover-level0-rooms
collect --sim commute --steps 55000 --seed 1000 --out data/rover-level0-commute
collect --sim commute --sim-opt variant=elevator-out --steps 42000 --seed 2000 --out data/rover-level0-commute-ramp
npx itinera train --data data/rover-level0-rooms --config configs/train/rover-jepa.yaml --backend wasm --out models/rover-level0-rooms
npx itinera train --data data/rover-level0-commute --data data/rover-level0-commute-ramp --config configs/train/rover-jepa-commute.yaml --backend wasm --out models/rover-level0-commute
