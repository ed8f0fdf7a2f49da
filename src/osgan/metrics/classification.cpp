// Classification metrics. The AUC is computed from ranks (average ranks for ties), which equals the trapezoid
// area under the ROC curve built by compute_roc_curve; the unit tests check both.
#include "osgan/metrics/classification.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "osgan/core/error.h"

namespace osgan::metrics {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_inputs(const std::vector<double>& p, const std::vector<int>& labels, const char* what, bool probabilities) {
  if (p.size() != labels.size())
    fail(ErrorCode::invalid_argument, std::string(what) + ": expected as many labels as scores, got " +
         std::to_string(labels.size()) + " labels and " + std::to_string(p.size()) + " scores");
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1)
      fail(ErrorCode::invalid_argument, std::string(what) + ": expected labels 0 or 1, got " + std::to_string(labels[i]) +
           " at index " + std::to_string(i));
    if (!std::isfinite(p[i]) || (probabilities && (p[i] < 0 || p[i] > 1)))
      fail(ErrorCode::invalid_argument, std::string(what) + ": expected " + (probabilities ? "probabilities in [0, 1]" : "finite scores") +
           ", got " + std::to_string(p[i]) + " at index " + std::to_string(i));
  }
}

double quantile_sorted(const std::vector<double>& sorted, double q) {  // linear interpolation (numpy default)
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
nlohmann::json to_json(const Interval& i) { return nlohmann::json::array({number(i.low), number(i.high)}); }
nlohmann::json to_json(const Proportion& p) {
  return {{"value", number(p.value)}, {"ci", to_json(p.ci)}, {"numerator", p.numerator}, {"denominator", p.denominator}};
}
}  // namespace

double normal_quantile_two_sided(double confidence) {
  if (!(confidence > 0 && confidence < 1))
    fail(ErrorCode::invalid_argument, "confidence: expected a value in (0, 1), got " + std::to_string(confidence));
  // Invert erf by bisection: P(|Z| <= z) = erf(z / sqrt 2).
  double lo = 0, hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (std::erf(mid / std::sqrt(2.0)) < confidence ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

ConfusionMatrix compute_confusion_matrix(const std::vector<double>& p, const std::vector<int>& labels, double threshold) {
  check_inputs(p, labels, "confusion matrix", true);
  ConfusionMatrix cm;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const bool predicted = p[i] >= threshold;
    if (labels[i] == 1) (predicted ? cm.tp : cm.fn)++;
    else (predicted ? cm.fp : cm.tn)++;
  }
  return cm;
}

Interval wilson_interval(int64_t k, int64_t n, double confidence) {
  if (k < 0 || n < 0 || k > n)
    fail(ErrorCode::invalid_argument, "wilson_interval: expected 0 <= successes <= trials, got " + std::to_string(k) +
         "/" + std::to_string(n));
  if (n == 0) return {0, 1};
  const double z = normal_quantile_two_sided(confidence), z2 = z * z, nn = static_cast<double>(n);
  const double p = static_cast<double>(k) / nn;
  const double denom = 1 + z2 / nn;
  const double centre = (p + z2 / (2 * nn)) / denom;
  const double half = z / denom * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  // At k = 0 (k = n) the bound is exactly 0 (1); avoid round-off like 2.8e-17 there.
  return {k == 0 ? 0.0 : std::max(0.0, centre - half), k == n ? 1.0 : std::min(1.0, centre + half)};
}

Proportion make_proportion(int64_t k, int64_t n, double confidence) {
  return {n > 0 ? static_cast<double>(k) / static_cast<double>(n) : kNaN, wilson_interval(k, n, confidence), k, n};
}

double compute_f1(const ConfusionMatrix& cm) {
  const int64_t denom = 2 * cm.tp + cm.fp + cm.fn;
  return denom > 0 ? 2.0 * static_cast<double>(cm.tp) / static_cast<double>(denom) : kNaN;
}

double compute_roc_auc(const std::vector<double>& scores, const std::vector<int>& labels) {
  check_inputs(scores, labels, "roc auc", false);
  const std::size_t n = scores.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return scores[a] < scores[b]; });
  // Average 1-based ranks over ties; AUC = (sum of positive ranks - P(P+1)/2) / (P N).
  double rank_sum = 0;
  int64_t pos = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) ++j;
    const double avg_rank = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k)
      if (labels[order[k]] == 1) { rank_sum += avg_rank; ++pos; }
    i = j + 1;
  }
  const auto neg = static_cast<int64_t>(n) - pos;
  if (pos == 0 || neg == 0) return kNaN;
  return (rank_sum - 0.5 * static_cast<double>(pos) * static_cast<double>(pos + 1)) /
         (static_cast<double>(pos) * static_cast<double>(neg));
}

RocCurve compute_roc_curve(const std::vector<double>& scores, const std::vector<int>& labels) {
  check_inputs(scores, labels, "roc curve", false);
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return scores[a] > scores[b]; });
  const auto pos = std::count(labels.begin(), labels.end(), 1);
  const auto neg = static_cast<int64_t>(labels.size()) - pos;
  RocCurve roc;
  roc.fpr.push_back(0);
  roc.tpr.push_back(0);
  roc.thresholds.push_back(std::numeric_limits<double>::infinity());
  int64_t tp = 0, fp = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    (labels[order[i]] == 1 ? tp : fp)++;
    if (i + 1 < order.size() && scores[order[i + 1]] == scores[order[i]]) continue;  // one point per distinct score
    roc.fpr.push_back(neg > 0 ? static_cast<double>(fp) / static_cast<double>(neg) : kNaN);
    roc.tpr.push_back(pos > 0 ? static_cast<double>(tp) / static_cast<double>(pos) : kNaN);
    roc.thresholds.push_back(scores[order[i]]);
  }
  return roc;
}

