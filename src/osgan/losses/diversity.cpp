// Diversity regularisation, code form (spec 1.5).
#include "osgan/losses/diversity.h"

namespace osgan::losses {

torch::Tensor diversity_regularization(const std::vector<torch::Tensor>& features) {
  const auto levels = static_cast<int64_t>(features.size());
  TORCH_CHECK(levels >= 2, "diversity_regularization: expected at least 2 feature levels, got ", levels);
  torch::Tensor total;
  for (const auto& f : features) {  // (N, C, H, W)
    const int64_t n = f.size(0);
    TORCH_CHECK(n >= 2, "diversity_regularization: expected a batch of at least 2, got ", f.sizes());
    // All pairs k < m at once: mean over C, H, W of |f[k] - f[m]|, summed over pairs.
    auto idx = torch::triu_indices(n, n, /*offset=*/1, torch::TensorOptions().dtype(torch::kLong).device(f.device()));
    auto diff = (f.index_select(0, idx[0]) - f.index_select(0, idx[1])).abs();  // (pairs, C, H, W)
    auto level = diff.flatten(1).mean(1).sum();
    total = total.defined() ? total + level : level;
  }
  return total * (-2.0 / static_cast<double>(levels * (levels - 1)));
}

}  // namespace osgan::losses
