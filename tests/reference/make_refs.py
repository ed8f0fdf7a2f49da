#!/usr/bin/env python3
"""Writes the PyTorch reference for the C++ One-Shot GAN (tests/reference/test_ref_one_shot_gan.cpp).

Tiny config (32x32, 1 channel, channel bases 4/8, batch 3, 4 G blocks, 4 D blocks with 2 low-level), fixed seed.
Output: one TorchScript container (torch.jit.script of a module holding every tensor as a buffer; keys use "__"
for "."), read in C++ with torch::jit::load(path).attr(name).toTensor(). Contents: config, initial G/D weights
and buffers, real batch, noise for 3 steps, fixed DA/FA parameters per step, G/D forward outputs, every loss term,
every G and D gradient of step 0, per-step losses, and G/D/EMA-G state after 3 full train steps; plus separate
fixed-parameter augmentation checks, a D with minibatch_std (forward and gradients), 2 train steps with the
coverage term (from the same initial weights), and 2 train steps of a fresh GAN with FastGAN's reconstruction.
Usage: make_refs.py OUT.pt   (run with /usr/bin/python3, Debian torch 1.13)
"""
import copy
import dataclasses
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "reference"))
from osgan_ref import (AugmentParams, Discriminator, FeatureAugmentParams, GanConfig, OneShotGanRef,  # noqa: E402
                       StepRandomness,
                       apply_augment, apply_augment_multiscale, apply_content_augment, apply_layout_augment,
                       image_pyramid, nearest_in_pool)

STEPS = 3
BATCH = 3


class Container(torch.nn.Module):
    def __init__(self, tensors):
        super().__init__()
        for name, t in tensors.items():
            self.register_buffer(name, t.detach().clone().contiguous())


def key(name):
    return name.replace(".", "__")


def put_state(out, prefix, module):
    for name, t in list(module.named_parameters()) + list(module.named_buffers()):
        out[key(prefix + name)] = t.detach().clone()  # a snapshot: training mutates parameters in place


def put_gan_state(out, prefix, gan):
    """G, D and EMA-G state under PREFIX + "g.", "d.", "ema.", as put_state writes them."""
    put_state(out, prefix + "g.", gan.g)
    put_state(out, prefix + "d.", gan.d)
    put_state(out, prefix + "ema.", gan.g_ema)


def put_gradients(out, prefix, gan):
    """Every G and D gradient of the last step under PREFIX + "grad_g." / "grad_d.". None: the coarse G image heads
    D never reads (as in the published code)."""
    for part, m in (("grad_g.", gan.g), ("grad_d.", gan.d)):
        for name, p in m.named_parameters():
            if p.grad is not None:
                out[key(prefix + part + name)] = p.grad.clone()


def put_aug(out, prefix, p):
    for field in ("zoom_offsets", "crop_boxes", "angles", "shifts_v", "shifts_h"):
        v = getattr(p, field)
        if v is not None:
            out[prefix + field] = v
    out[prefix + "flip"] = torch.tensor(int(p.flip))


def put_fa(out, prefix, p):
    for field in ("content_mix_mask", "content_drop_mask", "layout_rects"):
        v = getattr(p, field)
        if v is not None:
            out[prefix + field] = v


def put_init_statistics(out):
    """Fresh weights at a realistic size (64 px, channel base 8) for each init: per weight_orig, [std, max |w|].
    "as-run" is PyTorch's own default Conv2d init, untouched: what the C++ SNConv2d must reproduce."""
    for init in ("as-run", "normal-0.02"):
        fresh = OneShotGanRef(GanConfig(image_size=64, channels_g=8, channels_d=8, init=init))
        for part, module in (("g", fresh.g), ("d", fresh.d)):
            for name, p in module.named_parameters():
                if name.endswith("weight_orig"):
                    w = p.detach().double()
                    out[key(f"initstats_{init.replace('-', '_').replace('.', '')}_{part}.{name}")] = torch.stack(
                        [w.std(), w.abs().max()])


