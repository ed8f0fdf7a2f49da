#!/usr/bin/env bash
# The cascade in the pipeline (config upsampler.size): each class GAN gets an upsampler trained on that class's
# training images, and the generated images come out at the upsampler's size, tagged with it. Also the
# train-upsampler command and its one-line errors.
# Usage: test_cli_pipeline_upsampler.sh OSGAN_BINARY TESTS_CLI_DIR
set -euo pipefail
osgan=$1; here=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 "$here/make_toy_discs.py" "$work/data" 12 5 64
config() {  # the tiny pipeline (64 px GANs), an upsampler to 128 px of $1 steps, a two-protocol, one-seed study
  sed 's/^  seeds: \[1, 2\]$/  seeds: [1]\n  protocols: [real, synthetic]/; /^  ratios:/d' "$here/pipeline_tiny.yaml" >"$work/up_$1.yaml"
  printf 'upsampler:\n  size: 128\n  steps: %s\n  batch: 4\n  crop: 64\n  channels: 8\n  blocks: 1\n' "$1" >>"$work/up_$1.yaml"
  echo "$work/up_$1.yaml"
}
run() {  # run LOG CONFIG
  "$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$2" --threads 2 >"$work/$1" 2>&1 \
    || { cat "$work/$1"; fail "pipeline ($1) exited non-zero"; }
}

"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/run" --config "$(config 4)" --plan >"$work/plan.json"
python3 - "$work/plan.json" <<'PY' || fail "the plan does not put each upsampler between its GAN and its generation"
import json, sys
stages = {s["name"]: s for s in json.load(open(sys.argv[1]))["stages"]}
for c in ("normal", "tumor"):
    assert stages[f"upsampler-{c}"]["needs"] == [f"gan-{c}"] and stages[f"upsampler-{c}"]["kind"] == "upsampler"
    assert f"upsampler-{c}" in stages[f"generate-{c}"]["needs"], stages[f"generate-{c}"]
PY

run log1 "$(config 4)"
python3 - "$work/run" <<'PY' || fail "the upsampled images or the upsampler runs are not what was asked"
import glob, hashlib, json, struct, sys
run = sys.argv[1]

def png(path):  # (width, height, tEXt chunks)
    data, text, at = open(path, "rb").read(), {}, 8
    w, h = struct.unpack(">II", data[16:24])
    while at < len(data):
        n = int.from_bytes(data[at:at + 4], "big"); tag = data[at + 4:at + 8]; body = data[at + 8:at + 8 + n]
        if tag == b"tEXt":
            k, v = body.split(b"\0", 1); text[k.decode()] = v.decode()
        at += 12 + n
    return w, h, text

m = json.load(open(f"{run}/metrics.json"))
for c in ("normal", "tumor"):
    s = json.load(open(f"{run}/upsampler/{c}/summary.json"))
    assert s["from_size"] == 64 and s["size"] == 128 and s["steps"] == 4, s
    assert s["training_images"] + s["held_back_images"] == len(
        [x for x in json.load(open(f"{run}/split.json"))["samples"] if x["label"] == c and x["side"] == "train"]), s
    assert json.load(open(f"{run}/upsampler/{c}/config.json"))["gan_run"].endswith(f"gan/{c}")
    sha = hashlib.sha256(open(f"{run}/upsampler/{c}/checkpoints/latest.pt", "rb").read()).hexdigest()
    files = sorted(glob.glob(f"{run}/generated/{c}/synthetic_*.png"))
    assert len(files) == 12, len(files)
    for f in files:
        w, h, text = png(f)
        assert (w, h) == (128, 128), (f, w, h)
        assert text["osgan:upsampler_sha256"] == sha and text["osgan:upsampler_step"] == "4", text
    up = m["gan"][c]["upsampler"]
    assert up["size"] == 128 and up["from_size"] == 64 and up["steps"] == 4 and "psnr_upsampler" in up["held_back"], up
    # The image-quality stage reads the modes of the generated images at their full 128 px.
    iq = json.load(open(f"{run}/image_quality/{c}/metrics.json"))
    assert iq["modes"]["generated_size"] == 128, iq["modes"].get("generated_size")
    # The classifiers read every image at the generated images' 128 px (classifier.image_size 0), so the domain space
    # (the real protocol's classifier) does too; the other spaces keep the GAN's size.
    assert iq["features"]["image_size"] == 128 and iq["image_size"] == 64, (iq["features"].get("image_size"), iq["image_size"])
