// FID, KID and precision/recall from feature matrices, with known answers.
#include <gtest/gtest.h>

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

TEST(Kid, IdenticalSetsNearZeroShiftedSetsPositiveAndSeeded) {
  torch::manual_seed(3);
  auto x = torch::randn({60, 8}, torch::kFloat64);
  KidOptions o;
  o.subsets = 20;
  o.subset_size = 30;
  auto same = compute_kid(x, x, o);
  auto shifted = compute_kid(x, x + 1.0, o);
  EXPECT_LT(std::abs(same.mean), 0.05);
  EXPECT_GT(shifted.mean, 0.5);
  EXPECT_EQ(compute_kid(x, x + 1.0, o).mean, shifted.mean);  // same seed, same value
  // Whole-set unbiased MMD^2 of a set with itself: off-diagonal means minus the full cross mean, O(1/n).
  EXPECT_LT(std::abs(mmd2_unbiased(x, x)), 0.05);
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
