#include "osgan/metrics/sample_quality.h"

#include <cmath>

#include "osgan/core/error.h"
#include "osgan/metrics/kid.h"
#include "osgan/metrics/precision_recall.h"
#include "osgan/metrics/structure_features.h"

namespace osgan::metrics {
namespace {
constexpr int kHistogramBins = 64;
constexpr int kNeighbours = 3;

void require_images(const torch::Tensor& images, const char* what) {
  if (images.dim() != 4 || images.size(0) < kNeighbours + 1 || images.size(1) != 1)
    fail(ErrorCode::invalid_argument, std::string("sample quality: expected ") + what + " images (N >= " +
         std::to_string(kNeighbours + 1) + ", 1, S, S), got " + c10::str(images.sizes()));
}
}  // namespace

SampleQualityReference::SampleQualityReference(const torch::Tensor& real) {
  require_images(real, "real");
  torch::NoGradGuard no_grad;
  const auto f = structure_features(real);  // (M, D)
  mean_ = f.mean(0, /*keepdim=*/true);
  // Features that never vary in the real set (a border pixel that is always black) get unit scale, so a generator
  // that gets them wrong is still penalised, in pixel units.
  const auto sd = f.std(0, /*unbiased=*/true, /*keepdim=*/true);
  scale_ = torch::where(sd > 1e-6, sd, torch::ones_like(sd));
  features_ = standardise(f);
  real_histogram_ = compute_intensity_histogram(real, kHistogramBins);
}

torch::Tensor SampleQualityReference::standardise(const torch::Tensor& features) const {
  // Per feature: in units of the real images' spread. Per block: divided by sqrt(its size), so that each block
  // (layout, edges, tones, spectrum) weighs the same in a distance, not the 64 layout values 8 times the spectrum.
  auto z = (features - mean_) / scale_;
  int64_t start = 0;
  for (const int size : kStructureFeatureBlocks) {
    z.narrow(1, start, size).div_(std::sqrt(static_cast<double>(size)));
    start += size;
  }
  return z;
}

torch::Tensor SampleQualityReference::features_of(const torch::Tensor& images) const {
  torch::NoGradGuard no_grad;
  return standardise(structure_features(images));
}

SampleQuality SampleQualityReference::score(const torch::Tensor& generated) const {
  require_images(generated, "generated");
  torch::NoGradGuard no_grad;
  const auto g = features_of(generated);  // (N, D)
  SampleQuality q;
  KidOptions kid;
  kid.subsets = 50;
  q.kid = compute_kid(features_, g, kid).mean;
  const auto pr = compute_precision_recall(features_, g, kNeighbours);
  q.precision = pr.precision;
  q.recall = pr.recall;
  q.coverage = pr.coverage;
  q.density = pr.density;
  q.histogram_w1 = compute_wasserstein_1(real_histogram_, compute_intensity_histogram(generated, kHistogramBins));
  return q;
}

}  // namespace osgan::metrics
