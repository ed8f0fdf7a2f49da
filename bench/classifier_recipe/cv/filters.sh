#!/usr/bin/env bash
# Which generated images to add (the study's ratio sweep, src/osgan/report/ratio_protocol.h), chosen by k-fold
# cross-validation on the TRAINING side of the pipeline's split only: the "cpu" recipe as the study's ratio points
# train it (classical augmentation off), on each fold's real training images plus, per class, R x that class's real
# images from the run's generated folders, picked with no filter or with the nearest filter (measured against the
# fold's real training images only). Scored by the out-of-fold AUC; the held-out side and the external set take no
# part. The GANs saw every training image, so each fold's validation images are not unseen by the generator: this
# compares the filters with each other, not with real images the GAN never met. Resumable; the folds are run.sh's.
#   bench/classifier_recipe/cv/filters.sh RUN OUT [K]      RUN: a pipeline run folder (split.json, generated/)
source "$(dirname "$0")/settings.sh"
point() {  # NAME [RATIO FILTER]: no ratio, the real images alone (run.sh's "cpu" recipe)
  local name=$1 synthetic=()
  [ $# -eq 1 ] || synthetic=(--synthetic "normal=$run/generated/normal" --synthetic "tumor=$run/generated/tumor"
                             --synthetic-ratio "$2" --synthetic-filter "$3")
  fold_runs "$name" --preset cpu --augment-prob 0 "${synthetic[@]}"
}
point cpu
for ratio in 0.25 1; do
  for filter in none nearest; do point "r${ratio}_$filter" "$ratio" "$filter"; done
done
/usr/bin/python3 "$here/table.py" "$out" "$k" cpu r0.25_none r0.25_nearest r1_none r1_nearest
