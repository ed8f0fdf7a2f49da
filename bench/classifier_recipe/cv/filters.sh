#!/usr/bin/env bash
# Which generated images to add (the study's ratio sweep, src/osgan/report/ratio_protocol.h), chosen by k-fold
# cross-validation on the TRAINING side of the pipeline's split only: the "cpu" recipe as the study's ratio points
# train it (classical augmentation off), on each fold's real training images plus, per class, R x that class's real
# images from the run's generated folders, picked with no filter or with the nearest filter (measured against the
# fold's real training images only). Scored by the out-of-fold AUC; the held-out side and the external set take no
# part. The GANs saw every training image, so each fold's validation images are not unseen by the generator: this
# compares the filters with each other, not with real images the GAN never met. Resumable; the folds are run.sh's.
#   bench/classifier_recipe/cv/filters.sh RUN OUT [K]      RUN: a pipeline run folder (split.json, generated/)
set -euo pipefail
run=$1; out=$2; k=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
osgan=${OSGAN:-$here/../../../build/bin/osgan}
data=${DATA:-$here/../../../../shared/data/mri_based_brain_tumor_images}
size=${SIZE:-32}
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$out"
[ -f "$out/fold_0.json" ] || /usr/bin/python3 "$here/make_folds.py" "$run/split.json" "$data" "$out" "$k" 1
point() {  # NAME [RATIO FILTER]: no ratio, the real images alone (run.sh's "cpu" recipe)
  local name=$1 synthetic=()
  [ $# -eq 1 ] || synthetic=(--synthetic "normal=$run/generated/normal" --synthetic "tumor=$run/generated/tumor"
                             --synthetic-ratio "$2" --synthetic-filter "$3")
  for ((fold = 0; fold < k; fold++)); do
    [ -f "$out/$name/fold_$fold/predictions.csv" ] || "$osgan" train-classifier --data "$out/train_side.csv" \
      --split "$out/fold_$fold.json" --out "$out/$name/fold_$fold" --image-size "$size" --seed 1 \
      --threads "${THREADS:-1}" --quiet --preset cpu --augment-prob 0 "${synthetic[@]}" > "$out/$name.fold_$fold.log" 2>&1
  done
}
point cpu
for ratio in 0.25 1; do
  for filter in none nearest; do point "r${ratio}_$filter" "$ratio" "$filter"; done
done
/usr/bin/python3 "$here/table.py" "$out" "$k" cpu r0.25_none r0.25_nearest r1_none r1_nearest
