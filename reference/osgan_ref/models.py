"""One-Shot GAN generator and discriminator (Sushko et al., CVPRW 2021; spec 1.2-1.4), mirroring the C++ op order."""
from dataclasses import dataclass, field
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm

MULT_G = [8, 8, 8, 8, 8, 8, 8, 4, 2, 1]
MULT_D = [1, 2, 4, 8, 8, 8, 8, 8, 8]


@dataclass
class Architecture:
    image_size: int = 128
    image_channels: int = 1
    noise_dim: int = 64
    noise_size: int = 4
    blocks_g: int = 6
    blocks_d: int = 7
    blocks_d_low: int = 3
    channels_g: List[int] = field(default_factory=list)
    channels_d: List[int] = field(default_factory=list)
    feature_prev_ratio: int = 8
    minibatch_std: bool = False
    modes: int = 0  # D's content heads project onto a learned embedding of the mode (osgan's mode condition)
    reconstruction: bool = False  # D has a decoder from the D_low map back to the image (FastGAN's, osgan's extension)


def make_architecture(image_size, noise_dim=64, ch_g=32, ch_d=32, blocks_g=0, blocks_d=0, blocks_d_low=0, image_channels=1,
                      minibatch_std=False, reconstruction=False):
    if blocks_g == 0:
        blocks_g = next(g for g in range(5, 10) if 3 <= image_size / 2 ** (g - 1) <= 7)
    noise = round(image_size / 2 ** (blocks_g - 1))
    assert noise * 2 ** (blocks_g - 1) == image_size
    table = {9: (8, 4), 8: (7, 4), 7: (7, 3), 6: (7, 3), 5: (6, 2)}
    d, d_low = table.get(blocks_g, (0, 0))
    blocks_d = blocks_d or d
    blocks_d_low = blocks_d_low or d_low
    return Architecture(image_size, image_channels, noise_dim, noise, blocks_g, blocks_d, blocks_d_low,
                        [ch_g * m for m in MULT_G[len(MULT_G) - blocks_g - 1:]],
                        [ch_d * m for m in MULT_D[:blocks_d + 1]], minibatch_std=minibatch_std,
                        reconstruction=reconstruction)


def sn_conv(cin, cout, k, pad=0, bias=True):
    # PyTorch's default Conv2d init: what the published models trained from (their weights_init, run after .to("cuda"),
    # writes to a stale copy of the weight). initialize_weights applies weights_init as written when asked.
    return spectral_norm(nn.Conv2d(cin, cout, k, padding=pad, bias=bias))


def initialize_weights(module, init="as-run"):
    """init: "as-run" (keep PyTorch's default, as the published models trained) or "normal-0.02" (weights_init)."""
    if init == "as-run":
        return
    assert init == "normal-0.02", init
    with torch.no_grad():
        for m in module.modules():
            if hasattr(m, "weight_orig"):
                m.weight_orig.normal_(0.0, 0.02)


def lrelu(x):
    return F.leaky_relu(x, 0.2)


def up(x):
    return F.interpolate(x, scale_factor=2, mode="nearest")


class GeneratorBlock(nn.Module):
    def __init__(self, cin, cout, upsample):
        super().__init__()
        mid = min(cin, cout)
        self.upsample = upsample
        self.conv1 = sn_conv(cin, mid, 3, 1)
        self.conv2 = sn_conv(mid, cout, 3, 1)
        self.shortcut = sn_conv(cin, cout, 1, 0, bias=False)

    def forward(self, x):
        h = lrelu(x)
        if self.upsample:
            h = up(h)
        h = self.conv2(lrelu(self.conv1(h)))
        s = self.shortcut(x)  # 1x1 conv commutes with nearest upsampling (same order as the C++)
        if self.upsample:
            s = up(s)
        return h + s


class Generator(nn.Module):
    def __init__(self, arch):
        super().__init__()
        self.arch = arch
        ch = arch.channels_g
        self.first_linear = nn.ConvTranspose2d(arch.noise_dim, ch[0], arch.noise_size)
        self.body = nn.ModuleList([GeneratorBlock(ch[i], ch[i + 1], i > 0) for i in range(arch.blocks_g)])
        self.rgb_converters = nn.ModuleList([sn_conv(ch[i + 1], arch.image_channels, 3, 1) for i in range(arch.blocks_g)])

    def forward(self, z):
        images, features = [], []
        x = self.first_linear(z)
        for block, rgb in zip(self.body, self.rgb_converters):
            x = block(x)
            images.append(torch.tanh(rgb(x)))
            features.append(torch.tanh(x))
        return images, features


