#!/usr/bin/env python3
"""Writes a toy two-class PNG dataset for the classifier CLI test: 'tumor' images hold a bright disc on a dark
noisy background, 'normal' images only the background. Standard library only (zlib PNG writer).
Usage: make_toy_discs.py OUT_DIR COUNT_PER_CLASS SEED [SIZE]"""
import random, struct, sys, zlib, os

def write_png(path, rows):
    h, w = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = int(sys.argv[4]) if len(sys.argv) > 4 else 32
rng = random.Random(seed)
for cls in ("tumor", "normal"):
    os.makedirs(os.path.join(out, cls), exist_ok=True)
    for i in range(count):
        cy, cx, r = rng.uniform(8, size - 8), rng.uniform(8, size - 8), size / 6
        rows = [[(230 if cls == "tumor" and (y - cy) ** 2 + (x - cx) ** 2 < r * r else rng.randint(10, 70))
                 for x in range(size)] for y in range(size)]
        write_png(os.path.join(out, cls, f"{cls}_{i:03d}.png"), rows)
