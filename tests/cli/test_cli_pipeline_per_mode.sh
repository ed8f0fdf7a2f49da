#!/usr/bin/env bash
# The pipeline's gan.per_mode: each class's GAN stage fits the modes of its training side, fine-tunes one GAN per
# mode on that mode's slices (from the anatomy stage), and generation draws each mode in its real share. Then
# gan.mode_condition (one GAN conditioned on the modes) and gan.mode_balance (batches drawn evenly across them).
# Usage: test_cli_pipeline_per_mode.sh OSGAN_BINARY TESTS_CLI_DIR
set -euo pipefail
osgan=$1; here=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 "$here/make_toy_discs.py" "$work/data" 12 5 64
cat >"$work/png_text.py" <<'PY'
def png_text(path):  # tEXt chunks of a PNG, key -> value
    data, text, at = open(path, "rb").read(), {}, 8
    while at < len(data):
        n = int.from_bytes(data[at:at + 4], "big"); tag = data[at + 4:at + 8]; body = data[at + 8:at + 8 + n]
        if tag == b"tEXt":
            k, v = body.split(b"\0", 1); text[k.decode()] = v.decode()
        at += 12 + n
    return text
PY
config() {  # the tiny pipeline with gan.$1: $2, anatomy stage of 3 steps, a one-protocol, one-seed study
  sed 's/^gan:$/gan:\n  anatomy_steps: 3\n  '"$1: $2"'/; s/^  seeds: \[1, 2\]$/  seeds: [1]\n  protocols: [synthetic]/; /^  ratios:/d' \
    "$here/pipeline_tiny.yaml" >"$work/$1_$2.yaml"
  echo "$work/$1_$2.yaml"
}
class_stages_redone() {  # LOG KEY: every class's GAN and generation ran again, the shared anatomy stage did not
  for stage in gan-normal gan-tumor generate-normal generate-tumor; do
    grep -q "$stage: running" "$work/$1" || { cat "$work/$1"; fail "$stage was not redone after $2 changed"; }
  done
  grep -q 'gan-_anatomy: up to date' "$work/$1" || fail "the anatomy stage was redone though only $2 changed"
}
refused() {  # GAN_SECTION EXPECTED: a config whose gan section holds GAN_SECTION exits 2 with EXPECTED in its error
  printf 'gan:\n%b\n' "$1" >"$work/refused.yaml"
  set +e
  "$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$work/refused.yaml" 2>"$work/err"; rc=$?
  set -e
  [ $rc = 2 ] && grep -q "$2" "$work/err" || fail "gan: $1: rc $rc, $(cat "$work/err")"
}
run() {  # run LOG CONFIG
  "$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$2" --threads 2 >"$work/$1" 2>&1 \
    || { cat "$work/$1"; fail "pipeline ($1) exited non-zero"; }
}

run log1 "$(config per_mode true)"
grep -q 'GANs, 2 at a time, 1 thread(s) each' "$work/log1" || { cat "$work/log1"; fail "the mode GANs were not queued two at a time"; }
PYTHONPATH="$work" python3 - "$work/run" <<'PY' || fail "the per-mode GANs or their images are not what was asked"
import glob, json, re, sys
from png_text import png_text
run = sys.argv[1]
split = json.load(open(f"{run}/split.json"))
train = {c: sorted(s["id"] for s in split["samples"] if s["label"] == c and s["side"] == "train") for c in ("normal", "tumor")}


