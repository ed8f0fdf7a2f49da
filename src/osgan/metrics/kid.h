// Kernel Inception Distance (Binkowski, Sutherland, Arbel, Gretton 2018, "Demystifying MMD GANs"): the unbiased
// squared MMD with the cubic polynomial kernel k(x, y) = (x.y / D + 1)^3, averaged over random subsets.
// Unlike FID it is unbiased for small sets, which suits a few hundred MRI slices. osgan uses a domain feature
// space (see fid.h), not Inception.
#pragma once
#include <cstdint>

#include <torch/torch.h>

namespace osgan::metrics {

struct KidOptions {
  int subsets = 100;
  int subset_size = 1000;  // capped at the smaller set's size
  std::uint64_t seed = 1;  // subset sampling: same seed, same value
};

struct KidResult {
  double mean = 0, std = 0;  // over subsets (std is 0 with one subset)
  int subsets = 0, subset_size = 0;
};

// features_a (N, D), features_b (M, D), N, M >= 2.
KidResult compute_kid(const torch::Tensor& features_a, const torch::Tensor& features_b, const KidOptions& options = {});

// The unbiased MMD^2 of two whole sets (the per-subset statistic).
double mmd2_unbiased(const torch::Tensor& x, const torch::Tensor& y);

}  // namespace osgan::metrics
