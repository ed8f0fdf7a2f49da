// Near-duplicate search: pHash candidates, confirmed by NCC of 32x32 grids sampled (bilinear) from 64x64
// thumbnails under a symmetry, a zoom about the centre and a shift. The alignment search is greedy: the best
// symmetries at zero shift and unit zoom, then coordinate ascent over (zoom, shift_y, shift_x) from there.
#include "osgan/data/near_duplicates.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "osgan/core/error.h"
#include "osgan/data/perceptual_hash.h"

namespace osgan::data {
namespace {

using Grid = std::vector<float>;  // (kMatchGrid, kMatchGrid), zero mean and unit norm once normalised

// Samples a kMatchGrid^2 grid from the thumbnail: grid point p (in [-0.5, 0.5] of the side) comes from
// symmetry(p / zoom + shift) in the source. Coordinates outside the source are clamped to its border.
Grid sample_grid(const MatchSignature& sig, Dihedral symmetry, double zoom, double shift_y, double shift_x) {
  constexpr int g = kMatchGrid, s = kMatchSource;
  Grid out(static_cast<size_t>(g) * g);
  for (int y = 0; y < g; ++y)
    for (int x = 0; x < g; ++x) {
      const double py = ((y + 0.5) / g - 0.5) / zoom + 0.5 + shift_y;  // in [0, 1] of the side
      const double px = ((x + 0.5) / g - 0.5) / zoom + 0.5 + shift_x;
      double sy, sx;
      symmetry.source_of(py * s - 0.5, px * s - 0.5, s - 1, sy, sx);
      sy = std::clamp(sy, 0.0, s - 1.0);
      sx = std::clamp(sx, 0.0, s - 1.0);
      const int y0 = std::min(static_cast<int>(sy), s - 2), x0 = std::min(static_cast<int>(sx), s - 2);
      const float ty = static_cast<float>(sy - y0), tx = static_cast<float>(sx - x0);
      const float* r0 = &sig.thumbnail[static_cast<size_t>(y0) * s + x0];
      const float* r1 = r0 + s;
      const float top = r0[0] + tx * (r0[1] - r0[0]), bottom = r1[0] + tx * (r1[1] - r1[0]);
      out[static_cast<size_t>(y) * g + x] = top + ty * (bottom - top);
    }
  return out;
}

// Subtracts the mean and scales to unit norm; a constant grid becomes all zeros (correlates with nothing).
void normalise(Grid& grid) {
  double mean = 0;
  for (float v : grid) mean += v;
  mean /= grid.size();
  double norm = 0;
  for (float& v : grid) {
    v = static_cast<float>(v - mean);
    norm += static_cast<double>(v) * v;
  }
  const float scale = norm > 1e-12 ? static_cast<float>(1.0 / std::sqrt(norm)) : 0.f;
  for (float& v : grid) v *= scale;
}

double dot(const Grid& a, const Grid& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

// NCC of b, under (symmetry, zoom, shift), onto a. A zoom below 1 is applied as the inverse zoom of a, so
// that neither grid reaches outside its thumbnail.
double correlation_at(const MatchSignature& a, const Grid& a_unit, const MatchSignature& b, Dihedral symmetry,
                      double zoom, double shift_y, double shift_x) {
  Grid gb = sample_grid(b, symmetry, std::max(zoom, 1.0), shift_y, shift_x);
  normalise(gb);
  if (zoom >= 1.0) return dot(a_unit, gb);
  Grid ga = sample_grid(a, Dihedral{}, 1.0 / zoom, 0.0, 0.0);
  normalise(ga);
  return dot(ga, gb);
}

}  // namespace

MatchSignature compute_match_signature(const io::Image& image) {
  if (image.empty()) fail(ErrorCode::invalid_argument, "compute_match_signature: empty image");
  MatchSignature sig;
  sig.thumbnail = resize_image(image, kMatchSource, kMatchSource).pixels;
  const auto hashes = perceptual_hashes(image);
  std::copy(hashes.begin(), hashes.end(), sig.hashes);
  for (int t = 0; t < kDihedralCount; ++t) {
    sig.grids[t] = sample_grid(sig, Dihedral{t}, 1.0, 0.0, 0.0);
    normalise(sig.grids[t]);
  }
  return sig;
}

double best_correlation(const MatchSignature& a, const MatchSignature& b, const NearDuplicateOptions& options,
                        Alignment* best) {
  if (options.zooms.empty()) fail(ErrorCode::invalid_argument, "near-duplicate search: the list of zooms is empty");
  const Grid& a_unit = a.grids[0];
  // Index of the unit zoom (or the closest to it) in the zoom list: the search starts there.
  int zoom_start = 0;
  for (int i = 0; i < static_cast<int>(options.zooms.size()); ++i)
    if (std::abs(std::log(options.zooms[i])) < std::abs(std::log(options.zooms[zoom_start]))) zoom_start = i;

  // Symmetries without zoom or shift, best first; refine the two best (a near-symmetric head makes a
  // mirror image almost as good, and the true one may only win after alignment).
  std::vector<std::pair<double, int>> by_symmetry;
  for (int t = 0; t < kDihedralCount; ++t) by_symmetry.push_back({dot(a_unit, b.grids[t]), t});
  std::sort(by_symmetry.rbegin(), by_symmetry.rend());
  if (by_symmetry[0].first < options.min_correlation - options.refine_margin) {
    if (best) *best = Alignment{Dihedral{by_symmetry[0].second}, 1.0, 0.0, 0.0};
    return by_symmetry[0].first;
  }

  const double step = 1.0 / kMatchGrid;  // one grid pixel, as a fraction of the side
  double best_score = -2.0;
  Alignment best_alignment;
  for (int r = 0; r < std::min(2, kDihedralCount); ++r) {
    const Dihedral sym{by_symmetry[r].second};
    std::map<std::tuple<int, int, int>, double> seen;
    auto score = [&](int z, int dy, int dx) {
      auto key = std::make_tuple(z, dy, dx);
      auto it = seen.find(key);
      if (it != seen.end()) return it->second;
      const double v = correlation_at(a, a_unit, b, sym, options.zooms[z], dy * step, dx * step);
      seen[key] = v;
      return v;
    };
    int z = zoom_start, dy = 0, dx = 0;
    double current = score(z, dy, dx);
    for (bool moved = true; moved;) {  // coordinate ascent; each move strictly improves, so it ends
      moved = false;
      const int moves[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
      int bz = z, by = dy, bx = dx;
      double bv = current;
      for (const auto& m : moves) {
        const int nz = z + m[0], ny = dy + m[1], nx = dx + m[2];
        if (nz < 0 || nz >= static_cast<int>(options.zooms.size())) continue;
        if (std::abs(ny) > options.max_shift || std::abs(nx) > options.max_shift) continue;
        const double v = score(nz, ny, nx);
        if (v > bv + 1e-9) { bv = v; bz = nz; by = ny; bx = nx; }
      }
      if (bv > current) { current = bv; z = bz; dy = by; dx = bx; moved = true; }
    }
    if (current > best_score) {
      best_score = current;
      best_alignment = {sym, options.zooms[z], dy * step, dx * step};
    }
  }
  if (best) *best = best_alignment;
  return best_score;
}

std::vector<NearDuplicatePair> find_near_duplicates(const std::vector<MatchSignature>& signatures,
                                                    const NearDuplicateOptions& options) {
  std::vector<NearDuplicatePair> pairs;
  for (size_t i = 0; i < signatures.size(); ++i)
    for (size_t j = i + 1; j < signatures.size(); ++j) {
      int distance = 64;
      for (int t = 0; t < kDihedralCount; ++t)
        distance = std::min(distance, hamming_distance(signatures[i].hashes[0], signatures[j].hashes[t]));
      if (!options.exhaustive && distance > options.max_hash_distance) continue;
      NearDuplicatePair pair;
      pair.a = i;
      pair.b = j;
      pair.correlation = best_correlation(signatures[i], signatures[j], options, &pair.alignment);
      if (pair.correlation < options.min_correlation) continue;
      pair.hash_distance = hamming_distance(signatures[i].hashes[0], signatures[j].hashes[pair.alignment.symmetry.index]);
      pairs.push_back(pair);
    }
  std::sort(pairs.begin(), pairs.end(), [](const NearDuplicatePair& x, const NearDuplicatePair& y) {
    return std::tie(y.correlation, x.a, x.b) < std::tie(x.correlation, y.a, y.b);
  });
  return pairs;
}

std::vector<NearDuplicatePair> find_near_duplicates(const std::vector<Sample>& samples,
                                                    const NearDuplicateOptions& options) {
  std::vector<MatchSignature> signatures;
  signatures.reserve(samples.size());
  for (const auto& s : samples) signatures.push_back(compute_match_signature(s.image));
  return find_near_duplicates(signatures, options);
}

}  // namespace osgan::data
