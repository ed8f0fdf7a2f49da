#!/usr/bin/env python3
"""PyTorch mirror of bench_gan_step.cpp: one One-Shot GAN train step (reference/osgan_ref) and EMA generation.
Usage: bench_gan_step.py --config paper|small [--steps 10] [--warmup 2] [--threads 2]"""
import argparse
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from osgan_ref import GanConfig, OneShotGanRef  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="small", choices=["paper", "small"])
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.config == "paper":
        cfg, batch = GanConfig(image_size=128, channels_g=32, channels_d=32), 4
    else:
        cfg, batch = GanConfig(image_size=64, channels_g=16, channels_d=16), 8
    gan = OneShotGanRef(cfg)
    real = torch.rand(batch, 1, cfg.image_size, cfg.image_size) * 2 - 1
    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        gan.train_step(real)
        if i >= a.warmup:
            times.append(time.perf_counter() - t0)
    times.sort()
    gen_batches, gen_batch = 3, 16
    gan.generate(torch.randn(gen_batch, cfg.noise_dim, 1, 1))
    g0 = time.perf_counter()
    for _ in range(gen_batches):
        gan.generate(torch.randn(gen_batch, cfg.noise_dim, 1, 1))
    ips = gen_batches * gen_batch / (time.perf_counter() - g0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    params = sum(p.numel() for p in gan.g.parameters()) + sum(p.numel() for p in gan.d.parameters())
    print(f"impl=py config={a.config} threads={a.threads} batch={batch} steps={a.steps} min_s={times[0]:.4f} "
          f"median_s={times[len(times) // 2]:.4f} gen_img_per_s={ips:.1f} peak_rss_mb={rss:.0f} params={params}")


if __name__ == "__main__":
    main()
