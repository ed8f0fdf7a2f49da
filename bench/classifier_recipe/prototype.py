#!/usr/bin/python3
"""Prototype: which classifier-recipe levers make the osgan tumour/normal classifier robust to
another hospital's style.  Proxy for transfer = a fixed, deterministic "style-shifted" copy of the
val side (the external set is never touched).

A development tool (docs/study.md, "How the recipe was chosen"); osgan does not use it. Needs /usr/bin/python3
with torch, numpy and PIL. ROOT is the development data; SPLIT is `osgan split --seed 0` of it (set both below).
Usage: OMP_WAIT_POLICY=PASSIVE nice -n 5 /usr/bin/python3 prototype.py CONFIG [CONFIG ...] [--seeds 0 1 2]
Appends one JSON line per run to results.jsonl; `prototype.py --table` writes results.md.
"""
import json, math, os, sys, time
from collections import deque

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from style_shift import affine, bias_field, blur, style_shift  # the shifted validation set and its helpers

torch.set_num_threads(1)
HERE_ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("DATA", os.path.join(HERE_, "../../../shared/data/mri_based_brain_tumor_images"))
SPLIT = os.environ.get("SPLIT", "split.json")
HERE = os.path.dirname(os.path.abspath(__file__))
RAW = 256  # all dev images are 256x256

# ----------------------------------------------------------------------------- data
def load_split():
    d = json.load(open(SPLIT))
    tr = [(s["id"], 1 if s["label"] == "tumor" else 0) for s in d["samples"] if s["side"] == "train"]
    va = [(s["id"], 1 if s["label"] == "tumor" else 0) for s in d["samples"] if s["side"] == "val"]
    return tr, va

def load_grey(path):
    # PIL 'L' = ITU-R 601 luma (R*299 + G*587 + B*114)/1000
    return np.asarray(Image.open(path).convert("L"), dtype=np.float32) / 255.0

# ----------------------------------------------------------------------------- style shift (val proxy)
# ----------------------------------------------------------------------------- preprocessing
def pct_scale(x):
    lo, hi = np.percentile(x, [0.5, 99.5])
    if hi - lo < 1e-6: hi = lo + 1e-6
    return np.clip((x - lo) / (hi - lo), 0, 1)  # [0,1]; mapped to [-1,1] at the end

def largest_component_bbox(mask):
    """mask (h,w) bool -> (y0,y1,x0,x1) of the largest 4-connected component (exclusive ends) or None."""
    h, w = mask.shape
    lab = np.zeros((h, w), np.int32); best = (0, None); cur = 0
    m = mask.tolist()
    for sy in range(h):
        for sx in range(w):
            if not m[sy][sx] or lab[sy, sx]: continue
            cur += 1; lab[sy, sx] = cur; q = deque([(sy, sx)]); n = 0
            y0, y1, x0, x1 = sy, sy, sx, sx
            while q:
                y, x = q.popleft(); n += 1
                y0 = min(y0, y); y1 = max(y1, y); x0 = min(x0, x); x1 = max(x1, x)
                for yy, xx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                    if 0 <= yy < h and 0 <= xx < w and m[yy][xx] and not lab[yy, xx]:
                        lab[yy, xx] = cur; q.append((yy, xx))
            if n > best[0]: best = (n, (y0, y1 + 1, x0, x1 + 1))
    return best[1]

MASK_RES = 64

def fg_mask_small(s, thr):
    """s: [0,1] scaled image -> foreground mask at <=MASK_RES (area-downsampled), plus scale factors."""
    H, W = s.shape
    k = max(1, int(math.ceil(max(H, W) / MASK_RES)))
    hs, ws = H // k, W // k
    small = s[:hs * k, :ws * k].reshape(hs, k, ws, k).mean(axis=(1, 3))
    return small > thr, k

