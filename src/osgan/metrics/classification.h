// Binary classification metrics with their uncertainty: confusion matrix, accuracy, precision, recall
// (sensitivity), specificity with Wilson score intervals (Wilson 1927); F1 and ROC AUC (Hanley & McNeil 1982,
// the Mann-Whitney statistic, ties count one half) with seeded percentile-bootstrap intervals (Efron 1979);
// log loss. A proportion with an empty denominator is NaN (written as null in JSON), never a division by zero.
//
//   ClassificationMetric metric;  metric.update(probabilities, labels);  auto report = metric.compute();
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace osgan::metrics {

struct Interval {
  double low = 0, high = 0;
};

struct ConfusionMatrix {
  int64_t tp = 0, fp = 0, tn = 0, fn = 0;
};

// A proportion k/n with its Wilson interval; value NaN and interval [0, 1] when n = 0.
struct Proportion {
  double value = 0;
  Interval ci;
  int64_t numerator = 0, denominator = 0;
};

struct RocCurve {
  std::vector<double> fpr, tpr, thresholds;  // from (0, 0) at threshold +inf to (1, 1); one point per distinct score
};

struct ClassificationOptions {
  double threshold = 0.5;           // predicted positive when probability >= threshold
  double confidence = 0.95;         // of every interval
  int bootstrap_resamples = 2000;   // for the F1 and AUC intervals (0 disables them)
  std::uint64_t seed = 1;           // of the bootstrap: same seed, same interval
};

struct ClassificationReport {
  std::int64_t count = 0, positives = 0, negatives = 0;
  ConfusionMatrix confusion;
  Proportion accuracy, precision, recall, specificity;
  double f1 = 0;
  Interval f1_ci;
  double auc = 0;  // NaN when one class is absent
  Interval auc_ci;
  double log_loss = 0;
  RocCurve roc;
  ClassificationOptions options;
};

// labels: 1 = positive, 0 = negative; probabilities in [0, 1]. Throws osgan::Error on mismatched sizes or
// values outside those ranges.
ConfusionMatrix compute_confusion_matrix(const std::vector<double>& probabilities, const std::vector<int>& labels,
                                         double threshold = 0.5);
Interval wilson_interval(int64_t successes, int64_t trials, double confidence = 0.95);
Proportion make_proportion(int64_t successes, int64_t trials, double confidence = 0.95);
double compute_f1(const ConfusionMatrix& cm);  // 2TP / (2TP + FP + FN); NaN when that is 0/0
double compute_roc_auc(const std::vector<double>& scores, const std::vector<int>& labels);
RocCurve compute_roc_curve(const std::vector<double>& scores, const std::vector<int>& labels);
double compute_log_loss(const std::vector<double>& probabilities, const std::vector<int>& labels, double eps = 1e-7);

// Percentile bootstrap: `statistic` gets the resampled indices (n of them, drawn with replacement); NaN results
// (e.g. AUC of a one-class resample) are dropped. Deterministic for a seed.
Interval bootstrap_interval(std::size_t n, const std::function<double(const std::vector<std::size_t>&)>& statistic,
                            int resamples, std::uint64_t seed, double confidence = 0.95);

ClassificationReport compute_classification_report(const std::vector<double>& probabilities,
                                                   const std::vector<int>& labels,
                                                   const ClassificationOptions& options = {});

nlohmann::json to_json(const ClassificationReport& report);

// Accumulates batches, computes the report on all of them.
class ClassificationMetric {
 public:
  explicit ClassificationMetric(ClassificationOptions options = {}) : options_(options) {}
  void update(const torch::Tensor& probabilities, const torch::Tensor& labels);  // (N), (N)
  ClassificationReport compute() const;
  void reset();

 private:
  ClassificationOptions options_;
  std::vector<double> probabilities_;
  std::vector<int> labels_;
};

// The two-sided standard normal quantile for a confidence level (0.95 -> 1.959964).
double normal_quantile_two_sided(double confidence);

}  // namespace osgan::metrics
