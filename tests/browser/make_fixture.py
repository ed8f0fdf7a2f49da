#!/usr/bin/env python3
"""Writes a realistic synthetic RUN folder for the report tests: metrics.json with every section, loss
logs, sample grids, closest-pair images and a small dataset of PNG "slices" (drawn here, no patient data).
Standard library only (PNG via zlib), deterministic for a given --seed.

usage: make_fixture.py RUN_DIR [--seed N]
"""
import argparse
import json
import math
import os
import random
import struct
import zlib


def write_png(path, pixels, width, height):
    """8-bit greyscale PNG from a row-major list of ints 0..255."""
    raw = b"".join(b"\x00" + bytes(pixels[y * width:(y + 1) * width]) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def slice_image(rng, size, tumour, ct=False):
    """A brain-like axial slice: skull ring, tissue with texture, optional bright lesion."""
    cx, cy = size / 2 + rng.uniform(-2, 2), size / 2 + rng.uniform(-2, 2)
    ax, ay = size * rng.uniform(0.36, 0.42), size * rng.uniform(0.42, 0.47)
    lx, ly, lr = cx + rng.uniform(-8, 8) * size / 64, cy + rng.uniform(-8, 8) * size / 64, rng.uniform(4, 8) * size / 64
    phase = rng.uniform(0, 6.28)
    out = []
    for y in range(size):
        for x in range(size):
            r = math.hypot((x - cx) / ax, (y - cy) / ay)
            if r > 1.0:
                v = 0
            elif r > 0.9:
                v = 250 if ct else 120
            else:
                v = (90 if ct else 110) + 25 * math.sin(x * 0.35 + phase) * math.sin(y * 0.3) + rng.uniform(-12, 12)
                if tumour and math.hypot(x - lx, y - ly) < lr:
                    v = 215 + rng.uniform(-15, 15)
            out.append(max(0, min(255, int(v))))
    return out


def grid(images, size, cols):
    rows = (len(images) + cols - 1) // cols
    width, height = cols * size + (cols + 1) * 2, rows * size + (rows + 1) * 2
    out = [255] * (width * height)
    for i, img in enumerate(images):
        ox, oy = 2 + (i % cols) * (size + 2), 2 + (i // cols) * (size + 2)
        for y in range(size):
            out[(oy + y) * width + ox:(oy + y) * width + ox + size] = img[y * size:(y + 1) * size]
    return out, width, height


def estimate(rng, mean, spread, runs=5):
    values = [max(0.0, min(1.0, rng.gauss(mean, spread))) for _ in range(runs)]
    m = sum(values) / runs
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (runs - 1))
    half = 2.776 * sd / math.sqrt(runs)  # t(0.975, 4)
    return {"mean": m, "ci95": [m - half, m + half], "runs": values}


def roc(rng, auc):
    """A smooth binormal-like ROC curve with the given area (roughly)."""
    k = auc / (1.0 - auc)
    fpr = [i / 40 for i in range(41)]
    return {"fpr": fpr, "tpr": [min(1.0, 1 - (1 - f) ** k + rng.uniform(0, 0.01) * f * (1 - f)) for f in fpr]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run_dir")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    run = args.run_dir
    classes = {"normal": 34, "tumor": 46}

    # The dataset: a few slices per class, one CT-looking outlier and one near-duplicate pair.
    ids = {c: [] for c in classes}
    for c in classes:
        for i in range(6):
            ident = f"{c}/{c[0].upper()}{c[1:]} ({i + 1}).png"
            write_png(os.path.join(run, "data", ident), slice_image(rng, 96, c == "tumor"), 96, 96)
            ids[c].append(ident)
    ct_id = "normal/Normal (9).png"
    write_png(os.path.join(run, "data", ct_id), slice_image(rng, 96, False, ct=True), 96, 96)

    metrics = {"format": "osgan.metrics", "version": 1,
               "run": {"name": "fixture-run", "created": "2024-01-01 12:00 UTC"},
               "dataset": {"root": "data", "classes": classes},
               "audit": {"near_duplicate_pairs": [{"a": ids["tumor"][0], "b": ids["tumor"][1], "score": 0.991},
                                                  {"a": ids["normal"][2], "b": ids["normal"][3], "score": 0.962}],
                         "outliers": [{"id": ct_id, "class": "normal", "reasons": ["looks like CT", "bright skull ring"]},
                                      {"id": ids["tumor"][4], "class": "tumor", "reasons": ["intensity outlier"]}]},
               "split": {"train": {"normal": 27, "tumor": 37}, "val": {"normal": 7, "tumor": 9}},
               "gan": {}, "generated": {}, "image_quality": {}, "classification": {},
               "environment": {"osgan": "0.1.0", "libtorch": "1.13.1", "device": "cpu", "threads": 2,
                               "machine": "x86_64 Linux (fixture)"},
               "timing": {"audit": {"seconds": 3.2}, "split": {"seconds": 0.1}, "gan": {"seconds": 1834.0},
                          "generate": {"seconds": 12.5}, "classification": {"seconds": 412.7},
                          "image_quality": {"seconds": 48.9}}}

    for c in classes:
        steps = 400
        with open(os.path.join(run, f"gan_{c}_losses.csv"), "w") as f:
            f.write("step,g_total,d_total,g_content,g_layout\n")
            for s in range(1, steps + 1):
                decay = math.exp(-s / 120)
                f.write(f"{s},{1.2 + 2.0 * decay + rng.gauss(0, 0.25):.4f},{1.4 - 0.5 * decay + rng.gauss(0, 0.12):.4f},"
                        f"{0.6 + decay + rng.gauss(0, 0.15):.4f},{0.5 + 0.8 * decay + rng.gauss(0, 0.1):.4f}\n")
        real = [slice_image(rng, 48, c == "tumor") for _ in range(16)]
        fake = [slice_image(rng, 48, c == "tumor") for _ in range(16)]
        for name, images in (("real", real), ("samples", fake)):
            pixels, w, h = grid(images, 48, 4)
            write_png(os.path.join(run, f"gan_{c}_{name}_grid.png"), pixels, w, h)
        metrics["gan"][c] = {"steps": steps, "seconds": 900 + rng.uniform(0, 60), "arch": "one-shot-gan 128px",
                             "losses_csv": f"gan_{c}_losses.csv", "samples_grid": f"gan_{c}_samples_grid.png",
                             "real_grid": f"gan_{c}_real_grid.png"}
        metrics["generated"][c] = 200
        pairs = []
        for k in range(3):
            g, r = f"closest/{c}_gen_{k}.png", f"closest/{c}_real_{k}.png"
            base = slice_image(rng, 64, c == "tumor")
            write_png(os.path.join(run, g), base, 64, 64)
            write_png(os.path.join(run, r), [max(0, min(255, v + rng.randint(-20, 20))) for v in base], 64, 64)
            pairs.append({"generated": g, "real": r, "ssim": 0.62 - 0.05 * k})
        edges = [i * 8 for i in range(33)]
        real_h = [max(0, int(900 * math.exp(-((i - 14) / 5) ** 2) + (2500 if i == 0 else 0) + rng.uniform(0, 40))) for i in range(32)]
        gen_h = [max(0, int(850 * math.exp(-((i - 15) / 5.5) ** 2) + (2400 if i == 0 else 0) + rng.uniform(0, 40))) for i in range(32)]
        metrics["image_quality"][c] = {
            "histogram_w1": 0.0123 + rng.uniform(0, 0.01), "diversity_generated": 0.31, "diversity_real": 0.38,
            "memorisation_max_ssim": 0.62, "memorised_share": 0.0, "fid_domain": 14.2 + rng.uniform(0, 5),
            "kid_domain": 0.0112, "precision": 0.71, "recall": 0.43,
            "histogram": {"bins": edges, "real": real_h, "generated": gen_h}, "closest_pairs": pairs}

    protocols = {"real": 0.86, "real_classical": 0.88, "synthetic": 0.74, "real_synthetic": 0.87,
                 "real_synthetic_classical": 0.89}
    real_runs = None
    for p, acc in protocols.items():
        entry = {m: estimate(rng, acc + d, 0.02) for m, d in
                 (("accuracy", 0), ("auc", 0.05), ("f1", -0.01), ("sensitivity", 0.02), ("specificity", -0.03))}
        if p == "real":
            real_runs = entry["accuracy"]["runs"]
        else:
            diffs = [a - b for a, b in zip(entry["accuracy"]["runs"], real_runs)]
            m = sum(diffs) / len(diffs)
            sd = math.sqrt(sum((d - m) ** 2 for d in diffs) / (len(diffs) - 1))
            entry["delta_vs_real"] = {"accuracy": {"mean": m, "ci95": [m - 2.776 * sd / math.sqrt(5), m + 2.776 * sd / math.sqrt(5)]}}
        entry["roc"] = roc(rng, min(0.99, acc + 0.05))
        tp = int(round(9 * (acc + 0.02))); tn = int(round(7 * (acc - 0.03)))
        entry["confusion"] = {"tp": tp, "fn": 9 - tp, "tn": tn, "fp": 7 - tn}
        metrics["classification"][p] = entry
    metrics["classification_positive_class"] = "tumor"

    with open(os.path.join(run, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=1)


if __name__ == "__main__":
    main()
