// The modes of a set of brain slices: k-means clusters in the mode feature space (mode_features.h), which keeps
// contrast and plane. Fitted on the real training images of one class (or, for the audit, of all classes), saved
// with the run as JSON, and used to assign any image, real or synthetic, to its nearest mode.
//
// Standardisation: each feature is centred on its median over the fitted images and divided by its IQR / 1.349
// (the standard deviation for normal data; the standard deviation itself where the IQR is 0, 1 for a constant
// feature), clipped to [-3, 3] so a few extreme slices cannot stretch a mode, then multiplied by its weight
// (mode_feature_weights()). Distances are Euclidean in those units.
// The rule for k (kmeans.h): the smallest k in 3..8 whose mean silhouette is within 0.02 of the best. k = 2 is left
// out: on the real slices it has the best silhouette in both classes, but it only splits bright-CSF T2 from all the
// rest and hides T1, FLAIR and CT inside one mode. The silhouettes of every k tried are saved with the model.
//
//   ModeModel model = fit_mode_model(real_images);   // images (S, S) in [-1, 1]
//   save_mode_model("modes.json", model);
//   std::vector<int> modes = assign_modes(model, synthetic_images);
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osgan/data/kmeans.h"
#include "osgan/io/image.h"

namespace osgan::data {

struct ModeFitOptions {
  KRule rule{/*k_min=*/3, /*k_max=*/8, /*tie=*/0.02};
  KMeansOptions kmeans;
};

struct ModeModel {
  int feature_size = 0;                    // resolution the features are computed at (kModeFeatureSize)
  std::vector<std::string> feature_names;  // (D)
  std::vector<double> centre, scale;       // (D): the standardisation, from the fitted images
  std::vector<double> weights;             // (D): applied after standardising and clipping
  double clip = 3.0;
  Points centres;                          // (k, D), in standardised, weighted units; mode 0 is the largest
  std::vector<int> counts;                 // (k): fitted images nearest to each centre
  std::string k_rule;                      // the rule, in words
  std::vector<int> k_candidates;           // the k tried
  std::vector<double> silhouettes;         // their mean silhouettes

  int k() const { return static_cast<int>(centres.size()); }
  std::vector<double> shares() const;      // (k): counts / total
};

// images: at least 3, each (H, W) >= 16x16 in [-1, 1]. Throws osgan::Error otherwise.
ModeModel fit_mode_model(const std::vector<io::Image>& images, const ModeFitOptions& options = {});
// The same on raw features (N, D) named `feature_names` with these weights (for tests, and for callers that have them).
ModeModel fit_mode_model_on_features(const Points& features, const std::vector<std::string>& feature_names,
                                     const std::vector<double>& weights, const ModeFitOptions& options = {});

// Mode of each image (N) / of one raw feature row.
std::vector<int> assign_modes(const ModeModel& model, const std::vector<io::Image>& images);
int nearest_mode(const ModeModel& model, const std::vector<double>& raw_features);

// (k): how many of `modes` fall in each mode, and the shares (all 0 for an empty list).
std::vector<int> mode_counts(const std::vector<int>& modes, int k);
std::vector<double> mode_shares(const std::vector<int>& modes, int k);

// JSON {"format": "osgan-mode-model", "version": 1, ...}. Loading checks the format, the version, the sizes and that
// the feature names match this build's (a model of other features cannot assign new images); each failure is one
// osgan::Error(bad_format) naming `source` (the file), what was expected, what was found and what to do.
nlohmann::json mode_model_to_json(const ModeModel& model);
// How the modes were chosen, for the reports that show them: feature_size, k, k_rule, k_candidates, silhouettes.
nlohmann::json mode_choice_to_json(const ModeModel& model);
ModeModel mode_model_from_json(const nlohmann::json& j, const std::string& source);
void save_mode_model(const std::filesystem::path& path, const ModeModel& model);  // atomic
ModeModel load_mode_model(const std::filesystem::path& path);

}  // namespace osgan::data
