// Classical augmentation for classifier training (MONAI naming: Rand* with a probability): random horizontal and
// vertical flips, a small random affine (rotation, translation, scale) and a random intensity scale/shift, plus
// optional style augmentation (resized crop, bias field, gamma, contrast, blur, noise). Each image gets each
// transform with probability `prob`. Parameters are drawn from LibTorch's default generator, so a
// seeded run repeats exactly on the CPU.
#pragma once
#include <torch/torch.h>

namespace osgan {

struct ClassifierAugmentOptions {
  double prob = 0.5;            // per image and per transform; 0 disables augmentation
  bool flips = true;            // horizontal and vertical (brain slices are roughly symmetric; orientation varies)
  double max_rotation_deg = 10;
  double max_translate = 0.05;  // fraction of the image size
  double max_scale = 0.05;      // zoom in [1 - s, 1 + s]
  double max_intensity = 0.1;   // x * (1 + a) + b with |a|, |b| <= this

  // Style augmentation: what changes between scanners, protocols and sites, so that a classifier cannot lean on
  // one dataset's look. Independent of `prob` (the study's protocols without classical augmentation keep it).
  // Each is off at its default; when on, each image gets it with probability style_prob.
  double style_prob = 0;
  double min_crop_area = 1;     // random resized crop: an area share in [min, max], aspect in [3/4, 4/3]; a share
  double max_crop_area = 1;     // above 1 zooms out (padded with the background)
  double max_bias_field = 0;    // smooth multiplicative field exp(s * g), g ~ N(0, 1) on a 4x4 grid, s in [0, max]
  double min_gamma = 1, max_gamma = 1;        // gamma on [0, 1] intensities, log-uniform in [min, max]
  double min_contrast = 1, max_contrast = 1;  // (x - mean) * c + mean, c uniform in [min, max]
  double max_blur_sigma = 0;    // Gaussian blur, sigma in [0.3, max] pixels
  double max_noise = 0;         // additive Gaussian noise, sd in [0, max] of the [0, 1] range

  bool has_style() const {  // any style transform configured
    return min_crop_area != 1 || max_crop_area != 1 || max_bias_field > 0 || min_gamma != 1 || max_gamma != 1 || min_contrast != 1 ||
           max_contrast != 1 || max_blur_sigma > 0 || max_noise > 0;
  }
};

// images (N, 1, H, W) in [-1, 1] -> the same shape, augmented, clamped to [-1, 1].
torch::Tensor rand_classifier_augment(const torch::Tensor& images, const ClassifierAugmentOptions& options);

}  // namespace osgan
