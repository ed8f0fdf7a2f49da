#!/usr/bin/env bash
# The Snakemake workflow (workflow/Snakefile) against `osgan pipeline` on a toy dataset with the tiny config:
#   1. osgan pipeline, one thread: the reference metrics.json
#   2. snakemake --cores 2: the same metrics.json
#   3. snakemake killed midway, then the same command again: completes, the same metrics.json
#   4. a failing stage fails the workflow and names the rule and the stage
#   5. snakemake --slurm on a one-node Slurm cluster started here: every stage ran as a Slurm job (its id in the
#      stage's log, known to scontrol), the same metrics.json
# Usage: test_workflow.sh OSGAN_BINARY SOURCE_DIR
set -euo pipefail
osgan=$1; src=$2
here=$src/tests/workflow
work=$(mktemp -d)
cluster=""
cleanup() {
  [ -z "$cluster" ] || bash "$here/slurm_cluster.sh" stop "$cluster" || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v snakemake >/dev/null || fail "snakemake is not installed (scripts/install-deps installs it)"

python3 "$src/tests/cli/make_toy_discs.py" "$work/data" 24 7 64
python3 "$src/tests/cli/make_toy_discs.py" "$work/other_site" 10 99 48

# Every run folder is named "run" (metrics.json holds the folder's name), in a parent of its own.
config_for() {  # config_for DIR [osgan program]: a workflow config that runs into DIR/run
  cat >"$1.yaml" <<EOF
osgan: ${2:-$osgan}
data: $work/data
out: $1/run
preset: smoke
pipeline_config: $src/tests/cli/pipeline_tiny.yaml
external: [$work/other_site]
seed: 1
device: cpu
threads: {default: 1}
mem_mb: {default: 500}
gpu: false
gpu_kinds: []
EOF
}
# metrics.json without what differs between two runs of the same study: when it ran and how long things took
# (the timing section, and the "seconds" of each GAN).
comparable() {
  python3 - "$1" <<'PY'
import json, sys
def without_seconds(x):
    if isinstance(x, dict):
        return {k: without_seconds(v) for k, v in x.items() if k != "seconds"}
    return [without_seconds(v) for v in x] if isinstance(x, list) else x
m = json.load(open(sys.argv[1]))
del m["timing"], m["run"]["created"]
print(json.dumps(without_seconds(m), indent=1, sort_keys=True))
PY
}
same_metrics() {  # same_metrics A B WHAT
  diff <(comparable "$1") <(comparable "$2") >"$work/metrics.diff" || { head -40 "$work/metrics.diff"; fail "$3: metrics.json differs from osgan pipeline's"; }
}
snake() {  # snake CONFIG [snakemake options...]
  local config=$1; shift
  snakemake -s "$src/workflow/Snakefile" --configfile "$config" --directory "$work" --rerun-incomplete "$@"
}
snake_exec() {  # the same, replacing the shell: in the background, $! is then snakemake itself, not a subshell
  local config=$1; shift
  exec snakemake -s "$src/workflow/Snakefile" --configfile "$config" --directory "$work" --rerun-incomplete "$@"
}

# 1. The reference: the pipeline alone.
mkdir -p "$work/pipeline"
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/pipeline/run" --config "$src/tests/cli/pipeline_tiny.yaml" \
  --external "$work/other_site" --threads 1 --device cpu >"$work/pipeline.log" 2>&1 \
  || { tail -20 "$work/pipeline.log"; fail "osgan pipeline failed"; }

# A stage whose needs are not complete is refused, naming what it needs, and runs nothing.
set +e
"$osgan" pipeline --preset smoke --data "$work/data" --out "$work/early/run" --config "$src/tests/cli/pipeline_tiny.yaml" \
  --only generate-tumor --threads 1 >"$work/early.log" 2>&1; rc=$?
set -e
[ $rc = 1 ] && grep -q 'needs stage "split"' "$work/early.log" || fail "--only before its needs: rc $rc, $(cat "$work/early.log")"
[ ! -e "$work/early/run/gan" ] || fail "--only before its needs started a GAN"

# 2. The workflow on this machine, two jobs at a time.
config_for "$work/local"
snake "$work/local.yaml" --cores 2 >"$work/local.log" 2>&1 || { tail -40 "$work/local.log"; fail "snakemake --cores 2 failed"; }
same_metrics "$work/pipeline/run/metrics.json" "$work/local/run/metrics.json" "snakemake --cores 2"
[ -s "$work/local/run/report.html" ] || fail "the workflow wrote no report.html"
# Each study classifier was a job of its own.
[ "$(ls "$work/local/run/stages" | grep -c '^study-.*-seed[0-9]*\.json$')" = 18 ] || fail "expected 18 study-run stages (5 protocols and 4 ratio points, 2 seeds): $(ls "$work/local/run/stages")"
# Every job forced again (what a user does after changing the data or the pipeline config): osgan finds each stage
# up to date and skips it, so nothing is retrained and metrics.json stays the same.
snake "$work/local.yaml" --cores 2 --forceall >"$work/forced.log" 2>&1 || { tail -40 "$work/forced.log"; fail "snakemake --forceall failed"; }
grep -q "gan-tumor: up to date" "$work/local/run/logs/gan-tumor.log" || fail "a forced job retrained its GAN: $(tail -3 "$work/local/run/logs/gan-tumor.log")"
grep -q "study-synthetic-seed2: up to date" "$work/local/run/logs/study-synthetic-seed2.log" || fail "a forced job retrained a classifier"
same_metrics "$work/pipeline/run/metrics.json" "$work/local/run/metrics.json" "snakemake --forceall"

# 3. Killed midway (once the first GAN has finished), then the same command again.
config_for "$work/killed"
snake_exec "$work/killed.yaml" --cores 2 >"$work/killed1.log" 2>&1 &
snake_pid=$!
for _ in $(seq 600); do
  ls "$work/killed/run/stages/"gan-*.json >/dev/null 2>&1 && break
  kill -0 $snake_pid 2>/dev/null || break
  sleep 0.5
done
kill -0 $snake_pid 2>/dev/null || fail "snakemake ended before it could be interrupted: $(tail -5 "$work/killed1.log")"
kill -TERM $snake_pid  # Snakemake finishes the jobs running, starts no other, and exits 1
wait $snake_pid && fail "an interrupted snakemake exited 0"
[ ! -s "$work/killed/run/metrics.json" ] || fail "the interrupted workflow had already finished"
snake "$work/killed.yaml" --cores 2 >"$work/killed2.log" 2>&1 || { tail -40 "$work/killed2.log"; fail "the rerun after an interruption failed"; }
same_metrics "$work/pipeline/run/metrics.json" "$work/killed/run/metrics.json" "interrupted and rerun"
# The rerun did not redo what was complete: the audit and split ran once.
! grep -q "wildcards: stage=audit\|wildcards: stage=split" "$work/killed2.log" || fail "the rerun redid a complete stage"

# 4. A failing stage: an osgan that fails the split.
cat >"$work/failing-osgan" <<EOF
#!/usr/bin/env bash
for a in "\$@"; do [ "\$a" = split ] && { echo "error: injected failure" >&2; exit 1; }; done
exec "$osgan" "\$@"
EOF
chmod +x "$work/failing-osgan"
config_for "$work/failing" "$work/failing-osgan"
snake "$work/failing.yaml" --cores 2 >"$work/failing.log" 2>&1 && fail "the workflow succeeded with a failing stage"
grep -q "Error in rule stage" "$work/failing.log" && grep -q "stage=split" "$work/failing.log" \
  || { tail -30 "$work/failing.log"; fail "the failure does not name the rule and stage"; }
grep -q "injected failure" "$work/failing/run/logs/split.log" || fail "the failing stage's log lacks its error"

# 5. Through Slurm: a one-node cluster of this machine.
cluster=$work/slurm
eval "$(bash "$here/slurm_cluster.sh" start "$cluster")"
export USER=${USER:-$(id -un)}  # Snakemake 7.21's Slurm executor reads it
config_for "$work/slurm-run"
snake "$work/slurm-run.yaml" --slurm --jobs 4 --default-resources "slurm_partition=$SLURM_TEST_PARTITION" \
  --max-status-checks-per-second 1 --latency-wait 10 >"$work/slurm.log" 2>&1 \
  || { tail -40 "$work/slurm.log"; fail "snakemake --slurm failed"; }
same_metrics "$work/pipeline/run/metrics.json" "$work/slurm-run/run/metrics.json" "snakemake --slurm"
jobs=0
for log in "$work/slurm-run/run/logs/"*.log; do
  id=$(sed -n 's/^slurm job: //p' "$log")
  [[ "$id" =~ ^[0-9]+$ ]] || fail "$(basename "$log") did not run as a Slurm job (\"$id\")"
  scontrol show job "$id" | grep -q "JobState=COMPLETED" || fail "Slurm does not know job $id as completed: $(scontrol show job "$id" 2>&1 | head -3)"
  jobs=$((jobs + 1))
done
[ $jobs -ge 20 ] || fail "expected a Slurm job per stage, found $jobs logs"
echo "workflow: all checks passed ($jobs Slurm jobs)"
