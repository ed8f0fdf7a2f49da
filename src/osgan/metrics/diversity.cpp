// Mean pairwise 1 - SSIM from the SSIM matrix of the set with itself (upper triangle).
#include "osgan/metrics/diversity.h"

#include "osgan/core/error.h"

namespace osgan::metrics {

double compute_diversity(const torch::Tensor& images, const SsimOptions& options) {
  if (images.dim() != 4 || images.size(0) < 2)
    fail(ErrorCode::invalid_argument, "diversity: expected at least 2 images (N, 1, H, W), got " + c10::str(images.sizes()));
  auto s = compute_ssim_matrix(images, images, options);  // (N, N)
  const int64_t n = s.size(0);
  auto upper = torch::triu(torch::ones({n, n}, torch::kBool), /*diagonal=*/1);
  return (1 - s.masked_select(upper)).mean().item<double>();
}

}  // namespace osgan::metrics
