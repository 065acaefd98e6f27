#!/usr/bin/env bash
# Makes the shipped latent level-1 model of the rover again: the level-0 controller (rover-mppi) follows random
# waypoints in the open rooms of rooms-v1 (400 waypoints, the first 100 are scripts/train-level1.sh's data), then the
# encoder, JEPA predictor and position readout learn from them (configs/train/rover-level1-latent.yaml).
# Collecting took ~40 minutes on the shared 2-core machine (in two runs, 100 + 300 waypoints), training 54 s.
# Appending to an existing data/rover-level1-latent continues its stream (resumable).
set -euo pipefail
cd "$(dirname "$0")/.."
SEGMENTS=${SEGMENTS:-400}
npx itinera collect --level 1 --sim rooms --sim-opt closedDoors=false --steps "$SEGMENTS" --seed 100 --out data/rover-level1-latent
npx itinera train --data data/rover-level1-latent --config configs/train/rover-level1-latent.yaml --backend wasm --out models/rover-level1-latent
