#!/usr/bin/env bash
# CLI test of `osgan train-gan` and `osgan generate`.
# Usage: cli_gan_test.sh OSGAN_BINARY train_generate|resume|resume_unstarted|interrupt|errors
# Makes a toy dataset (two classes of 8 grey 24x24 PNGs, written with Python's standard library only), then
# checks exit codes, output files and messages. Fails loudly on the first unmet expectation.
set -uo pipefail
osgan="$1"; part="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 - "$work/data" <<'PY'
import math, os, struct, sys, zlib
def png(path, w, h, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    raw = b"".join(b"\0" + bytes(r) for r in rows)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
for label, bump in (("normal", 0), ("tumor", 1)):
    os.makedirs(os.path.join(sys.argv[1], label), exist_ok=True)
    for k in range(8):
        rows = [[int(127 + 100 * math.sin((x + k) / 4) * math.cos(y / 5) + (60 if bump and abs(x - 12) + abs(y - 12) < 5 else 0)) % 256
                 for x in range(24)] for y in range(24)]
        png(os.path.join(sys.argv[1], label, f"img_{k}.png"), 24, 24, rows)
PY
[ -f "$work/data/tumor/img_7.png" ] || fail "could not make the toy dataset"

common=(--preset smoke --data "$work/data" --class tumor --arch dcgan --image-size 16 --batch 2 --device cpu --threads 1 --quiet)

case "$part" in
train_generate)
  "$osgan" train-gan "${common[@]}" --out "$work/run" --steps 3 --checkpoint-every 2 --sample-every 2 \
    || fail "train-gan exited with $?"
  for f in config.yaml losses.csv summary.json checkpoints/latest.pt checkpoints/step_000002.pt \
           checkpoints/step_000003.pt samples/step_000002.png samples/step_000003.png; do
    [ -s "$work/run/$f" ] || fail "train-gan did not write RUN/$f"
  done
  [ "$(wc -l < "$work/run/losses.csv")" -eq 4 ] || fail "losses.csv should have a header and 3 rows"
  grep -q '"steps": 3' "$work/run/summary.json" || fail "summary.json does not say 3 steps"
  grep -q '^arch: dcgan' "$work/run/config.yaml" || fail "config.yaml does not record the arch"
  "$osgan" generate --checkpoint "$work/run/checkpoints/latest.pt" --count 3 --out "$work/gen" --seed 4 --device cpu \
    || fail "generate exited with $?"
  for f in synthetic_00001.png synthetic_00002.png synthetic_00003.png preview/grid.png; do
    [ -s "$work/gen/$f" ] || fail "generate did not write $f"
  done
  [ ! -e "$work/gen/synthetic_00004.png" ] || fail "generate wrote more than --count images"
  grep -qa "SYNTHETIC" "$work/gen/synthetic_00001.png" || fail "no SYNTHETIC text chunk"
  "$osgan" generate --checkpoint "$work/run/checkpoints/latest.pt" --count 3 --out "$work/gen2" --seed 4 --batch 1 \
    --device cpu || fail "generate --batch 1 exited with $?"
  cmp -s "$work/gen/synthetic_00003.png" "$work/gen2/synthetic_00003.png" || fail "generate depends on --batch"
  # The true one-shot case: one image file.
  "$osgan" train-gan --preset smoke --image "$work/data/tumor/img_0.png" --arch vanilla --image-size 16 --batch 2 --steps 2 \
    --device cpu --quiet --out "$work/one" > /dev/null || fail "train-gan --image exited with $?"
  grep -q '"training_images": 1' "$work/one/summary.json" || fail "--image should train on exactly one image"
  ;;
resume)
  "$osgan" train-gan "${common[@]}" --out "$work/run" --steps 2 || fail "first part exited with $?"
  "$osgan" train-gan "${common[@]}" --out "$work/run" --steps 4 --resume || fail "resume exited with $?"
  [ "$(wc -l < "$work/run/losses.csv")" -eq 5 ] || fail "losses.csv should have 4 rows after resuming"
  "$osgan" train-gan "${common[@]}" --out "$work/run" --steps 4 2> "$work/err"; code=$?
  [ $code -eq 2 ] || fail "training into an existing run without --resume should exit 2, got $code"
  grep -q -- "--resume" "$work/err" || fail "the message should suggest --resume: $(cat "$work/err")"
  ;;
