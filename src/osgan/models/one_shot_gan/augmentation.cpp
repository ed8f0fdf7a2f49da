// Differentiable augmentation (spec 1.7, kornia path), in plain tensor ops: slicing, interpolate, flip, and
// affine_grid + grid_sample for rotation. Per-sample loops are fine: batches are small (4-8).
#include "osgan/models/one_shot_gan/augmentation.h"

#include <algorithm>
#include <cmath>

namespace osgan::one_shot {
namespace {
namespace F = torch::nn::functional;

double uniform(double lo, double hi) { return lo + (hi - lo) * torch::rand({1}, torch::kFloat64).item<double>(); }
bool coin(double p) { return p > 0.0 && torch::rand({1}, torch::kFloat64).item<double>() < p; }
int64_t uniform_int(int64_t lo, int64_t hi) {  // inclusive
  return std::min(hi, lo + static_cast<int64_t>(uniform(0.0, 1.0) * static_cast<double>(hi - lo + 1)));
}

torch::Tensor resize_bilinear(const torch::Tensor& x, int64_t h, int64_t w) {  // (N, C, h', w') -> (N, C, h, w)
  return F::interpolate(x, F::InterpolateFuncOptions().size(std::vector<int64_t>{h, w}).mode(torch::kBilinear).align_corners(false));
}

// Per sample, a signed shift in [0.05, 0.3] * size (at least one pixel).
torch::Tensor sample_shifts(int64_t n, int64_t size) {
  auto shifts = torch::empty({n}, torch::kLong);
  auto acc = shifts.accessor<int64_t, 1>();
  for (int64_t i = 0; i < n; ++i) {
    const auto s = std::clamp<int64_t>(std::llround(uniform(0.05, 0.3) * static_cast<double>(size)), 1, size - 1);
    acc[i] = coin(0.5) ? s : -s;
  }
  return shifts;
}

// Shifts one sample (C, H, W) by s along dim; the vacated strip gets a mirrored copy of the strip shifted out.
torch::Tensor mirrored_shift(const torch::Tensor& x, int64_t s, int64_t dim) {
  const int64_t size = x.size(dim);
  if (s > 0) return torch::cat({x.slice(dim, size - s, size).flip(dim), x.slice(dim, 0, size - s)}, dim);
  if (s < 0) return torch::cat({x.slice(dim, -s, size), x.slice(dim, 0, -s).flip(dim)}, dim);
  return x;
}

torch::Tensor per_sample_shift(const torch::Tensor& x, const torch::Tensor& shifts, int64_t dim) {
  std::vector<torch::Tensor> out;
  for (int64_t i = 0; i < x.size(0); ++i) out.push_back(mirrored_shift(x[i], shifts[i].item<int64_t>(), dim - 1));
  return torch::stack(out);
}

torch::Tensor rotate_and_centre_crop(const torch::Tensor& x, const torch::Tensor& angles) {  // (N, C, H, W)
  const int64_t h = x.size(2), w = x.size(3);
  auto rad = angles.to(torch::kFloat64) * (M_PI / 180.0);
  auto cos = torch::cos(rad), sin = torch::sin(rad), zero = torch::zeros_like(rad);
  // Rotation about the centre in normalised coordinates (square images, so no aspect correction).
  auto theta = torch::stack({torch::stack({cos, -sin, zero}, 1), torch::stack({sin, cos, zero}, 1)}, 1);  // (N, 2, 3)
  auto grid = F::affine_grid(theta.to(x.options()), {x.size(0), x.size(1), h, w}, /*align_corners=*/false);
  auto rotated = F::grid_sample(x, grid, F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false));
  const auto ch = static_cast<int64_t>(std::llround(0.8 * static_cast<double>(h)));
  const auto cw = static_cast<int64_t>(std::llround(0.8 * static_cast<double>(w)));
  const auto y0 = (h - ch) / 2, x0 = (w - cw) / 2;
  return resize_bilinear(rotated.slice(2, y0, y0 + ch).slice(3, x0, x0 + cw), h, w);
}

}  // namespace

