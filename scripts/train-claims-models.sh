#!/usr/bin/env bash
# Makes the world models the claims suites plan on (configs/bench/claims-*.yaml) again:
# - models/push-jepa: 4,000 steps of push-mppi's own episodes on the simulator with coloured action noise
#   (≤ 0.3 of each actuator's half range; episode seeds from 5000, far from the bench seeds), then
#   configs/train/push-jepa.yaml. Coloured-noise data alone rarely moves the box (5/20 pushed on such a model).
# - models/reach-jepa: 20,000 coloured-noise steps from seed 0, then configs/train/reach-jepa.yaml.
# - models/reach-jepa-d32, models/reach-recon-d32 (claim a): the same reach data with 32 distractor
#   channels, then the JEPA and the reconstruction config: they differ only in the loss.
# - models/reach-jepa-m8, models/reach-recon-m8 (claim a with structured distractors): the same with 8 movers.
# Run one at a time on a shared machine: `scripts/train-claims-models.sh push-jepa` (or reach-jepa, distractors, movers);
# with no argument, all of them. Training uses the wasm backend, so a remake on any machine gives the same weights.
# None of them is shipped yet (models/* is ignored but for the shipped rover models): the push collection took ~12 min
# on the busy 2-core machine; training push-jepa reached step 2,500 of 5,500 before the CPU ran out, and an
# interrupted run continues with the same train command plus --resume.
set -euo pipefail
cd "$(dirname "$0")/.."
train() { npx itinera train --backend wasm "$@"; }
what="${1:-all}"
if [[ $what == all || $what == push-jepa ]]; then
  npx itinera collect --sim push --planner push-mppi --action-noise 0.3 --steps 4000 --seed 5000 --out data/push-mppi
  train --data data/push-mppi --config configs/train/push-jepa.yaml --out models/push-jepa
fi
if [[ $what == all || $what == reach-jepa ]]; then
  npx itinera collect --sim reach-v1 --steps 20000 --seed 0 --out data/reach
  train --data data/reach --config configs/train/reach-jepa.yaml --out models/reach-jepa
fi
if [[ $what == all || $what == distractors ]]; then
  npx itinera collect --sim reach-v1 --sim-opt distractors=32 --steps 20000 --seed 0 --out data/reach-d32
  train --data data/reach-d32 --config configs/train/reach-jepa.yaml --out models/reach-jepa-d32
  train --data data/reach-d32 --config configs/train/reach-recon.yaml --out models/reach-recon-d32
fi
if [[ $what == all || $what == movers ]]; then
  npx itinera collect --sim reach-v1 --sim-opt movers=8 --steps 20000 --seed 0 --out data/reach-m8
  train --data data/reach-m8 --config configs/train/reach-jepa.yaml --out models/reach-jepa-m8
  train --data data/reach-m8 --config configs/train/reach-recon.yaml --out models/reach-recon-m8
fi
