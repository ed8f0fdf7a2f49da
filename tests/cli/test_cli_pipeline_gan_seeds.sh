#!/usr/bin/env bash
# --gan-seeds 2: two GANs per class with their own seeds, every classifier with generated images trained once per GAN
# seed (the ratio sweep's too), the intervals over both, the external set evaluated on every classifier, and --plan
# listing the stages the workflow runs.
# Usage: test_cli_pipeline_gan_seeds.sh OSGAN_BINARY TESTS_CLI_DIR
set -euo pipefail
osgan=$1; here=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 "$here/make_toy_discs.py" "$work/data" 16 3 64
python3 "$here/make_toy_discs.py" "$work/site" 6 41 48
sed 's/^  seeds: \[1, 2\]$/  seeds: [1, 2]\n  protocols: [real, real_synthetic]/; s/^  ratios: .*/  ratios: [0.5]\n  ratio_filters: [none]/' \
  "$here/pipeline_tiny.yaml" >"$work/config.yaml"
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$work/config.yaml" --threads 2 \
  --gan-seeds 2 --external "$work/site" --plan >"$work/plan.json" || fail "--plan failed"
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$work/config.yaml" --threads 2 \
  --gan-seeds 2 --external "$work/site" >"$work/log" 2>&1 || { tail -30 "$work/log"; fail "pipeline --gan-seeds 2 failed"; }

python3 - "$work" <<'PY' || fail "the GAN seeds are not what was asked"
import hashlib, json, os, sys
work = sys.argv[1]
run = f"{work}/run"
stages = [s["name"] for s in json.load(open(f"{work}/plan.json"))["stages"]]
for name in ("gan-normal", "gan-tumor-gan2", "generate-normal-gan2", "study-real_synthetic-gan2-seed2",
             "study-real_synthetic_r0.5_none-gan2-seed1", "study-real-seed2"):
    assert name in stages, (name, stages)
assert "study-real-gan2-seed1" not in stages, stages
# Each class's second GAN: its own run folder, its own images, its own seed.
digest = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
for c in ("normal", "tumor"):
    first = sorted(f for f in os.listdir(f"{run}/generated/{c}") if f.endswith(".png"))
    second = sorted(f for f in os.listdir(f"{run}/generated/{c}-gan2") if f.endswith(".png"))
    assert len(first) == len(second) == 12, (len(first), len(second))
    assert digest(f"{run}/generated/{c}/{first[0]}") != digest(f"{run}/generated/{c}-gan2/{second[0]}"), c
    assert os.path.exists(f"{run}/gan/{c}-gan2/checkpoints/latest.pt"), c
m = json.load(open(f"{run}/metrics.json"))
assert m["study"]["gan_seeds"] == 2, m["study"]
cls = m["classification"]
for p in ("real_synthetic", "real_synthetic_r0.5_none"):
    assert cls[p]["gan_seeds"] == [1, 2] and cls[p]["seeds"] == [1, 2], cls[p]
    assert len(cls[p]["auc"]["runs"]) == 4, cls[p]["auc"]
    for g, s in ((1, 1), (1, 2), (2, 1), (2, 2)):
        folder = f"{run}/study/{p}/" + (f"gan{g}_seed_{s}" if g > 1 else f"seed_{s}")
        assert json.load(open(f"{folder}/run.json"))["fingerprint"], folder
        ext = f"{run}/external/site/{p}/" + (f"gan{g}_seed_{s}" if g > 1 else f"seed_{s}") + "/predictions.csv"
        assert os.path.exists(ext), ext
    # The classifiers of the two GAN seeds trained on different images.
    a = json.load(open(f"{run}/study/{p}/seed_1/run.json"))["config"]["train_sha256"]
    b = json.load(open(f"{run}/study/{p}/gan2_seed_1/run.json"))["config"]["train_sha256"]
    assert a != b, p
assert "gan_seeds" not in cls["real"] and len(cls["real"]["auc"]["runs"]) == 2, cls["real"]
assert len(m["external"]["site"]["real_synthetic"]["auc"]["runs"]) == 4
assert m["classification"]["ratio"]["0.5"]["none"]["protocol"] == "real_synthetic_r0.5_none"
# Every GAN seed's images are scored against their class: the first seed's in full, each seed's headline numbers.
for c in ("normal", "tumor"):
    rows = m["image_quality"][c]["gan_seeds"]
    assert [r["gan"] for r in rows] == [1, 2] and rows[1]["run"] == f"image_quality/{c}-gan2", rows
    for r, name in zip(rows, (c, f"{c}-gan2")):
        iq = json.load(open(f"{run}/image_quality/{name}/metrics.json"))
        assert r["near_twins_generated"] == iq["near_twins"]["generated_at_real_count"]["share"], (r, name)
        assert r["missed_modes"] == iq["modes"]["missed_modes"], (r, name)
    assert rows[0]["near_twins_generated"] == m["image_quality"][c]["near_twins_generated"]
assert "image-quality-tumor-gan2" in stages, stages
assert open(f"{run}/report.html").read().count("<h3>Each GAN seed</h3>") == 1
PY

# A second run skips every stage; a bad count is refused with its reason.
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$work/config.yaml" --threads 2 \
  --gan-seeds 2 --external "$work/site" >"$work/log2" 2>&1 || { tail -30 "$work/log2"; fail "the rerun failed"; }
! grep -q ': running' "$work/log2" || { grep ': running' "$work/log2"; fail "the rerun redid a stage"; }
if "$osgan" pipeline --preset smoke --data "$work/data" --out "$work/bad" --gan-seeds 0 2>"$work/err"; then
  fail "--gan-seeds 0 was accepted"
fi
grep -q 'expected 1 to 100 GANs per class, got 0' "$work/err" || { cat "$work/err"; fail "no reason for --gan-seeds 0"; }
echo "ok"
