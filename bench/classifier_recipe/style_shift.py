#!/usr/bin/env python3
"""A style-shifted copy of the development VALIDATION side, the transfer proxy used to choose the classifier recipe
without touching any external set (docs/study.md, "How the recipe was chosen"). Each validation image gets a fixed
(seed 1000 + k), deliberately strong change of source: new framing and canvas aspect, zoom, rotation, flip, black
or grey padding, a smooth bias field, gamma, contrast and offset, blur or down-sampling, noise, dashed bright
"text" bars in corners, 8-bit quantisation. Writes PNGs in class folders, so `osgan evaluate --data OUT` reads them.
Needs /usr/bin/python3 with torch, numpy and PIL (a development tool; osgan does not use it at run time).
Usage: style_shift.py DATA SPLIT_JSON OUT_DIR"""
import math, os, sys, json
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

def gauss_kernel(sigma):
    r = max(1, int(math.ceil(3 * sigma)))
    x = torch.arange(-r, r + 1, dtype=torch.float32)
    k = torch.exp(-x * x / (2 * sigma * sigma)); return k / k.sum()


def blur(img, sigma):  # img (1,1,H,W)
    k = gauss_kernel(sigma); r = (k.numel() - 1) // 2
    img = F.conv2d(F.pad(img, (r, r, 0, 0), mode="replicate"), k.view(1, 1, 1, -1))
    return F.conv2d(F.pad(img, (0, 0, r, r), mode="replicate"), k.view(1, 1, -1, 1))


def bias_field(h, w, strength, rng):
    f = torch.from_numpy(rng.normal(0, 1, (1, 1, 4, 4)).astype(np.float32))
    f = F.interpolate(f, size=(h, w), mode="bicubic", align_corners=True)
    return torch.exp(strength * f)


def affine(img, out_hw, sx, sy, rot_deg, tx, ty, flip, pad):
    """img (1,1,H,W) in [0,1]. sx,sy: zoom (>1 zooms in, <1 zooms out and pads with `pad`)."""
    th = math.radians(rot_deg); c, s = math.cos(th), math.sin(th)
    fx = -1.0 if flip else 1.0
    A = torch.tensor([[fx * c / sx, -s / sy, tx], [fx * s / sx, c / sy, ty]], dtype=torch.float32)[None]
    grid = F.affine_grid(A, (1, 1) + tuple(out_hw), align_corners=False)
    out = F.grid_sample(img - pad, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return out + pad


def style_shift(x, rng):
    """x: (H,W) float [0,1] -> shifted uint8-quantised float image with a different size/aspect."""
    img = torch.from_numpy(x)[None, None]
    H, W = x.shape
    # framing: canvas aspect change, zoom out (pad) / in (crop), translation, flip
    r = rng.uniform(0.8, 1.25)
    oh, ow = (int(round(H * rng.uniform(0.6, 1.6))),) * 2
    ow = int(round(ow * r))
    z = rng.uniform(0.75, 1.15)
    pad = 0.0 if rng.random() < 0.7 else rng.uniform(0.02, 0.12)
    # canvas aspect r changes framing without distorting content (sx = sy / r); st adds a mild real stretch
    st = rng.uniform(0.9, 1.1)
    img = affine(img, (oh, ow), z * math.sqrt(st) / r, z / math.sqrt(st), rng.uniform(-8, 8),
                 rng.uniform(-0.08, 0.08), rng.uniform(-0.08, 0.08), rng.random() < 0.5, pad)
    h, w = img.shape[-2:]
    img = img * bias_field(h, w, rng.uniform(0.1, 0.35), rng)
    img = img.clamp(0, 1) ** rng.uniform(0.6, 1.6)
    m = img.mean(); img = (img - m) * rng.uniform(0.7, 1.3) + m + rng.uniform(-0.06, 0.06)
    img = img.clamp(0, 1)
    if rng.random() < 0.5:
        img = blur(img, rng.uniform(0.6, 1.8) * max(h, w) / 256)
    else:
        f = rng.uniform(0.3, 0.65)
        small = F.interpolate(img, size=(max(8, int(h * f)), max(8, int(w * f))), mode="area")
        img = F.interpolate(small, size=(h, w), mode="bilinear", align_corners=False)
    img = img + torch.from_numpy(rng.normal(0, rng.uniform(0, 0.04), (1, 1, h, w)).astype(np.float32))
    if rng.random() < 0.4:  # burned-in text-like bright rectangles in corners
        for _ in range(rng.integers(1, 4)):
            rw = int(w * rng.uniform(0.08, 0.25)); rh = int(h * rng.uniform(0.02, 0.05))
            y0 = int(rng.uniform(0.01, 0.06) * h) if rng.random() < 0.5 else h - rh - int(rng.uniform(0.01, 0.06) * h)
            x0 = int(rng.uniform(0.01, 0.06) * w) if rng.random() < 0.5 else w - rw - int(rng.uniform(0.01, 0.06) * w)
            # dashed "glyphs" rather than a solid block
            seg = np.repeat(rng.random(max(1, rw // 3)) < 0.7, 3)[:rw]
            img[0, 0, y0:y0 + rh, x0:x0 + len(seg)] = torch.from_numpy(
                np.where(seg, rng.uniform(0.85, 1.0), 0.0).astype(np.float32))[None, :]
    img = (img.clamp(0, 1) * 255).round() / 255
    return img[0, 0].numpy()


def load_grey(path):  # ITU-R 601 luma, like osgan's reader
    return np.asarray(Image.open(path).convert("L"), dtype=np.float32) / 255.0


if __name__ == "__main__":
    data, split, out = sys.argv[1:4]
    torch.set_num_threads(1)
    val = [s for s in json.load(open(split))["samples"] if s["side"] == "val"]
    for k, s in enumerate(val):
        shifted = style_shift(load_grey(os.path.join(data, s["id"])), np.random.default_rng(1000 + k))
        folder = os.path.join(out, s["label"])
        os.makedirs(folder, exist_ok=True)
        Image.fromarray((shifted * 255).round().astype(np.uint8)).save(os.path.join(folder, f"{k:03d}.png"))
    print(f"{len(val)} shifted validation images in {out}")
