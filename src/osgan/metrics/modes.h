// Mode coverage of a generated set: the real images of a class are clustered into modes that keep contrast and
// plane (data/mode_model.h: T2, FLAIR, T1 with contrast, CT, coronal ...), each generated image is assigned to its
// nearest mode, and the two sets' shares per mode are compared. A GAN that draws one contrast in one plane scores
// well in the classifier's domain feature space, which is built to be blind to contrast; here it misses modes.
//
// A mode is missed when it holds at least 5% of the real images and gets less than half its real share among the
// generated ones (generated share < 0.5 x real share).
//
//   ModeReport r = compute_mode_report(real, generated, {});  // real (M, 1, S, S), generated (N, 1, S, S) in [-1, 1]
//   r.coverage.missed_modes;                                   // 0 for a generator that draws every mode
//   io::write_png_grey8("modes.png", make_mode_grid(real, r.real_modes, generated, r.generated_modes, r.model.k()));
#pragma once
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "osgan/data/mode_model.h"
#include "osgan/io/image.h"

namespace osgan::metrics {

struct ModeReportOptions {
  data::ModeFitOptions fit;
  double missed_min_real_share = 0.05;  // only modes with at least this share of the real images can be missed
  double missed_share_ratio = 0.5;      // ... when their generated share is below this times their real share
};

// Per mode (k of each), real against generated.
struct ModeCoverage {
  std::vector<int> real_counts, generated_counts;
  std::vector<double> real_shares, generated_shares;
  std::vector<bool> missed;
  int missed_modes = 0;
};

// The comparison on given shares (each (k), summing to 1 or all 0).
std::vector<bool> find_missed_modes(const std::vector<double>& real_shares, const std::vector<double>& generated_shares,
                                    const ModeReportOptions& options = {});
// The comparison on the modes of each image (values in 0..k-1).
ModeCoverage compare_modes(const std::vector<int>& real_modes, const std::vector<int>& generated_modes, int k,
                           const ModeReportOptions& options = {});

struct ModeReport {
  data::ModeModel model;  // fitted on the real images
  std::vector<int> real_modes, generated_modes;
  ModeCoverage coverage;
  // The instrument's own check when the generated images are smaller than the real ones: the real images shrunk to
  // the generated size (area average) and assigned again; the share that keeps its mode. Near 1: the modes can be
  // told apart at the generator's resolution; low: a generated image's mode is partly a guess. -1 when the sizes agree.
  int generated_size = 0;
  double real_agreement_at_generated_size = -1;
};

// real (M, 1, S, S) with M >= 4, generated (N, 1, S', S') with N >= 1, both in [-1, 1]. Fit on the real images at
// their own size: with S' < S, the modes are those of the sharper images, and real_agreement_at_generated_size says
// how well images of size S' can be assigned to them.
ModeReport compute_mode_report(const torch::Tensor& real, const torch::Tensor& generated,
                               const ModeReportOptions& options = {});

// {"k", "k_rule", "k_candidates", "silhouettes", "feature_space", "feature_size", "missed_rule", "missed_modes",
//  "modes": [{"mode", "real_count", "real_share", "generated_count", "generated_share", "missed"}, ...]}
nlohmann::json to_json(const ModeReport& report, const ModeReportOptions& options = {});

// One row per mode: up to `per_side` real images of the mode (spread over its members), a gap, then up to `per_side`
// generated ones, each shrunk to at most `tile` pixels high (smaller ones enlarged by a whole factor, nearest neighbour); rows are separated by a grey line. A mode with no generated image shows an empty (black) right side;
// an undefined or empty `generated` gives the real side only. Returns a grey 0..255 image (io::write_png_grey8).
io::Image make_mode_grid(const torch::Tensor& real, const std::vector<int>& real_modes, const torch::Tensor& generated,
                         const std::vector<int>& generated_modes, int k, int per_side = 6, int tile = 64);

}  // namespace osgan::metrics
