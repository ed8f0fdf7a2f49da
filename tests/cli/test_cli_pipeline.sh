#!/usr/bin/env bash
# Usage: test_cli_pipeline.sh OSGAN_BINARY TESTS_CLI_DIR
set -euo pipefail
osgan=$1; here=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 "$here/make_toy_discs.py" "$work/data" 24 7 64
# Two external sets from "another source" (other seeds, another size): one given to the pipeline, one added later.
python3 "$here/make_toy_discs.py" "$work/other_site" 10 99 48
python3 "$here/make_toy_discs.py" "$work/third_site" 8 123 80
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 2 \
  --external "$work/other_site" >"$work/log1" 2>&1 || { cat "$work/log1"; fail "pipeline exited non-zero"; }
[ -s "$work/run/report.html" ] || fail "no report.html"
grep -q 'alt="sample quality, tumor" src="data:image/svg' "$work/run/report.html" \
  || fail "the report has no sample-quality plot"
[ "$(ls "$work/run/generated/tumor" | grep -c '^synthetic_')" = 12 ] || fail "expected 12 generated tumor images"
# With two threads the study's classifiers (5 protocols and 2 ratios x 2 filters, 2 seeds each) train two at a
# time, each in a child process (`pipeline --only study-...`) with its own log; the parent counts them and gives an
# ETA once one has ended.
grep -q '^  training 18 classifiers, 2 at a time, one thread each; logs in RUN/study/<protocol>/seed_<s>/train.log$' \
  "$work/log1" || fail "the study did not train its classifiers two at a time: $(grep 'study' "$work/log1" | head -3)"
grep -Eq '^  study: ([1-9]|1[0-7])/18 classifiers done, [0-2] training, [0-9]+m[0-9]+s so far, ETA [0-9]+m[0-9]+s$' "$work/log1" \
  || fail "no progress line with an ETA once classifiers ended: $(grep '  study: ' "$work/log1" | head -2)"
grep -q '^  study: 18/18 classifiers done, 0 training' "$work/log1" \
  || fail "no progress line once all ended: $(grep '  study: ' "$work/log1" | tail -2)"
grep -q 'study: \[1/1\] real_synthetic_r0.5_nearest seed 2: training on [0-9]* images' \
  "$work/run/study/real_synthetic_r0.5_nearest/seed_2/train.log" || fail "a classifier's child log lacks its training"
[ "$(grep -c 'done earlier, reused' "$work/log1")" = 18 ] || fail "the study stage did not reuse the 18 classifiers"
python3 -c 'import json,sys; t = json.load(open(sys.argv[1]))["environment"]; assert (t["threads"], t["classifier_threads"]) == (2, 1), t' \
  "$work/run/metrics.json" || fail "metrics.json does not say that each classifier trained on one thread"

# The same study one classifier after the other in this process, on one thread (each child has one): every
# classifier's fingerprint (its training images among them) and validation probabilities are the same, digit for
# digit. (The copied folder retrains its GANs, in this process this time: the split file's path is part of their
# options.) It counts its runs and gives an ETA once one is timed.
cp -r "$work/run" "$work/run_seq"
rm -rf "$work/run_seq/study" "$work/run_seq/stages"/study*
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run_seq" --config "$here/pipeline_tiny.yaml" --threads 1 \
  --external "$work/other_site" --sequential-study >"$work/log_seq" 2>&1 \
  || { cat "$work/log_seq"; fail "pipeline --sequential-study exited non-zero"; }
grep -q 'study: \[1/18\] real seed 1: training on [0-9]* images (study [0-9]*m[0-9]*s so far)$' "$work/log_seq" \
  || fail "the study's first run: $(grep 'study: ' "$work/log_seq" | head -2)"
grep -q 'study: \[2/18\] real seed 2: training on [0-9]* images (study .* so far, ETA [0-9]*m[0-9]*s at the pace of its runs so far)$' \
  "$work/log_seq" || fail "no ETA after the study's first run: $(grep 'study: ' "$work/log_seq" | head -4)"