resume_unstarted)
  # A run killed before its config.yaml exists (here: SIGKILL half-way through writing it, held there by the test
  # hook), and one killed before it made its folder: the same command with --resume starts each, with the notice of
  # a run stopped before its first checkpoint, and ends as an unbroken run does.
  steps=(--steps 3 --checkpoint-every 2 --sample-every 2 --seed 5)
  "$osgan" train-gan "${common[@]}" "${steps[@]}" --out "$work/straight" || fail "unbroken run exited with $?"
  OSGAN_TEST_PAUSE_WRITING=config.yaml OSGAN_TEST_PAUSE_MS=20000 \
    "$osgan" train-gan "${common[@]}" "${steps[@]}" --out "$work/killed" 2> "$work/err" &
  pid=$!
  for _ in $(seq 600); do grep -q "paused half-way" "$work/err" && break; sleep 0.1; done
  grep -q "paused half-way" "$work/err" || { kill -KILL $pid 2> /dev/null; fail "the config.yaml pause never came: $(cat "$work/err")"; }
  kill -KILL $pid; wait $pid 2> /dev/null
  [ ! -e "$work/killed/config.yaml" ] || fail "the killed run should have no config.yaml yet"
  [ -n "$(find "$work/killed" -name 'config.yaml.tmp.*')" ] || fail "the kill should leave a half-written config.yaml"
  for run in killed absent; do
    "$osgan" train-gan "${common[@]}" "${steps[@]}" --out "$work/$run" --resume 2> "$work/err" \
      || fail "--resume of the $run run exited with $?: $(cat "$work/err")"
    grep -q "starting it again from step 0" "$work/err" || fail "$run: no notice that the run starts: $(cat "$work/err")"
    cmp "$work/straight/losses.csv" "$work/$run/losses.csv" || fail "$run: losses.csv differs from the unbroken run's"
    [ -z "$(find "$work/$run" -name '*.tmp.*')" ] || fail "$run: temporary files left: $(find "$work/$run" -name '*.tmp.*')"
  done
  # A folder that holds something else is not a run: refused with one line naming what it holds, exit 2.
  mkdir -p "$work/notes"; echo "my notes" > "$work/notes/notes.txt"
  "$osgan" train-gan "${common[@]}" "${steps[@]}" --out "$work/notes" --resume 2> "$work/err"; code=$?
  [ $code -eq 2 ] || fail "--resume into a folder of other files should exit 2, got $code: $(cat "$work/err")"
  [ "$(grep -c 'error:' "$work/err")" -eq 1 ] && grep 'error:' "$work/err" | grep -q "notes.txt" \
    || fail "the error should be one line naming notes.txt: $(cat "$work/err")"
  [ ! -e "$work/notes/config.yaml" ] || fail "the refused folder was written to"
  ;;
interrupt)
  # Ctrl-C: the run saves a checkpoint, exits 130, and --resume continues from it.
  "$osgan" train-gan "${common[@]}" --out "$work/run" --steps 100000 --checkpoint-every 1 2> "$work/err" &
  pid=$!
  for _ in $(seq 600); do [ -f "$work/run/checkpoints/latest.pt" ] && break; sleep 0.1; done
  [ -f "$work/run/checkpoints/latest.pt" ] || { kill $pid; fail "no checkpoint within 60 s"; }
  kill -INT $pid; wait $pid; code=$?
  [ $code -eq 130 ] || fail "an interrupted run should exit 130, got $code: $(cat "$work/err")"
  grep -q "interrupted at step" "$work/err" || fail "no interrupt message: $(cat "$work/err")"
  rows=$(( $(wc -l < "$work/run/losses.csv") - 1 ))
  [ $rows -ge 1 ] || fail "losses.csv lost its rows"
  "$osgan" train-gan "${common[@]}" --out "$work/run" --steps $((rows + 2)) --resume || fail "resume exited with $?"
  [ "$(wc -l < "$work/run/losses.csv")" -eq $((rows + 3)) ] || fail "resume should add exactly 2 rows"
  ;;
errors)
  "$osgan" train-gan --data "$work/data" --class glioma --arch dcgan --image-size 16 --steps 1 --device cpu \
    --out "$work/r1" 2> "$work/err"; code=$?
  [ $code -ne 0 ] || fail "an unknown class should fail"
  grep -q "glioma" "$work/err" && grep -q "tumor" "$work/err" || fail "message should name the class and the known ones: $(cat "$work/err")"
  [ "$(wc -l < "$work/err")" -le 2 ] || fail "error should be one line: $(cat "$work/err")"
  "$osgan" train-gan --data "$work/nowhere" --class tumor --arch dcgan --steps 1 --device cpu --out "$work/r2" \
    2> "$work/err"; code=$?
  [ $code -ne 0 ] || fail "a missing folder should fail"
  grep -q "nowhere" "$work/err" || fail "message should name the folder: $(cat "$work/err")"
  "$osgan" train-gan "${common[@]}" --out "$work/r3" --arch stylegan --steps 1 2> "$work/err"; code=$?
  [ $code -eq 2 ] || fail "an unknown --arch should be a usage error (2), got $code"
  "$osgan" train-gan --class tumor --out "$work/r4" --steps 1 2> "$work/err"; code=$?
  [ $code -eq 2 ] || fail "no --data and no --image should exit 2, got $code"
  "$osgan" generate --checkpoint "$work/none.pt" --count 1 --out "$work/g" 2> "$work/err"; code=$?
  [ $code -eq 1 ] || fail "a missing checkpoint should exit 1, got $code"
  grep -q "none.pt" "$work/err" || fail "message should name the checkpoint: $(cat "$work/err")"
  "$osgan" generate --count 1 --out "$work/g" 2> /dev/null; code=$?
  [ $code -eq 2 ] || fail "a missing --checkpoint should be a usage error (2), got $code"
  ;;
*) fail "unknown part $part" ;;
esac
echo "cli_gan $part: ok"