double compute_log_loss(const std::vector<double>& p, const std::vector<int>& labels, double eps) {
  check_inputs(p, labels, "log loss", true);
  if (p.empty()) return kNaN;
  double sum = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double q = std::clamp(p[i], eps, 1 - eps);
    sum -= labels[i] == 1 ? std::log(q) : std::log(1 - q);
  }
  return sum / static_cast<double>(p.size());
}

Interval bootstrap_interval(std::size_t n, const std::function<double(const std::vector<std::size_t>&)>& statistic,
                            int resamples, std::uint64_t seed, double confidence) {
  if (n == 0 || resamples <= 0) return {kNaN, kNaN};
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(resamples));
  std::vector<std::size_t> idx(n);
  for (int r = 0; r < resamples; ++r) {
    for (auto& i : idx) i = pick(rng);
    const double v = statistic(idx);
    if (std::isfinite(v)) values.push_back(v);
  }
  if (values.empty()) return {kNaN, kNaN};
  std::sort(values.begin(), values.end());
  const double alpha = 1 - confidence;
  return {quantile_sorted(values, alpha / 2), quantile_sorted(values, 1 - alpha / 2)};
}

ClassificationReport compute_classification_report(const std::vector<double>& p, const std::vector<int>& labels,
                                                   const ClassificationOptions& options) {
  ClassificationReport r;
  r.options = options;
  r.confusion = compute_confusion_matrix(p, labels, options.threshold);
  const auto& cm = r.confusion;
  r.count = static_cast<int64_t>(p.size());
  r.positives = cm.tp + cm.fn;
  r.negatives = cm.tn + cm.fp;
  r.accuracy = make_proportion(cm.tp + cm.tn, r.count, options.confidence);
  r.precision = make_proportion(cm.tp, cm.tp + cm.fp, options.confidence);
  r.recall = make_proportion(cm.tp, cm.tp + cm.fn, options.confidence);
  r.specificity = make_proportion(cm.tn, cm.tn + cm.fp, options.confidence);
  r.f1 = compute_f1(cm);
  r.auc = compute_roc_auc(p, labels);
  r.log_loss = compute_log_loss(p, labels);
  r.roc = compute_roc_curve(p, labels);

  std::vector<double> bp;
  std::vector<int> bl;
  auto resample = [&](const std::vector<std::size_t>& idx) {
    bp.resize(idx.size());
    bl.resize(idx.size());
    for (std::size_t i = 0; i < idx.size(); ++i) { bp[i] = p[idx[i]]; bl[i] = labels[idx[i]]; }
  };
  r.f1_ci = bootstrap_interval(p.size(), [&](const auto& idx) {
    resample(idx);
    return compute_f1(compute_confusion_matrix(bp, bl, options.threshold));
  }, options.bootstrap_resamples, options.seed, options.confidence);
  r.auc_ci = bootstrap_interval(p.size(), [&](const auto& idx) {
    resample(idx);
    return compute_roc_auc(bp, bl);
  }, options.bootstrap_resamples, options.seed, options.confidence);
  return r;
}

nlohmann::json to_json(const ClassificationReport& r) {
  nlohmann::json roc = {{"fpr", nlohmann::json::array()}, {"tpr", nlohmann::json::array()}, {"threshold", nlohmann::json::array()}};
  for (std::size_t i = 0; i < r.roc.fpr.size(); ++i) {
    roc["fpr"].push_back(number(r.roc.fpr[i]));
    roc["tpr"].push_back(number(r.roc.tpr[i]));
    roc["threshold"].push_back(std::isfinite(r.roc.thresholds[i]) ? nlohmann::json(r.roc.thresholds[i]) : nlohmann::json("inf"));
  }
  return {
      {"count", r.count}, {"positives", r.positives}, {"negatives", r.negatives},
      {"threshold", r.options.threshold}, {"confidence", r.options.confidence},
      {"confusion", {{"tp", r.confusion.tp}, {"fp", r.confusion.fp}, {"tn", r.confusion.tn}, {"fn", r.confusion.fn}}},
      {"accuracy", to_json(r.accuracy)}, {"precision", to_json(r.precision)}, {"recall", to_json(r.recall)},
      {"specificity", to_json(r.specificity)},
      {"f1", {{"value", number(r.f1)}, {"ci", to_json(r.f1_ci)}}},
      {"roc_auc", {{"value", number(r.auc)}, {"ci", to_json(r.auc_ci)}}},
      {"log_loss", number(r.log_loss)},
      {"interval_methods", {{"proportions", "Wilson score"},
                            {"f1_auc", "percentile bootstrap, " + std::to_string(r.options.bootstrap_resamples) +
                                       " resamples, seed " + std::to_string(r.options.seed)}}},
      {"roc_curve", roc}};
}

void ClassificationMetric::update(const torch::Tensor& probabilities, const torch::Tensor& labels) {
  auto p = probabilities.detach().to(torch::kCPU, torch::kFloat64).contiguous().view(-1);
  auto l = labels.detach().to(torch::kCPU, torch::kFloat64).contiguous().view(-1);
  TORCH_CHECK(p.numel() == l.numel(), "ClassificationMetric::update: ", p.numel(), " probabilities but ", l.numel(), " labels");
  for (int64_t i = 0; i < p.numel(); ++i) {
    probabilities_.push_back(p.data_ptr<double>()[i]);
    labels_.push_back(static_cast<int>(std::lround(l.data_ptr<double>()[i])));
  }
}

ClassificationReport ClassificationMetric::compute() const {
  return compute_classification_report(probabilities_, labels_, options_);
}

void ClassificationMetric::reset() {
  probabilities_.clear();
  labels_.clear();
}

}  // namespace osgan::metrics
