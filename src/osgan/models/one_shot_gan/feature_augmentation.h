// Feature augmentation (FA) of REAL samples inside the One-Shot GAN discriminator (Sushko et al., SIV-GAN /
// One-Shot GAN, spec 1.6): content FA mixes and drops channels of the pooled content vector, layout FA swaps one
// rectangle of the layout feature map between paired samples. Sampling is split from applying so tests can fix it.
#pragma once
#include <torch/torch.h>

namespace osgan::one_shot {

// Samples pair up as (0,1), (2,3), ...; with an odd batch the last sample is never changed. P = N / 2 pairs.
struct FeatureAugmentParams {
  bool content_mix = false;
  torch::Tensor content_mix_mask;   // (P, C) float 0/1: channels swapped inside each pair
  bool content_drop = false;
  torch::Tensor content_drop_mask;  // (C) float 0/1: channels zeroed for the whole batch
  torch::Tensor layout_rects;       // (P, 5) int64 [apply, y0, x0, h, w] per pair; undefined = no layout FA
};

// Draws FA parameters from LibTorch's default CPU generator. Content: mix and drop each happen with prob_content
// (one decision per batch), each touching a new uniform 10-30% channel subset (per pair for mix). Layout: per pair
// with prob_layout, a rectangle with sides uniform in [0.1, 0.5] of H and W around a uniform centre, shifted inside.
FeatureAugmentParams sample_feature_augment(int64_t n, int64_t channels, int64_t height, int64_t width,
                                            double prob_content, double prob_layout);

// Differentiable; return the input unchanged when the op is off. x: (N, C, 1, 1) / (N, C, H, W).
torch::Tensor apply_content_augment(const FeatureAugmentParams& params, const torch::Tensor& x);
torch::Tensor apply_layout_augment(const FeatureAugmentParams& params, const torch::Tensor& x);

}  // namespace osgan::one_shot
