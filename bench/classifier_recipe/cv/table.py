#!/usr/bin/python3
"""Out-of-fold AUC per recipe: the folds' predictions pooled (each training image predicted once, by the model
that did not see it), with a percentile bootstrap over images; and the mean and range of the per-fold AUCs.

    table.py OUT K RECIPE...
"""
import csv
import random
import sys


def auc(pairs):
    pos = [p for p, y in pairs if y == 1]
    neg = [p for p, y in pairs if y == 0]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def read(path):
    rows = list(csv.DictReader(open(path)))
    key = next(c for c in rows[0] if c.startswith("probability_"))
    positive = key[len("probability_"):]
    return [(float(r[key]), 1 if r["label"] == positive else 0) for r in rows]


def main():
    out, k, recipes = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    rng = random.Random(1)
    print(f"| recipe | out-of-fold AUC [95% interval] | out-of-fold accuracy | per-fold AUC, mean (min-max) |")
    print("|---|---|---|---|")
    for name in recipes:
        folds = [read(f"{out}/{name}/fold_{f}/predictions.csv") for f in range(k)]
        pooled = [x for f in folds for x in f]
        boot = sorted(auc([rng.choice(pooled) for _ in pooled]) for _ in range(1000))
        per_fold = [auc(f) for f in folds]
        acc = sum((p >= 0.5) == (y == 1) for p, y in pooled) / len(pooled)
        print(f"| {name} | {auc(pooled):.3f} [{boot[24]:.3f}, {boot[974]:.3f}] | {acc:.3f} | "
              f"{sum(per_fold) / k:.3f} ({min(per_fold):.3f}-{max(per_fold):.3f}) |")


if __name__ == "__main__":
    main()
