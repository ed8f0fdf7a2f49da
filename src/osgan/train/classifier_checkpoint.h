// A trained classifier on disk: a folder with classifier.json (format "osgan-classifier", version, model config,
// class names, preprocessing) and model.pt (the registered parameters and buffers; names are the keys). A
// TorchScript backbone is copied in as backbone.pt so the folder is self-contained.
#pragma once
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "osgan/data/dataset.h"
#include "osgan/models/classifiers/classifier.h"

namespace osgan {

struct SavedClassifier {
  models::Classifier model{nullptr};
  models::ClassifierConfig config;
  std::string positive_class = "tumor", negative_class = "normal";
  data::PreprocessOptions preprocess;  // how images must be prepared for this model
  nlohmann::json extra;                // training options, sources, ... (informational)
};

constexpr int kClassifierFormatVersion = 1;

// Writes classifier.json and model.pt atomically into `folder` (created if needed).
void save_classifier(const std::filesystem::path& folder, const SavedClassifier& saved);

// Reads a folder written by save_classifier; throws osgan::Error naming the file on a missing or bad file, a
// wrong format name or a newer version.
SavedClassifier load_classifier(const std::filesystem::path& folder, const torch::Device& device);

}  // namespace osgan
