// Augmentation: sample the parameters for the whole batch first, then apply them (MONAI's Randomizable split).
#include "osgan/train/classifier_augment.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace osgan {

namespace {

// (N, 1, H, W) blurred with a separable Gaussian of standard deviation `sigma` pixels, edges replicated.
torch::Tensor gaussian_blur(const torch::Tensor& x, double sigma) {
  namespace F = torch::nn::functional;
  const int64_t radius = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(3 * sigma)));
  auto t = torch::arange(-radius, radius + 1, x.options());
  auto k = torch::exp(-t * t / (2 * sigma * sigma));
  k = k / k.sum();  // (2r+1)
  auto y = F::pad(x, F::PadFuncOptions({radius, radius, 0, 0}).mode(torch::kReplicate));
  y = F::conv2d(y, k.view({1, 1, 1, -1}));
  y = F::pad(y, F::PadFuncOptions({0, 0, radius, radius}).mode(torch::kReplicate));
  return F::conv2d(y, k.view({1, 1, -1, 1}));
}

}  // namespace

torch::Tensor rand_classifier_augment(const torch::Tensor& images, const ClassifierAugmentOptions& o) {
  const bool style = o.style_prob > 0 && o.has_style();
  if (o.prob <= 0 && !style) return images;
  torch::NoGradGuard no_grad;
  namespace F = torch::nn::functional;
  const int64_t n = images.size(0), h = images.size(2), w = images.size(3);
  const auto opts = images.options();
  auto chosen = [&](double p) { return (torch::rand({n}, opts) < p).to(images.scalar_type()).view({n, 1, 1, 1}); };
  auto uniform = [&](double limit) { return (torch::rand({n}, opts) * 2 - 1) * limit; };  // (N) in [-limit, limit]
  auto between = [&](double lo, double hi) { return lo + torch::rand({n}, opts) * (hi - lo); };  // (N)
  // Output -> input grid coordinates: rotation times the inverse zoom (zoom > 1 zooms in), then the shift.
  auto warp = [&](const torch::Tensor& x, const torch::Tensor& angle, const torch::Tensor& zoom_x, const torch::Tensor& zoom_y,
                  const torch::Tensor& tx, const torch::Tensor& ty) {
    auto cos = torch::cos(angle), sin = torch::sin(angle);
    auto theta = torch::stack({torch::stack({cos / zoom_x, -sin / zoom_y, tx}, 1),
                               torch::stack({sin / zoom_x, cos / zoom_y, ty}, 1)}, 1);  // (N, 2, 3)
    auto grid = F::affine_grid(theta, x.sizes(), /*align_corners=*/false);              // (N, H, W, 2)
    // Pad with -1 (black background), not zero (mid grey): shift so the background maps to 0 and back.
    return F::grid_sample(x + 1, grid,
                          F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false)) - 1;
  };

  auto x = images;
  if (o.prob > 0) {
    // Classical: sample, then apply.
    auto do_hflip = chosen(o.prob), do_vflip = chosen(o.prob), do_affine = chosen(o.prob), do_intensity = chosen(o.prob);
    auto angle = uniform(o.max_rotation_deg * M_PI / 180.0);
    auto scale = 1 + uniform(o.max_scale);
    auto tx = uniform(o.max_translate * 2), ty = uniform(o.max_translate * 2);  // grid units: the image spans 2
    auto gain = 1 + uniform(o.max_intensity), bias = uniform(o.max_intensity);
    if (o.flips) {
      x = do_hflip * x.flip({3}) + (1 - do_hflip) * x;
      x = do_vflip * x.flip({2}) + (1 - do_vflip) * x;
    }
    if (o.max_rotation_deg > 0 || o.max_translate > 0 || o.max_scale > 0)
      x = do_affine * warp(x, angle, scale, scale, tx, ty) + (1 - do_affine) * x;
    if (o.max_intensity > 0) {
      auto shifted = x * gain.view({n, 1, 1, 1}) + bias.view({n, 1, 1, 1});
      x = do_intensity * shifted + (1 - do_intensity) * x;
    }
  }
  if (!style) return x.clamp(-1, 1);

  // Style. A random resized crop: keep `area` of the image at aspect `aspect`, anywhere inside it (an area above 1
  // zooms out: the image shrinks inside a padded canvas, shifted by up to 2.5%), with a rotation of up to
  // max_rotation_deg and a horizontal flip half of the time: framing differs between sources.
  if (o.min_crop_area != 1 || o.max_crop_area != 1) {
    auto area = between(o.min_crop_area, o.max_crop_area);
    auto aspect = torch::exp(uniform(std::log(4.0 / 3.0)));
    auto zoom_x = 1 / torch::sqrt(area * aspect), zoom_y = 1 / torch::sqrt(area / aspect);
    auto room = [&](const torch::Tensor& zoom) {  // how far the crop may move, in grid units
      return torch::where(zoom > 1, 1 - 1 / zoom, torch::full_like(zoom, 0.05));
    };
    auto tx = (torch::rand({n}, opts) * 2 - 1) * room(zoom_x);
    auto ty = (torch::rand({n}, opts) * 2 - 1) * room(zoom_y);
    auto angle = uniform(o.max_rotation_deg * M_PI / 180.0);
    auto mirror = torch::where(torch::rand({n}, opts) < 0.5, -torch::ones({n}, opts), torch::ones({n}, opts));
    zoom_x = zoom_x * mirror;  // a negative zoom mirrors the x axis
    auto pick = chosen(o.style_prob);
    x = pick * warp(x, angle, zoom_x, zoom_y, tx, ty) + (1 - pick) * x;
  }
  // The rest on [0, 1] intensities (N, 1, H, W).
  auto u = ((x + 1) / 2).clamp(0, 1);
  if (o.max_bias_field > 0) {
    auto strength = between(0, o.max_bias_field).view({n, 1, 1, 1});
    auto coarse = torch::randn({n, 1, 4, 4}, opts);
    auto field = F::interpolate(coarse, F::InterpolateFuncOptions().size(std::vector<int64_t>{h, w})
                                            .mode(torch::kBicubic).align_corners(true));  // (N, 1, H, W)
    auto pick = chosen(o.style_prob);
    u = pick * (u * torch::exp(strength * field)).clamp(0, 1) + (1 - pick) * u;
  }
  if (o.min_gamma != 1 || o.max_gamma != 1) {
    auto gamma = torch::exp(between(std::log(o.min_gamma), std::log(o.max_gamma))).view({n, 1, 1, 1});
    auto pick = chosen(o.style_prob);
    u = pick * u.pow(gamma) + (1 - pick) * u;
  }
  if (o.min_contrast != 1 || o.max_contrast != 1) {
    auto c = between(o.min_contrast, o.max_contrast).view({n, 1, 1, 1});
    auto mean = u.mean({1, 2, 3}, /*keepdim=*/true);
    auto pick = chosen(o.style_prob);
    u = pick * ((u - mean) * c + mean).clamp(0, 1) + (1 - pick) * u;
  }
  if (o.max_blur_sigma > 0) {
    auto sigma = between(0.3, std::max(0.3, o.max_blur_sigma));
    auto pick = chosen(o.style_prob);
    std::vector<torch::Tensor> rows;
    for (int64_t i = 0; i < n; ++i) {
      auto one = u.slice(0, i, i + 1);  // (1, 1, H, W)
      rows.push_back(pick[i].item<float>() > 0 ? gaussian_blur(one, sigma[i].item<double>()) : one);
    }
    u = torch::cat(rows, 0);
  }
  if (o.max_noise > 0) {
    auto sd = between(0, o.max_noise).view({n, 1, 1, 1});
    auto pick = chosen(o.style_prob);
    u = u + pick * sd * torch::randn_like(u);
  }
  return (u * 2 - 1).clamp(-1, 1);
}

}  // namespace osgan
