#!/usr/bin/env bash
# Two study classifiers (cpu recipe, 128 px, real + the main command's generated images, 1,680 images, EPOCHS
# epochs, seeds 1 and 2) trained one after the other with two threads each (the pipeline's study today), then side
# by side with one thread each (snakemake --cores 2, or a study that runs two classifiers at a time); REPS times,
# alternating. Prints: rep way seconds. Run on idle cores: the ratio is the point.
#   bash bench/study_eta/side_by_side.sh EPOCHS REPS OUT
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=${1:?epochs} reps=${2:?reps} out=${3:?output folder}
export OMP_WAIT_POLICY=PASSIVE
one() {  # seed threads
  build/bin/osgan train-classifier --preset cpu --data ../shared/data/mri_based_brain_tumor_images \
    --split runs/brain-mri/split.json --synthetic tumor=runs/brain-mri/generated/tumor \
    --synthetic normal=runs/brain-mri/generated/normal --image-size 128 --epochs "$epochs" --augment-prob 0 \
    --seed "$1" --threads "$2" --out "$out/seed$1_threads$2" -q >/dev/null
}
for rep in $(seq "$reps"); do
  t0=$(date +%s.%N); one 1 2; one 2 2; echo "$rep one-after-the-other,2-threads $(echo "$(date +%s.%N) - $t0" | bc)"
  t0=$(date +%s.%N); one 1 1 & a=$!; one 2 1 & b=$!; wait $a; wait $b; echo "$rep side-by-side,1-thread $(echo "$(date +%s.%N) - $t0" | bc)"
done
