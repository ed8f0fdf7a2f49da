// Cheap numbers that track what a person sees in a GAN's sample grid, for a learning curve: KID and improved
// precision/recall in the fixed structure feature space (structure_features.h), standardised by the real images'
// per-feature mean and spread with its four blocks weighted alike, and the W1 distance of the pixel histograms.
// On the real data (docs/one-shot-gan.md, a NumPy prototype of these features), held-out real slices of a class
// score precision 0.94 and recall 0.86, while periodic textures, pixel noise with the real histogram, a flat or mean
// image score 0. Needs no trained classifier, so a GAN
// can be scored every few hundred steps while it trains (train-gan --quality-every, osgan gan-quality).
#pragma once
#include <cstdint>

#include <torch/torch.h>

#include "osgan/metrics/intensity_histogram.h"

namespace osgan::metrics {

struct SampleQuality {
  double kid = 0;        // unbiased MMD^2, cubic kernel; 0 = same distribution, lower is better
  double precision = 0;  // share of generated images inside the real images' manifold (k = 3): fidelity
  double recall = 0;     // share of real images inside the generated images' manifold; falls with more samples of a
                         // generator that draws near-copies (precision_recall.h)
  double coverage = 0;   // share of real images with a generated image inside their own k-NN ball: diversity that
                         // does not fall as samples are added (Naeem et al. 2020)
  double density = 0;    // fidelity with the real radii; about 1 for a second draw of the real images
  double histogram_w1 = 0;  // W1 between pixel histograms on [-1, 1]
};

// The real side, computed once: features, their standardisation, the pixel histogram.
class SampleQualityReference {
 public:
  // real (M, 1, S, S) in [-1, 1], M >= 4 (precision/recall need more than k = 3 points).
  explicit SampleQualityReference(const torch::Tensor& real);

  // generated (N, 1, S', S') in [-1, 1], N >= 4; S' may differ from S (features are resampled).
  SampleQuality score(const torch::Tensor& generated) const;

  int64_t real_count() const { return features_.size(0); }
  const torch::Tensor& real_features() const { return features_; }  // (M, D), standardised
  torch::Tensor features_of(const torch::Tensor& images) const;      // (N, D), standardised like the real ones

 private:
  torch::Tensor standardise(const torch::Tensor& features) const;

  torch::Tensor mean_, scale_;     // (1, D)
  torch::Tensor features_;         // (M, D), standardised
  Histogram real_histogram_;
};

}  // namespace osgan::metrics
