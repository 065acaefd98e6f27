#!/usr/bin/env bash
# Makes the shipped learned level-1 model of the rover again: the level-0 controller (rover-mppi) follows random
# waypoints in the open rooms of rooms-v1, then a small network learns where each waypoint takes the base.
# About 15 minutes on 2 cores. Appending to an existing data/rover-level1 continues its stream (resumable).
set -euo pipefail
cd "$(dirname "$0")/.."
SEGMENTS=${SEGMENTS:-100}
npx itinera collect --level 1 --sim rooms --sim-opt closedDoors=false --steps "$SEGMENTS" --seed 100 --out data/rover-level1
npx itinera train --data data/rover-level1 --config configs/train/rover-level1.yaml --backend wasm --out models/rover-level1
