#!/usr/bin/env bash
# Seconds of one study classifier (cpu recipe, 128 px) on the real training side alone (280 images) and with the main
# command's 1,400 generated images added (1,680), with classical augmentation off and on, REPS times interleaved so
# that the cores' load falls on all four alike. One thread each. Run it at two epoch counts: the difference over the
# extra epochs is the cost of an image-epoch (what the study's ETA assumes is constant), the rest is loading and
# evaluation, which the study pays once for all its runs.
#   bash bench/study_eta/classifier_seconds.sh EPOCHS REPS OUT   (after bash scripts/run-main; prints rep set prob seconds)
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=${1:?epochs} reps=${2:?reps} out=${3:?output folder}
data=../shared/data/mri_based_brain_tumor_images
export OMP_WAIT_POLICY=PASSIVE
for rep in $(seq "$reps"); do
  for set in real real+synthetic; do
    for prob in 0 0.5; do
      extra=()
      [ "$set" = real+synthetic ] && extra=(--synthetic tumor=runs/brain-mri/generated/tumor --synthetic normal=runs/brain-mri/generated/normal)
      t0=$(date +%s.%N)
      build/bin/osgan train-classifier --preset cpu --data "$data" --split runs/brain-mri/split.json "${extra[@]}" \
        --image-size 128 --epochs "$epochs" --augment-prob "$prob" --out "$out/${set}_${prob}_$rep" --threads 1 -q >/dev/null
      echo "$rep $set $prob $(echo "$(date +%s.%N) - $t0" | bc)"
    done
  done
done
