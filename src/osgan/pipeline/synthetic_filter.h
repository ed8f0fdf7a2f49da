// Which generated images a point of the ratio sweep adds (ratio_protocol.h): `count` of a class's pool, chosen by
// the filter. "nearest" ranks each generated image by its distance to the nearest real training image of the class
// in the structure feature space (metrics/structure_features.h, standardised by those real images), so only the
// training side decides; "none" takes the pool in file order.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace osgan {

// pool (N, 1, S, S) and real (M, 1, S, S) in [-1, 1]; returns `count` row indices of pool, in ascending order of
// index ("none") or of distance, ties by index ("nearest"). Throws osgan::Error when count > N, when "nearest" has
// fewer than 4 real images, or for an unknown filter.
std::vector<int64_t> select_synthetic(const torch::Tensor& pool, const torch::Tensor& real, int64_t count,
                                      const std::string& filter);

// The distance of each pool image to its nearest real image in the standardised structure space: (N) float64.
torch::Tensor distance_to_nearest_real(const torch::Tensor& pool, const torch::Tensor& real);

}  // namespace osgan
