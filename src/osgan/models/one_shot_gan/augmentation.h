// Differentiable augmentation (DA) of the One-Shot GAN's D inputs, after the released kornia pipeline
// (AugmentPipe_kornia, spec 1.7; cf. Karras et al., "Training GANs with Limited Data", NeurIPS 2020): zoom, crop or
// small rotation, horizontal flip, mirrored vertical / horizontal translation. Decisions per batch, params per sample.
// Parameters are sampled separately from applying them, so the reference test can apply fixed ones.
#pragma once
#include <vector>

#include <torch/torch.h>

namespace osgan::one_shot {

enum class CropMode { none = 0, crop = 1, rotate = 2 };

// N = batch. Per-sample tensors live on the CPU.
struct AugmentParams {
  bool zoom = false;
  torch::Tensor zoom_offsets;  // (N, 2) int64 [y, x] in [0, H] x [0, W]: crop of the x2 upsampled image
  CropMode crop_mode = CropMode::none;
  torch::Tensor crop_boxes;    // (N, 4) int64 [y0, x0, h, w], h = round(r H), w = round(r W), r in [0.75, 1]
  torch::Tensor angles;        // (N) float64 degrees in [-8, 8]; then a centre crop to 80% and resize back
  bool flip = false;           // horizontal flip of the whole batch
  torch::Tensor shifts_v;      // (N) int64 rows (+ down, - up); undefined = off. |shift| in [0.05, 0.3] * H
  torch::Tensor shifts_h;      // (N) int64 columns (+ right, - left); undefined = off

  bool any() const { return zoom || crop_mode != CropMode::none || flip || shifts_v.defined() || shifts_h.defined(); }
};

// Draws the parameters for a batch of n images of size height x width from LibTorch's default CPU generator.
// prob is the DA probability (published default 0.3; zoom uses prob / 2). prob 0 returns "no augmentation".
AugmentParams sample_augment(int64_t n, int64_t height, int64_t width, double prob);

// Applies the transform to x (N, C, H, W); differentiable w.r.t. x. Returns x itself when params.any() is false.
torch::Tensor apply_augment(const AugmentParams& params, const torch::Tensor& x);

// The same transform at every scale of one sample: images (N, C, H_i, W_i) with H / H_i integer (finest last) are
// upsampled (nearest) to the finest size, stacked on channels, transformed, split and average-pooled back.
// Without any transform the images come back untouched (nearest up + average down is the identity).
std::vector<torch::Tensor> apply_augment_multiscale(const AugmentParams& params, const std::vector<torch::Tensor>& images);

}  // namespace osgan::one_shot