def put_batch_spread_discriminator(out, arch, real, fa):
    """minibatch_std (an osgan extension): a fresh D whose branches also read the batch's feature spread; its
    weights, its outputs on the real pyramid with feature augmentation, and the gradient of the sum of every output.
    Drawn last, so the tensors above do not depend on it."""
    d = Discriminator(dataclasses.replace(arch, minibatch_std=True))
    put_outputs_and_gradients(out, "mbstd_", d, real, fa)


def put_outputs_and_gradients(out, prefix, d, real, fa, modes=None):
    """D's weights, its outputs on the real pyramid, and the gradient of a weighted sum of every output."""
    put_state(out, prefix + "init_d.", d)
    low, con, lay = d(image_pyramid(real, d.arch.blocks_d_low), fa, modes)
    for name, outs in (("low_level", low), ("content", con), ("layout", lay)):
        for i, t in enumerate(outs):
            out[f"{prefix}fwd_d_{name}{i}"] = t.detach()
    # Weighted so that no two outputs' gradients could cancel or swap unnoticed.
    sum((k + 1) * t.sum() for k, t in enumerate(low + con + lay)).backward()
    for name, p in d.named_parameters():
        if p.grad is not None:
            out[key(prefix + "grad_d." + name)] = p.grad.clone()


def put_mode_conditioned_discriminator(out, arch, real, fa):
    """The mode condition (an osgan extension): a fresh D with 3 modes whose embeddings are drawn (they start at
    zero in training), its outputs on the real pyramid with feature augmentation for fixed modes, and the gradient of
    a weighted sum of every output, embeddings included. Drawn after the batch-spread D."""
    d = Discriminator(dataclasses.replace(arch, modes=3))
    with torch.no_grad():
        for j in range(arch.blocks_d - arch.blocks_d_low):
            getattr(d, f"mode_embedding_{j}").normal_(0.0, 0.5)
    out["modes_batch"] = torch.tensor([2, 0, 2])
    put_outputs_and_gradients(out, "modes_", d, real, fa, out["modes_batch"])


def put_coverage_steps(out, gan, cfg, real, zs, rs):
    """The coverage term (an osgan extension): `gan` (the initial GAN, untrained) with lambda_coverage 1 and a pool of
    6 makes 2 train steps with the noise and randomness of the first 2 steps plus a pool of noise each (drawn last, so
    the tensors above do not depend on them): the pool's chosen indices, every loss, every gradient of step 0 and the
    G, D and EMA-G state after both."""
    gan.cfg = dataclasses.replace(cfg, lambda_coverage=1.0, coverage_pool=6)
    out["cov_config"] = torch.tensor([gan.cfg.lambda_coverage, gan.cfg.coverage_pool], dtype=torch.float64)
    for k in range(2):
        z_pool = torch.randn(gan.cfg.coverage_pool, cfg.noise_dim, 1, 1)
        out[f"cov_step{k}_z_coverage"] = z_pool
        with torch.no_grad():  # the choice on its own, from a copy (the step's own pool pass moves u, v)
            out[f"cov_step{k}_nearest"] = nearest_in_pool(real, copy.deepcopy(gan.g)(z_pool)[0][-1])
        r = dataclasses.replace(rs[k], z_coverage=z_pool)
        for name, v in gan.train_step_with(real, zs[k][0], zs[k][1], r).items():
            out[f"cov_step{k}_loss_{name}"] = v
        if k == 0:
            put_gradients(out, "cov_", gan)
    put_gan_state(out, "cov_final_", gan)