grep -q 'study: \[18/18\] real_synthetic_r0.5_nearest seed 2: training' "$work/log_seq" \
  || fail "the study's last run: $(grep 'study: \[' "$work/log_seq" | tail -2)"
python3 - "$work/run/study" "$work/run_seq/study" <<'PY' || fail "the classifiers trained in child processes differ from those trained one after the other"
import json, pathlib, sys
children, sequential = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
runs = sorted(p.relative_to(children) for p in children.glob("*/seed_*/run.json"))
assert len(runs) == 18, runs
for run in runs:
    a, b = json.load(open(children / run)), json.load(open(sequential / run))
    assert a["fingerprint"] == b["fingerprint"], run
    assert a["probabilities"] == b["probabilities"], (run, a["probabilities"][:3], b["probabilities"][:3])
a, b = json.load(open(children / "study.json")), json.load(open(sequential / "study.json"))
assert a["classification"] == b["classification"]
PY

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
              "fid_domain", "kid_domain", "precision", "recall", "structure_precision", "structure_recall"):
        assert k in q, k
for p in ("real", "real_classical", "synthetic", "real_synthetic", "real_synthetic_classical"):
    for k in ("accuracy", "auc", "f1", "sensitivity", "specificity"):
        v = m["classification"][p][k]
        assert len(v["runs"]) == 2 and len(v["ci95"]) == 2, (p, k, v)
        if v["mean"] is not None:
            assert v["ci95"][0] is None or v["ci95"][0] <= v["mean"] + 1e-9 <= v["ci95"][1] + 2e-9, (p, k, v)
    if p != "real":
        assert "accuracy" in m["classification"][p]["delta_vs_real"]
# External validation: every protocol's classifiers, all seeds, on the external set, aggregated like the study.
assert m["external_sets"]["other_site"]["images"] == 20 and m["external_sets"]["other_site"]["positives"] == 10
for p in ("real", "real_classical", "synthetic", "real_synthetic", "real_synthetic_classical"):
    e = m["external"]["other_site"][p]
    for k in ("accuracy", "auc", "f1", "sensitivity", "specificity"):
        assert len(e[k]["runs"]) == 2 and len(e[k]["ci95"]) == 2 and "mean" in e[k], (p, k, e[k])
    if p != "real":
        assert "accuracy" in e["delta_vs_real"], p
    for seed in (1, 2):  # the study keeps every classifier, and the external stage writes its predictions
        run = sys.argv[1].replace("metrics.json", "")
        assert open(f"{run}study/{p}/seed_{seed}/model/classifier.json").read()
        rows = open(f"{run}external/other_site/{p}/seed_{seed}/predictions.csv").read().split("\n")
        assert rows[0].startswith("id,source,label,probability_tumor") and len([r for r in rows[1:] if r]) == 20, rows[:2]
# The modes of each class's training side (contrast and plane) with real and generated shares, near twins, the
# structure space at equal counts beside the real halves; the audit's modes per class with shortcut warnings.
for c in ("normal", "tumor"):
    q = m["image_quality"][c]
    md = q["modes"]
    assert md["k"] == len(md["modes"]) >= 2 and q["missed_modes"] == md["missed_modes"], md
    assert abs(sum(r["real_share"] for r in md["modes"]) - 1) < 1e-9, md
    assert abs(sum(r["generated_share"] for r in md["modes"]) - 1) < 1e-9, md
    assert md["missed_modes"] == sum(r["missed"] for r in md["modes"]), md
    # Fitted at 128 px, the GAN's 64 px images assigned: the instrument's check of that size is reported.
    ag = md["real_agreement_at_generated_size"]
    assert ag["size"] == 64 and 0 <= ag["share"] <= 1, ag
    run = sys.argv[1].replace("metrics.json", "")
    assert open(run + md["grid"], "rb").read(8) == b"\x89PNG\r\n\x1a\n", md["grid"]
    assert open(run + f"image_quality/{c}/mode_model.json").read()
    assert "near_twins_real" in q and "near_twins_generated" in q, q
    # At equal counts only when there are as many generated images as real ones (here 12 against about 17).
    at_real_count = ("structure_precision_at_real_count", "structure_recall_halves_real", "structure_coverage_at_real_count")
    assert all((k in q) == (m["generated"][c] >= m["split"]["train"][c]) for k in at_real_count), q
