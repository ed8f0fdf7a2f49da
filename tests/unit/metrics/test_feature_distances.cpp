// FID, KID and precision/recall from feature matrices, with known answers.
#include <gtest/gtest.h>

#include <cmath>

#include "osgan/core/error.h"
#include "osgan/metrics/fid.h"
#include "osgan/metrics/kid.h"
#include "osgan/metrics/precision_recall.h"

using namespace osgan::metrics;

TEST(Fid, MonaiThreeByTwoExample) {
  // MONAI's test_compute_fid_metric: x = 3 identical rows (1, 2), y = rows (2, 2), (1, 2), (1, 2).
  // |mu_x - mu_y|^2 = (1/3)^2 = 1/9; S_x = 0; S_y = diag(1/3, 0) (unbiased); Tr = 1/3. FID = 4/9 = 0.4444.
  auto x = torch::tensor({1.0, 2.0, 1.0, 2.0, 1.0, 2.0}).view({3, 2});
  auto y = torch::tensor({2.0, 2.0, 1.0, 2.0, 1.0, 2.0}).view({3, 2});
  EXPECT_NEAR(compute_fid(x, y), 4.0 / 9.0, 1e-10);
}

TEST(Fid, EqualCovariancesGiveTheSquaredMeanDistance) {
  torch::manual_seed(1);
  auto x = torch::randn({50, 4}, torch::kFloat64);
  auto shift = torch::tensor({1.0, -2.0, 0.5, 0.0}, torch::kFloat64);
  EXPECT_NEAR(compute_fid(x, x + shift), 1.0 + 4.0 + 0.25, 1e-8);  // same samples shifted: same covariance
  EXPECT_NEAR(compute_fid(x, x), 0.0, 1e-8);
}

TEST(Fid, ScaledCovarianceClosedForm) {
  // S_b = 4 S_a: Tr(S_a + 4 S_a - 2 * 2 S_a) = Tr S_a.
  torch::manual_seed(2);
  auto x = torch::randn({40, 3}, torch::kFloat64);
  auto centred = x - x.mean(0, true);
  const double tr = (centred.t().matmul(centred) / 39).trace().item<double>();
  EXPECT_NEAR(compute_fid(x, 2 * x - 2 * x.mean(0, true) + x.mean(0, true)), tr, 1e-8);
}

TEST(Fid, MetricAccumulatesAndChecksShapes) {
  FidMetric metric;
  auto x = torch::tensor({1.0, 2.0, 1.0, 2.0, 1.0, 2.0}).view({3, 2});
  auto y = torch::tensor({2.0, 2.0, 1.0, 2.0, 1.0, 2.0}).view({3, 2});
  metric.update(x.slice(0, 0, 2), y.slice(0, 0, 1));
  metric.update(x.slice(0, 2, 3), y.slice(0, 1, 3));
  EXPECT_NEAR(metric.compute(), 4.0 / 9.0, 1e-10);
  EXPECT_THROW(compute_fid(torch::zeros({1, 2}), torch::zeros({3, 2})), osgan::Error);
  EXPECT_THROW(compute_fid(torch::zeros({3, 2}), torch::zeros({3, 3})), osgan::Error);
}

TEST(Kid, SameDistributionNearZeroShiftedPositiveAndSeeded) {
  torch::manual_seed(3);
  auto x = torch::randn({200, 8}, torch::kFloat64), y = torch::randn({200, 8}, torch::kFloat64);
  KidOptions o;
  o.subsets = 20;
  o.subset_size = 100;
  auto same = compute_kid(x, y, o);
  auto shifted = compute_kid(x, y + 1.0, o);
  EXPECT_GT(shifted.mean, 1.0);
  EXPECT_LT(std::abs(same.mean), 0.05 * shifted.mean);
  EXPECT_EQ(compute_kid(x, y + 1.0, o).mean, shifted.mean);  // same seed, same value
  o.seed = 2;
  EXPECT_NE(compute_kid(x, y + 1.0, o).mean, shifted.mean);
}

TEST(Kid, UnbiasedMmdOfASetWithItselfHasItsClosedForm) {
  // X = Y: mean_off(K) + mean_off(K) - 2 mean_all(K) = 2/m (mean_off(K) - mean_diag(K)): not 0, because the
  // estimator assumes two independent samples; with a literal copy the diagonal enters the cross term only.
  torch::manual_seed(5);
  auto x = torch::randn({6, 3}, torch::kFloat64);
  auto k = (x.matmul(x.t()) / 3 + 1).pow(3);
  const double m = 6, diag = k.trace().item<double>(), off = k.sum().item<double>() - diag;
  EXPECT_NEAR(mmd2_unbiased(x, x), 2 / m * (off / (m * (m - 1)) - diag / m), 1e-10);
  EXPECT_NEAR(mmd2_unbiased(x, x + 0.0), mmd2_unbiased(x, x), 1e-12);
}

TEST(PrecisionRecall, IdenticalSetsAreOneAndFarSetsZero) {
  torch::manual_seed(4);
  auto x = torch::randn({30, 5}, torch::kFloat64);
  auto same = compute_precision_recall(x, x, 3);
  EXPECT_DOUBLE_EQ(same.precision, 1.0);
  EXPECT_DOUBLE_EQ(same.recall, 1.0);
  auto far = compute_precision_recall(x, x + 100.0, 3);
  EXPECT_DOUBLE_EQ(far.precision, 0.0);
  EXPECT_DOUBLE_EQ(far.recall, 0.0);
  // A generated set collapsed to one real point: full precision, poor recall.
  auto collapsed = x[0].unsqueeze(0).repeat({10, 1});
  auto c = compute_precision_recall(x, collapsed, 3);
  EXPECT_DOUBLE_EQ(c.precision, 1.0);
  EXPECT_LT(c.recall, 0.2);
  EXPECT_THROW(compute_precision_recall(x.slice(0, 0, 3), x, 3), osgan::Error);
}