m = json.load(open(f"{run}/metrics.json"))
for c in ("normal", "tumor"):
    modes = json.load(open(f"{run}/gan/{c}/modes.json"))
    k = modes["k"]
    assert modes["format"] == "osgan-class-modes" and modes["class"] == c and k >= 3 and len(modes["members"]) == k, modes
    # The modes partition the class's training side: every training slice once, nothing of the held-out side.
    assert sorted(i for ms in modes["members"] for i in ms) == train[c], (modes["members"], train[c])
    for j, members in enumerate(modes["members"]):
        s = json.load(open(f"{run}/gan/{c}/mode_{j}/summary.json"))
        assert s["training_images"] == len(members) and s["steps"] == 6, (j, s)
        assert s["init_from"].endswith("gan/_anatomy/checkpoints/latest.pt"), s
        cfg = open(f"{run}/gan/{c}/mode_{j}/config.yaml").read()
        assert all(i in cfg for i in members), (j, "config.yaml does not list the mode's slices")
    summary = json.load(open(f"{run}/gan/{c}/summary.json"))
    assert summary["per_mode"] and len(summary["modes"]) == k, summary
    assert m["gan"][c]["per_mode"]["modes"] == k and m["gan"][c]["losses_csv"] == f"gan/{c}/mode_0/losses.csv", m["gan"][c]
    # 12 images, each mode in its share of the training slices (largest remainder), interleaved in file order.
    files = sorted(glob.glob(f"{run}/generated/{c}/synthetic_*.png"))
    assert len(files) == 12, len(files)
    comps = [int(png_text(f)["osgan:mixture_component"]) for f in files]
    n = [len(ms) for ms in modes["members"]]
    exact = [12 * x / sum(n) for x in n]
    counts = [comps.count(j) for j in range(k)]
    assert all(abs(counts[j] - exact[j]) < 1 for j in range(k)) and sum(counts) == 12, (counts, exact)
    assert comps[0] == max(range(k), key=lambda j: (n[j], -j)), comps  # the largest mode leads
PY
grep -q 'One GAN per mode of this class (contrast and plane): [0-9]* modes of [0-9 /]* training slices' "$work/run/report.html" \
  && grep -q 'One GAN per mode of each class (One-Shot GAN' "$work/run/report.html" \
  || fail "the report does not say that each class has one GAN per mode"

# osgan generate on the class folder draws the modes as the generate stage did: the same images, bit for bit.
seed=$(PYTHONPATH="$work" python3 -c 'import sys; from png_text import png_text; print(png_text(sys.argv[1])["osgan:seed"])' \
  "$work/run/generated/tumor/synthetic_00001.png")  # the seed the pipeline drew with
"$osgan" generate --checkpoint "$work/run/gan/tumor" --count 12 --out "$work/again" --seed "$seed" --threads 2 \
  >"$work/gen.log" 2>&1 || { cat "$work/gen.log"; fail "generate on a per-mode class folder failed"; }
for f in "$work/run/generated/tumor"/synthetic_*.png; do
  cmp -s "$f" "$work/again/$(basename "$f")" || fail "generate on the class folder drew another $(basename "$f") than the pipeline"
done

# Unchanged: every stage is skipped.
run log2 "$(config per_mode true)"
! grep -q ': running' "$work/log2" || { cat "$work/log2"; fail "an unchanged per-mode run redid a stage"; }

# Off again: the class GANs (and what follows them) are redone as one GAN per class.
run log3 "$(config per_mode false)"
class_stages_redone log3 per_mode
[ -f "$work/run/gan/tumor/checkpoints/latest.pt" ] && [ ! -e "$work/run/gan/tumor/modes.json" ] \
  || fail "gan/tumor is not a single GAN after per_mode: false"

# gan.mode_condition: one GAN per class conditioned on the class's modes; each image drawn in its mode's share.
run log4 "$(config mode_condition true)"
class_stages_redone log4 mode_condition
PYTHONPATH="$work" python3 - "$work/run" <<'PY' || fail "the mode-conditioned GANs or their images are not what was asked"
import glob, json, re, sys
from png_text import png_text
run = sys.argv[1]
split = json.load(open(f"{run}/split.json"))
train = {c: sorted(s["id"] for s in split["samples"] if s["label"] == c and s["side"] == "train") for c in ("normal", "tumor")}