a = m["audit"]["modes"]
assert set(a["share_per_class"]) == {"normal", "tumor"} and isinstance(a["warnings"], list), a
for k in ("osgan", "libtorch", "device", "threads"):
    assert k in m["environment"], k
assert "audit" in m["timing"] and "study" in m["timing"]
assert isinstance(m["audit"]["near_duplicate_pairs"], list) and isinstance(m["audit"]["outliers"], list)
PY

grep -q 'Modes: does each contrast and plane get its share' "$work/run/report.html" && grep -q 'alt="modes of tumor' "$work/run/report.html" \
  || fail "the report has no per-class mode table and grid"
grep -q 'Modes: contrast and plane' "$work/run/report.html" || fail "the report's audit has no mode shares"

# The ratio sweep (study.ratios [0.25, 0.5], both filters): its classifiers, the table in metrics.json with both
# ends of the sweep (0 = real, all = real_synthetic), the counts each point adds, and the same on the external set.
python3 - "$work/run" <<'PY' || fail "the ratio sweep is not what was asked"
import json, sys
run = sys.argv[1]
m = json.load(open(f"{run}/metrics.json"))
study = json.load(open(f"{run}/study/study.json"))
train = m["split"]["train"]
for table in (m["classification"]["ratio"], m["external"]["other_site"]["ratio"]):
    assert sorted(table) == ["0", "0.25", "0.5", "all"], sorted(table)
    assert list(table["0"]) == ["none"] and list(table["all"]) == ["none"], table
    assert table["0"]["none"]["delta_vs_real"]["auc"] == {"mean": 0.0, "ci95": [0.0, 0.0]}, table["0"]
    for r in ("0.25", "0.5"):
        assert sorted(table[r]) == ["nearest", "none"], table[r]
        for f in ("none", "nearest"):
            e = table[r][f]
            assert e["protocol"] == f"real_synthetic_r{r}_{f}", e
            for c in ("normal", "tumor"):  # round(ratio x the class's real training images)
                assert e["synthetic_per_class"][c] == int(float(r) * train[c] + 0.5), (r, c, e)
            for k in ("accuracy", "auc"):
                assert len(e[k]["ci95"]) == 2 and len(e["delta_vs_real"][k]["ci95"]) == 2, e
    assert table["all"]["none"]["synthetic_per_class"] == {"normal": 12, "tumor": 12}, table["all"]
for f in ("none", "nearest"):  # each point's classifiers trained on the real images plus its generated ones
    for seed in (1, 2):
        r = json.load(open(f"{run}/study/real_synthetic_r0.5_{f}/seed_{seed}/run.json"))
        n = sum(train.values()) + sum(int(0.5 * train[c] + 0.5) for c in ("normal", "tumor"))
        assert r["config"]["train_images"] == n, (f, seed, r["config"]["train_images"], n)
# The nearest filter chooses other images than the first ones (same count, other content).
a = json.load(open(f"{run}/study/real_synthetic_r0.5_none/seed_1/run.json"))["config"]["train_sha256"]
b = json.load(open(f"{run}/study/real_synthetic_r0.5_nearest/seed_1/run.json"))["config"]["train_sha256"]
assert a != b, "the nearest filter chose the same images as no filter"
# The main table keeps the five protocols; the sweep's points are not rows of it.
assert "real_synthetic_r0.25_none" in study["classification"] and "real_synthetic_r0.25_none" in m["classification"]
PY
grep -q 'How many synthetic images' "$work/run/report.html" || fail "the report has no ratio sweep section"
python3 - "$work/run/report.html" <<'PY' || fail "the ratio sweep's points are rows of the main protocol table"
import sys
html = open(sys.argv[1]).read()
start = html.index('<section id="classification">')
main_table = html[start:html.index("</section>", start)]
assert '<div class="key">real_synthetic</div>' in main_table
assert "real_synthetic_r0.25_none" not in main_table
ratio = html[html.index('<section id="ratio">'):]
assert '<div class="key">real_synthetic_r0.25_none</div>' in ratio
PY

