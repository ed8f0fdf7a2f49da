"""One-Shot GAN train step in PyTorch, the oracle for the C++ OneShotGan::train_step_with (spec 1.8 order)."""
import copy
from dataclasses import dataclass, field

import torch

from .augment import AugmentParams, FeatureAugmentParams, apply_augment, apply_augment_multiscale
from .augment import sample_augment, sample_feature_augment
from .losses import branch_losses, branch_weights, coverage_loss, diversity_regularization, nearest_in_pool
from .models import Discriminator, Generator, image_pyramid, initialize_weights, make_architecture


@dataclass
class GanConfig:
    image_size: int = 128
    noise_dim: int = 64
    channels_g: int = 32
    channels_d: int = 32
    blocks_g: int = 0
    blocks_d: int = 0
    blocks_d_low: int = 0
    loss: str = "bce"
    init: str = "as-run"
    lambda_dr: float = 0.15
    prob_augment: float = 0.3
    prob_fa_content: float = 0.4
    prob_fa_layout: float = 0.4
    minibatch_std: bool = False
    lambda_coverage: float = 0.0
    coverage_pool: int = 32
    lambda_reconstruction: float = 0.0
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999
    use_ema: bool = True
    ema_decay: float = 0.9999


@dataclass
class StepRandomness:
    g_fake: AugmentParams = field(default_factory=AugmentParams)
    d_real: AugmentParams = field(default_factory=AugmentParams)
    d_fake: AugmentParams = field(default_factory=AugmentParams)
    fa: FeatureAugmentParams = field(default_factory=FeatureAugmentParams)
    z_coverage: torch.Tensor = None  # (P, noise_dim, 1, 1), the coverage term's pool of noise


def _set_requires_grad(module, on):
    for p in module.parameters():
        p.requires_grad_(on)


class OneShotGanRef:
    def __init__(self, cfg, image_channels=1):
        self.cfg = cfg
        self.arch = make_architecture(cfg.image_size, cfg.noise_dim, cfg.channels_g, cfg.channels_d, cfg.blocks_g,
                                      cfg.blocks_d, cfg.blocks_d_low, image_channels, cfg.minibatch_std,
                                      cfg.lambda_reconstruction > 0)
        self.g = Generator(self.arch)
        self.d = Discriminator(self.arch)
        initialize_weights(self.g, cfg.init)
        initialize_weights(self.d, cfg.init)
        self.g_ema = copy.deepcopy(self.g) if cfg.use_ema else None
        if self.g_ema is not None:
            _set_requires_grad(self.g_ema, False)
        self.g_opt = torch.optim.Adam(self.g.parameters(), lr=cfg.lr_g, betas=(cfg.beta1, cfg.beta2))
        self.d_opt = torch.optim.Adam(self.d.parameters(), lr=cfg.lr_d, betas=(cfg.beta1, cfg.beta2))

    def finest(self, images):
        return images[len(images) - self.arch.blocks_d_low:]

    def sample_step_randomness(self, n):
        s, c = self.arch.image_size, self.cfg
        size_low = s >> self.arch.blocks_d_low
        return StepRandomness(sample_augment(n, s, s, c.prob_augment), sample_augment(n, s, s, c.prob_augment),
                              sample_augment(n, s, s, c.prob_augment),
                              sample_feature_augment(n, self.arch.channels_d[self.arch.blocks_d_low], size_low, size_low,
                                                     c.prob_fa_content, c.prob_fa_layout))

    def train_step(self, real):
        n = real.shape[0]
        z_g = torch.randn(n, self.arch.noise_dim, 1, 1)
        z_d = torch.randn(n, self.arch.noise_dim, 1, 1)
        return self.train_step_with(real, z_g, z_d, self.sample_step_randomness(n))

    def train_step_with(self, real, z_g, z_d, r):
        cfg, w = self.cfg, branch_weights(self.arch.blocks_d)
        out = {}
        # G step
        _set_requires_grad(self.d, False)
        n = real.shape[0]
        coverage = cfg.lambda_coverage > 0
        z = z_g
        if coverage:  # the pool's nearest fake per real image, drawn in the same G pass (train mode, no gradient)
            with torch.no_grad():
                nearest = nearest_in_pool(real, self.g(r.z_coverage)[0][-1])
            z = torch.cat([z_g, r.z_coverage.index_select(0, nearest)])
        images, features = self.g(z)
        chosen = images[-1][n:]
        images, features = [t[:n] for t in images], [t[:n] for t in features]
        low, con, lay = self.d(apply_augment_multiscale(r.g_fake, self.finest(images)))
        g_adv = branch_losses(low, con, lay, w, cfg.loss, True, True)
        g_dr = cfg.lambda_dr * diversity_regularization(features) if cfg.lambda_dr > 0 else torch.zeros(())
        g_cov = cfg.lambda_coverage * coverage_loss(chosen, real) if coverage else torch.zeros(())
        g_total = g_adv["content"] + g_adv["layout"] + g_adv["low_level"] + g_dr + g_cov
        self.g_opt.zero_grad()
        g_total.backward()
        self.g_opt.step()
        _set_requires_grad(self.d, True)
        # D step on real
        real_aug = apply_augment(r.d_real, real)
        low, con, lay, feats = self.d(image_pyramid(real_aug, self.arch.blocks_d_low), r.fa, with_features=True)
        d_real = branch_losses(low, con, lay, w, cfg.loss, True, False)
        reconstruction = cfg.lambda_reconstruction > 0
        d_rec = (cfg.lambda_reconstruction * (self.d.reconstruct(feats) - real_aug).abs().mean() if reconstruction
                 else torch.zeros(()))
        # D step on fake (detached)
        with torch.no_grad():
            fake = self.finest(self.g(z_d)[0])
        low, con, lay = self.d(apply_augment_multiscale(r.d_fake, fake))
        d_fake = branch_losses(low, con, lay, w, cfg.loss, False, False)
        d_real_total = d_real["content"] + d_real["layout"] + d_real["low_level"]
        d_fake_total = d_fake["content"] + d_fake["layout"] + d_fake["low_level"]
        d_total = d_real_total + d_fake_total + d_rec
        self.d_opt.zero_grad()
        d_total.backward()
        self.d_opt.step()
        # EMA
        if self.g_ema is not None:
            with torch.no_grad():
                ema = dict(self.g_ema.named_parameters())
                ema.update(dict(self.g_ema.named_buffers()))
                for name, t in list(self.g.named_parameters()) + list(self.g.named_buffers()):
                    ema[name].mul_(cfg.ema_decay).add_(t, alpha=1.0 - cfg.ema_decay)
        out["g_total"], out["g_dr"] = g_total.detach(), g_dr.detach()
        if coverage:
            out["g_coverage"] = g_cov.detach()
        for k, v in g_adv.items():
            out["g_" + k] = v.detach()
        out["d_total"], out["d_real"], out["d_fake"] = d_total.detach(), d_real_total.detach(), d_fake_total.detach()
        if reconstruction:
            out["d_reconstruction"] = d_rec.detach()
        for k, v in d_real.items():
            out["d_real_" + k] = v.detach()
        for k, v in d_fake.items():
            out["d_fake_" + k] = v.detach()
        return out

    @torch.no_grad()
    def generate(self, z, use_ema=True):
        g = self.g_ema if (use_ema and self.g_ema is not None) else self.g
        return g(z)[0][-1]
