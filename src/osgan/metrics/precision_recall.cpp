// k-NN manifold precision/recall with exact pairwise distances (sets here are a few thousand points at most).
#include "osgan/metrics/precision_recall.h"

#include "osgan/core/error.h"

namespace osgan::metrics {

namespace {
// Radius of each point's ball: distance to its k-th nearest neighbour other than itself.
torch::Tensor knn_radii(const torch::Tensor& x, int k) {  // (N, D) -> (N)
  auto d = torch::cdist(x, x);                              // (N, N), diagonal 0 = the point itself
  return std::get<0>(d.sort(1)).select(1, k);               // column 0 is the point itself
}

// inside[q][p]: query q lies within the ball of point p.
torch::Tensor inside_balls(const torch::Tensor& points, const torch::Tensor& radii, const torch::Tensor& queries) {
  return torch::cdist(queries, points) <= radii.unsqueeze(0);  // (Q, P)
}

double share(const torch::Tensor& mask) { return mask.to(torch::kFloat64).mean().item<double>(); }
}  // namespace

double expected_coverage(int64_t real_count, int64_t generated_count, int k) {
  double none_inside = 1;  // no generated point among the k nearest of the N - 1 + M other points
  for (int i = 0; i < k; ++i)
    none_inside *= static_cast<double>(real_count - 1 - i) / static_cast<double>(real_count - 1 + generated_count - i);
  return 1 - none_inside;
}

PrecisionRecall compute_precision_recall(const torch::Tensor& real_in, const torch::Tensor& generated_in, int k) {
  if (k < 1) fail(ErrorCode::invalid_argument, "precision/recall: expected k >= 1, got " + std::to_string(k));
  if (real_in.dim() != 2 || generated_in.dim() != 2 || real_in.size(1) != generated_in.size(1) ||
      real_in.size(0) <= k || generated_in.size(0) <= k)
    fail(ErrorCode::invalid_argument, "precision/recall: expected (N, D) and (M, D) with N, M > k = " +
         std::to_string(k) + ", got " + c10::str(real_in.sizes()) + " and " + c10::str(generated_in.sizes()));
  torch::NoGradGuard no_grad;
  auto real = real_in.to(torch::kCPU, torch::kFloat64), generated = generated_in.to(torch::kCPU, torch::kFloat64);
  PrecisionRecall r;
  r.k = k;
  const auto gen_in_real = inside_balls(real, knn_radii(real, k), generated);  // (M, N)
  r.precision = share(gen_in_real.any(1));
  r.recall = share(inside_balls(generated, knn_radii(generated, k), real).any(1));
  r.density = gen_in_real.to(torch::kFloat64).sum().item<double>() / (static_cast<double>(k) * generated.size(0));
  r.coverage = share(gen_in_real.any(0));
  return r;
}

}  // namespace osgan::metrics
