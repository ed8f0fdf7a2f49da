# Shared by run.sh and filters.sh (sourced): their arguments, the tools and data they use, the folds of the
# pipeline's training side, and fold_runs NAME ARGS..., which trains one classifier per fold (skipping folds done).
set -euo pipefail
run=$1; out=$2; k=${3:-5}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
osgan=${OSGAN:-$here/../../../build/bin/osgan}
data=${DATA:-$here/../../../../shared/data/mri_based_brain_tumor_images}
size=${SIZE:-32}
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$out"
[ -f "$out/fold_0.json" ] || /usr/bin/python3 "$here/make_folds.py" "$run/split.json" "$data" "$out" "$k" 1
fold_runs() {  # NAME ARGS...
  local name=$1; shift
  for ((fold = 0; fold < k; fold++)); do
    [ -f "$out/$name/fold_$fold/predictions.csv" ] || "$osgan" train-classifier --data "$out/train_side.csv" \
      --split "$out/fold_$fold.json" --out "$out/$name/fold_$fold" --image-size "$size" --seed 1 \
      --threads "${THREADS:-1}" --quiet "$@" > "$out/$name.fold_$fold.log" 2>&1
  done
}