# A ratio whose images the generated folders cannot hold is refused once the split is known, before any GAN.
sed 's/^  ratios: .*/  ratios: [5]/' "$here/pipeline_tiny.yaml" >"$work/too_many.yaml"
if "$osgan" pipeline --preset smoke --data "$work/data" --out "$work/too_many" --config "$work/too_many.yaml" \
    --threads 1 >"$work/too_many.log" 2>&1; then
  fail "a ratio of 5 with 12 generated images per class was accepted"
fi
grep -q 'study.ratios: ratio 5 asks for' "$work/too_many.log" || { cat "$work/too_many.log"; fail "no one-line reason"; }
[ ! -e "$work/too_many/gan" ] || fail "GANs were trained before the ratio was refused"
grep -q '<section id="external">' "$work/run/report.html" && grep -q 'AUC, external' "$work/run/report.html" \
  || fail "the report has no external-validation table"

# A second run finds every stage complete and skips it.
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 2 \
  --external "$work/other_site" >"$work/log2" 2>&1 || { cat "$work/log2"; fail "second run failed"; }
[ "$(grep -c 'up to date' "$work/log2")" = 10 ] || { cat "$work/log2"; fail "expected 10 skipped stages"; }

# A bad external folder is one clear error before anything runs, and costs nothing already computed: a missing
# folder, and a folder whose classes are not the study's.
cp "$work/run/study/study.json" "$work/study_before.json"
mkdir -p "$work/one_class/tumor" && cp "$work/other_site/tumor/"*.png "$work/one_class/tumor/"
for bad in "$work/no_such_site" "$work/one_class"; do
  set +e
  "$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 2 \
    --external "$work/other_site" --external "$bad" >"$work/out_bad" 2>"$work/log_bad"; rc=$?
  set -e
  [ $rc = 1 ] || fail "bad external set $bad: rc $rc"
  grep 'error' "$work/log_bad" >"$work/err" || true
  [ "$(wc -l <"$work/err")" = 1 ] && grep -q "$(basename "$bad")" "$work/err" || fail "bad external set: $(cat "$work/log_bad")"
  ! grep -q 'running\|up to date' "$work/log_bad" || fail "a bad external set still ran stages: $(cat "$work/log_bad")"
done
grep -q 'one class ("tumor")' "$work/err" || fail "one-class external set: $(cat "$work/err")"
cmp -s "$work/run/study/study.json" "$work/study_before.json" || fail "a bad external set changed the study"
[ -s "$work/run/external/other_site/results.json" ] || fail "a bad external set removed earlier external results"

# A classifier that fails in its child process fails the study, naming the classifier, its last log line and its
# log (here its folder is read-only); the classifiers that ended are kept, and the same command then trains only
# the ones missing.
rm -rf "$work/run/study/synthetic"
set +e
OSGAN_TEST_READ_ONLY_DIR="$work/run/study/synthetic" "$osgan" pipeline --preset smoke --data "$work/data" \
  --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 2 --external "$work/other_site" --force study \
  >"$work/log_ro" 2>&1
rc=$?
set -e
[ $rc = 1 ] || { cat "$work/log_ro"; fail "a failed classifier: expected exit status 1, got $rc"; }
grep -q "study: the classifier synthetic seed [12] failed (exit status 1): .*[Rr]ead-only.*\[full log: $work/run/study/synthetic/seed_[12]/train.log\]" \
  "$work/log_ro" || fail "a failed classifier's error: $(tail -2 "$work/log_ro")"
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 2 \
  --external "$work/other_site" --force study >"$work/log_again" 2>&1 || { cat "$work/log_again"; fail "the rerun after a failed classifier failed"; }
