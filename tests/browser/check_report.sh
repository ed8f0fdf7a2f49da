#!/usr/bin/env bash
# Browser check of the run report (CI runs it through ctest): builds report.html from a synthetic RUN
# fixture, opens it in Debian's headless Chromium and checks that every image and plot decodes, that the
# console shows no error, and that the file names no http(s) URL. Leaves a screenshot as a CI artifact.
#
# usage: check_report.sh OSGAN_BINARY ARTIFACT_DIR
#   ARTIFACT_DIR receives report.html and report-screenshot.png (in CI: build/artifacts/report/).
set -euo pipefail
osgan=$1
artifacts=$2
here=$(cd "$(dirname "$0")" && pwd)
export OMP_WAIT_POLICY=PASSIVE

fail() { echo "check_report: FAIL: $*" >&2; exit 1; }
command -v chromium >/dev/null || fail "chromium not found. Hint: run scripts/install-deps"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"
run="$work/run"

# 1. A realistic run folder, then the report through the CLI.
python3 "$here/make_fixture.py" "$run"
"$osgan" report --run "$run" >"$work/report.out" 2>"$work/report.err" || { cat "$work/report.err" >&2; fail "osgan report exited non-zero"; }
html="$run/report.html"
[ -s "$html" ] || fail "no report.html written"
cp "$html" "$artifacts/report.html"

# 2. Offline: no URL a browser could fetch. (Base64 has no ':' so it cannot hide a match.)
if grep -Eo 'https?://[^"<> ]*' "$html" | head -3 | grep -q .; then
  fail "report.html names a network URL: $(grep -Eo 'https?://[^"<> ]*' "$html" | head -1)"
fi
grep -q 'class="missing"' "$html" && fail "report shows a missing item: $(grep -o 'class="missing">[^<]*' "$html" | head -1)"

# What the fixture holds (tests/browser/make_fixture.py): 2 duplicate pairs (4 thumbnails) + 2 outliers,
# per class (2) a loss plot, a real grid and a sample grid, a histogram, and 3 closest pairs (6 images),
# then the accuracy and difference interval plots and the ROC plot.
expected=$(( 2 * 2 + 2 + 2 * 3 + 2 * 1 + 2 * 3 * 2 + 2 + 1 ))
found=$(grep -o '<img ' "$html" | wc -l)
[ "$found" -eq "$expected" ] || fail "expected $expected <img> elements, found $found"

chrome() {
  local profile
  profile=$(mktemp -d -p "$work")
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
    --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$profile" --hide-scrollbars \
    --enable-logging=stderr --v=0 "$@"
}

# 3. Decode check (the probe has no '&': sed would read it as "the matched text"): a copy of the page with a probe that counts images that decoded (complete and
#    naturalWidth > 0) into a body attribute, read back with --dump-dom.
probe='<script>window.addEventListener("load",function(){var a=Array.prototype.slice.call(document.images);var ok=a.filter(function(i){return i.complete ? i.naturalWidth > 0 : false;}).length;document.body.setAttribute("data-images",ok+"/"+a.length);});</script>'
decoded() {  # page -> "ok/total"
  sed "s|</body>|$probe</body>|" "$1" >"$1.probe.html"
  chrome --virtual-time-budget=15000 --dump-dom "file://$1.probe.html" >"$1.dom" 2>"$1.log" || true
  { grep -o 'data-images="[0-9]*/[0-9]*"' "$1.dom" || true; } | head -1 | sed 's/data-images="\(.*\)"/\1/'
}
console_errors() {
  # The report has no script of its own, so any console message at all is a fault.
  grep -E ':CONSOLE[:(]|Uncaught|Failed to load resource|net::ERR_|Refused to|Not allowed to load' "$1" || true
}

# The checks must be able to fail: a page with one broken image and a script error has to read 0/1
# and show a console error.
printf '<!DOCTYPE html><html><body><img src="data:image/png;base64,AAAA"><script>undefined_fn();</script></body></html>\n' >"$work/broken.html"
control=$(decoded "$work/broken.html")
[ "$control" = "0/1" ] || fail "the decode probe did not catch a broken image (got '$control'); the check is not trustworthy"
[ -n "$(console_errors "$work/broken.html.log")" ] || fail "the console check did not catch a script error; the check is not trustworthy"

result=$(decoded "$html")
[ -n "$result" ] || fail "Chromium did not run the probe (see $html.log): $(tail -3 "$html.log")"
[ "$result" = "$expected/$expected" ] || fail "only $result images decoded in Chromium, expected $expected/$expected"
errors=$(console_errors "$html.log")
[ -z "$errors" ] || fail "console errors while loading the report: $errors"

# 4. Screenshot for people (CI artifact).
shot="$artifacts/report-screenshot.png"
rm -f "$shot"
chrome --window-size=1280,4000 --screenshot="$shot" "file://$html" 2>"$work/shot.log" >/dev/null || true
[ -s "$shot" ] || fail "no screenshot written: $(tail -3 "$work/shot.log")"
# A blank white page compresses to a few kB; the real page has photos and plots.
[ "$(stat -c %s "$shot")" -gt 100000 ] || fail "screenshot $shot looks blank ($(stat -c %s "$shot") bytes)"

echo "check_report: $result images decoded, no console error, no network URL; screenshot $shot"
