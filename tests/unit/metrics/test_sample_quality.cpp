#include <gtest/gtest.h>

#include <cmath>

#include "osgan/core/error.h"
#include "osgan/metrics/precision_recall.h"
#include "osgan/metrics/sample_quality.h"
#include "osgan/metrics/structure_features.h"

namespace {
using namespace osgan::metrics;

// n "slices": a bright ellipse of varying size and position on a dark background, with a darker blob inside.
torch::Tensor phantoms(int n, int size = 64, int seed = 1) {
  torch::manual_seed(seed);
  auto y = torch::linspace(-1, 1, size).view({1, 1, size, 1});
  auto x = torch::linspace(-1, 1, size).view({1, 1, 1, size});
  auto a = 0.6 + 0.2 * torch::rand({n, 1, 1, 1}), b = 0.7 + 0.2 * torch::rand({n, 1, 1, 1});
  auto cx = 0.1 * torch::randn({n, 1, 1, 1}), cy = 0.1 * torch::randn({n, 1, 1, 1});
  auto head = ((x - cx) / a).pow(2) + ((y - cy) / b).pow(2) < 1;
  auto blob = (x - cx - 0.2).pow(2) + (y - cy).pow(2) < 0.04;
  return torch::where(head, torch::full_like(head, 0.4, torch::kFloat32), torch::full_like(head, -1.0, torch::kFloat32)) -
         blob.to(torch::kFloat32) * 0.8;  // (n, 1, size, size)
}

TEST(StructureFeatures, ConstantImageHasItsLayoutNoEdgesOneToneAndNoPower) {
  const auto f = structure_features(torch::full({2, 1, 64, 64}, -0.5));  // grey bin floor((-0.5 + 1) * 8) = 4
  ASSERT_EQ(f.sizes(), (std::vector<int64_t>{2, kStructureFeatureCount}));
  EXPECT_TRUE(torch::allclose(f.slice(1, 0, 64), torch::full({2, 64}, -0.5, torch::kFloat64)));
  EXPECT_EQ(f.slice(1, 64, 80).abs().max().item<double>(), 0.0);
  const auto tones = f.slice(1, 80, 96);
  EXPECT_DOUBLE_EQ(tones[0][4].item<double>(), 1.0);
  EXPECT_DOUBLE_EQ(tones.sum().item<double>(), 2.0);
  EXPECT_NEAR(f[0][96].item<double>(), std::log(1e-8), 1e-9);  // no power once the mean is removed
}

TEST(StructureFeatures, AStepEdgeShowsWhereItIs) {
  // Left half -1, right half +1; at 32x32 the step lies between columns 15 and 16, where the central difference is
  // (1 - -1) / 2 = 1. The 4x4 edge cells are 8 columns wide: cells 1 and 2 hold one such column of 8, i.e. 8 / 64.
  auto image = torch::full({1, 1, 64, 64}, -1.0);
  image.slice(3, 32, 64).fill_(1.0);
  const auto edges = structure_features(image).slice(1, 64, 80).view({4, 4});
  EXPECT_TRUE(torch::allclose(edges.select(1, 1), torch::full({4}, 0.125, torch::kFloat64)));
  EXPECT_TRUE(torch::allclose(edges.select(1, 2), torch::full({4}, 0.125, torch::kFloat64)));
  EXPECT_EQ(edges.select(1, 0).abs().max().item<double>(), 0.0);
  EXPECT_EQ(edges.select(1, 3).abs().max().item<double>(), 0.0);
  EXPECT_THROW(structure_features(torch::zeros({1, 3, 32, 32})), osgan::Error);
}

TEST(StructureFeatures, PeriodicStripesPeakInTheirFrequencyBand) {
  // Stripes every 4 rows: 0.25 cycles per pixel, in band 3 of 8 ((0.1875, 0.25]).
  auto stripes = torch::zeros({1, 1, 64, 64});
  stripes.slice(2, 0, 64, 4).fill_(1.0);
  const auto spectrum = structure_features(stripes).slice(1, 96, 104)[0];
  EXPECT_EQ(spectrum.argmax().item<int64_t>(), 3) << spectrum;
  // A smooth ramp keeps its power in the lowest band.
  const auto ramp = torch::linspace(-1, 1, 64).view({1, 1, 1, 64}).expand({1, 1, 64, 64}).contiguous();
  EXPECT_EQ(structure_features(ramp).slice(1, 96, 104)[0].argmax().item<int64_t>(), 0);
}

TEST(SampleQuality, SlicesLikeTheRealOnesScoreFarBetterThanTexturesOrFlatGrey) {
  const SampleQualityReference reference(phantoms(120, 64, 1));
  const auto alike = reference.score(phantoms(64, 64, 2));  // the same distribution, other draws
  const auto flat = reference.score(torch::zeros({64, 1, 64, 64}));
  auto grid = torch::zeros({64, 1, 64, 64});
  grid.slice(2, 0, 64, 4).fill_(1.0);  // stripes every 4 rows: the texture a short One-Shot GAN run draws
  const auto texture = reference.score(grid - 0.3);
  EXPECT_GT(alike.precision, 0.8);
  EXPECT_GT(alike.recall, 0.8);
  // Coverage of a second draw is what theory says for these counts (0.73 for 120 real and 64 generated, k = 3).
  EXPECT_NEAR(alike.coverage, osgan::metrics::expected_coverage(120, 64, 3), 0.1);
  EXPECT_NEAR(alike.density, 1.0, 0.4);
  EXPECT_LT(alike.histogram_w1, 0.05);
  for (const auto& bad : {flat, texture}) {
    EXPECT_EQ(bad.precision, 0.0);
    EXPECT_EQ(bad.recall, 0.0);
    EXPECT_EQ(bad.coverage, 0.0);
    EXPECT_EQ(bad.density, 0.0);
    EXPECT_GT(bad.kid, 10 * std::max(alike.kid, 1e-3));
    EXPECT_GT(bad.histogram_w1, 0.2);
  }
  // Another resolution is resampled to 64x64, not refused (how close it comes depends on the resampling: a set this
  // tight has no spread to absorb anti-aliased edges, so only the range is checked).
  const auto resampled = reference.score(phantoms(64, 128, 3));
  EXPECT_TRUE(std::isfinite(resampled.kid));
  EXPECT_GE(resampled.precision, 0.0);
  EXPECT_LE(resampled.recall, 1.0);
  EXPECT_THROW(reference.score(torch::zeros({3, 1, 64, 64})), osgan::Error);  // too few to score
}

}  // namespace
