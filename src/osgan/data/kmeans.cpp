// k-means: k-means++ seeding, Lloyd steps, restarts, canonical cluster order; the silhouette and the k rule.
#include "osgan/data/kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>

#include "osgan/core/error.h"

namespace osgan::data {
namespace {

double squared_distance(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s;
}

// Uniform in [0, 1) from the top 53 bits: std::uniform_real_distribution differs between standard libraries.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// k-means++: the first centre uniform, each next one with probability proportional to the squared distance to the
// nearest centre chosen so far.
Points seed_centres(const Points& points, int k, std::mt19937_64& rng) {
  const size_t n = points.size();
  Points centres{points[std::min(n - 1, static_cast<size_t>(uniform01(rng) * n))]};
  std::vector<double> d2(n);
  for (size_t i = 0; i < n; ++i) d2[i] = squared_distance(points[i], centres[0]);
  while (static_cast<int>(centres.size()) < k) {
    const double total = std::accumulate(d2.begin(), d2.end(), 0.0);
    size_t pick = n - 1;
    if (total > 0) {
      double target = uniform01(rng) * total;
      for (size_t i = 0; i < n; ++i)
        if ((target -= d2[i]) < 0) {
          pick = i;
          break;
        }
    } else {  // every point sits on a centre already: any point will do
      pick = std::min(n - 1, static_cast<size_t>(uniform01(rng) * n));
    }
    centres.push_back(points[pick]);
    for (size_t i = 0; i < n; ++i) d2[i] = std::min(d2[i], squared_distance(points[i], centres.back()));
  }
  return centres;
}

// Lloyd steps from the given centres until no assignment changes (or max_iterations).
KMeansResult lloyd(const Points& points, Points centres, int max_iterations) {
  const size_t n = points.size(), dim = points[0].size();
  const int k = static_cast<int>(centres.size());
  KMeansResult r;
  r.assignment.assign(n, -1);
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    bool changed = false;
    for (size_t i = 0; i < n; ++i) {
      const int c = nearest_centre(centres, points[i]);
      changed |= c != r.assignment[i];
      r.assignment[i] = c;
    }
    if (!changed) break;
    Points sums(k, std::vector<double>(dim, 0.0));
    std::vector<int> counts(k, 0);
    for (size_t i = 0; i < n; ++i) {
      ++counts[r.assignment[i]];
      for (size_t d = 0; d < dim; ++d) sums[r.assignment[i]][d] += points[i][d];
    }
    for (int c = 0; c < k; ++c) {
      if (counts[c] > 0) {
        for (size_t d = 0; d < dim; ++d) centres[c][d] = sums[c][d] / counts[c];
        continue;
      }
      // An empty cluster restarts at the point farthest from its centre (among clusters that can spare one).
      double worst = -1;
      size_t pick = 0;
      for (size_t i = 0; i < n; ++i) {
        const double d = squared_distance(points[i], centres[r.assignment[i]]);
        if (counts[r.assignment[i]] > 1 && d > worst) worst = d, pick = i;
      }
      if (worst > 0) {
        --counts[r.assignment[pick]];
        centres[c] = points[pick];
        r.assignment[pick] = c;
        counts[c] = 1;
      }
    }
  }
  r.centres = std::move(centres);
  r.counts.assign(k, 0);
  r.inertia = 0;
  for (size_t i = 0; i < n; ++i) {
    ++r.counts[r.assignment[i]];
    r.inertia += squared_distance(points[i], r.centres[r.assignment[i]]);
  }
  return r;
}

// Renumbers the clusters: largest first, ties by the index of their first member (empty clusters last).
void canonical_order(KMeansResult& r) {
  const int k = static_cast<int>(r.centres.size());
  std::vector<size_t> first(k, std::numeric_limits<size_t>::max());
  for (size_t i = r.assignment.size(); i-- > 0;) first[r.assignment[i]] = i;
  std::vector<int> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return r.counts[a] != r.counts[b] ? r.counts[a] > r.counts[b] : first[a] < first[b];
  });
  std::vector<int> new_index(k);
  for (int c = 0; c < k; ++c) new_index[order[c]] = c;
  KMeansResult out;
  out.inertia = r.inertia;
  for (int c : order) out.centres.push_back(r.centres[c]), out.counts.push_back(r.counts[c]);
  for (int a : r.assignment) out.assignment.push_back(new_index[a]);
  r = std::move(out);
}

void check_points(const Points& points, int k, const char* what) {
  if (points.empty() || k < 1 || static_cast<int>(points.size()) < k)
    fail(ErrorCode::invalid_argument, std::string(what) + ": expected at least k >= 1 points, got " +
         std::to_string(points.size()) + " points for k = " + std::to_string(k));
  for (const auto& p : points)
    if (p.size() != points[0].size() || p.empty())
      fail(ErrorCode::invalid_argument, std::string(what) + ": expected points of one non-zero length " +
           std::to_string(points[0].size()) + ", found one of length " + std::to_string(p.size()));
}

