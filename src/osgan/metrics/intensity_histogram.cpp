// Intensity histograms and their W1 distance.
#include "osgan/metrics/intensity_histogram.h"

#include <cmath>

#include "osgan/core/error.h"

namespace osgan::metrics {

Histogram compute_intensity_histogram(const torch::Tensor& images, int bins, double low, double high) {
  if (bins < 1 || !(high > low))
    fail(ErrorCode::invalid_argument, "intensity histogram: expected bins >= 1 and high > low, got " +
         std::to_string(bins) + " bins on [" + std::to_string(low) + ", " + std::to_string(high) + "]");
  Histogram h;
  h.low = low;
  h.high = high;
  h.density.assign(static_cast<std::size_t>(bins), 0.0);
  auto v = images.detach().to(torch::kCPU, torch::kFloat64).contiguous().view(-1);
  const double* p = v.data_ptr<double>();
  for (int64_t i = 0; i < v.numel(); ++i) {
    if (!std::isfinite(p[i])) fail(ErrorCode::numerical, "intensity histogram: non-finite pixel value");
    auto k = static_cast<int64_t>(std::floor((p[i] - low) / (high - low) * bins));
    h.density[static_cast<std::size_t>(std::clamp<int64_t>(k, 0, bins - 1))] += 1;
  }
  h.count = v.numel();
  if (h.count > 0)
    for (auto& d : h.density) d /= static_cast<double>(h.count);
  return h;
}

double compute_wasserstein_1(const Histogram& a, const Histogram& b) {
  if (a.density.size() != b.density.size() || a.low != b.low || a.high != b.high)
    fail(ErrorCode::invalid_argument, "wasserstein_1: expected histograms on the same bins, got " +
         std::to_string(a.density.size()) + " and " + std::to_string(b.density.size()) + " bins");
  if (a.count == 0 || b.count == 0) fail(ErrorCode::invalid_argument, "wasserstein_1: an empty histogram");
  double cdf_a = 0, cdf_b = 0, sum = 0;
  for (std::size_t k = 0; k < a.density.size(); ++k) {
    cdf_a += a.density[k];
    cdf_b += b.density[k];
    sum += std::abs(cdf_a - cdf_b);
  }
  return sum * a.bin_width();
}

}  // namespace osgan::metrics
