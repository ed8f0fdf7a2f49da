#!/usr/bin/env bash
# Crash safety, numeric faults, disk faults and output confinement through the osgan binary (docs/robustness.md).
# Usage: fault_test.sh OSGAN_BINARY TESTS_CLI_DIR kills|numeric|disk|confinement
#   kills:       SIGKILL `train-gan` at seeded random moments and once half-way through a checkpoint write; after
#                every kill each file with a final name must be valid; resuming must end bitwise equal to an
#                unbroken run.
#   numeric:     a NaN batch injected at one step is rolled back; injected too often, the run stops with one line.
#   disk:        a read-only run folder (chmod, or simulated for root) and a full disk (simulated): one-line error
#                naming the file and the reason, exit 1, earlier outputs intact.
#   confinement: a class name that would leave the run folder is refused before anything is written outside.
set -uo pipefail
osgan="$1"; here="$2"; part="$3"
work="$(mktemp -d)"; trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
check_run() { python3 "$here/check_run_folder.py" "$1" > "$work/check.log" || fail "$2: $(cat "$work/check.log")"; }
one_error_line() {  # the stderr file holds exactly one error line, naming $2
  [ "$(grep -c 'error:' "$1")" -eq 1 ] || fail "expected one error line: $(cat "$1")"
  grep 'error:' "$1" | grep -F -- "$2" > /dev/null || fail "the error should name $2: $(cat "$1")"
}

python3 "$here/make_toy_discs.py" "$work/data" 6 5 16 || fail "could not make the toy dataset"
common=(--preset smoke --data "$work/data" --class tumor --arch dcgan --image-size 16 --batch 2 --device cpu --threads 1 --quiet
        --checkpoint-every 4 --sample-every 6 --seed 3)

