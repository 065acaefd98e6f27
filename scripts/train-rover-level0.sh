#!/usr/bin/env bash
# Makes the rover's shipped level-0 JEPAs again (models/rover-level0-rooms, models/rover-level0-commute): data from the
# hierarchical preset itself on the simulator with coloured action noise (≤ 0.3 of each actuator's half range), then
# configs/train/rover-jepa.yaml / rover-jepa-commute*.yaml (windows and plans seen from the rover's own pose). The
# commute model learns from both variants (elevator and ramp), each dataset keeping its own validation share, in two
# rounds (DAgger-style): a first model on the simulator preset's data, then the learned preset drives with it
# (action noise 0.1) where it plans badly, and the shipped model (an ensemble of 2) trains on all four datasets.
# Measured on the 2-core machine with other work running: rooms collection 31,000 steps ~6 min, training 4.7–6.2 min;
# commute collection 55,000 + 42,000 steps ~12 + ~6 min, first round 5.3 min, on-policy collection 35,700 + 32,200
# steps ~11 min (both at once), final training 9.9 min. Training twice on the same data gives an identical
# weights.bin. Appending to an existing data/rover-level0-* continues its stream (resumable). The shipped commute
# model's simulator data was collected at commit b066551, before the drive cost stopped charging the paddle's reach
# near waypoints passed through, and its on-policy data at dcd9676 with the first-round model (then shipped); a remake
# collects with the presets as they drive now, so it gives different data and weights (how they plan was not measured).
set -euo pipefail
cd "$(dirname "$0")/.."
collect() { npx itinera collect --action-noise 0.3 --planner rover-hierarchical "$@"; }
collect --sim rooms --steps 30000 --seed 1000 --out data/rover-level0-rooms
collect --sim commute --steps 55000 --seed 1000 --out data/rover-level0-commute
collect --sim commute --sim-opt variant=elevator-out --steps 42000 --seed 2000 --out data/rover-level0-commute-ramp
npx itinera train --data data/rover-level0-rooms --config configs/train/rover-jepa.yaml --backend wasm --out models/rover-level0-rooms
sim_data=(--data data/rover-level0-commute --data data/rover-level0-commute-ramp)
npx itinera train "${sim_data[@]}" --config configs/train/rover-jepa-commute-round1.yaml --backend wasm --out data/rover-level0-commute-round1
onpolicy() { npx itinera collect --planner rover-hierarchical-learned --model data/rover-level0-commute-round1 --action-noise 0.1 --steps 30000 "$@"; }
onpolicy --sim commute --seed 3100 --out data/rover-level0-commute-onpolicy &
onpolicy --sim commute --sim-opt variant=elevator-out --seed 4100 --out data/rover-level0-commute-ramp-onpolicy &
wait
npx itinera train "${sim_data[@]}" --data data/rover-level0-commute-onpolicy --data data/rover-level0-commute-ramp-onpolicy --config configs/train/rover-jepa-commute.yaml --backend wasm --out models/rover-level0-commute
