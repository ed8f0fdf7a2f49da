#!/usr/bin/env bash
# Chooses the classifier recipe by k-fold cross-validation on the TRAINING side of the pipeline's split only
# (docs/study.md, "The recipe chosen again, on the training side"): the held-out validation side and the external
# set take no part. Each recipe as the study's "real" protocol trains it (classical augmentation off, the main
# command's 32 px), one seed per fold; scored by the out-of-fold AUC. Resumable.
#   bench/classifier_recipe/cv/run.sh RUN OUT [K]      RUN: a pipeline run folder (its split.json)
set -euo pipefail
run=$1; out=$2; k=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
osgan=${OSGAN:-$here/../../../build/bin/osgan}
data=${DATA:-$here/../../../../shared/data/mri_based_brain_tumor_images}
size=${SIZE:-32}
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$out"
[ -f "$out/fold_0.json" ] || /usr/bin/python3 "$here/make_folds.py" "$run/split.json" "$data" "$out" "$k" 1
recipe() {  # NAME ARGS...
  local name=$1; shift
  for ((fold = 0; fold < k; fold++)); do
    [ -f "$out/$name/fold_$fold/predictions.csv" ] || "$osgan" train-classifier --data "$out/train_side.csv" \
      --split "$out/fold_$fold.json" --out "$out/$name/fold_$fold" --image-size "$size" --seed 1 \
      --threads "${THREADS:-1}" --quiet "$@" > "$out/$name.fold_$fold.log" 2>&1
  done
}
# The candidates of the 2026-12-02 choice (docs/study.md), as the study's protocols train them: "real" without
# classical augmentation (--augment-prob 0), "real_classical" with the recipe's own.
recipe plain --preset plain --augment-prob 0
recipe plain_classical --preset plain
recipe style_only --preset cpu --input-norm none --augment-prob 0
recipe cpu --preset cpu --augment-prob 0
recipe cpu_classical --preset cpu
recipe cpu_no_flips --preset cpu --augment-prob 0 --test-time-flips false
/usr/bin/python3 "$here/table.py" "$out" "$k" plain plain_classical style_only cpu cpu_classical cpu_no_flips
