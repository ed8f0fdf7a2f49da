#!/usr/bin/env bash
# Every osgan subcommand that reads input, run on the bad-input suite (make_bad_inputs.py). A command that reads one
# named file must exit 1 or 2 with one error line naming the file; a command that reads a dataset skips bad files by
# design, with a warning naming each (exit 0), and `--strict` (audit, split) turns the first into such an error.
# A file whose header osgan has to repair (repairs) is read with a warning naming the file and the field, and
# `audit --strict` refuses it with one error line naming both.
# Never a signal, a crash or a hang: every run has a 60 s timeout.
# Usage: bad_input_test.sh OSGAN_BINARY BAD_INPUTS_DIR single|datasets|repairs
set -uo pipefail
export LC_ALL=C  # file names that are not UTF-8 are matched byte for byte
osgan="$1"; here="$2"; part="$3"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
python3 "$here/make_bad_inputs.py" "$work" > "$work/kinds" || { echo "FAIL: could not make the suite"; exit 1; }
root=false; [ "$(id -u)" -eq 0 ] && root=true

# The name a message must contain for each kind (the non-UTF-8 name is its bytes).
name_of() { if [ "$1" = non_utf8 ]; then printf 'bad_\xff\xfe.png'; else printf '%s' "$1"; fi; }

# run LABEL CMD...: runs with a timeout; sets $code and leaves stderr in $work/err.
run() {
  local label="$1"; shift
  timeout 60 "$osgan" "$@" > "$work/out" 2> "$work/err"; code=$?
  if [ $code -eq 124 ]; then fail "$label: hung (killed after 60 s)"; code=-1
  elif [ $code -ge 128 ]; then fail "$label: killed by signal $((code - 128)): $(head -c 300 "$work/err")"; code=-1; fi
}

# expect_error LABEL NAME CMD...: exit 1 or 2, exactly one "error:" line on stderr, which names NAME.
# (No grep -q at the end of a pipe: it may exit before the first grep is done, and pipefail then reports a miss.)
expect_error() {
  local label="$1" name="$2"; shift 2
  run "$label" "$@"; [ $code -eq -1 ] && return
  if [ $code -ne 1 ] && [ $code -ne 2 ]; then fail "$label: expected exit 1 or 2, got $code: $(head -c 300 "$work/err")"; return; fi
  [ "$(grep -c 'error:' "$work/err")" -eq 1 ] || { fail "$label: expected one error line: $(head -c 500 "$work/err")"; return; }
  grep 'error:' "$work/err" | grep -F -- "$name" > /dev/null || fail "$label: the error should name $name: $(grep 'error:' "$work/err")"
}

# expect_skipped LABEL CMD...: exit 0 and a warning naming every bad file of the suite ($skipped_names).
expect_skipped() {
  local label="$1"; shift
  run "$label" "$@"; [ $code -eq -1 ] && return
  [ $code -eq 0 ] || { fail "$label: expected exit 0 (bad files skipped), got $code: $(head -c 500 "$work/err")"; return; }
  local name
  while IFS= read -r kind; do
    name="$(name_of "$kind")"
    grep 'warning:' "$work/err" | grep -F -- "$name" > /dev/null || fail "$label: no warning names $name"
  done < "$work/expected_skips"
}

# The kinds a reader must refuse: as root an unreadable file is readable, and then it is a good image.
grep -v '^unreadable.png$' "$work/kinds" > "$work/refused"
# In a dataset, folders are searched recursively: a directory named dir.png is an (empty) folder, not a bad file.
if $root; then grep -v '^dir.png$' "$work/refused"; else grep -v '^dir.png$' "$work/kinds"; fi > "$work/expected_skips"
good="$work/ds_all"  # its normal/ side is all good

