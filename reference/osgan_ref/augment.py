"""Differentiable augmentation (spec 1.7, kornia path) and feature augmentation (spec 1.6), mirroring the C++
sample/apply split. Parameters are plain tensors so make_refs.py can store them."""
import math
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F


@dataclass
class AugmentParams:
    zoom_offsets: Optional[torch.Tensor] = None  # (N, 2) int64
    crop_boxes: Optional[torch.Tensor] = None    # (N, 4) int64 [y0, x0, h, w]
    angles: Optional[torch.Tensor] = None        # (N) float64 degrees
    flip: bool = False
    shifts_v: Optional[torch.Tensor] = None      # (N) int64
    shifts_h: Optional[torch.Tensor] = None

    def any(self):
        return any(t is not None for t in (self.zoom_offsets, self.crop_boxes, self.angles, self.shifts_v, self.shifts_h)) or self.flip


@dataclass
class FeatureAugmentParams:
    content_mix_mask: Optional[torch.Tensor] = None   # (P, C) float
    content_drop_mask: Optional[torch.Tensor] = None  # (C) float
    layout_rects: Optional[torch.Tensor] = None       # (P, 5) int64 [apply, y0, x0, h, w]


def _u(lo, hi):
    return lo + (hi - lo) * torch.rand(1, dtype=torch.float64).item()


def _coin(p):
    return p > 0 and torch.rand(1, dtype=torch.float64).item() < p


def _uint(lo, hi):
    return min(hi, lo + int(_u(0.0, 1.0) * (hi - lo + 1)))


def _shifts(n, size):
    out = torch.empty(n, dtype=torch.long)
    for i in range(n):
        s = min(max(round(_u(0.05, 0.3) * size), 1), size - 1)
        out[i] = s if _coin(0.5) else -s
    return out


def sample_augment(n, h, w, prob):
    """Same draws, in the same order, as the C++ sample_augment (not bit-identical: round() differs at .5)."""
    p = AugmentParams()
    if prob <= 0:
        return p
    if _coin(prob / 2):
        p.zoom_offsets = torch.tensor([[_uint(0, h), _uint(0, w)] for _ in range(n)], dtype=torch.long)
    if _coin(prob):
        if _coin(0.5):
            boxes = []
            for _ in range(n):
                r = _u(0.75, 1.0)
                bh, bw = round(r * h), round(r * w)
                boxes.append([_uint(0, h - bh), _uint(0, w - bw), bh, bw])
            p.crop_boxes = torch.tensor(boxes, dtype=torch.long)
        else:
            p.angles = torch.rand(n, dtype=torch.float64) * 16.0 - 8.0
    p.flip = _coin(prob)
    if _coin(prob):
        p.shifts_v = _shifts(n, h)
    if _coin(prob):
        p.shifts_h = _shifts(n, w)
    return p


def _resize(x, h, w):
    return F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False)


def _mirrored_shift(x, s, dim):
    size = x.shape[dim]
    if s > 0:
        return torch.cat([x.narrow(dim, size - s, s).flip(dim), x.narrow(dim, 0, size - s)], dim)
    if s < 0:
        return torch.cat([x.narrow(dim, -s, size + s), x.narrow(dim, 0, -s).flip(dim)], dim)
    return x


