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

// Share of `queries` within the ball of at least one of `points`.
double coverage(const torch::Tensor& points, const torch::Tensor& radii, const torch::Tensor& queries) {
  auto d = torch::cdist(queries, points);  // (Q, P)
  return (d <= radii.unsqueeze(0)).any(1).to(torch::kFloat64).mean().item<double>();
}
}  // namespace

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
  r.precision = coverage(real, knn_radii(real, k), generated);
  r.recall = coverage(generated, knn_radii(generated, k), real);
  return r;
}

}  // namespace osgan::metrics
