#!/usr/bin/env bash
# One-Shot GAN learning curve on the real data (docs/one-shot-gan.md, "Learning curve"): trains one class from a
# config in this folder on the training side of the pipeline's split, keeping every checkpoint and a sample grid
# every 500 steps; osgan gan-quality then scores the checkpoints. Rerunning the same command resumes the run.
#   bench/learning_curve/run.sh CONFIG CLASS OUT [THREADS]
#   e.g. bench/learning_curve/run.sh bench/learning_curve/64px_ch32.yaml tumor runs/curves/64px_ch32_tumor 1
# CLASS may pool classes (tumor,normal: an anatomy stage); INIT_FROM=RUN fine-tunes from that run's latest checkpoint.
set -euo pipefail
config=$1 class=$2 out=$3 threads=${4:-1}
osgan=${OSGAN:-build/bin/osgan}
data=${DATA:-../shared/data/mri_based_brain_tumor_images}
export OMP_WAIT_POLICY=PASSIVE
split=$(dirname "$out")/split.json
mkdir -p "$(dirname "$out")"
[ -f "$split" ] || "$osgan" split --data "$data" --out "$split"
resume=()
[ -f "$out/checkpoints/latest.pt" ] && resume=(--resume)
[ -n "${INIT_FROM:-}" ] && resume+=(--init-from "$INIT_FROM")
"$osgan" train-gan --data "$data" --class "$class" --split "$split" --out "$out" --config "$config" \
  --threads "$threads" "${resume[@]}"
