#!/usr/bin/env bash
# CLI test for the classifier commands. Usage: test_cli_classify.sh OSGAN_BINARY MAKE_TOY_DISCS_PY
set -u
osgan="$1"; make_toy="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failures=0
check() {  # check NAME EXPECTED_RC ACTUAL_RC
  if [ "$2" != "$3" ]; then echo "FAIL: $1: expected exit $2, got $3"; cat "$tmp/err" 2>/dev/null; failures=$((failures + 1)); else echo "ok: $1"; fi
}
contains() {  # contains NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: \"$3\" not in:"; cat "$2"; failures=$((failures + 1)); fi
}
json() {  # json FILE PYTHON_EXPRESSION_OF_j -> prints the value
  /usr/bin/python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}

/usr/bin/python3 "$make_toy" "$tmp/train" 16 1 && /usr/bin/python3 "$make_toy" "$tmp/val" 8 2 \
  && /usr/bin/python3 "$make_toy" "$tmp/synth" 8 3 || { echo "FAIL: cannot make the toy data"; exit 1; }
common=(--arch cnn --width 0.25 --image-size 32 --epochs 6 --batch 8 --lr 0.003 --threads 1 --seed 3 -q)

# Usage errors: exit 2.
"$osgan" train-classifier --data "$tmp/train" >"$tmp/out" 2>"$tmp/err"; check "train-classifier without --out" 2 $?
"$osgan" train-classifier --data "$tmp/train" --out "$tmp/m" --arch resnet19 >"$tmp/out" 2>"$tmp/err"; check "unknown --arch" 2 $?
contains "unknown arch lists the names" "$tmp/err" "mobilenet_v2"
"$osgan" train-classifier --synthetic "cat=$tmp/synth/tumor" --out "$tmp/m" >"$tmp/out" 2>"$tmp/err"; check "--synthetic with an unknown class" 2 $?

# Runtime errors: exit 1, naming the path.
"$osgan" train-classifier --data "$tmp/missing data" --out "$tmp/m" >"$tmp/out" 2>"$tmp/err"; check "missing --data" 1 $?
contains "error names the missing folder" "$tmp/err" "missing data"
"$osgan" evaluate --model "$tmp/no model" --data "$tmp/val" >"$tmp/out" 2>"$tmp/err"; check "evaluate a missing model" 1 $?
contains "error names classifier.json" "$tmp/err" "classifier.json"

# Train on real + synthetic, validate on a separate folder.
"$osgan" train-classifier --data "$tmp/train" --val-data "$tmp/val" --synthetic "tumor=$tmp/synth/tumor" \
  "${common[@]}" --out "$tmp/model" >"$tmp/out" 2>"$tmp/err"; check "train-classifier" 0 $?
for f in classifier.json model.pt metrics.json predictions.csv; do
  [ -s "$tmp/model/$f" ] && echo "ok: wrote $f" || { echo "FAIL: no $f"; failures=$((failures + 1)); }
done
acc=$(json "$tmp/model/metrics.json" "j['validation']['accuracy']['value']")
[ "$(json "$tmp/model/metrics.json" "int(j['validation']['accuracy']['value'] >= 0.85)")" = 1 ] \
  && echo "ok: validation accuracy $acc" || { echo "FAIL: validation accuracy $acc < 0.85"; failures=$((failures + 1)); }
[ "$(json "$tmp/model/metrics.json" "j['training_images']['real']")" = 32 ] && echo "ok: 32 real training images" \
  || { echo "FAIL: real training count"; failures=$((failures + 1)); }
[ "$(wc -l < "$tmp/model/predictions.csv")" = 17 ] && echo "ok: 16 predictions" || { echo "FAIL: predictions rows"; failures=$((failures + 1)); }

# evaluate gives the same accuracy as training's validation.
"$osgan" evaluate --model "$tmp/model" --data "$tmp/val" --out "$tmp/eval" -q --threads 1 >"$tmp/out" 2>"$tmp/err"; check "evaluate" 0 $?
[ "$(json "$tmp/eval/metrics.json" "j['metrics']['accuracy']['value']")" = "$acc" ] && echo "ok: evaluate reproduces accuracy" \
  || { echo "FAIL: evaluate accuracy differs from $acc"; failures=$((failures + 1)); }
contains "ROC curve in the metrics" "$tmp/eval/metrics.json" '"roc_curve"'

# predict: a disc image is tumour, a background image is normal.
"$osgan" predict --model "$tmp/model" "$tmp/val/tumor/tumor_000.png" "$tmp/val/normal/normal_000.png" -q --threads 1 \
  >"$tmp/out" 2>"$tmp/err"; check "predict" 0 $?
