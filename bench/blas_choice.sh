#!/usr/bin/env bash
# Which BLAS should LibTorch use here? Times One-Shot GAN training steps (a preset's model, real data) with
# Debian's reference BLAS and with OpenBLAS (OpenMP and pthread builds), at 1 and 2 threads, interleaved in
# rounds so that background load hits every variant alike.
# Usage: bench/blas_choice.sh BUILD_DIR [STEPS] [ROUNDS] [PRESET]
set -euo pipefail
build=${1:-build}; steps=${2:-40}; rounds=${3:-2}; preset=${4:-cpu}
data=../shared/data/mri_based_brain_tumor_images
arch=/usr/lib/x86_64-linux-gnu
export OMP_WAIT_POLICY=PASSIVE
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$build/bin/osgan" split --data "$data" --out "$tmp/split.json" >/dev/null 2>&1
printf "%-18s %-8s %s\n" variant threads "ms/step (each round)"
declare -A results
for round in $(seq "$rounds"); do
  for threads in 1 2; do
    for variant in blas openblas-openmp openblas-pthread; do
      [ -e "$arch/$variant/libblas.so.3" ] || continue
      rm -rf "$tmp/run"
      LD_LIBRARY_PATH=$arch/$variant "$build/bin/osgan" train-gan --data "$data" --class tumor --split "$tmp/split.json" \
        --out "$tmp/run" --preset "$preset" --steps "$steps" --sample-every 100000 --checkpoint-every 100000 \
        --threads "$threads" --quiet >/dev/null 2>&1
      ms=$(python3 -c "import json,sys; s=json.load(open('$tmp/run/summary.json')); print(round(s['seconds']/$steps*1000))")
      results["$variant $threads"]+="$ms "
    done
  done
done
for key in "${!results[@]}"; do printf "%-18s %-8s %s\n" ${key} "${results[$key]}"; done | sort