AugmentParams sample_augment(int64_t n, int64_t height, int64_t width, double prob) {
  AugmentParams params;
  if (prob <= 0.0) return params;
  if (coin(prob / 2.0)) {
    params.zoom = true;
    params.zoom_offsets = torch::empty({n, 2}, torch::kLong);
    auto offsets = params.zoom_offsets.accessor<int64_t, 2>();
    for (int64_t i = 0; i < n; ++i) {
      offsets[i][0] = uniform_int(0, height);
      offsets[i][1] = uniform_int(0, width);
    }
  }
  if (coin(prob)) {
    params.crop_mode = coin(0.5) ? CropMode::crop : CropMode::rotate;
    if (params.crop_mode == CropMode::crop) {
      params.crop_boxes = torch::empty({n, 4}, torch::kLong);
      auto boxes = params.crop_boxes.accessor<int64_t, 2>();
      for (int64_t i = 0; i < n; ++i) {
        const double r = uniform(0.75, 1.0);
        const auto h = static_cast<int64_t>(std::llround(r * static_cast<double>(height)));
        const auto w = static_cast<int64_t>(std::llround(r * static_cast<double>(width)));
        boxes[i][0] = uniform_int(0, height - h);
        boxes[i][1] = uniform_int(0, width - w);
        boxes[i][2] = h;
        boxes[i][3] = w;
      }
    } else {
      params.angles = torch::rand({n}, torch::kFloat64) * 16.0 - 8.0;
    }
  }
  params.flip = coin(prob);
  if (coin(prob)) params.shifts_v = sample_shifts(n, height);
  if (coin(prob)) params.shifts_h = sample_shifts(n, width);
  return params;
}

torch::Tensor apply_augment(const AugmentParams& params, const torch::Tensor& x) {
  TORCH_CHECK(x.dim() == 4, "apply_augment: expected (N, C, H, W), got ", x.sizes());
  if (!params.any()) return x;
  const int64_t n = x.size(0), h = x.size(2), w = x.size(3);
  auto out = x;
  if (params.zoom) {  // x2 bilinear zoom, then a random H x W crop
    auto up = resize_bilinear(out, 2 * h, 2 * w);  // (N, C, 2H, 2W)
    std::vector<torch::Tensor> crops;
    for (int64_t i = 0; i < n; ++i) {
      const auto oy = params.zoom_offsets[i][0].item<int64_t>(), ox = params.zoom_offsets[i][1].item<int64_t>();
      crops.push_back(up[i].slice(1, oy, oy + h).slice(2, ox, ox + w));
    }
    out = torch::stack(crops);
  }
  if (params.crop_mode == CropMode::crop) {  // crop of scale r, resized back
    std::vector<torch::Tensor> crops;
    for (int64_t i = 0; i < n; ++i) {
      const auto box = params.crop_boxes[i];
      const auto y0 = box[0].item<int64_t>(), x0 = box[1].item<int64_t>();
      const auto bh = box[2].item<int64_t>(), bw = box[3].item<int64_t>();
      crops.push_back(resize_bilinear(out.slice(0, i, i + 1).slice(2, y0, y0 + bh).slice(3, x0, x0 + bw), h, w));
    }
    out = torch::cat(crops);
  } else if (params.crop_mode == CropMode::rotate) {
    out = rotate_and_centre_crop(out, params.angles);
  }
  if (params.flip) out = out.flip(3);
  if (params.shifts_v.defined()) out = per_sample_shift(out, params.shifts_v, 2);
  if (params.shifts_h.defined()) out = per_sample_shift(out, params.shifts_h, 3);
  return out;
}

std::vector<torch::Tensor> apply_augment_multiscale(const AugmentParams& params, const std::vector<torch::Tensor>& images) {
  TORCH_CHECK(!images.empty(), "apply_augment_multiscale: expected at least one image tensor");
  if (!params.any()) return images;
  const auto& finest = images.back();  // (N, C, H, W)
  std::vector<torch::Tensor> stacked;
  std::vector<int64_t> factors;
  for (const auto& img : images) {
    const int64_t f = finest.size(2) / img.size(2);
    TORCH_CHECK(f * img.size(2) == finest.size(2) && f * img.size(3) == finest.size(3),
                "apply_augment_multiscale: scale sizes must divide the finest size, got ", img.sizes(), " vs ", finest.sizes());
    factors.push_back(f);
    stacked.push_back(f == 1 ? img : F::interpolate(img, F::InterpolateFuncOptions().size(std::vector<int64_t>{finest.size(2), finest.size(3)}).mode(torch::kNearest)));
  }
  const auto augmented = apply_augment(params, torch::cat(stacked, 1));  // (N, sum C_i, H, W)
  std::vector<torch::Tensor> out;
  int64_t c = 0;
  for (std::size_t i = 0; i < images.size(); ++i) {
    auto part = augmented.slice(1, c, c + images[i].size(1));
    c += images[i].size(1);
    out.push_back(factors[i] == 1 ? part : F::avg_pool2d(part, F::AvgPool2dFuncOptions(factors[i])));
  }
  return out;
}

}  // namespace osgan::one_shot
