#include "osgan/metrics/structure_features.h"

#include <cmath>

#include "osgan/core/error.h"

namespace osgan::metrics {
namespace F = torch::nn::functional;
namespace {

constexpr int64_t kSize = 64;  // every image is compared at this resolution

torch::Tensor pooled(const torch::Tensor& x, int64_t size) {  // (N, 1, H, W) -> (N, 1, size, size), area average
  return F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions({size, size}));
}

torch::Tensor at_64(const torch::Tensor& x) {  // (N, 1, S, S) -> (N, 1, 64, 64)
  if (x.size(2) >= kSize) return pooled(x, kSize);
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .size(std::vector<int64_t>{kSize, kSize})
                               .mode(torch::kBilinear)
                               .align_corners(false));
}

torch::Tensor gradient_magnitude(const torch::Tensor& x) {  // (N, 1, H, W): central differences, zero at the border
  const int64_t h = x.size(2), w = x.size(3);
  const auto dx = torch::constant_pad_nd((x.narrow(3, 2, w - 2) - x.narrow(3, 0, w - 2)) / 2, {1, 1, 0, 0});
  const auto dy = torch::constant_pad_nd((x.narrow(2, 2, h - 2) - x.narrow(2, 0, h - 2)) / 2, {0, 0, 1, 1});
  return (dx * dx + dy * dy).sqrt();
}

torch::Tensor radial_spectrum(const torch::Tensor& x) {  // (N, 1, 64, 64) -> (N, kSpectrumFeatures)
  const auto centred = x.squeeze(1) - x.mean({2, 3}).view({-1, 1, 1});  // (N, 64, 64): the mean is the layout's
  const auto power = torch::fft::fft2(centred).abs().pow(2);             // (N, 64, 64)
  const auto f = torch::fft::fftfreq(kSize, torch::kFloat64);            // cycles per pixel, -0.5 .. 0.5
  const auto radius = (f.view({-1, 1}).pow(2) + f.view({1, -1}).pow(2)).sqrt();  // (64, 64)
  std::vector<torch::Tensor> bands;
  for (int b = 0; b < kSpectrumFeatures; ++b) {
    const double low = 0.5 * b / kSpectrumFeatures, high = 0.5 * (b + 1) / kSpectrumFeatures;
    const auto in_band = ((radius > low).logical_and(radius <= high)).to(torch::kFloat64);  // (64, 64)
    bands.push_back(((power * in_band).sum({1, 2}) / in_band.sum() + 1e-8).log());               // (N,)
  }
  return torch::stack(bands, 1);
}

}  // namespace

torch::Tensor structure_features(const torch::Tensor& images) {
  if (images.dim() != 4 || images.size(1) != 1 || images.size(2) < 16 || images.size(3) != images.size(2))
    fail(ErrorCode::invalid_argument, "structure features: expected square images (N, 1, S, S) with S >= 16, got " +
         c10::str(images.sizes()));
  torch::NoGradGuard no_grad;
  const auto x = at_64(images.detach().to(torch::kCPU, torch::kFloat64));  // (N, 1, 64, 64)
  const int64_t n = x.size(0);
  const auto layout = pooled(x, 8).reshape({n, -1});
  const auto edges = pooled(gradient_magnitude(pooled(x, 32)), 4).reshape({n, -1});
  // Grey-level shares over 16 bins on [-1, 1]; values outside fall in the end bins.
  const auto bins = ((x.reshape({n, -1}).clamp(-1, 1) + 1) * 8).floor().clamp(0, kToneFeatures - 1).to(torch::kLong);
  auto tones = torch::zeros({n, kToneFeatures}, x.options());
  tones.scatter_add_(1, bins, torch::ones_like(bins, x.options()));
  tones /= static_cast<double>(bins.size(1));
  return torch::cat({layout, edges, tones, radial_spectrum(x)}, 1);  // (N, 104)
}

}  // namespace osgan::metrics
