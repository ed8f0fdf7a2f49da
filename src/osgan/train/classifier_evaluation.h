// Evaluating a trained classifier on labelled images: probabilities, the metric report with intervals, and a
// per-image predictions CSV (id, source, label, probability, predicted).
#pragma once
#include <filesystem>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "osgan/metrics/classification.h"
#include "osgan/train/classifier_checkpoint.h"
#include "osgan/train/classifier_data.h"

namespace osgan {

struct ClassifierEvaluation {
  torch::Tensor probabilities;  // (N) float64, P(positive)
  metrics::ClassificationReport report;
};

ClassifierEvaluation evaluate_classifier(models::Classifier& model, const LabelledImages& set, const torch::Device& device,
                                         const metrics::ClassificationOptions& options = {});

// Writes the CSV atomically; class names are written instead of 0/1.
// One CSV field: quoted (RFC 4180) when it holds a comma, a quote or a newline, as paths can.
std::string csv_field(const std::string& s);

void write_predictions_csv(const std::filesystem::path& path, const LabelledImages& set, const torch::Tensor& probabilities,
                           const std::string& positive_class, const std::string& negative_class, double threshold = 0.5);

// A short human summary: "accuracy 0.91 [0.85, 0.95]  AUC 0.97 [0.94, 0.99]  F1 ...".
std::string summarize(const metrics::ClassificationReport& report);

}  // namespace osgan
