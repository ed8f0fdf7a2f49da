#!/usr/bin/python3
"""K folds of a split's TRAINING side only, for choosing a classifier recipe without the held-out images.

    make_folds.py SPLIT_JSON DATA_ROOT OUT K SEED

Writes OUT/train_side.csv (the training side's images, through the link OUT/data -> DATA_ROOT) and OUT/fold_<i>.json,
osgan split files over those images whose validation side is fold i. Stratified by class; the split's groups (same
file, exact or near duplicates) stay whole inside one fold, so near-duplicates never straddle a fold either. The
held-out validation side of SPLIT_JSON appears in no file.
"""
import json
import os
import random
import sys


def main():
    split_path, data_root, out, k, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    split = json.load(open(split_path))
    train = {s["id"]: s["label"] for s in split["samples"] if s["side"] == "train"}
    # Units placed whole: the split's groups (restricted to the training side: a group never straddles it) and
    # every other image alone.
    grouped = set()
    units = []
    for g in split["groups"]:
        members = [i for i in g if i in train]
        assert len(members) in (0, len(g)), f"group straddles the split: {g}"
        if members:
            units.append(members)
            grouped.update(members)
    units += [[i] for i in sorted(train) if i not in grouped]
    rng = random.Random(seed)
    rng.shuffle(units)
    units.sort(key=len, reverse=True)  # big groups first, then singles fill the folds evenly (stable after shuffle)
    labels = sorted(set(train.values()))
    fold_of = {}
    count = [{label: 0 for label in labels} for _ in range(k)]
    for unit in units:
        need = {label: sum(1 for i in unit if train[i] == label) for label in labels}
        # the fold whose classes are least filled for this unit's classes; ties to the lower index
        best = min(range(k), key=lambda f: (sum(count[f][label] * n for label, n in need.items()), f))
        for i in unit:
            fold_of[i] = best
            count[best][train[i]] += 1
    os.makedirs(out, exist_ok=True)
    link = os.path.join(out, "data")
    if not os.path.islink(link):
        os.symlink(os.path.abspath(data_root), link)
    with open(os.path.join(out, "train_side.csv"), "w") as f:
        f.write("path,label\n")
        for i in sorted(train):
            f.write(f"\"data/{i}\",{train[i]}\n" if "," in i else f"data/{i},{train[i]}\n")
    groups = [["data/" + i for i in u] for u in units if len(u) > 1]
    for fold in range(k):
        samples = [{"id": "data/" + i, "label": train[i], "side": "val" if fold_of[i] == fold else "train"}
                   for i in sorted(train)]
        counts = {"train": {}, "val": {}}
        for s in samples:
            counts[s["side"]][s["label"]] = counts[s["side"]].get(s["label"], 0) + 1
        doc = {"format": "osgan-split", "version": 1, "seed": seed, "val_fraction": 1.0 / k, "counts": counts,
               "groups": groups, "notes": [f"fold {fold} of {k} of the training side of {split_path}"],
               "samples": samples}
        json.dump(doc, open(os.path.join(out, f"fold_{fold}.json"), "w"), indent=1)
    print("images per fold and class:", count)


if __name__ == "__main__":
    main()
