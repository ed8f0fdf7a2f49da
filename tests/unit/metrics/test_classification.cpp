// Classification metrics against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>

#include "osgan/core/error.h"
#include "osgan/metrics/classification.h"

using namespace osgan::metrics;

TEST(Wilson, ZeroOfTenMatchesTheClosedForm) {
  // p = 0: [0, z^2/(n + z^2)] = [0, 3.8415 / 13.8415] = [0, 0.2775].
  auto ci = wilson_interval(0, 10);
  EXPECT_DOUBLE_EQ(ci.low, 0.0);
  EXPECT_NEAR(ci.high, 0.277533, 1e-6);
}

TEST(Wilson, HalfIsSymmetricAroundOneHalf) {
  auto ci = wilson_interval(5, 10);
  EXPECT_NEAR(ci.low, 0.236593, 1e-6);
  EXPECT_NEAR(ci.high, 0.763407, 1e-6);
  auto ci8 = wilson_interval(8, 10);  // asymmetric: pulled towards 1/2
  EXPECT_NEAR(ci8.low, 0.490162, 1e-6);
  EXPECT_NEAR(ci8.high, 0.943318, 1e-6);
}

TEST(Wilson, EmptyDenominatorIsTheWholeRangeAndValueNaN) {
  auto p = make_proportion(0, 0);
  EXPECT_TRUE(std::isnan(p.value));
  EXPECT_EQ(p.ci.low, 0.0);
  EXPECT_EQ(p.ci.high, 1.0);
  EXPECT_THROW(wilson_interval(3, 2), osgan::Error);
}

TEST(NormalQuantile, KnownValues) {
  EXPECT_NEAR(normal_quantile_two_sided(0.95), 1.959964, 1e-6);
  EXPECT_NEAR(normal_quantile_two_sided(0.99), 2.575829, 1e-6);
}

TEST(Confusion, PrecisionRecallF1OnASmallConfusion) {
  // 5 positives (3 found), 5 negatives (1 false alarm): TP 3, FN 2, FP 1, TN 4.
  std::vector<double> p = {0.9, 0.8, 0.7, 0.4, 0.1, 0.6, 0.3, 0.2, 0.1, 0.0};
  std::vector<int> y = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
  ClassificationOptions options;
  options.bootstrap_resamples = 200;
  auto r = compute_classification_report(p, y, options);
  EXPECT_EQ(r.confusion.tp, 3);
  EXPECT_EQ(r.confusion.fn, 2);
  EXPECT_EQ(r.confusion.fp, 1);
  EXPECT_EQ(r.confusion.tn, 4);
  EXPECT_DOUBLE_EQ(r.accuracy.value, 0.7);
  EXPECT_DOUBLE_EQ(r.precision.value, 0.75);
  EXPECT_DOUBLE_EQ(r.recall.value, 0.6);
  EXPECT_DOUBLE_EQ(r.specificity.value, 0.8);
  EXPECT_NEAR(r.f1, 2.0 / 3.0, 1e-12);  // 2*3 / (6 + 1 + 2)
  // AUC by hand: of the 25 (pos, neg) pairs, the pos 0.4 loses to neg 0.6, the pos 0.1 loses to 0.6, 0.3, 0.2 and
  // ties with 0.1 (half): 25 - 1 - 3 - 0.5 = 20.5 -> 0.82.
  EXPECT_NEAR(r.auc, 0.82, 1e-12);
}

TEST(RocAuc, KnownRankingAndTies) {
  EXPECT_NEAR(compute_roc_auc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 0.75, 1e-12);
  EXPECT_NEAR(compute_roc_auc({0.5, 0.5}, {0, 1}), 0.5, 1e-12);
  EXPECT_NEAR(compute_roc_auc({0.1, 0.2, 0.3}, {0, 1, 1}), 1.0, 1e-12);
  EXPECT_NEAR(compute_roc_auc({0.3, 0.2, 0.1}, {0, 1, 1}), 0.0, 1e-12);
  EXPECT_TRUE(std::isnan(compute_roc_auc({0.1, 0.2}, {1, 1})));
}

