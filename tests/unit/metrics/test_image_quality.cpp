// SSIM, intensity histograms, W1, diversity and memorisation against hand-computable cases.
#include <gtest/gtest.h>

#include <cmath>

#include "osgan/core/error.h"
#include "osgan/metrics/diversity.h"
#include "osgan/metrics/intensity_histogram.h"
#include "osgan/metrics/memorisation.h"
#include "osgan/metrics/ssim.h"

using namespace osgan::metrics;

namespace {
torch::Tensor textured(int n, int size, int64_t seed) {  // (n, 1, size, size) in [-1, 1]
  torch::manual_seed(seed);
  return torch::rand({n, 1, size, size}) * 2 - 1;
}
}  // namespace

TEST(Ssim, IdenticalImagesScoreOne) {
  auto x = textured(3, 32, 1);
  auto s = compute_ssim(x, x);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(s[i].item<double>(), 1.0, 1e-12);
}

TEST(Ssim, ConstantImagesGiveTheLuminanceTerm) {
  // Constant a = 0.5, b = -0.5 in [-1, 1] are 0.75 and 0.25 in [0, 1]; C1 = 0.01^2. The variance terms are
  // C2/C2 = 1, so SSIM = (2ab + C1) / (a^2 + b^2 + C1) = 0.3751 / 0.6251 = 0.600064.
  auto a = torch::full({1, 1, 16, 16}, 0.5), b = torch::full({1, 1, 16, 16}, -0.5);
  EXPECT_NEAR(compute_ssim(a, b)[0].item<double>(), 0.3751 / 0.6251, 1e-10);
}

TEST(Ssim, ConstantShiftKeepsStructureButLowersLuminance) {
  // y = x + c: local variances and covariance are unchanged (contrast-structure term exactly 1); only the
  // luminance term drops, more for a larger shift. Bright texture (local means ~0.75 in [0, 1]): a shift of 0.05
  // in [-1, 1] (0.025 in [0, 1]) gives a luminance term of about (2*0.75*0.775) / (0.75^2 + 0.775^2) = 0.9995.
  auto x = 0.5 + textured(1, 32, 2) * 0.2;
  auto s_small = compute_ssim(x, x + 0.05)[0].item<double>();
  auto s_large = compute_ssim(x, x + 0.5)[0].item<double>();
  EXPECT_LT(s_small, 1.0);
  EXPECT_GT(s_small, 0.999);
  EXPECT_LT(s_large, s_small);
  EXPECT_GT(s_large, 0.95);  // (2*0.75*1) / (0.5625 + 1) = 0.96
}

TEST(Ssim, RangeZeroOneForUnitImages) {
  auto a = torch::full({1, 1, 16, 16}, 0.75), b = torch::full({1, 1, 16, 16}, 0.25);
  SsimOptions o;
  o.low = 0;
  o.high = 1;
  o.window = 7;
  const double c1 = 1e-4;
  EXPECT_NEAR(compute_ssim(a, b, o)[0].item<double>(), (2 * 0.75 * 0.25 + c1) / (0.5625 + 0.0625 + c1), 1e-10);
}

TEST(Ssim, MatrixMatchesPairwiseAndChecksShapes) {
  auto a = textured(3, 24, 3), b = textured(4, 24, 4);
  SsimOptions o;
  o.window = 7;
  auto m = compute_ssim_matrix(a, b, o);
  ASSERT_EQ(m.size(0), 3);
  ASSERT_EQ(m.size(1), 4);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j)
      EXPECT_NEAR(m[i][j].item<double>(), compute_ssim(a[i].unsqueeze(0), b[j].unsqueeze(0), o)[0].item<double>(), 1e-5);  // float32 matrix
  EXPECT_THROW(compute_ssim(textured(1, 8, 1), textured(1, 8, 1)), osgan::Error);  // smaller than 11x11
  EXPECT_THROW(compute_ssim(textured(1, 16, 1), textured(1, 20, 1)), osgan::Error);
}

TEST(SsimMetric, MeanOverUpdates) {
  SsimMetric metric;
  auto x = textured(2, 16, 5);
  metric.update(x, x);
  EXPECT_NEAR(metric.compute(), 1.0, 1e-12);
  metric.reset();
  EXPECT_TRUE(std::isnan(metric.compute()));
}

TEST(Histogram, W1OfTwoKnownHistograms) {
  // All mass in the first bin of [-1, 1] vs all in the last, 4 bins of width 0.5: the mass moves 3 bins = 1.5.
  auto a = compute_intensity_histogram(torch::full({10}, -0.9), 4);
  auto b = compute_intensity_histogram(torch::full({10}, 0.9), 4);
  EXPECT_DOUBLE_EQ(a.density[0], 1.0);
  EXPECT_DOUBLE_EQ(b.density[3], 1.0);
  EXPECT_NEAR(compute_wasserstein_1(a, b), 1.5, 1e-12);
  EXPECT_NEAR(compute_wasserstein_1(a, a), 0.0, 1e-12);
  // Half the mass moves one bin: 0.5 * 0.5 = 0.25.
  auto c = compute_intensity_histogram(torch::tensor({-0.9, -0.9}), 4);
  auto d = compute_intensity_histogram(torch::tensor({-0.9, -0.4}), 4);
  EXPECT_NEAR(compute_wasserstein_1(c, d), 0.25, 1e-12);
  EXPECT_THROW(compute_wasserstein_1(a, compute_intensity_histogram(torch::zeros({3}), 8)), osgan::Error);
}

TEST(Histogram, OutOfRangeValuesGoToTheEndBins) {
  auto h = compute_intensity_histogram(torch::tensor({-5.0, 5.0, 1.0}), 4);
  EXPECT_NEAR(h.density[0], 1.0 / 3, 1e-12);
  EXPECT_NEAR(h.density[3], 2.0 / 3, 1e-12);
  EXPECT_EQ(h.count, 3);
}

TEST(Diversity, IdenticalSetIsZeroAndNoiseIsHigh) {
  auto one = textured(1, 24, 6);
  SsimOptions o;
  o.window = 7;
  EXPECT_NEAR(compute_diversity(one.repeat({4, 1, 1, 1}), o), 0.0, 1e-5);  // float32 SSIM matrix
  EXPECT_GT(compute_diversity(textured(4, 24, 7), o), 0.8);  // independent noise: SSIM near 0
  EXPECT_THROW(compute_diversity(one, o), osgan::Error);
}

TEST(Memorisation, FindsFlippedAndRotatedCopies) {
  SsimOptions o;
  o.window = 7;
  auto real = textured(5, 24, 8);                       // (5, 1, 24, 24)
  auto copy_of_2 = torch::rot90(real[2].unsqueeze(0).flip({3}), 1, {2, 3});  // flipped then rotated
  auto novel = textured(1, 24, 9);
  auto generated = torch::cat({novel, copy_of_2});      // (2, 1, 24, 24)
  MemorisationOptions mo;
  mo.ssim = o;
  auto r = compute_memorisation(generated, real, mo);
  ASSERT_EQ(r.nearest.size(), 2u);
  EXPECT_EQ(r.nearest[1].real, 2);
  EXPECT_NEAR(r.nearest[1].ssim, 1.0, 1e-5);  // float32 SSIM matrix
  EXPECT_LT(r.nearest[0].ssim, 0.5);
  EXPECT_DOUBLE_EQ(r.share_above_threshold, 0.5);
  EXPECT_EQ(r.closest.front().generated, 1);
  // Without the rotations the copy is not exact any more.
  mo.all_dihedral = false;
  EXPECT_LT(compute_memorisation(generated, real, mo).nearest[1].ssim, 0.9);
}
