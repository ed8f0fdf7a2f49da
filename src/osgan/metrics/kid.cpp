// KID: subsets drawn without replacement with a seeded std::mt19937_64 (no dependence on LibTorch's RNG).
#include "osgan/metrics/kid.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "osgan/core/error.h"

namespace osgan::metrics {

namespace {
torch::Tensor kernel(const torch::Tensor& a, const torch::Tensor& b) {  // (n, D), (m, D) -> (n, m)
  return (a.matmul(b.t()) / static_cast<double>(a.size(1)) + 1).pow(3);
}
}  // namespace

double mmd2_unbiased(const torch::Tensor& x, const torch::Tensor& y) {
  const auto m = static_cast<double>(x.size(0)), n = static_cast<double>(y.size(0));
  auto kxx = kernel(x, x), kyy = kernel(y, y), kxy = kernel(x, y);
  const double xx = (kxx.sum() - kxx.trace()).item<double>() / (m * (m - 1));
  const double yy = (kyy.sum() - kyy.trace()).item<double>() / (n * (n - 1));
  return xx + yy - 2 * kxy.sum().item<double>() / (m * n);
}

KidResult compute_kid(const torch::Tensor& features_a, const torch::Tensor& features_b, const KidOptions& options) {
  if (features_a.dim() != 2 || features_b.dim() != 2 || features_a.size(1) != features_b.size(1) ||
      features_a.size(0) < 2 || features_b.size(0) < 2)
    fail(ErrorCode::invalid_argument, "kid: expected feature matrices (N, D) and (M, D) with N, M >= 2, got " +
         c10::str(features_a.sizes()) + " and " + c10::str(features_b.sizes()));
  if (options.subsets < 1 || options.subset_size < 2)
    fail(ErrorCode::invalid_argument, "kid: expected subsets >= 1 and subset size >= 2");
  torch::NoGradGuard no_grad;
  auto a = features_a.to(torch::kCPU, torch::kFloat64), b = features_b.to(torch::kCPU, torch::kFloat64);
  KidResult r;
  r.subsets = options.subsets;
  r.subset_size = static_cast<int>(std::min<int64_t>({options.subset_size, a.size(0), b.size(0)}));
  std::mt19937_64 rng(options.seed);
  auto draw = [&](int64_t n) {
    std::vector<int64_t> idx(static_cast<std::size_t>(n));
    std::iota(idx.begin(), idx.end(), 0);
    std::shuffle(idx.begin(), idx.end(), rng);
    idx.resize(static_cast<std::size_t>(r.subset_size));
    return torch::tensor(idx, torch::kLong);
  };
  std::vector<double> values;
  for (int s = 0; s < options.subsets; ++s) {
    auto ia = draw(a.size(0)), ib = draw(b.size(0));
    values.push_back(mmd2_unbiased(a.index_select(0, ia), b.index_select(0, ib)));
  }
  r.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double var = 0;
  for (double v : values) var += (v - r.mean) * (v - r.mean);
  r.std = values.size() > 1 ? std::sqrt(var / static_cast<double>(values.size() - 1)) : 0.0;
  return r;
}

}  // namespace osgan::metrics
