// Features for FID, KID and precision/recall from a classifier trained on the real training images: the
// backbone's globally pooled map (ClassifierImpl::features). A "domain feature space" standing in for Inception,
// whose ImageNet weights osgan cannot download; numbers are comparable only between runs with the same model.
#pragma once
#include <torch/torch.h>

#include "osgan/models/classifiers/classifier.h"

namespace osgan::metrics {

// images (N, 1, S, S) in [-1, 1] at the model's image size -> (N, C) float64 on the CPU (eval mode, no grad).
torch::Tensor extract_features(models::Classifier& model, const torch::Tensor& images, const torch::Device& device,
                               int batch_size = 64);

}  // namespace osgan::metrics
