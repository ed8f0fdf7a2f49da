// Near twins: images that have another image of the same set almost equal to them pixel for pixel. A GAN that
// collapses draws the same slice again and again with small changes; its samples are each other's twins far more
// often than real slices are (the real set has some too: augmented copies of one source slice, see the dataset's
// README). Images are compared at 32 x 32 (area average), by the Pearson correlation of their pixels, with no
// alignment (flips, shifts) on purpose: a GAN's near-copies are not flipped.
//
//   NearTwins twins = compute_near_twins(images);  // images (N, 1, S, S)
//   twins.share;                                   // share of the N images with a twin at correlation > 0.93
// Compare sets of equal size: with more images, the chance that one of them is a twin grows.
#pragma once
#include <cstdint>

#include <torch/torch.h>

namespace osgan::metrics {

struct NearTwinOptions {
  double threshold = 0.93;  // an image has a twin when its best correlation with another image exceeds this
  int size = 32;            // images are compared at size x size
};

struct NearTwins {
  int64_t images = 0;     // N
  int64_t with_twin = 0;  // images with a twin in the set
  double share = 0;       // with_twin / N
};

// images (N, 1, S, S) with N >= 2 and S >= 2 (any range: correlation ignores brightness and contrast). A constant
// image correlates with nothing. Throws osgan::Error on other shapes.
NearTwins compute_near_twins(const torch::Tensor& images, const NearTwinOptions& options = {});

}  // namespace osgan::metrics
