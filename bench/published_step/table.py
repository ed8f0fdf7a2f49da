# Seconds per train step of each round (steps FIRST..LAST, so start-up and warm-up are left out), the medians, the
# median of the per-round ratios osgan / published, and peak RSS. Usage: table.py OUT_DIR ROUNDS FIRST LAST
import re
import statistics
import sys

out, rounds, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])


def osgan_seconds_per_step(r):
    points = {}
    for line in open("%s/osgan_r%d.log" % (out, r)):
        m = re.match(r"([\d.]+) step (\d+)/", line)
        if m:
            points[int(m.group(2))] = float(m.group(1))
    steps = sorted(s for s in points if first <= s <= last)
    return (points[steps[-1]] - points[steps[0]]) / (steps[-1] - steps[0])


def published_seconds_per_step(r):
    t = {int(a): float(b) for a, b in (line.split() for line in open("%s/published_r%d.steps" % (out, r)))}
    return (t[last] - t[first]) / (last - first)


def peak_rss_mb(name):
    for line in open("%s/%s.time" % (out, name)):
        if "Maximum resident" in line:
            return int(line.split(":")[1]) / 1024
    return float("nan")


rows = []
print("| round | osgan s/step | published s/step | osgan / published | peak RSS osgan / published (MB) |")
print("|---|---|---|---|---|")
for r in range(1, rounds + 1):
    o, p = osgan_seconds_per_step(r), published_seconds_per_step(r)
    rows.append((o, p, o / p))
    print("| %d | %.3f | %.3f | %.3f | %.0f / %.0f |" % (r, o, p, o / p, peak_rss_mb("osgan_r%d" % r),
                                                       peak_rss_mb("published_r%d" % r)))
print("| median | %.3f | %.3f | **%.3f** | |" % tuple(statistics.median(x[i] for x in rows) for i in range(3)))
