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

// Share of `real` inside the union of `generated`'s k-NN balls.
double recall_of(const torch::Tensor& real, const torch::Tensor& generated, int k) {
  return share(inside_balls(generated, knn_radii(generated, k), real).any(1));
}

// Mean recall of consecutive chunks of `size` generated points under `real`.
double chunked_recall(const torch::Tensor& real, const torch::Tensor& generated, int64_t size, int k, int* chunks = nullptr) {
  double sum = 0;
  int n = 0;
  for (int64_t first = 0; first + size <= generated.size(0); first += size, ++n)
    sum += recall_of(real, generated.narrow(0, first, size), k);
  if (chunks) *chunks = n;
  return sum / n;
}
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

RecallAtRealCount compute_recall_at_real_count(const torch::Tensor& real_in, const torch::Tensor& generated_in, int k) {
  if (k < 1) fail(ErrorCode::invalid_argument, "recall at the real count: expected k >= 1, got " + std::to_string(k));
  if (real_in.dim() != 2 || generated_in.dim() != 2 || real_in.size(1) != generated_in.size(1) ||
      real_in.size(0) / 2 <= k || generated_in.size(0) < real_in.size(0))
    fail(ErrorCode::invalid_argument, "recall at the real count: expected (N, D) and (M, D) with N / 2 > k = " +
         std::to_string(k) + " and M >= N, got " + c10::str(real_in.sizes()) + " and " + c10::str(generated_in.sizes()));
  torch::NoGradGuard no_grad;
  auto real = real_in.to(torch::kCPU, torch::kFloat64), generated = generated_in.to(torch::kCPU, torch::kFloat64);
  RecallAtRealCount r;
  r.k = k;
  r.recall = chunked_recall(real, generated, real.size(0), k, &r.chunks);
  const auto half_a = real.slice(0, 0, real.size(0), 2), half_b = real.slice(0, 1, real.size(0), 2);  // interleaved
  r.halves_real = (recall_of(half_a, half_b, k) + recall_of(half_b, half_a, k)) / 2;
  r.halves_generated = (chunked_recall(half_a, generated, half_b.size(0), k) +
                        chunked_recall(half_b, generated, half_a.size(0), k)) / 2;
  return r;
}

}  // namespace osgan::metrics
