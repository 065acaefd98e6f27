#!/usr/bin/env bash
# What curiosity buys (issue 17): reach-v1 planning success against the amount of collected data, with and without
# curiosity. A base of 10,000 coloured-noise steps (seed 30000) trains a 2-member ensemble JEPA that steers curiosity;
# each arm then adds ADD more steps (seed 31000): plain coloured noise, or `collect --curiosity` with that ensemble.
# A JEPA with the shipped reach config (configs/train/reach-jepa.yaml) trains on base + addition, and MPPI plans
# reach-v1 on it for 20 seeds from SEED. Outputs go to data/curiosity-*, models/curiosity-*, runs/curiosity/*.json.
#   scripts/curiosity-curve.sh [ADD=10000] [SEED=100] [ARMS='noise curiosity']   (once the base exists, one arm per process runs them side by side)
set -euo pipefail
cd "$(dirname "$0")/.."
add="${1:-10000}"
seed="${2:-100}"
arms="${3:-noise curiosity}"
train() { npx itinera train --backend wasm "$@"; }
mkdir -p runs/curiosity
if [[ ! -f models/curiosity-base-ens/model.json ]]; then
  npx itinera collect --sim reach-v1 --steps 10000 --seed 30000 --out data/curiosity-base
  sed 's/^  activation: elu$/  activation: elu\n  ensemble: 2/' configs/train/reach-jepa.yaml > data/curiosity-ensemble.yaml
  train --data data/curiosity-base --config data/curiosity-ensemble.yaml --out models/curiosity-base-ens
fi
for arm in $arms; do
  name="curiosity-$arm-$add"
  steer=(); [[ $arm == curiosity ]] && steer=(--curiosity models/curiosity-base-ens)
  [[ -f "data/$name/manifest.json" ]] || npx itinera collect --sim reach-v1 --steps "$add" --seed 31000 "${steer[@]}" --out "data/$name"
  [[ -f "models/$name/model.json" ]] || train --data data/curiosity-base --data "data/$name" --config configs/train/reach-jepa.yaml --out "models/$name"
  npx itinera run --sim reach-v1 --planner mppi --model "models/$name" --episodes 20 --seed "$seed" --json > "runs/curiosity/$name-seed$seed.json"
done
