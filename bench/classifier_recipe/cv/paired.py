#!/usr/bin/python3
"""Paired out-of-fold AUC differences: B minus A for each pair, on the same training images (each predicted once,
out of fold, by both), with a percentile bootstrap over images that resamples both sides together.

    paired.py K A_DIR:B_DIR ...     each DIR a recipe folder holding fold_0 .. fold_{K-1}/predictions.csv
"""
import csv
import random
import sys

from table import auc


def read(path):  # id -> (probability of the positive class, label 0/1)
    rows = list(csv.DictReader(open(path)))
    key = next(c for c in rows[0] if c.startswith("probability_"))
    positive = key[len("probability_"):]
    return {r["id"]: (float(r[key]), 1 if r["label"] == positive else 0) for r in rows}


k = int(sys.argv[1])
rng = random.Random(1)
print("| B against A | AUC A | AUC B | Δ AUC (B - A) [95% interval] |")
print("|---|---|---|---|")
for pair in sys.argv[2:]:
    a_dir, b_dir = pair.split(":")
    a, b = {}, {}
    for f in range(k):
        a.update(read(f"{a_dir}/fold_{f}/predictions.csv"))
        b.update(read(f"{b_dir}/fold_{f}/predictions.csv"))
    ids = sorted(a)
    assert sorted(b) == ids, f"{pair}: the two sides predicted other images"
    diffs = []
    for _ in range(1000):
        s = [rng.choice(ids) for _ in ids]
        diffs.append(auc([b[i] for i in s]) - auc([a[i] for i in s]))
    diffs.sort()
    full_a, full_b = auc([a[i] for i in ids]), auc([b[i] for i in ids])
    print(f"| {b_dir} against {a_dir} | {full_a:.3f} | {full_b:.3f} | {full_b - full_a:+.3f} [{diffs[24]:+.3f}, {diffs[974]:+.3f}] |")
