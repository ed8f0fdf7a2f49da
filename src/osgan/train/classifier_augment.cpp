// Augmentation: sample the parameters for the whole batch first, then apply them (MONAI's Randomizable split).
#include "osgan/train/classifier_augment.h"

#include <cmath>

namespace osgan {

torch::Tensor rand_classifier_augment(const torch::Tensor& images, const ClassifierAugmentOptions& o) {
  if (o.prob <= 0) return images;
  torch::NoGradGuard no_grad;
  const int64_t n = images.size(0);
  const auto opts = images.options();
  auto chosen = [&] { return (torch::rand({n}, opts) < o.prob).to(images.scalar_type()).view({n, 1, 1, 1}); };
  auto uniform = [&](double limit) { return (torch::rand({n}, opts) * 2 - 1) * limit; };  // (N) in [-limit, limit]

  // Sample.
  auto do_hflip = chosen(), do_vflip = chosen(), do_affine = chosen(), do_intensity = chosen();  // (N, 1, 1, 1)
  auto angle = uniform(o.max_rotation_deg * M_PI / 180.0);
  auto scale = 1 + uniform(o.max_scale);
  auto tx = uniform(o.max_translate * 2), ty = uniform(o.max_translate * 2);  // grid units: the image spans 2
  auto gain = 1 + uniform(o.max_intensity), bias = uniform(o.max_intensity);

  // Apply.
  auto x = images;
  if (o.flips) {
    x = do_hflip * x.flip({3}) + (1 - do_hflip) * x;
    x = do_vflip * x.flip({2}) + (1 - do_vflip) * x;
  }
  if (o.max_rotation_deg > 0 || o.max_translate > 0 || o.max_scale > 0) {
    auto cos = torch::cos(angle) / scale, sin = torch::sin(angle) / scale;
    auto theta = torch::stack({torch::stack({cos, -sin, tx}, 1), torch::stack({sin, cos, ty}, 1)}, 1);  // (N, 2, 3)
    auto grid = torch::nn::functional::affine_grid(theta, x.sizes(), /*align_corners=*/false);          // (N, H, W, 2)
    // Pad with -1 (black background), not zero (mid grey): shift so the background maps to 0 and back.
    auto warped = torch::nn::functional::grid_sample(
                      x + 1, grid,
                      torch::nn::functional::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false)) - 1;
    x = do_affine * warped + (1 - do_affine) * x;
  }
  if (o.max_intensity > 0) {
    auto shifted = x * gain.view({n, 1, 1, 1}) + bias.view({n, 1, 1, 1});
    x = do_intensity * shifted + (1 - do_intensity) * x;
  }
  return x.clamp(-1, 1);
}

}  // namespace osgan
