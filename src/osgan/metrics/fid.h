// Frechet distance between two feature sets modelled as Gaussians (Heusel et al. 2017, "GANs Trained by a Two
// Time-Scale Update Rule Converge to a Local Nash Equilibrium"): |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^1/2).
// osgan computes it in a DOMAIN feature space (a classifier trained on the real training images), not with
// Inception, so its values are not comparable to published FIDs.
// Substitute for scipy.linalg.sqrtm: Tr (S_a S_b)^1/2 = Tr (S_a^1/2 S_b S_a^1/2)^1/2, where both square roots are
// of symmetric PSD matrices, taken by symmetric eigendecomposition in float64 with negative eigenvalues
// (round-off) clamped to 0.
#pragma once
#include <torch/torch.h>

namespace osgan::metrics {

// features_a (N, D), features_b (M, D), N, M >= 2; covariances unbiased (divide by N - 1), as in MONAI.
double compute_fid(const torch::Tensor& features_a, const torch::Tensor& features_b);

// Tr sqrt(S_a S_b) for symmetric PSD S_a, S_b (D, D).
double trace_sqrt_product(const torch::Tensor& cov_a, const torch::Tensor& cov_b);

// Accumulates real and generated features in batches.
class FidMetric {
 public:
  void update(const torch::Tensor& real_features, const torch::Tensor& generated_features);  // (n, D), (m, D)
  double compute() const;
  void reset();

 private:
  std::vector<torch::Tensor> real_, generated_;
};

}  // namespace osgan::metrics
