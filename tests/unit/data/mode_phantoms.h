// Phantom brain slices for the mode tests: an elliptic head on a black background with a scalp ring, a skull ring,
// a brain with thin sulcus lines and central ventricles, in the grey levels of one acquisition kind. Each seed moves
// the head, its size and the grey levels a little, so a kind is a cloud, not a point.
//   t2: dim scalp, dark brain, bright CSF (sulci and ventricles)
//   t1: bright scalp, light brain, dark CSF
//   ct: saturated skull ring, flat mid-grey brain, dark CSF
#pragma once
#include <cmath>
#include <random>
#include <string>

#include "osgan/io/image.h"

namespace osgan::test {

enum class PhantomKind { t2, t1, ct };

// size x size in [-1, 1].
inline io::Image brain_phantom(PhantomKind kind, unsigned seed, int size = 128) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  const double cy = 0.5 + 0.02 * u(rng), cx = 0.5 + 0.02 * u(rng);
  const double ry = 0.43 + 0.02 * u(rng), rx = 0.36 + 0.02 * u(rng);
  const double jitter = 0.05 * u(rng);
  const int line_offset = static_cast<int>(3 + 3 * u(rng));
  float scalp = 0, skull = 0, brain = 0, csf = 0;
  switch (kind) {
    case PhantomKind::t2: scalp = -0.25f, skull = -0.85f, brain = -0.35f, csf = 0.85f; break;
    case PhantomKind::t1: scalp = 0.9f, skull = -0.85f, brain = 0.25f, csf = -0.6f; break;
    case PhantomKind::ct: scalp = -0.5f, skull = 1.0f, brain = -0.1f, csf = -0.45f; break;
  }
  io::Image img(size, size, -1.f);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      const double dy = ((y + 0.5) / size - cy) / ry, dx = ((x + 0.5) / size - cx) / rx;
      const double r = std::sqrt(dy * dy + dx * dx);  // 1 at the head's edge
      if (r >= 1) continue;
      float v = static_cast<float>(brain + jitter);
      if (r > 0.93) v = scalp;
      else if (r > 0.86) v = skull;
      else if (r < 0.18 && std::abs(dx) > 0.04) v = csf;        // the two lateral ventricles
      else if (r < 0.8 && (y + line_offset) % 7 == 0) v = csf;  // thin sulci
      img.at(y, x) = v;
    }
  return img;
}

}  // namespace osgan::test