def head_crop(s, thr, margin):
    """Crop to the largest foreground component's bbox (+margin of bbox size), pad to square with 0."""
    H, W = s.shape
    m, k = fg_mask_small(s, thr)
    bb = largest_component_bbox(m)
    if bb is None: return s
    y0, y1, x0, x1 = [v * k for v in bb]
    y1 = min(H, y1); x1 = min(W, x1)
    if (y1 - y0) * (x1 - x0) < 0.05 * H * W: return s  # implausibly small: keep the whole image
    my, mx = int(round(margin * (y1 - y0))), int(round(margin * (x1 - x0)))
    y0, y1, x0, x1 = max(0, y0 - my), min(H, y1 + my), max(0, x0 - mx), min(W, x1 + mx)
    c = s[y0:y1, x0:x1]
    h, w = c.shape; n = max(h, w)
    out = np.zeros((n, n), np.float32)
    out[(n - h) // 2:(n - h) // 2 + h, (n - w) // 2:(n - w) // 2 + w] = c
    return out

def pad_square(s):
    h, w = s.shape; n = max(h, w)
    out = np.zeros((n, n), np.float32)
    out[(n - h) // 2:(n - h) // 2 + h, (n - w) // 2:(n - w) // 2 + w] = s
    return out

def preprocess(x, cfg):
    s = pct_scale(x)
    if cfg["crop"]:
        s = head_crop(s, cfg["crop_thr"], cfg["crop_margin"])
    elif cfg["square"]:
        s = pad_square(s)
    t = torch.from_numpy(np.ascontiguousarray(s))[None, None]
    R = cfg["res"]
    t = F.interpolate(t, size=(R, R), mode="area")[0, 0]
    if cfg["norm"] == "pct":
        return t * 2 - 1
    # z-score inside the foreground mask (mask computed at final resolution, same threshold)
    m = t > cfg["crop_thr"]
    if m.sum() < 16: m = torch.ones_like(m)
    v = t[m]; mu, sd = v.mean(), v.std().clamp_min(1e-3)
    z = ((t - mu) / sd).clamp(-3, 3) / 3
    return z

def prep_all(imgs, cfg):
    return torch.stack([preprocess(x, cfg) for x in imgs])[:, None]

# ----------------------------------------------------------------------------- training augmentation
def augment(x, rng, cfg):
    """x: (H,W) float [0,1] raw image -> augmented raw image (same family as a scanner/source change)."""
    a = cfg["aug_p"]
    img = torch.from_numpy(x)[None, None]
    H, W = x.shape
    # random resized crop: area fraction in [smin,1], aspect in [3/4,4/3], + optional zoom-out
    area = rng.uniform(a["scale"][0], a["scale"][1]); asp = math.exp(rng.uniform(math.log(3 / 4), math.log(4 / 3)))
    sx = 1 / math.sqrt(area * asp); sy = 1 / math.sqrt(area / asp)  # >1 zooms in
    lim_x = max(0.0, 1 - 1 / sx); lim_y = max(0.0, 1 - 1 / sy)
    tx = rng.uniform(-lim_x, lim_x) if lim_x > 0 else rng.uniform(-0.05, 0.05)
    ty = rng.uniform(-lim_y, lim_y) if lim_y > 0 else rng.uniform(-0.05, 0.05)
    img = affine(img, (H, W), sx, sy, rng.uniform(-a["rot"], a["rot"]), tx, ty, rng.random() < 0.5, 0.0)
    if a["bias"] > 0:
        img = img * bias_field(H, W, rng.uniform(0, a["bias"]), rng)
    img = img.clamp(0, 1) ** math.exp(rng.uniform(math.log(a["gamma"][0]), math.log(a["gamma"][1])))
    m = img.mean(); img = ((img - m) * rng.uniform(*a["contrast"]) + m).clamp(0, 1)
    u = rng.random()
    if u < a["p_blur"]:
        img = blur(img, rng.uniform(0.4, 1.5))
    elif u < a["p_blur"] + a["p_down"]:
        f = rng.uniform(0.35, 0.75)
        small = F.interpolate(img, size=(int(H * f), int(W * f)), mode="area")
        img = F.interpolate(small, size=(H, W), mode="bilinear", align_corners=False)
    if a["noise"] > 0:
        img = img + torch.from_numpy(
            rng.normal(0, rng.uniform(0, a["noise"]), img.shape).astype(np.float32))
    return img.clamp(0, 1)[0, 0].numpy()

# ----------------------------------------------------------------------------- model
class PreActBlock(nn.Module):
    def __init__(self, cin, c, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin); self.conv1 = nn.Conv2d(cin, c, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c); self.conv2 = nn.Conv2d(c, c, 3, 1, 1, bias=False)
        self.short = nn.Conv2d(cin, c, 1, stride, 0, bias=False) if (stride != 1 or cin != c) else None
    def forward(self, x):
        pre = F.relu(self.bn1(x))
        skip = self.short(pre) if self.short is not None else x
        return self.conv2(F.relu(self.bn2(self.conv1(pre)))) + skip

class Net(nn.Module):
    def __init__(self, res, width, head):
        super().__init__()
        ch = lambda c: max(1, int(round(c * width)))
        self.stem = nn.Conv2d(1, ch(64), 7, 2, 3)
        layers, cin = [], ch(64)
        for s, base in enumerate([64, 128, 256, 512]):
            for b in range(2):
                layers.append(PreActBlock(cin, ch(base), 2 if (s > 0 and b == 0) else 1)); cin = ch(base)
        self.stages = nn.Sequential(*layers); self.post_bn = nn.BatchNorm2d(cin)
        self.head_kind = head
        sp = res // 32
        nin = cin if head == "avg" else cin * sp * sp
        self.head = nn.Sequential(nn.Linear(nin, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 1))
    def forward(self, x):
        h = F.max_pool2d(self.stem(x), 3, 2, 1)
        h = F.relu(self.post_bn(self.stages(h)))
        h = h.mean((2, 3)) if self.head_kind == "avg" else h.flatten(1)
        return self.head(h)[:, 0]

# ----------------------------------------------------------------------------- metrics
def auc(y, s):
    y = np.asarray(y); s = np.asarray(s)
    order = np.argsort(s, kind="mergesort"); r = np.empty(len(s)); r[order] = np.arange(1, len(s) + 1)
    # average ranks for ties
    for v in np.unique(s):
        idx = s == v
        if idx.sum() > 1: r[idx] = r[idx].mean()
    npos = y.sum(); nneg = len(y) - npos
    return float((r[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg))

def evaluate(net, X, y):
    net.eval()
    with torch.no_grad():
        l = torch.cat([net(X[i:i + 64]) for i in range(0, len(X), 64)])
        lf = torch.cat([net(X[i:i + 64].flip(-1)) for i in range(0, len(X), 64)])
    out = {}
    for k, logit in (("", l), ("tta_", (l + lf) / 2)):
        p = logit.numpy()
        out[k + "auc"] = auc(y, p); out[k + "acc"] = float(((p > 0) == (np.asarray(y) == 1)).mean())
    return out

# ----------------------------------------------------------------------------- configs
BASE = dict(res=64, width=0.25, head="flatten", norm="pct", crop=False, square=False, crop_thr=0.08,
            crop_margin=0.04, aug=False, epochs=8, ls=0.0, mixup=0.0, lr=1e-3, wd=1e-4, bs=32,
            aug_p=dict(scale=(0.7, 1.0), rot=10.0, bias=0.3, gamma=(0.7, 1.5), contrast=(0.75, 1.3),
                       p_blur=0.25, p_down=0.25, noise=0.03))
CONFIGS = {
    "base": {},
    "crop": dict(crop=True),
    "zscore": dict(norm="z"),
    "aug": dict(aug=True),
    "aug_ep25": dict(aug=True, epochs=25),
    "ep25": dict(epochs=25),
    "res128": dict(res=128),
    "w05": dict(width=0.5),
    "avgpool": dict(head="avg"),
    "ls01": dict(ls=0.1),
    "mixup": dict(mixup=0.2),
}
def combo(**kw):
    return kw
CONFIGS.update({
    "crop_z": dict(crop=True, norm="z"),
    "crop_aug_ep25": dict(crop=True, aug=True, epochs=25),
    "crop_z_aug_ep25": dict(crop=True, norm="z", aug=True, epochs=25),
    "crop_z_aug_ep25_avg": dict(crop=True, norm="z", aug=True, epochs=25, head="avg"),
    "crop_aug_ep25_avg": dict(crop=True, aug=True, epochs=25, head="avg"),
    "crop_aug_ep25_avg_ls": dict(crop=True, aug=True, epochs=25, head="avg", ls=0.1),
    "crop_aug_ep25_avg_w05": dict(crop=True, aug=True, epochs=25, head="avg", width=0.5),
    "crop_aug_ep25_avg_r128": dict(crop=True, aug=True, epochs=25, head="avg", res=128),
    "crop_aug_ep25_r128": dict(crop=True, aug=True, epochs=25, res=128),
    "crop_aug_ep25_w05": dict(crop=True, aug=True, epochs=25, width=0.5),
    # area fraction > 1 = zoom out with black padding (framing change); crop then removes most of it
    "crop_z_aug_zo_ep25": dict(crop=True, norm="z", aug=True, epochs=25, aug_p=dict(scale=(0.7, 1.4))),
    "crop_z_aug_zo_ep25_r128": dict(crop=True, norm="z", aug=True, epochs=25, res=128, aug_p=dict(scale=(0.7, 1.4))),
    "crop_aug_zo_ep25": dict(crop=True, aug=True, epochs=25, aug_p=dict(scale=(0.7, 1.4))),
})

def make_cfg(name):
    cfg = json.loads(json.dumps(BASE)); over = CONFIGS[name]
    for k, v in over.items():
        if k == "aug_p": cfg["aug_p"].update(v)
        else: cfg[k] = v
    return cfg

# ----------------------------------------------------------------------------- run
_CACHE = {}
def data():
    if "d" not in _CACHE:
        tr, va = load_split()
        Xtr = [load_grey(os.path.join(ROOT, i)) for i, _ in tr]
        Xva = [load_grey(os.path.join(ROOT, i)) for i, _ in va]
        Xsh = [style_shift(x, np.random.default_rng(1000 + k)) for k, x in enumerate(Xva)]
        _CACHE["d"] = (Xtr, [l for _, l in tr], Xva, [l for _, l in va], Xsh)
    return _CACHE["d"]

def run(name, seed):
    cfg = make_cfg(name)
    Xtr, ytr, Xva, yva, Xsh = data()
    t0 = time.time()
    torch.manual_seed(seed); rng = np.random.default_rng(seed)
    Pva = prep_all(Xva, cfg); Psh = prep_all(Xsh, cfg)
    Ptr = None if cfg["aug"] else prep_all(Xtr, cfg)
    y = torch.tensor(ytr, dtype=torch.float32); n = len(ytr)
    npos = float(y.sum()); w_pos, w_neg = n / (2 * npos), n / (2 * (n - npos))
    net = Net(cfg["res"], cfg["width"], cfg["head"])
    opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"], weight_decay=cfg["wd"])
    steps = cfg["epochs"] * math.ceil(n / cfg["bs"]); step = 0
    for ep in range(cfg["epochs"]):
        net.train()
        perm = torch.from_numpy(rng.permutation(n))
        for i in range(0, n, cfg["bs"]):
            idx = perm[i:i + cfg["bs"]]
            if cfg["aug"]:
                xb = torch.stack([preprocess(augment(Xtr[j], rng, cfg), cfg) for j in idx.tolist()])[:, None]
            else:
                xb = Ptr[idx]
            yb = y[idx]; wb = yb * w_pos + (1 - yb) * w_neg
            tgt = yb * (1 - cfg["ls"]) + 0.5 * cfg["ls"]
            if cfg["mixup"] > 0:
                lam = float(rng.beta(cfg["mixup"], cfg["mixup"])); p2 = torch.from_numpy(rng.permutation(len(idx)))
                xb = lam * xb + (1 - lam) * xb[p2]; tgt = lam * tgt + (1 - lam) * tgt[p2]; wb = lam * wb + (1 - lam) * wb[p2]
            for g in opt.param_groups: g["lr"] = cfg["lr"] * 0.5 * (1 + math.cos(math.pi * step / steps))
            loss = (F.binary_cross_entropy_with_logits(net(xb), tgt, reduction="none") * wb).mean()
            opt.zero_grad(); loss.backward(); opt.step(); step += 1
    r = {"config": name, "seed": seed, "secs": round(time.time() - t0, 1)}
    for k, v in evaluate(net, Pva, yva).items(): r["val_" + k] = v
    for k, v in evaluate(net, Psh, yva).items(): r["sh_" + k] = v
    return r

def table():
    rows = [json.loads(l) for l in open(os.path.join(HERE, "results.jsonl"))]
    by = {}
    for r in rows: by.setdefault(r["config"], {})[r["seed"]] = r
    ms = lambda v: f"{np.mean(v):.3f} ± {np.std(v, ddof=1) if len(v) > 1 else 0:.3f}"
    out = ["| config | n | val AUC | val acc | shifted AUC | shifted acc | acc gap | TTA shifted AUC | TTA shifted acc | s/run |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for name, d in by.items():
        R = list(d.values()); g = lambda k: [r[k] for r in R]
        gap = [r["val_acc"] - r["sh_acc"] for r in R]
        out.append(f"| {name} | {len(R)} | {ms(g('val_auc'))} | {ms(g('val_acc'))} | {ms(g('sh_auc'))} | {ms(g('sh_acc'))} | "
                   f"{ms(gap)} | {ms(g('sh_tta_auc'))} | {ms(g('sh_tta_acc'))} | {np.mean(g('secs')):.0f} |")
    txt = "\n".join(out); print(txt); return txt

if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--table":
        txt = table(); open(os.path.join(HERE, "results.md"), "w").write(txt + "\n"); sys.exit()
    if args and args[0] == "--dump":  # save a few shifted / augmented / preprocessed examples for eyeballing
        Xtr, ytr, Xva, yva, Xsh = data(); os.makedirs(os.path.join(HERE, "viz"), exist_ok=True)
        cfg = make_cfg("crop_aug_ep25"); rng = np.random.default_rng(0)
        tiles = []
        for k in range(8):
            row = [Xva[k], Xsh[k], augment(Xtr[k], rng, cfg)]
            row = [F.interpolate(torch.from_numpy(r)[None, None], size=(128, 128), mode="area")[0, 0].numpy() for r in row]
            row += [(preprocess(Xsh[k], make_cfg("base")).numpy() + 1) / 2, (preprocess(Xsh[k], cfg).numpy() + 1) / 2]
            row = [np.kron(r, np.ones((2, 2))) if r.shape[0] == 64 else r for r in row]
            tiles.append(np.concatenate(row, 1))
        Image.fromarray((np.concatenate(tiles, 0).clip(0, 1) * 255).astype(np.uint8)).save(os.path.join(HERE, "viz/examples.png"))
        sys.exit()
    seeds = [0, 1, 2]
    if "--seeds" in args:
        i = args.index("--seeds"); seeds = [int(s) for s in args[i + 1:]]; args = args[:i]
    for name in args:
        for s in seeds:
            r = run(name, s); print(json.dumps(r), flush=True)
            with open(os.path.join(HERE, "results.jsonl"), "a") as f: f.write(json.dumps(r) + "\n")
