// Nearest real neighbour by SSIM over flips/rotations of each generated image.
#include "osgan/metrics/memorisation.h"

#include <algorithm>
#include <numeric>

#include "osgan/core/error.h"

namespace osgan::metrics {

namespace {
// The transform t of images (K, 1, S, S): 0-3 rot90 k times, 4-7 h-flip then rot90.
torch::Tensor dihedral(const torch::Tensor& x, int t) {
  auto y = t >= 4 ? x.flip({3}) : x;
  return torch::rot90(y, t % 4, {2, 3});
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}
}  // namespace

MemorisationResult compute_memorisation(const torch::Tensor& generated, const torch::Tensor& real,
                                        const MemorisationOptions& options) {
  if (generated.dim() != 4 || real.dim() != 4 || generated.size(0) < 1 || real.size(0) < 1)
    fail(ErrorCode::invalid_argument, "memorisation: expected non-empty (N, 1, H, W) sets, got " +
         c10::str(generated.sizes()) + " and " + c10::str(real.sizes()));
  const std::vector<int> transforms = options.all_dihedral ? std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}
                                                           : std::vector<int>{0, 4};
  if (options.all_dihedral && generated.size(2) != generated.size(3))
    fail(ErrorCode::invalid_argument, "memorisation: rotations need square images; use all_dihedral = false");
  MemorisationResult r;
  r.options = options;
  const int64_t n = generated.size(0);
  auto best = torch::full({n}, -2.0, torch::kFloat64);
  auto best_real = torch::zeros({n}, torch::kLong);
  auto best_t = torch::zeros({n}, torch::kLong);
  for (int t : transforms) {
    auto s = compute_ssim_matrix(dihedral(generated, t), real, options.ssim);  // (N, M)
    auto [value, index] = s.max(1);                                            // (N), (N)
    auto better = value > best;
    best = torch::where(better, value, best);
    best_real = torch::where(better, index, best_real);
    best_t = torch::where(better, torch::full_like(best_t, t), best_t);
  }
  std::vector<double> values;
  for (int64_t i = 0; i < n; ++i) {
    MemorisationPair p{i, best_real[i].item<int64_t>(), best[i].item<double>(), static_cast<int>(best_t[i].item<int64_t>())};
    r.nearest.push_back(p);
    values.push_back(p.ssim);
  }
  r.share_above_threshold = static_cast<double>(std::count_if(values.begin(), values.end(),
                                                              [&](double v) { return v > options.threshold; })) /
                            static_cast<double>(n);
  r.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(n);
  r.median = quantile(values, 0.5);
  r.p95 = quantile(values, 0.95);
  r.max = *std::max_element(values.begin(), values.end());
  r.closest = r.nearest;
  std::stable_sort(r.closest.begin(), r.closest.end(), [](const auto& a, const auto& b) { return a.ssim > b.ssim; });
  r.closest.resize(std::min<std::size_t>(r.closest.size(), static_cast<std::size_t>(std::max(0, options.closest_pairs))));
  return r;
}

nlohmann::json to_json(const MemorisationResult& r) {
  auto pair_json = [](const MemorisationPair& p) {
    return nlohmann::json{{"generated", p.generated}, {"real", p.real}, {"ssim", p.ssim}, {"transform", p.transform}};
  };
  nlohmann::json closest = nlohmann::json::array(), nearest = nlohmann::json::array();
  for (const auto& p : r.closest) closest.push_back(pair_json(p));
  for (const auto& p : r.nearest) nearest.push_back(p.ssim);
  return {{"threshold", r.options.threshold}, {"share_above_threshold", r.share_above_threshold},
          {"nearest_ssim", {{"mean", r.mean}, {"median", r.median}, {"p95", r.p95}, {"max", r.max}, {"values", nearest}}},
          {"transforms", r.options.all_dihedral ? "8 flips/rotations of the generated image" : "identity and horizontal flip"},
          {"transform_codes", "0-3: rot90 k times; 4-7: horizontal flip then rot90 (k-4) times"},
          {"closest_pairs", closest}};
}

}  // namespace osgan::metrics