for c in ("normal", "tumor"):
    modes = json.load(open(f"{run}/gan/{c}/modes.json"))
    k = modes["k"]
    assert sorted(i for ms in modes["members"] for i in ms) == train[c], "the modes do not partition the training side"
    s = json.load(open(f"{run}/gan/{c}/summary.json"))
    assert s["training_images"] == len(train[c]) and s["init_from"].endswith("gan/_anatomy/checkpoints/latest.pt"), s
    # config.yaml: every training slice listed once, with the mode modes.json gives it.
    cfg = open(f"{run}/gan/{c}/config.yaml").read()
    listed = re.search(r"^samples:\n((?:  - .*\n)+)", cfg, re.M).group(1).split("\n")[:-1]
    listed = [l[4:].strip().strip('"') for l in listed]
    given = [int(x) for x in re.search(r"^sample_modes: \[(.*)\]$", cfg, re.M).group(1).split(",")]
    want = {i: j for j, ms in enumerate(modes["members"]) for i in ms}
    assert sorted(listed) == train[c] and [want[i] for i in listed] == given, (listed, given, want)
    files = sorted(glob.glob(f"{run}/generated/{c}/synthetic_*.png"))
    drawn = [int(png_text(f)["osgan:mode"]) for f in files]
    n = [len(ms) for ms in modes["members"]]
    counts = [drawn.count(j) for j in range(k)]
    assert len(files) == 12 and all(abs(counts[j] - 12 * n[j] / sum(n)) < 1 for j in range(k)), (counts, n)
    assert "osgan:mixture_component" not in png_text(files[0])  # one GAN, not a mixture
    m = json.load(open(f"{run}/metrics.json"))["gan"][c]["mode_condition"]
    assert m["modes"] == k and m["training_images"] == n, m
PY
grep -q 'Conditioned on the modes of this class (contrast and plane): [0-9]* modes of [0-9 /]* training slices' \
  "$work/run/report.html" || fail "the report does not say that each class's GAN is conditioned on its modes"
refused '  per_mode: true\n  mode_condition: true' "set one of them"

# gan.mode_balance alone: each class's GAN told its slices' modes to draw its batches evenly, not conditioned on them.
run log5 "$(config mode_balance 1)"
class_stages_redone log5 mode_balance
PYTHONPATH="$work" python3 - "$work/run" <<'PY' || fail "the mode-balanced GANs or their images are not what was asked"
import glob, json, re, sys
from png_text import png_text
run = sys.argv[1]
for c in ("normal", "tumor"):
    modes = json.load(open(f"{run}/gan/{c}/modes.json"))
    cfg = open(f"{run}/gan/{c}/config.yaml").read()
    assert re.search(r"^mode_balance: 1$", cfg, re.M) and re.search(r"^condition_on_modes: false$", cfg, re.M), cfg
    listed = [l[4:].strip().strip('"') for l in re.search(r"^samples:\n((?:  - .*\n)+)", cfg, re.M).group(1).split("\n")[:-1]]
    given = [int(x) for x in re.search(r"^sample_modes: \[(.*)\]$", cfg, re.M).group(1).split(",")]
    want = {i: j for j, ms in enumerate(modes["members"]) for i in ms}
    assert [want[i] for i in listed] == given, (listed, given, want)
    files = sorted(glob.glob(f"{run}/generated/{c}/synthetic_*.png"))
    assert len(files) == 12 and "osgan:mode" not in png_text(files[0])  # unconditioned: no mode to draw in
    m = json.load(open(f"{run}/metrics.json"))["gan"][c]
    assert "mode_condition" not in m and m["mode_balance"]["balance"] == 1, m
    assert m["mode_balance"]["training_images"] == [len(ms) for ms in modes["members"]], m
PY
grep -q 'Batches balanced across the modes of this class (contrast and plane): [0-9]* modes of [0-9 /]* training slices, mode_balance 1' \
  "$work/run/report.html" || fail "the report does not say that each class's batches are balanced across its modes"
refused '  per_mode: true\n  mode_balance: 0.5' "gan.mode_balance draws the modes of one GAN's training side"
refused '  mode_balance: 1\n  condition_on_modes: false' "gan.condition_on_modes is chosen by the pipeline"

# The pipeline chooses each GAN's images: a samples list in the config is refused.
refused '  per_mode: true\n  samples: [tumor/x.png]' "gan.samples is chosen by the pipeline"
echo "cli_pipeline_per_mode: all checks passed"
