// All image-quality metrics of one generated set against the real images of the same class, as one JSON
// object: intensity histograms + W1, SSIM diversity (generated and real, for scale), memorisation, precision/recall
// and KID in the fixed structure feature space (4 or more images each), and, when a feature model is given, FID,
// KID and precision/recall in that classifier's domain feature space.
#pragma once
#include <cstdint>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "osgan/metrics/memorisation.h"
#include "osgan/models/classifiers/classifier.h"

namespace osgan::metrics {

struct ImageQualityOptions {
  int histogram_bins = 64;
  MemorisationOptions memorisation;  // includes the SSIM options used everywhere here
  int kid_subsets = 100;
  int pr_k = 3;
  std::uint64_t seed = 1;
};

// real (M, 1, S, S), generated (N, 1, S, S), both in [-1, 1]. feature_model may be null (no FID/KID/PR).
nlohmann::json compute_image_quality_report(const torch::Tensor& real, const torch::Tensor& generated,
                                            models::Classifier* feature_model, const torch::Device& device,
                                            const ImageQualityOptions& options = {});

}  // namespace osgan::metrics
