// Improved precision and recall of a generated set (Kynkaanniemi, Karras, Laine, Lehtinen, Aila 2019, "Improved
// Precision and Recall Metric for Assessing Generative Models"): each set's manifold is the union of balls
// around its points with radius = distance to the k-th nearest neighbour in the same set. Precision = share of
// generated points inside the real manifold (fidelity); recall = share of real points inside the generated one
// (coverage). Euclidean distances in a domain feature space (see fid.h).
#pragma once
#include <torch/torch.h>

namespace osgan::metrics {

struct PrecisionRecall {
  double precision = 0, recall = 0;
  int k = 3;
};

// real (N, D), generated (M, D), both with more than k points.
PrecisionRecall compute_precision_recall(const torch::Tensor& real, const torch::Tensor& generated, int k = 3);

}  // namespace osgan::metrics
