"""PyTorch mirror of osgan's One-Shot GAN (C++ in src/osgan/models/one_shot_gan, src/osgan/losses).

Used only by tests/reference/make_refs.py and bench/bench_gan_step.py, never at run time. Parameter and buffer names
equal the C++ registered names, so state_dict keys line up one to one (spectral norm from torch.nn.utils).
"""
from .models import Architecture, make_architecture, Generator, Discriminator, image_pyramid  # noqa: F401
from .augment import AugmentParams, FeatureAugmentParams, sample_augment, apply_augment, apply_augment_multiscale  # noqa: F401
from .augment import sample_feature_augment, apply_content_augment, apply_layout_augment  # noqa: F401
from .losses import branch_weights, branch_losses, diversity_regularization, nearest_in_pool, coverage_loss  # noqa: F401
from .gan import GanConfig, OneShotGanRef, StepRandomness  # noqa: F401