case "$part" in
kills)
  steps=400
  "$osgan" train-gan "${common[@]}" --steps $steps --out "$work/straight" > /dev/null || fail "unbroken run exited with $?"
  run="$work/broken"
  start() {  # starts train-gan into $run in the background (resuming once a checkpoint exists); sets $pid
    local resume=(); [ -f "$run/checkpoints/latest.pt" ] && resume=(--resume)
    "$osgan" train-gan "${common[@]}" --steps $steps --out "$run" "${resume[@]}" > /dev/null 2>> "$work/err" &
    pid=$!
  }
  # Same checkpoint content as the unbroken run: every tensor (G, D, EMA-G, both Adam states, RNG state) byte for
  # byte. The archives' record and type names depend on what else the process serialized, so the tensors are
  # compared as a multiset.
  same_as_straight() {
    python3 - "$work/straight/checkpoints/latest.pt" "$1/checkpoints/latest.pt" <<'PY' \
      || fail "$2: the final checkpoint holds other tensors than the unbroken run's"
import sys, zipfile
blobs = [sorted(z.read(n) for n in z.namelist() if "/data/" in n) for z in map(zipfile.ZipFile, sys.argv[1:3])]
print(f"{len(blobs[0])} and {len(blobs[1])} tensors, equal: {blobs[0] == blobs[1]}")
sys.exit(0 if blobs[0] == blobs[1] and len(blobs[0]) > 10 else 1)
PY
    cmp "$work/straight/losses.csv" "$1/losses.csv" || fail "$2: losses.csv differs from the unbroken run's"
  }
  finish() {  # resumes $1 to the end (starts it again when no checkpoint was saved); no temporary file may be left
    local resume=(); [ -f "$1/checkpoints/latest.pt" ] && resume=(--resume)
    "$osgan" train-gan "${common[@]}" --steps $steps --out "$1" "${resume[@]}" > /dev/null 2> "$work/err" \
      || fail "the final resume of $1 exited with $?: $(cat "$work/err")"
    check_run "$1" "after the final resume"
    [ -z "$(find "$1" -name '*.tmp.*')" ] || fail "temporary files left after resuming: $(find "$1" -name '*.tmp.*')"
  }

  # Kills a fresh run of its own, into $2, half-way through the first write of a file whose name contains $1: the
  # test hook pauses there and says so on stderr, and the kill comes in the pause. A run of its own, so it cannot
  # have finished before the moment comes (a loaded or a fast machine changes how far the random kills below get).
  kill_in_write_pause() {
    : > "$work/err"
    OSGAN_TEST_PAUSE_WRITING="$1" OSGAN_TEST_PAUSE_MS=20000 \
      "$osgan" train-gan "${common[@]}" --steps $steps --out "$2" > /dev/null 2>> "$work/err" &
    pid=$!
    for _ in $(seq 600); do grep -q "paused half-way" "$work/err" && break; sleep 0.1; done
    grep -q "paused half-way" "$work/err" || { kill -KILL $pid 2> /dev/null; fail "the $1 pause never came: $(cat "$work/err")"; }
    kill -KILL $pid; wait $pid 2> /dev/null
  }

  # Half-way through step 8's checkpoint, with step 4's already saved.
  mid="$work/midwrite"
  kill_in_write_pause step_000008.pt "$mid"
  partial=$(find "$mid" -name 'step_000008.pt.tmp.*' | head -1)
  [ -n "$partial" ] || fail "no temporary checkpoint left by the kill mid-write"
  python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).testzip()" "$partial" 2> /dev/null \
    && fail "the temporary checkpoint should be half-written"
  check_run "$mid" "after the kill mid-write"
  [ -f "$mid/checkpoints/step_000004.pt" ] || fail "step 4's checkpoint should have been saved before the kill"
  finish "$mid"
  same_as_straight "$mid" "killed mid-write, then resumed"

  # Between a checkpoint and the loss log that goes with it: killed half-way through the first write of losses.csv
  # (step 4's), the run must not have saved a checkpoint whose loss rows never reached the disk.
  between="$work/between"
  kill_in_write_pause losses.csv "$between"
  check_run "$between" "after the kill while writing losses.csv"
  finish "$between"
  same_as_straight "$between" "killed while writing losses.csv, then resumed"

  # Killed before its first checkpoint existed (half-way through writing it): the command a user or a scheduler
  # repeats, with --resume, must start the run again and end as the unbroken run did.
  early="$work/early"
  kill_in_write_pause step_000004.pt "$early"
  [ ! -f "$early/checkpoints/latest.pt" ] || fail "the run killed in its first checkpoint write has a latest.pt"
  "$osgan" train-gan "${common[@]}" --steps $steps --out "$early" --resume > /dev/null 2> "$work/err" \
    || fail "--resume of a run killed before its first checkpoint exited with $?: $(cat "$work/err")"
  grep -q "starting it again from step 0" "$work/err" || fail "no notice that the run starts again: $(cat "$work/err")"
  check_run "$early" "after resuming a run killed before its first checkpoint"
  same_as_straight "$early" "killed before its first checkpoint, then resumed"

  # Kills at random moments (seeded: the same moments every time), each followed by a resume.
  RANDOM=20261126
  for kill in 1 2 3 4 5; do
    start
    sleep "$(( RANDOM % 3 + 1 )).$(( RANDOM % 10 ))"
    kill -KILL $pid 2> /dev/null; wait $pid 2> /dev/null
    check_run "$run" "after random kill $kill"
  done
  finish "$run"
  same_as_straight "$run" "killed at random moments, then resumed"
  ;;
numeric)
  OSGAN_TEST_NAN_BATCH_AT_STEPS=6 "$osgan" train-gan "${common[@]}" --steps 10 --out "$work/once" 2> "$work/err" \
    > /dev/null || fail "one NaN step should be survived, got exit $?: $(cat "$work/err")"
  grep -q "rolled back to step 4" "$work/err" || fail "no rollback warning: $(cat "$work/err")"
  grep -q '"rollbacks": 1' "$work/once/summary.json" || fail "summary.json should count 1 rollback"
  grep -q '"lr_g": 0.0001' "$work/once/summary.json" || fail "summary.json should show the halved lr_g"
  check_run "$work/once" "after a rollback"
  OSGAN_TEST_NAN_BATCH_AT_STEPS=6,6,6 "$osgan" train-gan "${common[@]}" --steps 10 --max-rollbacks 2 \
    --out "$work/again" 2> "$work/err" > /dev/null; code=$?
  [ $code -eq 1 ] || fail "a fault after max rollbacks should exit 1, got $code"
  one_error_line "$work/err" "after 2 rollback(s)"
  one_error_line "$work/err" "step_000004.pt"
  check_run "$work/again" "after stopping on a numeric fault"
  ;;
