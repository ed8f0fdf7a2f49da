// Training a binary classifier (models::Classifier) on any mix of real and synthetic images, with classical
// augmentation, Adam or SGD, a cosine/step learning-rate schedule, and optional early stopping on a held-out
// part of the TRAINING images (never the validation side, which only evaluate ever sees).
//
//   ClassifierTrainOptions opt;  opt.model.arch = "resnet18";  opt.model.width = 0.25;  opt.model.image_size = 64;
//   auto result = train_classifier(opt, train_set);  auto p = predict_probabilities(result.model, images, device);
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "osgan/models/classifiers/classifier.h"
#include "osgan/train/classifier_augment.h"
#include "osgan/train/classifier_data.h"

namespace osgan {

struct ClassifierTrainOptions {
  models::ClassifierConfig model;
  int epochs = 10;
  int batch_size = 32;
  std::string optimizer = "adam";  // "adam" or "sgd" (momentum 0.9, Nesterov)
  double lr = 1e-3;
  double weight_decay = 1e-4;
  std::string schedule = "cosine"; // "cosine", "step" (x gamma every step_epochs) or "none"
  int step_epochs = 10;
  double gamma = 0.1;
  ClassifierAugmentOptions augment;
  bool balance_classes = true;     // weight the BCE so both classes count equally (real data is imbalanced)
  double early_stopping_fraction = 0;  // > 0: hold out this share of the training images, keep the best epoch
  int patience = 5;                // epochs without improvement of the held-out loss before stopping
  std::string device = "cpu";
  std::uint64_t seed = 1;
};

nlohmann::json to_json(const ClassifierTrainOptions& options);

struct ClassifierEpoch {
  int epoch = 0;
  double lr = 0;
  double train_loss = 0;
  double holdout_loss = std::nan("");  // NaN without early stopping
  double holdout_accuracy = std::nan("");
};

struct ClassifierTrainResult {
  models::Classifier model{nullptr};  // in eval mode; the best epoch's weights with early stopping
  std::vector<ClassifierEpoch> history;
  int best_epoch = 0;                 // 1-based; the last epoch without early stopping
  bool stopped_early = false;
  int64_t train_count = 0, holdout_count = 0;
};

// Trains on `train` (labels 0/1; both classes must be present). Throws osgan::Error on bad options, a one-class
// training set, or a NaN/inf loss (with the epoch and step). Deterministic for a seed on the CPU.
ClassifierTrainResult train_classifier(const ClassifierTrainOptions& options, const LabelledImages& train);

// P(positive) per image: images (N, 1, S, S) -> (N) float64 on the CPU. Eval mode, no grad, batched.
torch::Tensor predict_probabilities(models::Classifier& model, const torch::Tensor& images,
                                    const torch::Device& device, int batch_size = 64);

}  // namespace osgan
