#!/usr/bin/env bash
# Usage: test_cli_pipeline.sh OSGAN_BINARY TESTS_CLI_DIR
set -euo pipefail
osgan=$1; here=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 "$here/make_toy_discs.py" "$work/data" 24 7 64
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 2 \
  >"$work/log1" 2>&1 || { cat "$work/log1"; fail "pipeline exited non-zero"; }
[ -s "$work/run/report.html" ] || fail "no report.html"
grep -q 'alt="sample quality, tumor" src="data:image/svg' "$work/run/report.html" \
  || fail "the report has no sample-quality plot"
[ "$(ls "$work/run/generated/tumor" | grep -c '^synthetic_')" = 12 ] || fail "expected 12 generated tumor images"

python3 - "$work/run/metrics.json" <<'PY' || fail "metrics.json lacks keys"
import json, sys
m = json.load(open(sys.argv[1]))
for c in ("normal", "tumor"):
    assert m["dataset"]["classes"][c] == 24, m["dataset"]
    assert m["split"]["train"][c] + m["split"]["val"][c] == 24
    assert m["gan"][c]["steps"] == 6 and m["generated"][c] == 12
    # Sample quality scored at steps 3 and 6, listed for the report's quality-by-step plot.
    rows = open(sys.argv[1].replace("metrics.json", m["gan"][c]["quality_csv"])).read().split()
    assert rows[0].startswith("step,") and [r.split(",")[0] for r in rows[1:]] == ["3", "6"], rows
    q = m["image_quality"][c]
    for k in ("histogram_w1", "diversity_generated", "diversity_real", "memorisation_max_ssim", "memorised_share",
              "fid_domain", "kid_domain", "precision", "recall"):
        assert k in q, k
for p in ("real", "real_classical", "synthetic", "real_synthetic", "real_synthetic_classical"):
    for k in ("accuracy", "auc", "f1", "sensitivity", "specificity"):
        v = m["classification"][p][k]
        assert len(v["runs"]) == 2 and len(v["ci95"]) == 2, (p, k, v)
        if v["mean"] is not None:
            assert v["ci95"][0] is None or v["ci95"][0] <= v["mean"] + 1e-9 <= v["ci95"][1] + 2e-9, (p, k, v)
    if p != "real":
        assert "accuracy" in m["classification"][p]["delta_vs_real"]
for k in ("osgan", "libtorch", "device", "threads"):
    assert k in m["environment"], k
assert "audit" in m["timing"] and "study" in m["timing"]
assert isinstance(m["audit"]["near_duplicate_pairs"], list) and isinstance(m["audit"]["outliers"], list)
PY

# A second run finds every stage complete and skips it.
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 2 >"$work/log2" 2>&1 \
  || { cat "$work/log2"; fail "second run failed"; }
[ "$(grep -c 'up to date' "$work/log2")" = 9 ] || { cat "$work/log2"; fail "expected 9 skipped stages"; }
# --force redoes exactly the named stage (and nothing upstream).
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 2 --force study \
  >"$work/log3" 2>&1 || { cat "$work/log3"; fail "forced run failed"; }
grep -q 'study: running' "$work/log3" || fail "--force study did not rerun the study"
grep -q 'gan-tumor: up to date' "$work/log3" || fail "--force study retrained a GAN"

# Bad input: a missing data folder is a runtime error (1) naming it; a bad preset is a usage error (2).
set +e
"$osgan" pipeline --data "$work/nope" --out "$work/run2" 2>"$work/err"; rc=$?
[ $rc = 1 ] && grep -q "nope" "$work/err" || fail "missing folder: rc $rc, $(cat "$work/err")"
"$osgan" pipeline --data "$work/data" --out "$work/run3" --preset huge 2>"$work/err"; rc=$?
[ $rc = 2 ] || fail "bad preset: rc $rc, $(cat "$work/err")"
echo "cli_pipeline: all checks passed"