grep -q '^  training 2 classifiers, 2 at a time' "$work/log_again" \
  || fail "the rerun did not train exactly the 2 missing classifiers: $(grep 'classifiers' "$work/log_again" | head -2)"
cmp -s <(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["probabilities"])' "$work/run/study/synthetic/seed_1/run.json") \
  <(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["probabilities"])' "$work/run_seq/study/synthetic/seed_1/run.json") \
  || fail "the retrained classifier differs from the first"
# study.json changed (the two runs' seconds), so the external set is evaluated again and stays in metrics.json.
grep -q 'external-other_site: running' "$work/log_again" || fail "the external set was not evaluated with the new study"
grep -q '"other_site"' "$work/run/metrics.json" || fail "the external set left metrics.json after a classifier was retrained"

# A damaged result (its probabilities gone, its fingerprint intact) is trained again, here in this process: one
# classifier alone gains nothing from a child.
python3 - "$work/run/study/real/seed_2/run.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
json.dump({"fingerprint": run["fingerprint"], "seconds": run["seconds"]}, open(sys.argv[1], "w"))
PY
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 2 \
  --external "$work/other_site" --force study >"$work/log_damaged" 2>&1 || { cat "$work/log_damaged"; fail "the rerun after a damaged result failed"; }
grep -q 'study: \[2/18\] real seed 2: training on' "$work/log_damaged" && ! grep -q 'classifiers, 2 at a time' "$work/log_damaged" \
  || fail "a damaged result was not trained again in the process: $(grep study "$work/log_damaged" | head -4)"
# Later: another external set on the kept classifiers, without retraining; metrics.json and the report gain it.
"$osgan" evaluate-study --run "$work/run" --data "$work/third_site" --threads 2 >"$work/log_es" 2>&1 \
  || { cat "$work/log_es"; fail "evaluate-study failed"; }
grep -q "real_synthetic" "$work/log_es" || fail "evaluate-study printed no table: $(cat "$work/log_es")"
python3 - "$work/run/metrics.json" <<'PY' || fail "evaluate-study did not add its set to metrics.json"
import json, sys
m = json.load(open(sys.argv[1]))
assert set(m["external"]) == {"other_site", "third_site"}, list(m["external"])
assert m["external_sets"]["third_site"]["images"] == 16
assert len(m["external"]["third_site"]["real"]["auc"]["runs"]) == 2
assert sorted(m["external"]["third_site"]["ratio"]) == ["0", "0.25", "0.5", "all"], m["external"]["third_site"].get("ratio")
PY
grep -q 'third_site' "$work/run/report.html" || fail "the report was not rebuilt with the new external set"

# evaluate with several models: each, then the mean and interval over them.
"$osgan" evaluate --model "$work/run/study/real/seed_1/model" --model "$work/run/study/real/seed_2/model" \
  --data "$work/third_site" --out "$work/eval2" --bootstrap 50 >"$work/log_ev" 2>&1 || { cat "$work/log_ev"; fail "evaluate, 2 models"; }
grep -q "mean over 2 models" "$work/log_ev" || fail "evaluate, 2 models: $(cat "$work/log_ev")"
python3 - "$work/eval2/results.json" <<'PY' || fail "evaluate, 2 models: results.json"
import json, sys
r = json.load(open(sys.argv[1]))
auc = r["classification"]["models"]["auc"]
assert len(auc["runs"]) == 2 and abs(auc["mean"] - sum(auc["runs"]) / 2) < 1e-9, auc
PY
set +e
"$osgan" evaluate-study --run "$work/data" --data "$work/third_site" 2>"$work/err"; rc=$?
set -e
[ $rc = 1 ] && grep -q "study.json" "$work/err" || fail "evaluate-study on a folder without a study: rc $rc, $(cat "$work/err")"
# --force redoes exactly the named stage (and nothing upstream).
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 2 --force study \
  >"$work/log3" 2>&1 || { cat "$work/log3"; fail "forced run failed"; }
