// Classifier evaluation and its outputs.
#include "osgan/train/classifier_evaluation.h"

#include <cstdio>
#include <sstream>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/train/classifier_trainer.h"

namespace osgan {

std::string csv_field(const std::string& s) {  // quote when needed (paths can hold commas)
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}
}  // namespace

ClassifierEvaluation evaluate_classifier(models::Classifier& model, const LabelledImages& set, const torch::Device& device,
                                         const metrics::ClassificationOptions& options) {
  if (set.size() == 0) fail(ErrorCode::invalid_argument, "evaluate: no images to evaluate");
  ClassifierEvaluation e;
  e.probabilities = predict_probabilities(model, set.images, device);
  metrics::ClassificationMetric metric(options);
  metric.update(e.probabilities, set.labels);
  e.report = metric.compute();
  return e;
}

void write_predictions_csv(const std::filesystem::path& path, const LabelledImages& set, const torch::Tensor& probabilities,
                           const std::string& positive_class, const std::string& negative_class, double threshold) {
  std::ostringstream out;
  out << "id,source,label,probability_" << positive_class << ",predicted\n";
  auto p = probabilities.to(torch::kFloat64).contiguous();
  for (int64_t i = 0; i < set.size(); ++i) {
    const double prob = p.data_ptr<double>()[i];
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", prob);
    out << csv_field(set.ids.at(static_cast<std::size_t>(i))) << "," << csv_field(set.sources.at(static_cast<std::size_t>(i)))
        << "," << (set.labels[i].item<float>() > 0.5f ? positive_class : negative_class) << "," << buf << ","
        << (prob >= threshold ? positive_class : negative_class) << "\n";
  }
  write_text_atomically(path, out.str());
}

std::string summarize(const metrics::ClassificationReport& r) {
  auto ci = [](const metrics::Interval& i) { return "[" + fmt(i.low) + ", " + fmt(i.high) + "]"; };
  return "n " + std::to_string(r.count) + " (" + std::to_string(r.positives) + " positive)  accuracy " +
         fmt(r.accuracy.value) + " " + ci(r.accuracy.ci) + "  sensitivity " + fmt(r.recall.value) + " " +
         ci(r.recall.ci) + "  specificity " + fmt(r.specificity.value) + " " + ci(r.specificity.ci) + "  F1 " +
         fmt(r.f1) + " " + ci(r.f1_ci) + "  AUC " + fmt(r.auc) + " " + ci(r.auc_ci);
}

}  // namespace osgan
