#!/usr/bin/env bash
# Chooses the classifier recipe by k-fold cross-validation on the TRAINING side of the pipeline's split only
# (docs/study.md, "The recipe chosen again, on the training side"): the held-out validation side and the external
# set take no part. Each recipe as the study's "real" protocol trains it (classical augmentation off, the main
# command's 32 px), one seed per fold; scored by the out-of-fold AUC. Resumable.
#   bench/classifier_recipe/cv/run.sh RUN OUT [K]      RUN: a pipeline run folder (its split.json)
source "$(dirname "$0")/settings.sh"
recipe() { fold_runs "$@"; }  # NAME ARGS...
# The candidates of the 2026-12-02 choice (docs/study.md), as the study's protocols train them: "real" without
# classical augmentation (--augment-prob 0), "real_classical" with the recipe's own.
recipe plain --preset plain --augment-prob 0
recipe plain_classical --preset plain
recipe style_only --preset cpu --input-norm none --augment-prob 0
recipe cpu --preset cpu --augment-prob 0
recipe cpu_classical --preset cpu
recipe cpu_no_flips --preset cpu --augment-prob 0 --test-time-flips false
/usr/bin/python3 "$here/table.py" "$out" "$k" plain plain_classical style_only cpu cpu_classical cpu_no_flips