def put_reconstruction_steps(out, cfg, real, zs, rs):
    """FastGAN's reconstruction (an osgan extension): a fresh GAN with lambda_reconstruction 1 (drawn last, so the
    tensors above do not depend on it) makes 2 train steps with the noise and randomness of the first 2 steps: its
    initial weights, the decoder's image from the initial D, every loss, every gradient of step 0 and the G, D and
    EMA-G state after both."""
    gan = OneShotGanRef(dataclasses.replace(cfg, lambda_reconstruction=1.0))
    put_gan_state(out, "rec_init_", gan)
    d0 = copy.deepcopy(gan.d)
    out["rec_fwd_image"] = d0.reconstruct(d0(image_pyramid(real, d0.arch.blocks_d_low), with_features=True)[3]).detach()
    for k in range(2):
        for name, v in gan.train_step_with(real, zs[k][0], zs[k][1], rs[k]).items():
            out[f"rec_step{k}_loss_{name}"] = v
        if k == 0:
            put_gradients(out, "rec_", gan)
    put_gan_state(out, "rec_final_", gan)


def fixed_randomness(step, n, arch):
    """Hand-picked parameters so every op runs somewhere: step 0 zoom+crop+flip+shifts, step 1 rotation,
    step 2 none on reals (FA off) but shifts on fakes."""
    s = arch.image_size
    low_c, low_s = arch.channels_d[arch.blocks_d_low], s >> arch.blocks_d_low
    if step == 0:
        g_fake = AugmentParams(zoom_offsets=torch.tensor([[0, 5], [17, 32], [9, 3]]),
                               crop_boxes=torch.tensor([[0, 0, 24, 24], [8, 3, 24, 24], [2, 1, 30, 30]]),
                               flip=True, shifts_v=torch.tensor([3, -9, 2]), shifts_h=torch.tensor([-2, 7, 1]))
        d_real = AugmentParams(crop_boxes=torch.tensor([[1, 2, 28, 28], [0, 0, 32, 32], [6, 4, 26, 26]]),
                               shifts_h=torch.tensor([4, -4, 5]))
        d_fake = AugmentParams(zoom_offsets=torch.tensor([[32, 0], [1, 1], [16, 16]]), flip=True,
                               shifts_v=torch.tensor([-5, 6, 1]))
        mix = torch.zeros(n // 2, low_c)
        mix[0, [1, 4, 7]] = 1.0
        drop = torch.zeros(low_c)
        drop[[0, 5]] = 1.0
        fa = FeatureAugmentParams(mix, drop, torch.tensor([[1, 1, 2, 3, 4]] * (n // 2)))
    elif step == 1:
        g_fake = AugmentParams(angles=torch.tensor([7.5, -3.0, 0.25], dtype=torch.float64))
        d_real = AugmentParams(angles=torch.tensor([-6.0, 8.0, 2.0], dtype=torch.float64), flip=True)
        d_fake = AugmentParams(angles=torch.tensor([1.0, -8.0, 4.5], dtype=torch.float64), shifts_h=torch.tensor([3, -3, 8]))
        fa = FeatureAugmentParams(None, None, torch.tensor([[1, 0, 0, low_s, 2]] * (n // 2)))
    else:
        g_fake = AugmentParams(shifts_v=torch.tensor([2, 2, -2]))
        d_real, d_fake, fa = AugmentParams(), AugmentParams(), FeatureAugmentParams()
    return StepRandomness(g_fake, d_real, d_fake, fa)


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else "one_shot_gan_ref.pt"
    torch.manual_seed(1234)
    torch.set_num_threads(1)
    cfg = GanConfig(image_size=32, noise_dim=8, channels_g=4, channels_d=8, blocks_g=4, blocks_d=4, blocks_d_low=2,
                    ema_decay=0.5)  # decay 0.5 so 3 EMA updates move EMA-G measurably
    gan = OneShotGanRef(cfg)
    untrained = copy.deepcopy(gan)  # its optimizers follow its own copies of the weights
    arch = gan.arch
    out = {"config": torch.tensor([cfg.image_size, cfg.noise_dim, cfg.channels_g, cfg.channels_d, cfg.blocks_g,
                                   cfg.blocks_d, cfg.blocks_d_low, BATCH, STEPS]),
           "config_float": torch.tensor([cfg.lambda_dr, cfg.ema_decay, cfg.lr_g, cfg.lr_d, cfg.beta1, cfg.beta2],
                                        dtype=torch.float64)}
    put_gan_state(out, "init_", gan)
    real = torch.rand(BATCH, 1, 32, 32) * 2 - 1
    out["real"] = real
    zs = [(torch.randn(BATCH, cfg.noise_dim, 1, 1), torch.randn(BATCH, cfg.noise_dim, 1, 1)) for _ in range(STEPS)]
    rs = [fixed_randomness(k, BATCH, arch) for k in range(STEPS)]
    for k in range(STEPS):
        out[f"step{k}_z_g"], out[f"step{k}_z_d"] = zs[k]
        put_aug(out, f"step{k}_g_fake_", rs[k].g_fake)
        put_aug(out, f"step{k}_d_real_", rs[k].d_real)
        put_aug(out, f"step{k}_d_fake_", rs[k].d_fake)
        put_fa(out, f"step{k}_fa_", rs[k].fa)

    # Forward checks on copies of the initial models (train mode: one power iteration each).
    g0, d0 = copy.deepcopy(gan.g), copy.deepcopy(gan.d)
    images, feats = g0(zs[0][0])
    for i, (im, f) in enumerate(zip(images, feats)):
        out[f"fwd_g_image{i}"], out[f"fwd_g_feature{i}"] = im, f
    put_state(out, "fwd_g_after.", g0)
    low, con, lay = d0(image_pyramid(real, arch.blocks_d_low), rs[0].fa)
    for name, outs in (("low_level", low), ("content", con), ("layout", lay)):
        for i, t in enumerate(outs):
            out[f"fwd_d_{name}{i}"] = t

    # Fixed-parameter augmentation checks (multi-scale consistency included).
    x = torch.randn(BATCH, 2, 32, 32)
    out["aug_in"] = x
    for k in range(STEPS):
        for part in ("g_fake", "d_real", "d_fake"):
            out[f"aug_step{k}_{part}"] = apply_augment(getattr(rs[k], part), x)
    ms = [torch.randn(BATCH, 1, 16, 16), torch.randn(BATCH, 1, 32, 32)]
    out["aug_ms_in0"], out["aug_ms_in1"] = ms
    for i, t in enumerate(apply_augment_multiscale(rs[0].g_fake, ms)):
        out[f"aug_ms_out{i}"] = t
    c = torch.randn(BATCH, arch.channels_d[arch.blocks_d_low], 1, 1)
    lmap = torch.randn(BATCH, arch.channels_d[arch.blocks_d_low], 8, 8)
    out["fa_content_in"], out["fa_layout_in"] = c, lmap
    out["fa_content_out"] = apply_content_augment(rs[0].fa, c)
    out["fa_layout_out"] = apply_layout_augment(rs[0].fa, lmap)

    # Three full train steps; gradients and losses of step 0, losses of every step, final state.
    for k in range(STEPS):
        losses = gan.train_step_with(real, zs[k][0], zs[k][1], rs[k])
        for name, v in losses.items():
            out[f"step{k}_loss_{name}"] = v
        if k == 0:
            put_gradients(out, "", gan)
            put_state(out, "step0_g.", gan.g)
            put_state(out, "step0_d.", gan.d)
    put_gan_state(out, "final_", gan)
    put_init_statistics(out)
    put_batch_spread_discriminator(out, arch, real, rs[0].fa)
    put_mode_conditioned_discriminator(out, arch, real, rs[0].fa)
    put_coverage_steps(out, untrained, cfg, real, zs, rs)
    put_reconstruction_steps(out, cfg, real, zs, rs)
    torch.jit.script(Container(out)).save(out_path)
    print(f"make_refs: wrote {len(out)} tensors to {out_path}")


if __name__ == "__main__":
    main()
