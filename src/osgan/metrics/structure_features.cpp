#include "osgan/metrics/structure_features.h"

#include "osgan/core/error.h"

namespace osgan::metrics {
namespace F = torch::nn::functional;

torch::Tensor structure_features(const torch::Tensor& images) {
  if (images.dim() != 4 || images.size(1) != 1 || images.size(2) < 16 || images.size(3) < 16)
    fail(ErrorCode::invalid_argument, "structure features: expected images (N, 1, S, S) with S >= 16, got " +
         c10::str(images.sizes()));
  torch::NoGradGuard no_grad;
  const auto x = images.detach().to(torch::kCPU, torch::kFloat64);
  const int64_t n = x.size(0);
  const auto x32 = F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions({32, 32}));  // (N, 1, 32, 32)
  const auto layout = F::adaptive_avg_pool2d(x32, F::AdaptiveAvgPool2dFuncOptions({16, 16})).reshape({n, -1});
  // Central differences inside the 32x32 map, zero at its border: (N, 1, 32, 32).
  const auto dx = torch::constant_pad_nd((x32.narrow(3, 2, 30) - x32.narrow(3, 0, 30)) / 2, {1, 1, 0, 0});
  const auto dy = torch::constant_pad_nd((x32.narrow(2, 2, 30) - x32.narrow(2, 0, 30)) / 2, {0, 0, 1, 1});
  const auto edges = F::adaptive_avg_pool2d((dx * dx + dy * dy).sqrt(), F::AdaptiveAvgPool2dFuncOptions({8, 8})).reshape({n, -1});
  // Grey-level shares over 16 bins on [-1, 1] (values outside fall in the end bins), from the full image.
  const auto bins = ((x.reshape({n, -1}).clamp(-1, 1) + 1) * 8).floor().clamp(0, 15).to(torch::kLong);  // (N, S*S)
  auto tones = torch::zeros({n, 16}, x.options());
  tones.scatter_add_(1, bins, torch::ones_like(bins, x.options()));
  tones /= static_cast<double>(bins.size(1));
  return torch::cat({layout, edges, tones}, 1);  // (N, 336)
}

}  // namespace osgan::metrics