contains "predict header" "$tmp/out" "probability_tumor"
grep -q "tumor_000.png,.*,tumor$" "$tmp/out" && grep -q "normal_000.png,.*,normal$" "$tmp/out" && echo "ok: predict labels" \
  || { echo "FAIL: predict labels"; cat "$tmp/out"; failures=$((failures + 1)); }
echo "not an image" > "$tmp/bad.png"
"$osgan" predict --model "$tmp/model" "$tmp/bad.png" -q >"$tmp/out" 2>"$tmp/err"; check "predict a corrupt file" 1 $?
contains "error names the corrupt file" "$tmp/err" "bad.png"

# evaluate-images: synthetic tumour images vs the real ones, with the classifier's feature space.
"$osgan" evaluate-images --real "$tmp/train" --generated "$tmp/synth/tumor" --class tumor --features "$tmp/model" \
  --ssim-window 7 --json "$tmp/quality.json" -q --threads 1 >"$tmp/out" 2>"$tmp/err"; check "evaluate-images" 0 $?
[ "$(json "$tmp/quality.json" "int(j['counts']['real'] == 16 and j['counts']['generated'] == 8 and j['features']['fid'] >= 0 and 0 <= j['memorisation']['share_above_threshold'] <= 1)")" = 1 ] \
  && echo "ok: image-quality numbers" || { echo "FAIL: image-quality JSON"; cat "$tmp/quality.json" | head -30; failures=$((failures + 1)); }
# Copies of the real images are memorised.
"$osgan" evaluate-images --real "$tmp/train" --generated "$tmp/train/tumor" --class tumor --image-size 32 \
  --ssim-window 7 --json "$tmp/copies.json" -q >"$tmp/out" 2>"$tmp/err"; check "evaluate-images of copies" 0 $?
[ "$(json "$tmp/copies.json" "j['memorisation']['share_above_threshold']")" = 1.0 ] && echo "ok: copies are flagged" \
  || { echo "FAIL: copies not flagged"; failures=$((failures + 1)); }
# Each image's mode as a table beside the JSON: a copy falls in its original's mode, every image once per set.
python3 - "$tmp/copies.modes.csv" "$tmp/copies.json" <<'PY' && echo "ok: mode assignments" \
  || { echo "FAIL: mode assignments"; head -5 "$tmp/copies.modes.csv"; failures=$((failures + 1)); }
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
j = json.load(open(sys.argv[2]))
real = {r["id"]: r["mode"] for r in rows if r["set"] == "real"}
generated = {r["id"]: r["mode"] for r in rows if r["set"] == "generated"}
assert len(real) == len(generated) == j["counts"]["real"] == j["counts"]["generated"] and len(rows) == 2 * len(real)
assert real == generated, (real, generated)
assert {int(m) for m in real.values()} <= set(range(j["modes"]["k"]))
assert j["modes"]["assignment_file"] == sys.argv[1]
PY
# ... and lie on the real images' manifold and cover it: structure precision and recall 1 (each copy is at distance
# 0 from its original), with no classifier needed; the synthetic toy set is scored there too.
[ "$(json "$tmp/copies.json" "int(j['structure']['precision'] == 1 and j['structure']['recall'] == 1)")" = 1 ] \
  && echo "ok: copies have structure precision and recall 1" \
  || { echo "FAIL: structure block of copies"; grep -A5 '"structure"' "$tmp/copies.json"; failures=$((failures + 1)); }
# With as many copies as real images, recall at the real count is one chunk, and 1.
[ "$(json "$tmp/copies.json" "int(j['structure']['recall_at_real_count']['chunks'] == 1 and j['structure']['recall_at_real_count']['recall'] == 1)")" = 1 ] \
  && echo "ok: copies have recall 1 at the real count" \
  || { echo "FAIL: recall_at_real_count of copies"; grep -A8 '"recall_at_real_count"' "$tmp/copies.json"; failures=$((failures + 1)); }
[ "$(json "$tmp/quality.json" "int(0 <= j['structure']['precision'] <= 1 and 0 <= j['structure']['recall'] <= 1 and j['structure']['kid'] == j['structure']['kid'])")" = 1 ] \
  && echo "ok: structure numbers of the synthetic set" || { echo "FAIL: structure block"; failures=$((failures + 1)); }

[ $failures -eq 0 ] && echo "all passed" || echo "$failures failure(s)"
[ $failures -eq 0 ]
