#!/usr/bin/env bash
# The pipeline's study stage (bench/study_eta/study_stage.yaml: 33 classifiers, 2 epochs each) timed both ways on
# the same run folder: one classifier after the other in the pipeline's process on 2 threads (--sequential-study),
# and two at a time, each in a child process on one thread (the default). REPS rounds, the order alternating.
# Prints: round way study-stage-seconds pipeline-seconds. Run on idle cores for numbers to quote; the ratio is the point.
#   bash bench/study_eta/study_stage.sh REPS OUT
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=${1:?rounds} out=${2:?output folder}
export OMP_WAIT_POLICY=PASSIVE
data=../shared/data/mri_based_brain_tumor_images
osgan=${OSGAN:-build/bin/osgan}  # another build to time: OSGAN=path
run() {  # folder [flags]
  local folder=$1; shift
  "$osgan" pipeline --preset smoke --data "$data" --out "$folder" --config bench/study_eta/study_stage.yaml \
    --threads 2 --device cpu "$@" >>"$folder.log" 2>&1
}
# The stages before the study, once: audit, split, the GANs, 700 images per class.
[ -f "$out/base/generated/tumor/preview/grid.png" ] || for stage in audit split gan-normal gan-tumor generate-normal generate-tumor; do
  run "$out/base" --only "$stage"
done
seconds() { python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["seconds"], 1))' "$1/stages/study.json"; }
for round in $(seq "$reps"); do
  ways=(sequential parallel); ((round % 2)) || ways=(parallel sequential)
  for way in "${ways[@]}"; do
    folder="$out/r${round}_$way"
    rm -rf "$folder" "$folder.log"; cp -r "$out/base" "$folder"
    flags=(); [ "$way" = sequential ] && flags=(--sequential-study)
    t0=$(date +%s.%N); run "$folder" "${flags[@]}"; t1=$(date +%s.%N)
    echo "$round $way $(seconds "$folder") $(echo "$t1 - $t0" | bc)"
  done
done