case "$part" in
single)
  # Commands given one file: each bad file in turn.
  python3 "$here/../cli/make_toy_discs.py" "$work/toy" 6 2 16
  "$osgan" train-classifier --data "$work/toy" --val-data "$work/toy" --arch cnn --image-size 16 --epochs 1 --batch 4 \
    --device cpu --threads 1 --out "$work/model" > /dev/null 2>&1 || { echo "FAIL: could not train the model"; exit 1; }
  while IFS= read -r kind; do
    if [ "$kind" = non_utf8 ]; then file="$work/files/$(name_of non_utf8)"; else file="$work/files/$kind"; fi
    name="$(name_of "$kind")"
    if ! grep -qx -- "$kind" "$work/refused"; then continue; fi
    expect_error "train-gan --image $kind" "$name" train-gan --image "$file" --arch dcgan --image-size 16 --batch 2 \
      --steps 1 --device cpu --threads 1 --quiet --out "$work/gan_$kind"
    expect_error "generate --checkpoint $kind" "$name" generate --checkpoint "$file" --count 1 --out "$work/gen" --device cpu
    expect_error "export --checkpoint $kind" "$name" export --checkpoint "$file" --out "$work/exported.pt"
    expect_error "predict $kind" "$name" predict --model "$work/model" "$file" --device cpu
    expect_error "train-gan --split $kind" "$name" train-gan --data "$good" --class normal --split "$file" \
      --arch dcgan --image-size 16 --batch 2 --steps 1 --device cpu --quiet --out "$work/gan_split_$kind"
    expect_error "evaluate --split $kind" "$name" evaluate --model "$work/model" --data "$good" --split "$file" --device cpu
    expect_error "evaluate --model $kind" "$name" evaluate --model "$file" --data "$good" --device cpu
    expect_error "pipeline --config $kind" "$name" pipeline --data "$good" --out "$work/pipe_$kind" --config "$file"
    report="$work/report_$kind"; mkdir -p "$report"
    case "$kind" in
      dir.png) mkdir "$report/metrics.json" ;;
      loop.png) ln -s metrics.json "$report/metrics.json" ;;
      unreadable.png) : > "$report/metrics.json"; chmod 000 "$report/metrics.json" ;;
      *) cat "$file" > "$report/metrics.json" ;;
    esac
    expect_error "report --run ($kind as metrics.json)" "metrics.json" report --run "$report"
  done < "$work/kinds"
  ;;
datasets)
  # Datasets holding one bad file: skipped with a warning by default; --strict makes it an error naming the file.
  : > "$work/expected_skips.all"; cp "$work/expected_skips" "$work/expected_skips.all"
  while IFS= read -r kind; do
    grep -qx -- "$kind" "$work/expected_skips.all" || continue
    echo "$kind" > "$work/expected_skips"
    expect_skipped "audit ds_$kind" audit --data "$work/ds_$kind"
    expect_error "audit --strict ds_$kind" "$(name_of "$kind")" audit --data "$work/ds_$kind" --strict
    expect_error "split --strict ds_$kind" "$(name_of "$kind")" split --data "$work/ds_$kind" --strict --out "$work/s.json"
  done < "$work/kinds"
  # Every bad file at once, through the commands that load a dataset.
  cp "$work/expected_skips.all" "$work/expected_skips"
  expect_skipped "split ds_all" split --data "$work/ds_all" --out "$work/split.json"
  expect_skipped "train-gan --data ds_all" train-gan --data "$work/ds_all" --class tumor --arch dcgan --image-size 16 \
    --batch 2 --steps 1 --device cpu --threads 1 --quiet --out "$work/gan_all"
  expect_skipped "train-classifier ds_all" train-classifier --data "$work/ds_all" --split "$work/split.json" --arch cnn \
    --image-size 16 --epochs 1 --batch 4 --device cpu --threads 1 --out "$work/model_all"
  expect_skipped "evaluate ds_all" evaluate --model "$work/model_all" --data "$work/ds_all" --device cpu
  expect_skipped "evaluate-images ds_all" evaluate-images --real "$work/ds_all" --generated "$work/ds_all/tumor" \
    --class tumor --image-size 16 --json "$work/iq.json" --device cpu
  expect_error "pipeline --data zero.png" "zero.png" pipeline --data "$work/files/zero.png" --out "$work/pipe"
  expect_error "audit --data missing" "missing" audit --data "$work/missing"
  ;;
repairs)
  while IFS=$'\t' read -r kind field; do
    ds="$work/ds_repaired_$kind"
    run "audit ds_repaired_$kind" audit --data "$ds" --json "$work/audit.json"
    if [ $code -ne 0 ]; then
      [ $code -eq -1 ] || fail "audit ds_repaired_$kind: expected exit 0 (the file is read), got $code: $(head -c 500 "$work/err")"
    else
      grep 'warning:' "$work/err" | grep -F -- "$kind" | grep -F -- "$field" > /dev/null \
        || fail "audit ds_repaired_$kind: no warning names $kind and $field: $(head -c 500 "$work/err")"
      grep -q '"skipped": \[\]' "$work/audit.json" || fail "audit ds_repaired_$kind: the file should be read, not skipped"
    fi
    expect_error "audit --strict ds_repaired_$kind" "$kind" audit --data "$ds" --strict
    grep 'error:' "$work/err" | grep -F -- "$field" > /dev/null \
      || fail "audit --strict ds_repaired_$kind: the error should name the field $field: $(grep 'error:' "$work/err")"
  done < "$work/repaired_kinds"
  ;;
*) echo "FAIL: unknown part $part"; exit 1 ;;
esac
[ $failures -eq 0 ] || { echo "bad_input_test $part: $failures failure(s)" >&2; exit 1; }
echo "bad_input_test $part: ok"