disk)
  "$osgan" train-gan "${common[@]}" --steps 4 --out "$work/run" > /dev/null || fail "first run exited with $?"
  (cd "$work/run" && find . -type f | sort | xargs sha256sum) > "$work/before"
  unchanged() { (cd "$work/run" && find . -type f | sort | xargs sha256sum) | cmp -s - "$work/before" \
                  || fail "$1 changed the earlier outputs"; }
  # Read-only run folder. Root writes through chmod, so there the writer's test seam plays the read-only disk.
  read_only=()
  if [ "$(id -u)" -eq 0 ]; then read_only=(OSGAN_TEST_READ_ONLY_DIR="$work/run"); else chmod -R a-w "$work/run"; fi
  env "${read_only[@]}" "$osgan" train-gan "${common[@]}" --steps 8 --resume --out "$work/run" \
    > /dev/null 2> "$work/err"; code=$?
  chmod -R u+w "$work/run"
  [ $code -eq 1 ] || fail "writing into a read-only folder should exit 1, got $code: $(cat "$work/err")"
  one_error_line "$work/err" "$work/run/"
  grep -Eq "Read-only file system|Permission denied" "$work/err" || fail "no reason given: $(cat "$work/err")"
  unchanged "a run into a read-only folder"
  env "${read_only[@]}" "$osgan" generate --checkpoint "$work/run/checkpoints/latest.pt" --count 2 \
    --out "$work/run/gen" --device cpu > /dev/null 2> "$work/err"; code=$?
  if [ "$(id -u)" -eq 0 ]; then
    [ $code -eq 1 ] || fail "generate into a read-only folder should exit 1, got $code"
    one_error_line "$work/err" "$work/run/gen/"
    rm -rf "$work/run/gen"
  fi
  # Full disk, simulated: the disk fills part-way through the resumed run.
  for budget in 0 3000 60000; do
    OSGAN_TEST_DISK_BYTES=$budget "$osgan" train-gan "${common[@]}" --steps 12 --resume --out "$work/run" \
      > /dev/null 2> "$work/err"; code=$?
    [ $code -eq 1 ] || fail "a full disk (after $budget bytes) should exit 1, got $code: $(cat "$work/err")"
    one_error_line "$work/err" "No space left on device"
    one_error_line "$work/err" "$work/run/"
    check_run "$work/run" "after a full disk at $budget bytes"
    [ -z "$(find "$work/run" -name '*.tmp.*')" ] || fail "temporary files left after a failed write"
  done
  "$osgan" generate --checkpoint "$work/run/checkpoints/latest.pt" --count 2 --out "$work/gen" --device cpu \
    > /dev/null || fail "the checkpoint left by the full disk should still load"
  ;;
confinement)
  mkdir -p "$work/csv"
  cp "$work/data/tumor/tumor_000.png" "$work/data/normal/normal_000.png" "$work/csv/"
  printf 'path,label\ntumor_000.png,../escaped\nnormal_000.png,normal\n' > "$work/csv/labels.csv"
  "$osgan" pipeline --preset smoke --data "$work/csv/labels.csv" --out "$work/run" --config "$here/pipeline_tiny.yaml" --threads 1 \
    > /dev/null 2> "$work/err"; code=$?
  [ $code -eq 2 ] || fail "a class name with .. should be refused with exit 2, got $code: $(cat "$work/err")"
  one_error_line "$work/err" 'class name "../escaped"'
  [ ! -e "$work/run/escaped" ] && [ ! -e "$work/escaped" ] || fail "something was written outside gan/"
  ;;
*) fail "unknown part $part" ;;
esac
echo "fault_test $part: ok"
