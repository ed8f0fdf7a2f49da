#!/usr/bin/env bash
# `osgan report` on bad input: a clear one-line error naming the file, the right exit code, no partial page.
# usage: cli_report_errors.sh OSGAN_BINARY
set -uo pipefail
osgan=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
check() {  # name, expected exit code, text the error must contain, command...
  local name=$1 code=$2 text=$3
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" -ne "$code" ]; then echo "FAIL $name: exit $rc, expected $code; stderr: $(cat "$work/err")"; failures=$((failures + 1)); return; fi
  if ! grep -qF -- "$text" "$work/err"; then echo "FAIL $name: stderr lacks '$text': $(cat "$work/err")"; failures=$((failures + 1)); return; fi
  if [ "$(wc -l <"$work/err")" -gt 2 ]; then echo "FAIL $name: error is not short: $(cat "$work/err")"; failures=$((failures + 1)); return; fi
  echo "ok   $name"
}

mkdir -p "$work/bad" "$work/nojson" "$work/good"
printf '{"classification": {"real": ' >"$work/bad/metrics.json"
check malformed_json 1 "bad/metrics.json\" is not valid JSON" "$osgan" report --run "$work/bad"
[ ! -e "$work/bad/report.html" ] || { echo "FAIL malformed_json: a report was written"; failures=$((failures + 1)); }
check missing_metrics 1 "nojson/metrics.json" "$osgan" report --run "$work/nojson"
check missing_run 2 "does not exist" "$osgan" report --run "$work/absent"
check missing_flag 2 "--run" "$osgan" report

# A run with only some sections still gives a page, written where --out says.
printf '{"environment": {"device": "cpu"}}' >"$work/good/metrics.json"
if "$osgan" report --run "$work/good" --out "$work/good/custom.html" >"$work/out" 2>"$work/err" &&
   grep -q "Not run" "$work/good/custom.html" && grep -qF "$work/good/custom.html" "$work/out"; then
  echo "ok   partial_run"
else
  echo "FAIL partial_run: $(cat "$work/err")"; failures=$((failures + 1))
fi

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
