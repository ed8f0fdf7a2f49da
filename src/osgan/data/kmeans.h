// k-means clustering (Lloyd 1982) with k-means++ seeding (Arthur & Vassilvitskii 2007), several restarts, and the
// choice of k by the mean silhouette (Rousseeuw 1987). Deterministic: the same points, k and seed give the same
// clusters on any machine (a fixed 64-bit Mersenne Twister, no library distributions). Clusters come out in a
// canonical order: largest first, ties by their first member. Torch-free; sized for a few thousand points.
//
//   Points points = ...;                        // (N, D)
//   KChoice choice = choose_k(points, {});      // k in 2..8 by the mean silhouette
//   const KMeansResult& clusters = choice.fit;  // centres (k, D), assignment (N)
#pragma once
#include <cstdint>
#include <vector>

namespace osgan::data {

using Points = std::vector<std::vector<double>>;  // (N, D)

struct KMeansOptions {
  int restarts = 10;         // the run with the lowest inertia is kept; the first of equal runs wins
  int max_iterations = 100;  // Lloyd steps per run; it stops earlier when no assignment changes
  std::uint64_t seed = 1;
};

struct KMeansResult {
  Points centres;               // (k, D)
  std::vector<int> assignment;  // (N): cluster of each point, 0 = the largest cluster
  std::vector<int> counts;      // (k)
  double inertia = 0;           // sum of squared distances to the assigned centres
};

// points (N, D) with N >= k >= 1, all rows of one length; otherwise throws osgan::Error.
KMeansResult fit_kmeans(const Points& points, int k, const KMeansOptions& options = {});

// Index of the nearest centre (squared Euclidean; the lower index on ties).
int nearest_centre(const Points& centres, const std::vector<double>& point);

// Mean silhouette of a clustering: per point s = (b - a) / max(a, b), a = mean distance to the rest of its own
// cluster, b = the smallest mean distance to another cluster; 0 for a point alone in its cluster. In [-1, 1].
double mean_silhouette(const Points& points, const std::vector<int>& assignment, int k);

// The rule for k: the smallest k in [k_min, k_max] whose mean silhouette is within `tie` of the best one (so a
// nearly equal score goes to the simpler clustering). k_max is cut to N - 1 (a silhouette needs k < N), and k_min
// to k_max when there are too few points for it. Above 2000 points the silhouette (N^2 distances) is taken over
// 2000 of them, spread evenly.
struct KRule {
  int k_min = 2, k_max = 8;
  double tie = 0.02;
};

struct KChoice {
  int k = 0;
  std::vector<int> candidates;      // the k tried, ascending
  std::vector<double> silhouettes;  // one per candidate
  KMeansResult fit;                 // the clustering at the chosen k
};

// points (N, D) with N >= 3. Throws osgan::Error when the rule leaves no k to try.
KChoice choose_k(const Points& points, const KRule& rule = {}, const KMeansOptions& options = {});

}  // namespace osgan::data
