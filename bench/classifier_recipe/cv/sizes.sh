#!/usr/bin/env bash
# The classifiers' input size, chosen by k-fold cross-validation on the TRAINING side of the pipeline's split only
# (docs/study.md, "The classifiers' input size"): the "cpu" recipe as the study's "real" protocol trains it, and as
# its real + synthetic protocol at one generated image per real one (no filter, the run's generated folders), at
# 32, 64 and 128 px, on run.sh's folds. Scored by the out-of-fold AUC, and the paired differences between sizes and
# between real + synthetic and real at each size. The held-out side and the external set take no part; the GANs saw
# every training image (see filters.sh). Resumable.
#   bench/classifier_recipe/cv/sizes.sh RUN OUT [K]      RUN: a pipeline run folder (split.json, generated/)
set -euo pipefail
run=$1; out=$2; k=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
for size in 32 64 128; do
  SIZE=$size bash -c 'source "$0/settings.sh" "$1" "$2" "$3"
    fold_runs cpu --preset cpu --augment-prob 0
    fold_runs r1_none --preset cpu --augment-prob 0 --synthetic "normal=$run/generated/normal" \
      --synthetic "tumor=$run/generated/tumor" --synthetic-ratio 1 --synthetic-filter none' \
    "$here" "$run" "$out/s$size" "$k"
  echo "input size $size px"
  /usr/bin/python3 "$here/table.py" "$out/s$size" "$k" cpu r1_none
done
pairs=()
for size in 64 128; do pairs+=("$out/s32/cpu:$out/s$size/cpu"); done
for size in 32 64 128; do pairs+=("$out/s$size/cpu:$out/s$size/r1_none"); done
/usr/bin/python3 "$here/paired.py" "$k" "${pairs[@]}"
