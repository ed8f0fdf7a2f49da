// Classical augmentation for classifier training (MONAI naming: Rand* with a probability): random horizontal and
// vertical flips, a small random affine (rotation, translation, scale) and a random intensity scale/shift. Each
// image gets each transform with probability `prob`. Parameters are drawn from LibTorch's default generator, so a
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
};

// images (N, 1, H, W) in [-1, 1] -> the same shape, augmented, clamped to [-1, 1].
torch::Tensor rand_classifier_augment(const torch::Tensor& images, const ClassifierAugmentOptions& options);

}  // namespace osgan
