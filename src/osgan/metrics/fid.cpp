// FID from feature matrices, in float64.
#include "osgan/metrics/fid.h"

#include <algorithm>
#include <cmath>

#include "osgan/core/error.h"

namespace osgan::metrics {

namespace {
void check_features(const torch::Tensor& a, const torch::Tensor& b, const char* what) {
  if (a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(1) || a.size(0) < 2 || b.size(0) < 2)
    fail(ErrorCode::invalid_argument, std::string(what) + ": expected feature matrices (N, D) and (M, D) with N, M >= 2, got " +
         c10::str(a.sizes()) + " and " + c10::str(b.sizes()));
}

torch::Tensor covariance(const torch::Tensor& x) {  // (N, D) -> (D, D), unbiased
  auto centred = x - x.mean(0, /*keepdim=*/true);
  return centred.t().matmul(centred) / static_cast<double>(x.size(0) - 1);
}

torch::Tensor symmetric_sqrt(const torch::Tensor& s) {  // (D, D) symmetric PSD
  auto [values, vectors] = torch::linalg_eigh(0.5 * (s + s.t()), "L");
  return vectors.matmul(torch::diag(values.clamp_min(0).sqrt())).matmul(vectors.t());
}
}  // namespace

double trace_sqrt_product(const torch::Tensor& cov_a, const torch::Tensor& cov_b) {
  auto a = cov_a.to(torch::kCPU, torch::kFloat64), b = cov_b.to(torch::kCPU, torch::kFloat64);
  auto root_a = symmetric_sqrt(a);
  auto inner = root_a.matmul(b).matmul(root_a);  // symmetric PSD, same eigenvalues as S_a S_b
  auto values = std::get<0>(torch::linalg_eigh(0.5 * (inner + inner.t()), "L"));
  return values.clamp_min(0).sqrt().sum().item<double>();
}

double compute_fid(const torch::Tensor& features_a, const torch::Tensor& features_b) {
  check_features(features_a, features_b, "fid");
  torch::NoGradGuard no_grad;
  auto a = features_a.to(torch::kCPU, torch::kFloat64), b = features_b.to(torch::kCPU, torch::kFloat64);
  auto diff = a.mean(0) - b.mean(0);  // (D)
  auto cov_a = covariance(a), cov_b = covariance(b);
  const double fid = diff.dot(diff).item<double>() + cov_a.trace().item<double>() + cov_b.trace().item<double>() -
                     2 * trace_sqrt_product(cov_a, cov_b);
  if (!std::isfinite(fid)) fail(ErrorCode::numerical, "fid: non-finite result (non-finite features?)");
  return std::max(0.0, fid);  // round-off can give -1e-15
}

void FidMetric::update(const torch::Tensor& real_features, const torch::Tensor& generated_features) {
  if (real_features.numel() > 0) real_.push_back(real_features.detach().to(torch::kCPU, torch::kFloat64));
  if (generated_features.numel() > 0) generated_.push_back(generated_features.detach().to(torch::kCPU, torch::kFloat64));
}

double FidMetric::compute() const {
  if (real_.empty() || generated_.empty()) fail(ErrorCode::invalid_argument, "FidMetric: no features yet");
  return compute_fid(torch::cat(real_), torch::cat(generated_));
}

void FidMetric::reset() {
  real_.clear();
  generated_.clear();
}

}  // namespace osgan::metrics