def apply_augment(p, x):
    if not p.any():
        return x
    n, _, h, w = x.shape
    out = x
    if p.zoom_offsets is not None:
        upx = _resize(out, 2 * h, 2 * w)
        out = torch.stack([upx[i, :, oy:oy + h, ox:ox + w] for i, (oy, ox) in enumerate(p.zoom_offsets.tolist())])
    if p.crop_boxes is not None:
        out = torch.cat([_resize(out[i:i + 1, :, y0:y0 + bh, x0:x0 + bw], h, w)
                         for i, (y0, x0, bh, bw) in enumerate(p.crop_boxes.tolist())])
    elif p.angles is not None:
        rad = p.angles.to(torch.float64) * (math.pi / 180.0)
        cos, sin, zero = torch.cos(rad), torch.sin(rad), torch.zeros_like(rad)
        theta = torch.stack([torch.stack([cos, -sin, zero], 1), torch.stack([sin, cos, zero], 1)], 1)
        grid = F.affine_grid(theta.to(x.dtype), [n, x.shape[1], h, w], align_corners=False)
        rot = F.grid_sample(out, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        ch, cw = round(0.8 * h), round(0.8 * w)
        y0, x0 = (h - ch) // 2, (w - cw) // 2
        out = _resize(rot[:, :, y0:y0 + ch, x0:x0 + cw], h, w)
    if p.flip:
        out = out.flip(3)
    if p.shifts_v is not None:
        out = torch.stack([_mirrored_shift(out[i], s, 1) for i, s in enumerate(p.shifts_v.tolist())])
    if p.shifts_h is not None:
        out = torch.stack([_mirrored_shift(out[i], s, 2) for i, s in enumerate(p.shifts_h.tolist())])
    return out


def apply_augment_multiscale(p, images):
    if not p.any():
        return list(images)
    finest = images[-1]
    H, W = finest.shape[2], finest.shape[3]
    factors = [H // im.shape[2] for im in images]
    stacked = [im if f == 1 else F.interpolate(im, size=(H, W), mode="nearest") for im, f in zip(images, factors)]
    aug = apply_augment(p, torch.cat(stacked, 1))
    out, c = [], 0
    for im, f in zip(images, factors):
        part = aug[:, c:c + im.shape[1]]
        c += im.shape[1]
        out.append(part if f == 1 else F.avg_pool2d(part, f))
    return out


def _subset(c):
    k = max(1, round(_u(0.1, 0.3) * c))
    m = torch.zeros(c)
    m[torch.randperm(c)[:k]] = 1.0
    return m


def sample_feature_augment(n, c, h, w, p_con, p_lay):
    p = FeatureAugmentParams()
    pairs = n // 2
    if pairs == 0:
        return p
    if _coin(p_con):
        p.content_mix_mask = torch.stack([_subset(c) for _ in range(pairs)])
    if _coin(p_con):
        p.content_drop_mask = _subset(c)
    if p_lay > 0:
        rects = torch.zeros(pairs, 5, dtype=torch.long)
        for i in range(pairs):
            if not _coin(p_lay):
                continue
            rh = min(max(round(_u(0.1, 0.5) * h), 1), h)
            rw = min(max(round(_u(0.1, 0.5) * w), 1), w)
            cy, cx = int(_u(0, 1) * h), int(_u(0, 1) * w)
            rects[i] = torch.tensor([1, min(max(cy - rh // 2, 0), h - rh), min(max(cx - rw // 2, 0), w - rw), rh, rw])
        p.layout_rects = rects
    return p


def _partner(n):
    idx = list(range(n))
    for a in range(0, n - n % 2, 2):
        idx[a], idx[a + 1] = a + 1, a
    return torch.tensor(idx)


def _per_sample(rows, n):
    rows = rows.repeat_interleave(2, 0)
    if rows.shape[0] < n:
        rows = torch.cat([rows, torch.zeros_like(rows[:1])])
    return rows


def _swap(x, mask):
    partner = x.index_select(0, _partner(x.shape[0]))
    return x * (1.0 - mask) + partner * mask


def apply_content_augment(p, x):
    out = x
    if p.content_mix_mask is not None:
        out = _swap(out, _per_sample(p.content_mix_mask, x.shape[0]).to(x.dtype).view(x.shape[0], x.shape[1], 1, 1))
    if p.content_drop_mask is not None:
        out = out * (1.0 - p.content_drop_mask.to(x.dtype)).view(1, -1, 1, 1)
    return out


def apply_layout_augment(p, x):
    if p.layout_rects is None or int(p.layout_rects[:, 0].sum()) == 0:
        return x
    mask = torch.zeros(p.layout_rects.shape[0], 1, x.shape[2], x.shape[3])
    for i, (a, y0, x0, h, w) in enumerate(p.layout_rects.tolist()):
        if a:
            mask[i, :, y0:y0 + h, x0:x0 + w] = 1.0
    return _swap(x, _per_sample(mask, x.shape[0]).to(x.dtype))
