// pHash: area-resize to 32x32, 2D DCT-II of the lowest 8x8 frequencies, threshold at the median (DC excluded).
#include "osgan/data/perceptual_hash.h"

#include <algorithm>
#include <bitset>
#include <cmath>
#include <vector>

#include "osgan/core/error.h"
#include "osgan/data/dataset.h"

namespace osgan::data {

std::string Dihedral::name() const {
  static const char* kNames[kDihedralCount] = {"identity",  "flip_lr",   "flip_ud",  "rot180",
                                               "transpose", "rot90_ccw", "rot90_cw", "anti_transpose"};
  return kNames[index & 7];
}

std::uint64_t perceptual_hash(const io::Image& image, Dihedral transform) {
  if (image.empty()) fail(ErrorCode::invalid_argument, "perceptual_hash: empty image");
  constexpr int n = kHashThumbnail, k = kHashBlock;
  const io::Image thumb = resize_image(image, n, n);
  std::vector<double> t(n * n);  // (n, n), the transformed thumbnail
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      double sy, sx;
      transform.source_of(y, x, n - 1, sy, sx);
      t[y * n + x] = thumb.at(static_cast<int>(sy), static_cast<int>(sx));
    }
  // Separable DCT-II, keeping only the k lowest frequencies along each axis (constant factors do not matter).
  std::vector<double> basis(k * n);  // (k, n)
  for (int u = 0; u < k; ++u)
    for (int x = 0; x < n; ++x) basis[u * n + x] = std::cos(M_PI * (x + 0.5) * u / n);
  std::vector<double> rows(n * k, 0.0);  // (n, k): DCT along x
  for (int y = 0; y < n; ++y)
    for (int u = 0; u < k; ++u) {
      double s = 0;
      for (int x = 0; x < n; ++x) s += t[y * n + x] * basis[u * n + x];
      rows[y * k + u] = s;
    }
  std::vector<double> coef(k * k, 0.0);  // (k, k): DCT along y
  for (int v = 0; v < k; ++v)
    for (int u = 0; u < k; ++u) {
      double s = 0;
      for (int y = 0; y < n; ++y) s += rows[y * k + u] * basis[v * n + y];
      coef[v * k + u] = s;
    }
  std::vector<double> ac(coef.begin() + 1, coef.end());  // the DC term only says how bright the image is
  std::nth_element(ac.begin(), ac.begin() + ac.size() / 2, ac.end());
  const double median = ac[ac.size() / 2];
  std::uint64_t hash = 0;
  for (int i = 1; i < k * k; ++i)  // bit 0 (DC) stays 0
    if (coef[i] > median) hash |= std::uint64_t{1} << i;
  return hash;
}

std::array<std::uint64_t, kDihedralCount> perceptual_hashes(const io::Image& image) {
  std::array<std::uint64_t, kDihedralCount> hashes{};
  for (int t = 0; t < kDihedralCount; ++t) hashes[t] = perceptual_hash(image, Dihedral{t});
  return hashes;
}

int hamming_distance(std::uint64_t a, std::uint64_t b) { return static_cast<int>(std::bitset<64>(a ^ b).count()); }

}  // namespace osgan::data
