#!/usr/bin/env bash
# Classifier recipes measured for transfer without an external set (docs/study.md, "How the recipe was chosen"):
# each recipe, 3 seeds, trained on the train side of a split of the development data, scored on its validation
# side (train-classifier's own evaluation) and on the style-shifted copy of it (style_shift.py). Resumable.
#   bench/classifier_recipe/run.sh OUT [--external DIR]
# --external scores the same models on an external set as well: do that once, after the recipe is chosen.
set -euo pipefail
out=$1; external=${3:-}
[ "${2:-}" = "--external" ] || external=""
here=$(cd "$(dirname "$0")" && pwd)
osgan=${OSGAN:-$here/../../build/bin/osgan}
data=${DATA:-$here/../../../shared/data/mri_based_brain_tumor_images}
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$out"
cd "$out"
[ -f split.json ] || "$osgan" split --data "$data" --out split.json --seed 0
[ -d val_shifted ] || /usr/bin/python3 "$here/style_shift.py" "$data" split.json val_shifted
recipe() {  # NAME ARGS...
  local name=$1; shift
  for seed in 1 2 3; do
    [ -f "$name/s$seed/classifier.json" ] || "$osgan" train-classifier --data "$data" --split split.json \
      --out "$name/s$seed" --seed $seed --threads 1 --quiet "$@" > "$name.s$seed.log" 2>&1
  done
  local models=(--model "$name/s1" --model "$name/s2" --model "$name/s3")
  [ -f "$name/shifted/results.json" ] || "$osgan" evaluate "${models[@]}" --data val_shifted --out "$name/shifted" \
    --bootstrap 500 --threads 1 > "$name.shifted.log" 2>&1
  if [ -n "$external" ] && [ ! -f "$name/external/results.json" ]; then
    "$osgan" evaluate "${models[@]}" --data "$external" --out "$name/external" --bootstrap 500 --threads 1 \
      > "$name.external.log" 2>&1
  fi
  echo "$name done"
}
recipe plain --preset plain --augment-prob 0             # the study's "real" protocol with the earlier recipe
recipe plain_classical --preset plain --augment-prob 0.5 # and its "real_classical"
recipe style --preset cpu --augment-prob 0 --input-norm none  # style augmentation alone
recipe cpu --preset cpu --augment-prob 0                 # the study's "real" protocol with the cpu recipe
recipe cpu_classical --preset cpu --augment-prob 0.5     # and its "real_classical"
recipe cpu_no_tta --preset cpu --augment-prob 0 --test-time-flips false
python3 "$here/table.py" . ${external:+--external}
