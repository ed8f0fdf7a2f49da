#!/usr/bin/env bash
# Compares the C++ One-Shot GAN train step with the PyTorch mirror: runs them interleaved (C++, Python, C++, ...)
# for the paper and small configs, then prints min / median step time per implementation, the C++/Python ratio,
# peak RSS and generation images/s. Run on a quiet machine. Usage:
#   bench/run_gan_step_bench.sh [BUILD_DIR=build] [ROUNDS=3] [STEPS=10] [THREADS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build} rounds=${2:-3} steps=${3:-10} threads=${4:-2}
export OMP_WAIT_POLICY=PASSIVE
bin="$build/bin/bench_gan_step"
[ -x "$bin" ] || { echo "run_gan_step_bench: $bin not found. Hint: cmake -S . -B $build -DOSGAN_BUILD_BENCH=ON && cmake --build $build --target bench_gan_step" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for config in small paper; do
  for ((r = 0; r < rounds; ++r)); do
    "$bin" --config "$config" --steps "$steps" --threads "$threads" | tee -a "$log"
    /usr/bin/python3 bench/bench_gan_step.py --config "$config" --steps "$steps" --threads "$threads" | tee -a "$log"
  done
done
/usr/bin/python3 - "$log" <<'PY'
import statistics, sys
rows = [dict(kv.split("=") for kv in line.split()) for line in open(sys.argv[1]) if line.startswith("impl=")]
print("\nconfig  impl  min_s   median_s  gen_img/s  peak_rss_mb")
for config in ("small", "paper"):
    summary = {}
    for impl in ("cpp", "py"):
        rs = [r for r in rows if r["config"] == config and r["impl"] == impl]
        if not rs:
            continue
        mn = min(float(r["min_s"]) for r in rs)
        md = statistics.median(float(r["median_s"]) for r in rs)
        summary[impl] = (mn, md)
        print(f"{config:7s} {impl:4s} {mn:7.4f} {md:8.4f}  {max(float(r['gen_img_per_s']) for r in rs):9.1f}  "
              f"{max(float(r['peak_rss_mb']) for r in rs):8.0f}")
    if len(summary) == 2:
        print(f"{config:7s} ratio cpp/py: min {summary['cpp'][0] / summary['py'][0]:.3f}, "
              f"median {summary['cpp'][1] / summary['py'][1]:.3f}")
PY
