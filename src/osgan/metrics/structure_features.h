// A fixed feature space for grey brain slices that exists before any classifier is trained: what a reader sees
// first in a sample grid, as numbers. Used to score a GAN while it trains (sample_quality.h), where the domain
// feature space of fid.h is not available yet (it comes from a classifier trained later in the pipeline).
// Every image is first resampled to 64x64 (area average down, bilinear up), then:
//   layout:   the image averaged to 8x8 (64 values): head outline, ventricles, bright and dark masses;
//   edges:    gradient magnitude at 32x32, averaged to 4x4 (16 values): sharp anatomy against blur;
//   tones:    the share of pixels in 16 equal grey-level bins on [-1, 1] (16 values): background, tissue contrast;
//   spectrum: log mean power in 8 equal radial frequency bands up to Nyquist (8 values): the 1/f fall-off of
//             anatomy against the peaks of periodic grids and the flat spectrum of noise.
// No training and no random weights: the same images give the same features on any machine.
#pragma once
#include <torch/torch.h>

namespace osgan::metrics {

// The feature blocks, in order, and their sizes.
constexpr int kLayoutFeatures = 8 * 8, kEdgeFeatures = 4 * 4, kToneFeatures = 16, kSpectrumFeatures = 8;
constexpr int kStructureFeatureCount = kLayoutFeatures + kEdgeFeatures + kToneFeatures + kSpectrumFeatures;  // 104
constexpr int kStructureFeatureBlocks[] = {kLayoutFeatures, kEdgeFeatures, kToneFeatures, kSpectrumFeatures};

// images (N, 1, S, S) in [-1, 1], S >= 16 -> (N, kStructureFeatureCount) float64 on the CPU.
torch::Tensor structure_features(const torch::Tensor& images);

}  // namespace osgan::metrics
