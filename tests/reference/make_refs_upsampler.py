#!/usr/bin/env python3
"""Writes the PyTorch reference for the cascade's upsampler (tests/reference/test_ref_upsampler.cpp).

Tiny config (8 -> 32 px: 2 stages, channels 8/6/4, 2 residual blocks; patch discriminator base 4), batch 3, fixed
seed. Contents: initial upsampler and discriminator state (spectral-norm u, v included), the batch, the first step's
output and losses and every gradient of both networks after it, per-step losses, and both networks' state after 3
steps of upsampler_step with Adam (lr 1e-3, betas 0.9 / 0.999) and adversarial weight 0.1.
Usage: make_refs_upsampler.py OUT.pt   (run with /usr/bin/python3, Debian torch 1.13)
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "reference"))
from osgan_ref.upsampler import PatchDiscriminator, Upsampler, upsampler_step  # noqa: E402

STEPS = 3
BATCH = 3
LR = 1e-3
WEIGHT = 0.1


class Container(torch.nn.Module):
    def __init__(self, tensors):
        super().__init__()
        for name, t in tensors.items():
            self.register_buffer(name.replace(".", "__"), t.detach().clone().contiguous())


def put_state(out, prefix, module):
    for name, t in list(module.named_parameters()) + list(module.named_buffers()):
        out[prefix + name] = t.detach().clone()


def put_grads(out, prefix, module):
    for name, t in module.named_parameters():
        out[prefix + name] = t.grad.detach().clone()


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else "upsampler_ref.pt"
    torch.manual_seed(4321)
    torch.set_num_threads(1)
    model = Upsampler(stages=2, channels=[8, 6, 4], residual_blocks=2)
    d = PatchDiscriminator(base_channels=4)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.999))
    d_optimizer = torch.optim.Adam(d.parameters(), lr=LR, betas=(0.9, 0.999))
    out = {"config": torch.tensor([2, 8, 6, 4, 2, 4, BATCH, STEPS]),
           "config_float": torch.tensor([LR, WEIGHT], dtype=torch.float64)}
    put_state(out, "init_up.", model)
    put_state(out, "init_d.", d)
    for step in range(STEPS):
        low = torch.rand(BATCH, 1, 8, 8) * 2 - 1
        high = torch.rand(BATCH, 1, 32, 32) * 2 - 1
        out[f"step{step}_low"] = low
        out[f"step{step}_high"] = high
        up, losses = upsampler_step(model, optimizer, low, high, d, d_optimizer, WEIGHT)
        for name, value in losses.items():
            out[f"step{step}_{name}"] = value
        if step == 0:
            out["step0_out"] = up
            put_grads(out, "step0_grad_up.", model)
            put_grads(out, "step0_grad_d.", d)
    put_state(out, "final_up.", model)
    put_state(out, "final_d.", d)
    torch.jit.script(Container(out)).save(out_path)


if __name__ == "__main__":
    main()
