#!/usr/bin/env bash
# The pipeline's anatomy stage (gan.anatomy_steps > 0): one GAN on every class's training side, which each class's
# GAN then fine-tunes; cached like every stage, and redone with the class GANs when its settings change.
# Usage: test_cli_pipeline_anatomy.sh OSGAN_BINARY TESTS_CLI_DIR
set -euo pipefail
osgan=$1; here=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 "$here/make_toy_discs.py" "$work/data" 12 5 64
config() {  # the tiny pipeline with an anatomy stage of $1 steps and a one-protocol, one-seed study
  sed 's/^gan:$/gan:\n  anatomy_steps: '"$1"'/; s/^  seeds: \[1, 2\]$/  seeds: [1]\n  protocols: [synthetic]/; /^  ratios:/d' \
    "$here/pipeline_tiny.yaml" >"$work/anatomy_$1.yaml"
  echo "$work/anatomy_$1.yaml"
}
run() {  # run LOG CONFIG
  "$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$2" --threads 2 >"$work/$1" 2>&1 \
    || { cat "$work/$1"; fail "pipeline ($1) exited non-zero"; }
}

run log1 "$(config 3)"
grep -q 'gan-_anatomy: running' "$work/log1" || { cat "$work/log1"; fail "no anatomy stage"; }
python3 - "$work/run" <<'PY' || fail "the anatomy stage or the class GANs are not what was asked"
import json, sys
run = sys.argv[1]
split = json.load(open(f"{run}/split.json"))
anatomy = json.load(open(f"{run}/gan/_anatomy/summary.json"))
# Every class's training side, and nothing of the held-out side.
assert anatomy["training_images"] == sum(split["counts"]["train"].values()), (anatomy, split["counts"])
assert anatomy["steps"] == 3 and anatomy["class"] == "normal,tumor", anatomy
m = json.load(open(f"{run}/metrics.json"))["gan_anatomy"]
assert m["steps"] == 3 and m["training_images"] == anatomy["training_images"], m
assert open(f"{run}/{m['quality_csv']}").read().startswith("step,") and open(f"{run}/{m['samples_grid']}", "rb").read(4) == b"\x89PNG", m
for c in ("normal", "tumor"):
    s = json.load(open(f"{run}/gan/{c}/summary.json"))
    assert s["init_from"].endswith("gan/_anatomy/checkpoints/latest.pt"), s
    assert s["training_images"] == split["counts"]["train"][c] and s["steps"] == 6, s
PY
grep -q 'anatomy stage (every class)</h3><p class="meta">3 steps on the [0-9]* training images of normal, tumor together' "$work/run/report.html" \
  && grep -q 'alt="sample quality, anatomy stage" src="data:image/svg' "$work/run/report.html" \
  || fail "the report does not show the anatomy stage"
for c in normal tumor; do
  grep -q "starting from .*_anatomy/checkpoints/latest.pt" "$work/run/gan/$c/train.log" \
    || fail "gan/$c did not start from the anatomy stage: $(cat "$work/run/gan/$c/train.log")"
done

# Unchanged: every stage is skipped, the anatomy stage too.
run log2 "$(config 3)"
grep -q 'gan-_anatomy: up to date' "$work/log2" && ! grep -q ': running' "$work/log2" \
  || { cat "$work/log2"; fail "an unchanged run redid a stage"; }

# Another anatomy length redoes the anatomy stage and the class GANs that start from it.
run log3 "$(config 4)"
for stage in gan-_anatomy gan-normal gan-tumor; do
  grep -q "$stage: running" "$work/log3" || { cat "$work/log3"; fail "$stage was not redone after anatomy_steps changed"; }
done

set +e
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$(config -1)" 2>"$work/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "gan.anatomy_steps: expected 0 (off) or more, got -1" "$work/err" \
  || fail "negative anatomy_steps: rc $rc, $(cat "$work/err")"
echo "cli_pipeline_anatomy: all checks passed"