for protocol in ("real", "synthetic"):
    saved = json.load(open(f"{run}/study/{protocol}/seed_1/model/classifier.json"))
    assert saved["preprocess"]["size"] == 128 and saved["model"]["image_size"] == 128, (protocol, saved)
assert m["study"]["classifier"]["model"]["image_size"] == 128, m["study"]["classifier"]
PY
grep -q 'by a cascade upsampler trained 4 steps on' "$work/run/report.html" || fail "the report does not name the upsampler"

# Unchanged: every stage is skipped. Another upsampler setting: the upsamplers and what follows, not the GANs.
run log2 "$(config 4)"
! grep -q ': running' "$work/log2" || { cat "$work/log2"; fail "an unchanged run redid a stage"; }
run log3 "$(config 6)"
for stage in upsampler-normal upsampler-tumor generate-normal generate-tumor; do
  grep -q "$stage: running" "$work/log3" || { cat "$work/log3"; fail "$stage was not redone after upsampler.steps changed"; }
done
grep -q 'gan-tumor: up to date' "$work/log3" || fail "the GAN was redone though only the upsampler changed"

# Bad settings: one line naming the file, exit 2.
expect_refused() {  # expect_refused YAML_TEXT WORDS
  printf "$1" >"$work/bad.yaml"
  set +e
  "$osgan" pipeline --preset smoke --data "$work/data" --out "$work/bad" --config "$work/bad.yaml" 2>"$work/err"; rc=$?
  set -e
  [ $rc = 2 ] && grep -q "$2" "$work/err" && [ "$(wc -l <"$work/err")" = 1 ] || fail "rc $rc for: $1: $(cat "$work/err")"
}
expect_refused 'upsampler:\n  size: 96\n' "bad.yaml: upsampler.size 96 is not the GAN's 64 px times"
expect_refused 'upsampler:\n  size: 128\n  crop: 31\n' "bad.yaml: upsampler. .*--crop 31 is not a multiple of the factor 2"
expect_refused 'upsampler:\n  size: 256\n  stages: 2\n' "unknown key upsampler.stages"

# train-upsampler on one of the run's GANs, and its errors.
"$osgan" train-upsampler --gan "$work/run/gan/normal" --out "$work/up" --size 128 --steps 3 --channels 8 --blocks 1 \
  --threads 2 >"$work/tu.log" 2>&1 || { cat "$work/tu.log"; fail "train-upsampler failed"; }
grep -q 'held-back slices ([0-9]*): PSNR' "$work/tu.log" || fail "train-upsampler did not report its held-back score"
refused() {  # refused WORDS COMMAND...: exit 1 or 2 with one line that holds WORDS
  local words=$1; shift
  set +e
  "$@" >/dev/null 2>"$work/err"; rc=$?
  set -e
  [ $rc != 0 ] && grep -q -- "$words" "$work/err" && [ "$(wc -l <"$work/err")" = 1 ] || fail "rc $rc for $*: $(cat "$work/err")"
}
refused "is not the GAN's 64 px times" "$osgan" train-upsampler --gan "$work/run/gan/normal" --out "$work/up2" --size 100
refused "holds an upsampler run already" "$osgan" train-upsampler --gan "$work/run/gan/normal" --out "$work/up" --size 128
refused "no config.yaml" "$osgan" train-upsampler --gan "$work/data" --out "$work/up3"
refused "not an osgan upsampler checkpoint" "$osgan" generate --checkpoint "$work/run/gan/normal" --count 2 \
  --out "$work/g" --upsampler "$work/run/gan/normal/checkpoints/latest.pt"
echo "cli_pipeline_upsampler: all checks passed"
