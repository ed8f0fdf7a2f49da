// Near twins: every pair's pixel correlation at 32 x 32 through one matrix product (sets of a few thousand at most).
#include "osgan/metrics/near_twins.h"

#include "osgan/core/error.h"

namespace osgan::metrics {
namespace F = torch::nn::functional;

NearTwins compute_near_twins(const torch::Tensor& images, const NearTwinOptions& o) {
  if (images.dim() != 4 || images.size(1) != 1 || images.size(0) < 2 || images.size(2) < 2 || images.size(3) < 2 ||
      o.size < 2)
    fail(ErrorCode::invalid_argument, "near twins: expected images (N >= 2, 1, H, W) and a size >= 2, got " +
         c10::str(images.sizes()) + " and size " + std::to_string(o.size));
  torch::NoGradGuard no_grad;
  auto x = images.detach().to(torch::kCPU, torch::kFloat64);  // (N, 1, H, W)
  const std::vector<int64_t> size{o.size, o.size};
  x = x.size(2) >= o.size && x.size(3) >= o.size
          ? F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions(size))
          : F::interpolate(x, F::InterpolateFuncOptions().size(size).mode(torch::kBilinear).align_corners(false));
  auto v = x.reshape({x.size(0), -1});                     // (N, P)
  v = v - v.mean(1, /*keepdim=*/true);
  const auto norm = v.norm(2, 1, /*keepdim=*/true);         // (N, 1)
  v = torch::where(norm > 1e-12, v / norm, torch::zeros_like(v));  // a constant image correlates with nothing
  auto correlation = v.matmul(v.t());                      // (N, N)
  correlation.fill_diagonal_(-2.0);                        // an image is not its own twin
  const auto best = std::get<0>(correlation.max(1));       // (N)
  NearTwins t;
  t.images = images.size(0);
  t.with_twin = (best > o.threshold).sum().item<int64_t>();
  t.share = static_cast<double>(t.with_twin) / t.images;
  return t;
}

}  // namespace osgan::metrics
