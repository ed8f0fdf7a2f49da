// Structural similarity (Wang, Bovik, Sheikh, Simoncelli 2004, "Image Quality Assessment: From Error
// Visibility to Structural Similarity", IEEE TIP 13(4)): Gaussian-weighted local means, variances and
// covariance (11x11 window, sigma 1.5, K1 = 0.01, K2 = 0.03), averaged over the valid (unpadded) map.
// Images are first rescaled from [low, high] (osgan: [-1, 1]) to [0, 1] and SSIM is computed there with L = 1,
// the usual convention for images stored in [0, 1]. (Computing directly on [-1, 1] makes the luminance term
// (2 mu_x mu_y + C1) / (mu_x^2 + mu_y^2 + C1) collapse wherever local means are near 0, i.e. mid grey.)
//
//   auto s = compute_ssim(a, b);  // a, b: (N, 1, H, W) -> (N)
#pragma once
#include <torch/torch.h>

namespace osgan::metrics {

struct SsimOptions {
  int window = 11;          // odd; 7 for small images
  double sigma = 1.5;
  double low = -1, high = 1;  // pixel range of the inputs, mapped to [0, 1]: osgan images [-1, 1]; 0 and 1 for [0, 1]
  double k1 = 0.01, k2 = 0.03;
};

// Pairwise-aligned SSIM: x, y (N, 1, H, W) -> (N) float64. Throws osgan::Error for mismatched shapes or an
// image smaller than the window.
torch::Tensor compute_ssim(const torch::Tensor& x, const torch::Tensor& y, const SsimOptions& options = {});

// Every pair: a (N, 1, H, W), b (M, 1, H, W) -> (N, M) float64, SSIM(a_i, b_j); computed in float32 for speed
// (agrees with compute_ssim to about 1e-6).
torch::Tensor compute_ssim_matrix(const torch::Tensor& a, const torch::Tensor& b, const SsimOptions& options = {});

// Mean SSIM over the pairs of every update.
class SsimMetric {
 public:
  explicit SsimMetric(SsimOptions options = {}) : options_(options) {}
  void update(const torch::Tensor& x, const torch::Tensor& y);
  double compute() const;  // NaN before any update
  void reset() { sum_ = 0; count_ = 0; }

 private:
  SsimOptions options_;
  double sum_ = 0;
  int64_t count_ = 0;
};

}  // namespace osgan::metrics
