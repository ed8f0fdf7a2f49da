// All image-quality metrics of one generated set against the real images of the same class, as one JSON
// object: intensity histograms + W1, SSIM diversity (generated and real, for scale), memorisation, precision/recall
// and KID in the fixed structure feature space (4 or more images each) with precision, recall and coverage at equal
// counts beside the real-halves reference, the real images' modes (contrast and plane, modes.h) with the real and
// generated share of each and the missed modes, the near-twin shares (near_twins.h) of both sets at equal counts,
// and, when a feature model is given, FID, KID and precision/recall in that classifier's domain feature space
// (style-invariant: it cannot see contrast).
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "osgan/metrics/memorisation.h"
#include "osgan/metrics/modes.h"
#include "osgan/metrics/near_twins.h"
#include "osgan/models/classifiers/classifier.h"

namespace osgan::metrics {

struct ImageQualityOptions {
  int histogram_bins = 64;
  MemorisationOptions memorisation;  // includes the SSIM options used everywhere here
  int kid_subsets = 100;
  int pr_k = 3;
  std::uint64_t seed = 1;
  ModeReportOptions modes;
  NearTwinOptions near_twins;
  double near_twin_limit_ratio = 1.5;   // the bar: generated near-twin share at most this times the real one
  std::filesystem::path mode_model_path;  // when set, the real images' mode model is saved here (JSON)
  std::filesystem::path mode_grid_path;   // when set, the per-mode grid, real | generated, is written here (PNG)
  int mode_grid_per_side = 6;             // images per side and mode in that grid
  int mode_grid_tile = 64;                // tile height in pixels (larger images are shrunk)
  // The same real images at a higher resolution (M, 1, S2, S2), for the mode fit and the mode grid only: at 32 px the
  // mode features blur contrasts that 128 px keeps apart. Undefined: `real` itself.
  torch::Tensor real_for_modes;
  // The same generated images at that resolution, when they were drawn at it (a GAN with an upsampler): the mode
  // assignment and the mode grid then see their full detail. Undefined: `generated`, resized by the mode features.
  torch::Tensor generated_for_modes;
  // The same real and generated images at the feature model's input size, for the domain space only (a classifier
  // that reads 128 px images scores a GAN's 32 px ones). Undefined: `real` and `generated` themselves.
  torch::Tensor real_for_features, generated_for_features;
};

// real (M, 1, S, S), generated (N, 1, S, S), both in [-1, 1]. feature_model may be null (no FID/KID/PR).
nlohmann::json compute_image_quality_report(const torch::Tensor& real, const torch::Tensor& generated,
                                            models::Classifier* feature_model, const torch::Device& device,
                                            const ImageQualityOptions& options = {});

// The report as a few lines for a terminal: the headline numbers, the per-mode table, the near twins, the structure
// space at equal counts and the domain space, each labelled with what it can see.
std::string format_image_quality_summary(const nlohmann::json& report);

}  // namespace osgan::metrics