// Worked by hand on a line, k = 1: real 0..4 (every real radius 1), generated {0.5, 0.5, 10}.
TEST(DensityCoverage, KnownAnswerOnALine) {
  auto real = torch::arange(5, torch::kFloat64).unsqueeze(1);                      // (5, 1)
  auto generated = torch::tensor({0.5, 0.5, 10.0}, torch::kFloat64).unsqueeze(1);  // (3, 1)
  const auto r = compute_precision_recall(real, generated, 1);
  EXPECT_DOUBLE_EQ(r.precision, 2.0 / 3);  // both 0.5s lie in some real ball, 10 in none
  EXPECT_DOUBLE_EQ(r.density, 4.0 / 3);    // each 0.5 lies in the balls of 0 and of 1: (2 + 2 + 0) / (k x 3)
  EXPECT_DOUBLE_EQ(r.coverage, 2.0 / 5);   // real 0 and 1 have a generated point in their ball; 2, 3, 4 do not
  // Recall's radii come from the generated set: the outlier at 10 (radius 9.5) "covers" real 1..4, while the two
  // copies at 0.5 (radius 0) cover nothing: the weakness that density and coverage avoid.
  EXPECT_DOUBLE_EQ(r.recall, 4.0 / 5);
}

TEST(DensityCoverage, DoNotFallWhenTheSameSamplesAreDrawnAgainButRecallDoes) {
  torch::manual_seed(11);
  auto real = torch::randn({60, 4}, torch::kFloat64), generated = torch::randn({60, 4}, torch::kFloat64);
  const auto once = compute_precision_recall(real, generated, 3);
  const auto four_times = compute_precision_recall(real, generated.repeat({4, 1}), 3);
  // A second draw of the same distribution covers what theory says: 1 - (59 x 58 x 57) / (119 x 118 x 117) = 0.88.
  EXPECT_NEAR(expected_coverage(60, 60, 3), 1 - 59.0 * 58 * 57 / (119.0 * 118 * 117), 1e-12);
  EXPECT_NEAR(once.coverage, expected_coverage(60, 60, 3), 0.1);
  EXPECT_NEAR(once.density, 1.0, 0.35);
  EXPECT_DOUBLE_EQ(four_times.coverage, once.coverage);
  EXPECT_NEAR(four_times.density, once.density, 1e-12);
  EXPECT_DOUBLE_EQ(four_times.precision, once.precision);
  // Each point now has 3 exact copies, so its k = 3 radius is 0 and recall collapses.
  EXPECT_GT(once.recall, 0.5);
  EXPECT_EQ(four_times.recall, 0.0);
  // A generator collapsed onto one real point covers at most that point's neighbourhood.
  const auto collapsed = compute_precision_recall(real, real[0].unsqueeze(0).repeat({60, 1}), 3);
  EXPECT_LE(collapsed.coverage, 4.0 / 60);
}

TEST(RecallAtRealCount, ChunksOfTheRealCountAndARealVersusRealReference) {
  torch::manual_seed(12);
  const auto real = torch::randn({60, 4}, torch::kFloat64);
  // The real points themselves, twice and a few more: two whole chunks of 60 (the 5 left over are not scored),
  // each the real set itself, so every real point lies on a generated one and recall is exactly 1.
  const auto copies = compute_recall_at_real_count(real, torch::cat({real, real, real.narrow(0, 0, 5)}), 3);
  EXPECT_EQ(copies.chunks, 2);
  EXPECT_DOUBLE_EQ(copies.recall, 1.0);

  // A second draw of the same distribution: like-for-like with the real halves, and far above a generator that
  // draws 600 points around only 3 of the real ones.
  const auto same = compute_recall_at_real_count(real, torch::randn({600, 4}, torch::kFloat64), 3);
  EXPECT_EQ(same.chunks, 10);
  EXPECT_GT(same.halves_real, 0.5);
  EXPECT_NEAR(same.halves_generated, same.halves_real, 0.15);
  EXPECT_NEAR(same.recall, compute_precision_recall(real, torch::randn({60, 4}, torch::kFloat64), 3).recall, 0.2);
  const auto few_modes = real.narrow(0, 0, 3).repeat({200, 1}) + 0.05 * torch::randn({600, 4}, torch::kFloat64);
  const auto narrow = compute_recall_at_real_count(real, few_modes, 3);
  EXPECT_LT(narrow.recall, 0.2);
  EXPECT_LT(narrow.halves_generated, 0.2);
  EXPECT_DOUBLE_EQ(narrow.halves_real, same.halves_real);  // the reference depends on the real set only

  // Fewer generated points than real ones, or halves with no more than k points, are errors that say so.
  EXPECT_THROW(compute_recall_at_real_count(real, real.narrow(0, 0, 59), 3), osgan::Error);
  EXPECT_THROW(compute_recall_at_real_count(real.narrow(0, 0, 7), real, 3), osgan::Error);
}