class DiscriminatorBlock(nn.Module):
    def __init__(self, cin, cout, is_first, only_content):
        super().__init__()
        mid = min(cin, cout)
        k, pad = (1, 0) if only_content else (3, 1)
        self.is_first, self.only_content = is_first, only_content
        self.conv1 = sn_conv(cin, mid, k, pad)
        self.conv2 = sn_conv(mid, cout, k, pad)
        self.shortcut = sn_conv(cin, cout, 1, 0, bias=False) if (cin != cout or not only_content) else None

    def forward(self, x):
        h = self.conv2(lrelu(self.conv1(x if self.is_first else lrelu(x))))
        s = self.shortcut(x) if self.shortcut is not None else x
        if not self.only_content:
            h = F.avg_pool2d(h, 2)
            s = F.avg_pool2d(s, 2)
        return h + s


class Discriminator(nn.Module):
    def __init__(self, arch):
        super().__init__()
        self.arch = arch
        ch = arch.channels_d
        self.from_rgb, self.low_level, self.low_level_heads = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        self.content, self.content_heads = nn.ModuleList(), nn.ModuleList()
        self.layout, self.layout_heads = nn.ModuleList(), nn.ModuleList()
        for i in range(arch.blocks_d_low):
            rgb_out = ch[0] if i == 0 else ch[i] // arch.feature_prev_ratio
            self.from_rgb.append(sn_conv(arch.image_channels, rgb_out, 3, 1))
            cin = ch[0] if i == 0 else ch[i] + rgb_out
            self.low_level.append(DiscriminatorBlock(cin, ch[i + 1], i == 0, False))
            self.low_level_heads.append(sn_conv(ch[i + 1], 1, 1))
        spread = 1 if arch.minibatch_std else 0
        for i in range(arch.blocks_d_low, arch.blocks_d):
            first = i == arch.blocks_d_low
            self.content.append(DiscriminatorBlock(ch[i] + (spread if first else 0), ch[i + 1], False, True))
            self.content_heads.append(sn_conv(ch[i + 1], 1, 1))
            self.layout.append(DiscriminatorBlock(ch[i] + spread if first else 1, 1, False, False))
            self.layout_heads.append(sn_conv(1, 1, 1))
        # Registered last, zero at the start: a conditioned D starts as the unconditioned one.
        for j, i in enumerate(range(arch.blocks_d_low, arch.blocks_d) if arch.modes > 0 else []):
            self.register_parameter(f"mode_embedding_{j}", nn.Parameter(torch.zeros(arch.modes, ch[i + 1])))
        # The decoder, last of all so every other weight is drawn as without it: the low-level extractor mirrored.
        if arch.reconstruction:
            self.decoder = nn.ModuleList([sn_conv(ch[i], ch[i - 1], 3, 1) for i in range(arch.blocks_d_low, 0, -1)] +
                                         [sn_conv(ch[0], arch.image_channels, 3, 1)])

    def reconstruct(self, x):
        for conv in self.decoder[:-1]:
            x = lrelu(conv(F.interpolate(x, size=(x.shape[2] * 2, x.shape[3] * 2), mode="nearest")))
        return torch.tanh(self.decoder[-1](x))

    def forward(self, images, fa=None, modes=None, with_features=False):
        from .augment import apply_content_augment, apply_layout_augment
        low, content, layout = [], [], []
        x = None
        for i in range(self.arch.blocks_d_low):
            rgb = self.from_rgb[i](images[len(images) - 1 - i])
            x = rgb if i == 0 else torch.cat([x, rgb], 1)
            x = self.low_level[i](x)
            low.append(self.low_level_heads[i](x))
        c = x.mean((2, 3), keepdim=True)
        if fa is not None:
            c = apply_content_augment(fa, c)
        lay = apply_layout_augment(fa, x) if fa is not None else x
        if self.arch.minibatch_std:  # the batch's feature spread, from the batch before FA, as one more channel
            spread = (x.var(0, unbiased=False) + 1e-8).sqrt().mean()
            c = torch.cat([c, spread.expand(c.shape[0], 1, 1, 1)], 1)
            lay = torch.cat([lay, spread.expand(lay.shape[0], 1, lay.shape[2], lay.shape[3])], 1)
        for j in range(len(self.content)):
            c = self.content[j](c)
            logit = self.content_heads[j](c)
            if modes is not None:  # projection onto the mode's embedding (Miyato & Koyama 2018)
                e = getattr(self, f"mode_embedding_{j}")[modes]  # (N, C_j)
                logit = logit + (e * c.flatten(1)).sum(1).view(-1, 1, 1, 1)
            content.append(logit)
            lay = self.layout[j](lay)
            layout.append(self.layout_heads[j](lay))
        return (low, content, layout, x) if with_features else (low, content, layout)


def image_pyramid(x, levels):
    pyr = [x]
    for _ in range(1, levels):
        prev = pyr[0]
        pyr.insert(0, F.interpolate(prev, size=(prev.shape[2] // 2, prev.shape[3] // 2), mode="bilinear", align_corners=False))
    return pyr
