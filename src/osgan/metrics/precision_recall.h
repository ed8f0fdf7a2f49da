// Improved precision and recall of a generated set (Kynkaanniemi, Karras, Laine, Lehtinen, Aila 2019, "Improved
// Precision and Recall Metric for Assessing Generative Models"): each set's manifold is the union of balls
// around its points with radius = distance to the k-th nearest neighbour in the same set. Precision = share of
// generated points inside the real manifold (fidelity); recall = share of real points inside the generated one
// (coverage). Euclidean distances in a domain feature space (see fid.h).
// Recall takes its radii from the generated set, so it depends on how many samples are drawn: near-copies shrink
// each other's radii, and 256 samples of a generator that draws a few tight clusters score lower than 64 of the same
// generator. Density and coverage (Naeem, Oh, Uh, Choi, Yoo 2020, "Reliable Fidelity and Diversity Metrics for
// Generative Models") take their radii from the real set only, so adding samples cannot shrink them: coverage =
// share of real points whose own ball holds at least one generated point (diversity; about 1 for a second draw of
// the real distribution), density = generated points inside real balls, counted with multiplicity, divided by
// k x the generated count (fidelity; about 1 for a second draw, above 1 when samples crowd dense regions).
#pragma once
#include <torch/torch.h>

namespace osgan::metrics {

struct PrecisionRecall {
  double precision = 0, recall = 0;
  double density = 0, coverage = 0;  // radii from the real set only (Naeem et al. 2020)
  int k = 3;
};

// Coverage of a generator that draws from the real distribution itself, at these counts (Naeem et al. 2020, eq. 8):
// 1 - C(N-1, k) / C(N+M-1, k). Coverage rises with M, so quote it beside this: 0.73 for N = 120, M = 64, k = 3.
double expected_coverage(int64_t real_count, int64_t generated_count, int k);

// real (N, D), generated (M, D), both with more than k points.
PrecisionRecall compute_precision_recall(const torch::Tensor& real, const torch::Tensor& generated, int k = 3);

}  // namespace osgan::metrics