grep -q 'study: running' "$work/log3" || fail "--force study did not rerun the study"
grep -q 'gan-tumor: up to date' "$work/log3" || fail "--force study retrained a GAN"
# The set evaluate-study added is kept: the study's classifiers are the same (every run was reused).
grep -q '"third_site"' "$work/run/metrics.json" || fail "a pipeline rerun dropped the set evaluate-study had added"
# A saved classifier is reused only for the same training images: one changed synthetic image (same count) retrains
# the protocols that use synthetic images, and only those.
gen="$work/run/generated/tumor"
! cmp -s "$gen/synthetic_00001.png" "$gen/synthetic_00002.png" || fail "two generated images are identical"
cp "$gen/synthetic_00002.png" "$gen/synthetic_00001.png"
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 2 --force study \
  --sequential-study >"$work/log4" 2>&1 || { cat "$work/log4"; fail "run after changing a synthetic image failed"; }
grep -q 'study: \[[0-9]*/18\] synthetic seed 1: training on [0-9]* images (study .* so far)$' "$work/log4" \
  || fail "a changed synthetic image did not retrain, or the study gave an ETA before timing a run of its own: $(grep study: "$work/log4")"
grep -q 'study: \[[0-9]*/18\] synthetic seed 2: training .*, ETA ' "$work/log4" || fail "no ETA once a run was timed: $(grep study: "$work/log4")"
grep -q 'study: real seed 1: done earlier, reused' "$work/log4" || fail "the real-only runs were not reused"
# The retrained ones trained on the process's two threads, the reused ones on one each: metrics.json says both.
python3 -c 'import json,sys; t = json.load(open(sys.argv[1]))["environment"]["classifier_threads"]; assert t == "1, 2", t' \
  "$work/run/metrics.json" || fail "metrics.json does not list both thread counts of the study's classifiers"
# ... and the set evaluate-study added, now from an earlier study, is left out, with a warning that says how to redo it.
! grep -q '"third_site"' "$work/run/metrics.json" || fail "a set evaluated with an earlier study stayed in metrics.json"
grep -q 'third_site.*earlier study.*evaluate-study --run' "$work/log4" || fail "no warning about the left-out set: $(cat "$work/log4")"

# Another positive class redoes the study (the labels flip: no classifier is reused) and what follows it.
sed 's/^  bootstrap: 50$/  bootstrap: 50\n  positive_class: normal/' "$here/pipeline_tiny.yaml" >"$work/normal_positive.yaml"
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$work/normal_positive.yaml" --threads 2 \
  >"$work/log5" 2>&1 || { cat "$work/log5"; fail "run with positive_class normal failed"; }
grep -q 'study: running' "$work/log5" || fail "a changed positive class did not redo the study: $(grep study "$work/log5" | head -3)"
grep -q '^  training 18 classifiers, 2 at a time' "$work/log5" || fail "a changed positive class reused a classifier"
grep -q 'gan-tumor: up to date' "$work/log5" || fail "a changed positive class retrained a GAN"
grep -q '"classification_positive_class": "normal"' "$work/run/metrics.json" || fail "metrics.json keeps the old positive class"

# Bad input: a missing data folder is a runtime error (1) naming it; a bad preset is a usage error (2).
set +e
"$osgan" pipeline --data "$work/nope" --out "$work/run2" 2>"$work/err"; rc=$?
[ $rc = 1 ] && grep -q "nope" "$work/err" || fail "missing folder: rc $rc, $(cat "$work/err")"
"$osgan" pipeline --data "$work/data" --out "$work/run3" --preset huge 2>"$work/err"; rc=$?
[ $rc = 2 ] || fail "bad preset: rc $rc, $(cat "$work/err")"
echo "cli_pipeline: all checks passed"