// The mean silhouette costs N^2: above kSilhouettePoints points it is taken over that many, spread evenly over the
// points (their clusters still come from the fit on all of them).
constexpr size_t kSilhouettePoints = 2000;

double silhouette_of_sample(const Points& points, const std::vector<int>& assignment, int k) {
  if (points.size() <= kSilhouettePoints) return mean_silhouette(points, assignment, k);
  Points sample;
  std::vector<int> sample_assignment;
  for (size_t j = 0; j < kSilhouettePoints; ++j) {
    const size_t i = j * points.size() / kSilhouettePoints;
    sample.push_back(points[i]);
    sample_assignment.push_back(assignment[i]);
  }
  return mean_silhouette(sample, sample_assignment, k);
}

}  // namespace

int nearest_centre(const Points& centres, const std::vector<double>& point) {
  int best = 0;
  double best_d = std::numeric_limits<double>::infinity();
  for (size_t c = 0; c < centres.size(); ++c) {
    const double d = squared_distance(point, centres[c]);
    if (d < best_d) best_d = d, best = static_cast<int>(c);
  }
  return best;
}

KMeansResult fit_kmeans(const Points& points, int k, const KMeansOptions& options) {
  check_points(points, k, "k-means");
  std::mt19937_64 rng(options.seed);
  KMeansResult best;
  for (int run = 0; run < std::max(1, options.restarts); ++run) {
    KMeansResult r = lloyd(points, seed_centres(points, k, rng), options.max_iterations);
    if (run == 0 || r.inertia < best.inertia) best = std::move(r);
  }
  canonical_order(best);
  return best;
}

double mean_silhouette(const Points& points, const std::vector<int>& assignment, int k) {
  check_points(points, 1, "silhouette");
  const size_t n = points.size();
  if (assignment.size() != n)
    fail(ErrorCode::invalid_argument, "silhouette: expected one cluster per point (" + std::to_string(n) + "), got " +
         std::to_string(assignment.size()));
  std::vector<int> counts(k, 0);
  for (int a : assignment) {
    if (a < 0 || a >= k)
      fail(ErrorCode::invalid_argument, "silhouette: expected clusters in 0.." + std::to_string(k - 1) + ", got " +
           std::to_string(a));
    ++counts[a];
  }
  double total = 0;
  std::vector<double> sums(k);
  for (size_t i = 0; i < n; ++i) {
    const int own = assignment[i];
    if (counts[own] <= 1) continue;  // s = 0 by definition
    std::fill(sums.begin(), sums.end(), 0.0);
    for (size_t j = 0; j < n; ++j)
      if (j != i) sums[assignment[j]] += std::sqrt(squared_distance(points[i], points[j]));
    const double a = sums[own] / (counts[own] - 1);
    double b = std::numeric_limits<double>::infinity();
    for (int c = 0; c < k; ++c)
      if (c != own && counts[c] > 0) b = std::min(b, sums[c] / counts[c]);
    if (std::isfinite(b) && std::max(a, b) > 0) total += (b - a) / std::max(a, b);
  }
  return total / n;
}

KChoice choose_k(const Points& points, const KRule& rule, const KMeansOptions& options) {
  const int k_max = std::min(rule.k_max, static_cast<int>(points.size()) - 1);
  const int k_min = std::min(rule.k_min, k_max);
  if (rule.k_min < 2 || rule.k_max < rule.k_min || k_max < 2)
    fail(ErrorCode::invalid_argument, "choosing k: expected 2 <= k_min <= k_max and at least 3 points, got k in [" +
         std::to_string(rule.k_min) + ", " + std::to_string(rule.k_max) + "] for " + std::to_string(points.size()) +
         " points. Hint: modes need at least 3 images.");
  KChoice choice;
  std::vector<KMeansResult> fits;
  for (int k = k_min; k <= k_max; ++k) {
    fits.push_back(fit_kmeans(points, k, options));
    choice.candidates.push_back(k);
    choice.silhouettes.push_back(silhouette_of_sample(points, fits.back().assignment, k));
  }
  const double best = *std::max_element(choice.silhouettes.begin(), choice.silhouettes.end());
  for (size_t i = 0; i < fits.size(); ++i)
    if (choice.silhouettes[i] >= best - rule.tie) {
      choice.k = choice.candidates[i];
      choice.fit = std::move(fits[i]);
      break;
    }
  return choice;
}

}  // namespace osgan::data
