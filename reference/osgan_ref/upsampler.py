"""PyTorch mirror of the cascade's upsampler and patch discriminator (C++ in src/osgan/models/cascade) and of one
training step (upsampler_step in src/osgan/train/upsampler_trainer.cpp). Parameter names equal the C++ ones."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .losses import adversarial_loss
from .models import lrelu, sn_conv


def conv3x3(cin, cout):
    return nn.Conv2d(cin, cout, 3, padding=1)


def enlarge_bilinear(x, factor):
    return F.interpolate(x, size=(x.shape[2] * factor, x.shape[3] * factor), mode="bilinear", align_corners=False)


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv_a = conv3x3(channels, channels)
        self.conv_b = conv3x3(channels, channels)

    def forward(self, x):
        return x + self.conv_b(lrelu(self.conv_a(lrelu(x))))


class UpStage(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv_a = conv3x3(cin, cout)
        self.conv_b = conv3x3(cout, cout)

    def forward(self, x):
        h = F.interpolate(lrelu(x), size=(x.shape[2] * 2, x.shape[3] * 2), mode="nearest")
        return self.conv_b(lrelu(self.conv_a(h)))


class Upsampler(nn.Module):
    def __init__(self, stages, channels, residual_blocks):
        super().__init__()
        self.factor = 2 ** stages
        self.head = conv3x3(1, channels[0])
        self.residual = nn.ModuleList([ResidualBlock(channels[0]) for _ in range(residual_blocks)])
        self.up = nn.ModuleList([UpStage(channels[k], channels[k + 1]) for k in range(stages)])
        self.tail = conv3x3(channels[-1], 1)

    def forward(self, x):
        h = self.head(x)
        for block in self.residual:
            h = block(h)
        for stage in self.up:
            h = stage(h)
        return enlarge_bilinear(x, self.factor) + self.tail(lrelu(h))


class PatchDiscriminator(nn.Module):
    def __init__(self, base_channels=32):
        super().__init__()
        c = base_channels
        self.conv0 = sn_conv(1, c, 3, pad=1)
        self.conv1 = sn_conv(c, 2 * c, 3, pad=1)
        self.conv2 = sn_conv(2 * c, 4 * c, 3, pad=1)
        self.out = sn_conv(4 * c, 1, 3, pad=1)

    def forward(self, x):
        h = F.avg_pool2d(lrelu(self.conv0(x)), 2)
        h = F.avg_pool2d(lrelu(self.conv1(h)), 2)
        return self.out(lrelu(self.conv2(h)))


def upsampler_step(model, optimizer, low, high, d=None, d_optimizer=None, adversarial_weight=0.0):
    """One step in the C++ order: D's hinge step on real against the (detached) output, then L1 + weight x G's loss."""
    losses = {}
    out = model(low)
    if d is not None:
        d_optimizer.zero_grad()
        d_loss = adversarial_loss(d(high), "hinge", True, False) + adversarial_loss(d(out.detach()), "hinge", False, False)
        d_loss.backward()
        d_optimizer.step()
        losses["d_loss"] = d_loss.detach()
    optimizer.zero_grad()
    l1 = (out - high).abs().mean()
    loss = l1
    if d is not None:
        g_adv = adversarial_loss(d(out), "hinge", True, True)
        loss = loss + adversarial_weight * g_adv
        losses["g_adversarial"] = g_adv.detach()
    loss.backward()
    optimizer.step()
    losses["l1"] = l1.detach()
    return out.detach(), losses
