// Which training slices each GAN batch holds. By default every slice is drawn equally often, so a mode of 16
// slices beside one of 95 fills about one batch row in ten, and G can miss it at little cost. With modes and a
// balance b, mode k is drawn with probability proportional to n_k^(1 - b): 0 keeps every slice equally likely, 1
// makes every mode equally likely, 0.5 sits between (square-root sampling, as for long-tailed classes).
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace osgan {

// modes: each training slice's mode (0 .. K-1); balance in [0, 1]. Returns (N,) float64 probabilities that sum
// to 1: a slice of mode k gets n_k^(-balance) / sum_j n_j^(1 - balance).
torch::Tensor mode_balanced_probabilities(const std::vector<int>& modes, double balance);

class BatchSampler {
 public:
  // `count` slices drawn uniformly; with `modes` (one per slice) and balance > 0, by mode as above.
  explicit BatchSampler(std::int64_t count, const std::vector<int>& modes = {}, double balance = 0);

  // (batch,) int64 indices, drawn with replacement from LibTorch's default generator. The uniform draw is exactly
  // torch::randint(count, {batch}), so runs made before modes could be balanced replay the same batches.
  torch::Tensor draw(std::int64_t batch) const;

 private:
  std::int64_t count_;
  torch::Tensor probabilities_;  // (count,) float64; undefined = uniform
};

}  // namespace osgan
