#!/usr/bin/env bash
# CLI test for `osgan audit` and `osgan split`. Usage: test_cli_data.sh OSGAN_BINARY REAL_DATA_DIR
set -u
osgan="$1"; real="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failures=0
check() {  # check NAME EXPECTED_RC ACTUAL_RC
  if [ "$2" != "$3" ]; then echo "FAIL: $1: expected exit $2, got $3"; failures=$((failures + 1)); else echo "ok: $1"; fi
}
contains() {  # contains NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: \"$3\" not in:"; cat "$2"; failures=$((failures + 1)); fi
}

# Usage errors: exit 2.
"$osgan" audit >"$tmp/out" 2>"$tmp/err"; check "audit without --data" 2 $?
"$osgan" split --data "$tmp" >"$tmp/out" 2>"$tmp/err"; check "split without --out" 2 $?
"$osgan" split --data "$tmp" --out "$tmp/s.json" --val-fraction 1.5 >"$tmp/out" 2>"$tmp/err"; check "split --val-fraction 1.5" 2 $?

# Runtime errors: exit 1, and the message names the missing folder.
"$osgan" audit --data "$tmp/no such folder" >"$tmp/out" 2>"$tmp/err"; check "audit of a missing folder" 1 $?
contains "error names the missing folder" "$tmp/err" "$tmp/no such folder"
mkdir -p "$tmp/empty/a" "$tmp/empty/b"
"$osgan" split --data "$tmp/empty" --out "$tmp/s.json" >"$tmp/out" 2>"$tmp/err"; check "split of a dataset with no image" 1 $?
[ ! -e "$tmp/s.json" ] && echo "ok: no split written on error" || { echo "FAIL: split written on error"; failures=$((failures + 1)); }

if [ ! -d "$real" ]; then echo "real data absent: skipping the rest"; [ $failures -eq 0 ] && exit 77 || exit 1; fi

# A small dataset with spaces and non-ASCII names, a corrupt file, and an exact duplicate across classes.
mkdir -p "$tmp/toy/normal scans" "$tmp/toy/tumör"
for n in 1 2 3 5 6 7 8 10 11 12; do cp "$real/normal/Normal ($n).jpg" "$tmp/toy/normal scans/é $n.jpg"; done
for n in 1 2 3 4 5 6 7 8 9 10; do cp "$real/tumor/Tumor ($n).jpg" "$tmp/toy/tumör/t $n.jpg"; done
cp "$real/normal/Normal (1).jpg" "$tmp/toy/tumör/copied from normal.jpg"
head -c 300 "$real/tumor/Tumor (11).jpg" >"$tmp/toy/tumör/truncated.jpg"
"$osgan" audit --data "$tmp/toy" --json "$tmp/audit.json" >"$tmp/out" 2>"$tmp/err"; check "audit of the toy set" 0 $?
contains "corrupt file named in a warning" "$tmp/err" "truncated.jpg"
contains "label conflict reported loudly" "$tmp/out" "LABEL CONFLICTS"
contains "JSON has the conflict" "$tmp/audit.json" "copied from normal.jpg"
contains "JSON lists the skipped file" "$tmp/audit.json" "\"skipped\""
"$osgan" audit --data "$tmp/toy" --strict >"$tmp/out" 2>"$tmp/err"; check "audit --strict with a corrupt file" 1 $?
contains "--strict error names the file" "$tmp/err" "truncated.jpg"

# The real data: audit and split.
"$osgan" audit --data "$real" --json "$tmp/real_audit.json" >"$tmp/out" 2>"$tmp/err"; check "audit of the real data" 0 $?
contains "real audit JSON has near_duplicate_pairs" "$tmp/real_audit.json" "near_duplicate_pairs"
contains "real audit finds Tumor (135)/(150)" "$tmp/out" "Tumor (135).jpg  ~  tumor/Tumor (150).jpg"
"$osgan" split --data "$real" --out "$tmp/split.json" --seed 1 >"$tmp/out" 2>"$tmp/err"; check "split of the real data" 0 $?
contains "normal counts" "$tmp/out" "normal: train 119, val 51"
contains "tumor counts" "$tmp/out" "tumor: train 161, val 69"
contains "split JSON records the seed" "$tmp/split.json" "\"seed\": 1"
"$osgan" split --data "$real" --out "$tmp/split2.json" --seed 1 >/dev/null 2>&1
cmp -s "$tmp/split.json" "$tmp/split2.json" && echo "ok: same seed, same split" || { echo "FAIL: split not deterministic"; failures=$((failures + 1)); }

echo "$failures failure(s)"
[ $failures -eq 0 ]