TEST(RocCurve, TrapezoidAreaEqualsRankAuc) {
  std::vector<double> s = {0.9, 0.8, 0.8, 0.6, 0.55, 0.5, 0.5, 0.3, 0.2, 0.1};
  std::vector<int> y = {1, 1, 0, 1, 0, 1, 0, 0, 1, 0};
  auto roc = compute_roc_curve(s, y);
  ASSERT_EQ(roc.fpr.size(), roc.tpr.size());
  EXPECT_EQ(roc.fpr.front(), 0.0);
  EXPECT_EQ(roc.tpr.back(), 1.0);
  EXPECT_EQ(roc.fpr.back(), 1.0);
  EXPECT_EQ(roc.fpr.size(), 9u);  // (0,0) plus 8 distinct scores
  double area = 0;
  for (std::size_t i = 1; i < roc.fpr.size(); ++i)
    area += (roc.fpr[i] - roc.fpr[i - 1]) * 0.5 * (roc.tpr[i] + roc.tpr[i - 1]);
  EXPECT_NEAR(area, compute_roc_auc(s, y), 1e-12);
}

TEST(LogLoss, HandValue) {
  // -(ln 0.8 + ln 0.6) / 2
  EXPECT_NEAR(compute_log_loss({0.8, 0.4}, {1, 0}), -(std::log(0.8) + std::log(0.6)) / 2, 1e-12);
  EXPECT_THROW(compute_log_loss({1.5}, {1}), osgan::Error);
  EXPECT_THROW(compute_log_loss({0.5, 0.5}, {1}), osgan::Error);
}

TEST(Bootstrap, ContainsThePointEstimateAndIsDeterministicForASeed) {
  std::vector<double> p;
  std::vector<int> y;
  for (int i = 0; i < 60; ++i) {
    y.push_back(i % 2);
    p.push_back(std::fmod(0.37 * i + 0.2 * (i % 2), 1.0));
  }
  ClassificationOptions options;
  options.seed = 7;
  auto a = compute_classification_report(p, y, options);
  auto b = compute_classification_report(p, y, options);
  EXPECT_EQ(a.auc_ci.low, b.auc_ci.low);
  EXPECT_EQ(a.auc_ci.high, b.auc_ci.high);
  EXPECT_EQ(a.f1_ci.low, b.f1_ci.low);
  EXPECT_LE(a.auc_ci.low, a.auc);
  EXPECT_GE(a.auc_ci.high, a.auc);
  EXPECT_LE(a.f1_ci.low, a.f1);
  EXPECT_GE(a.f1_ci.high, a.f1);
  EXPECT_LT(a.auc_ci.low, a.auc_ci.high);  // a real interval, not a point
  options.seed = 8;
  auto c = compute_classification_report(p, y, options);
  EXPECT_NE(a.auc_ci.low, c.auc_ci.low);
}

TEST(ClassificationMetric, BatchesEqualOneCall) {
  ClassificationMetric metric;
  metric.update(torch::tensor({0.9, 0.2}), torch::tensor({1, 0}));
  metric.update(torch::tensor({0.4}), torch::tensor({1}));
  auto r = metric.compute();
  EXPECT_EQ(r.count, 3);
  EXPECT_EQ(r.confusion.tp, 1);
  EXPECT_EQ(r.confusion.fn, 1);
  EXPECT_EQ(r.confusion.tn, 1);
  auto j = to_json(r);
  EXPECT_EQ(j["confusion"]["tp"], 1);
  EXPECT_TRUE(j["precision"]["value"].is_number());
  metric.reset();
  metric.update(torch::tensor({0.1}), torch::tensor({0}));
  auto r0 = metric.compute();
  EXPECT_TRUE(to_json(r0)["precision"]["value"].is_null());  // 0/0 precision is null, not a number
}
