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

// Recall as Kynkaanniemi et al. measure it, with as many generated points as real ones, and the value a generator
// that draws from the real distribution itself would reach at that size. The generated set is cut, in its given
// order (for osgan's images: independent noise draws), into consecutive chunks of N points, each scored against the
// N real points. The reference splits the real set into two interleaved halves and scores each as "generated"
// under the other's manifold; the generated chunks are scored the same way (chunks of a half's size against the
// other half), so the two halves numbers compare like with like.
struct RecallAtRealCount {
  double recall = 0;            // mean over the chunks of N generated points, against all N real points
  int chunks = 0;               // M / N
  double halves_real = 0;       // real half under the other half's manifold, both ways averaged
  double halves_generated = 0;  // generated chunks of a half's size under each half, averaged
  int k = 3;
};

// real (N, D), generated (M, D) with M >= N and N / 2 > k; otherwise throws osgan::Error saying what was found.
RecallAtRealCount compute_recall_at_real_count(const torch::Tensor& real, const torch::Tensor& generated, int k = 3);

}  // namespace osgan::metrics
