// A fixed feature space for grey brain slices that exists before any classifier is trained: what a reader sees
// first in a sample grid, as numbers. Used to score a GAN while it trains (sample_quality.h), where the domain
// feature space of fid.h is not available yet (it comes from a classifier trained later in the pipeline).
//   layout:  the image area-averaged to 16x16 (256 values): head outline, ventricles, bright and dark masses;
//   edges:   gradient magnitude at 32x32, averaged to 8x8 (64 values): sharp anatomy against blur or periodic grids;
//   tones:   the share of pixels in 16 equal grey-level bins on [-1, 1] (16 values): background and tissue contrast.
// No training and no random weights: the same images give the same features on any machine.
#pragma once
#include <torch/torch.h>

namespace osgan::metrics {

constexpr int kStructureFeatureCount = 16 * 16 + 8 * 8 + 16;  // 336

// images (N, 1, S, S) in [-1, 1], S >= 16 (area resampling to 32x32)
// -> (N, kStructureFeatureCount) float64 on the CPU.
torch::Tensor structure_features(const torch::Tensor& images);

}  // namespace osgan::metrics
