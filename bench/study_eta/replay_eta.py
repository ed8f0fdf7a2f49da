#!/usr/bin/env python3
# Replays the study ETA (work = training images x epochs, rate pooled over the runs timed so far) on the seconds that
# the main command's 128 px study recorded, in the order the study trains them: predicted against actual time left.
import json, sys
run = sys.argv[1]
order = ["real", "real_classical", "synthetic", "real_synthetic", "real_synthetic_classical"]
order += [f"real_synthetic_r{r}_{f}" for r in ("0.25", "0.5", "1") for f in ("none", "nearest")]
jobs = []
for p in order:
    for s in (1, 2, 3):
        d = json.load(open(f"{run}/study/{p}/seed_{s}/run.json"))
        jobs.append((f"{p} seed {s}", d["config"]["train_images"] * d["config"]["classifier"]["epochs"], d["seconds"]))
total = sum(j[2] for j in jobs)
print("| before run | ETA (min) | actual time left (min) | ETA / actual |\n|---|---|---|---|")
tw = ts = 0
for i, (name, work, secs) in enumerate(jobs):
    left_actual = sum(j[2] for j in jobs[i:])
    if tw > 0 and i % 3 == 0:
        eta = sum(j[1] for j in jobs[i:]) * ts / tw
        print(f"| [{i+1}/{len(jobs)}] {name} | {eta/60:.0f} | {left_actual/60:.0f} | {eta/left_actual:.2f} |")
    tw += work; ts += secs
print(f"total {total/60:.0f} min")
