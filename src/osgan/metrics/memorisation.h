// Memorisation check: for each generated image, its nearest real training image by SSIM (Wang et al. 2004),
// maximised over the 8 flips/rotations of the generated image (a GAN trained with flip augmentation can copy a
// mirrored training image). A high share of nearest-SSIM above a threshold (0.9) says the GAN copies.
#pragma once
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "osgan/metrics/ssim.h"

namespace osgan::metrics {

struct MemorisationOptions {
  SsimOptions ssim;
  double threshold = 0.9;   // nearest SSIM above this counts as a (near-)copy
  bool all_dihedral = true; // the 8 flips/rotations; false: identity and horizontal flip only
  int closest_pairs = 8;    // how many of the closest (generated, real) pairs to list
};

struct MemorisationPair {
  int64_t generated = 0, real = 0;  // indices into the two sets
  double ssim = 0;
  int transform = 0;  // 0-3: rot90 k times; 4-7: horizontal flip then rot90 (k - 4) times
};

struct MemorisationResult {
  std::vector<MemorisationPair> nearest;  // one per generated image
  std::vector<MemorisationPair> closest;  // the highest-SSIM pairs, best first
  double share_above_threshold = 0;
  double mean = 0, median = 0, p95 = 0, max = 0;  // of the nearest SSIMs
  MemorisationOptions options;
};

// generated (N, 1, S, S), real (M, 1, S, S); square images when all_dihedral.
MemorisationResult compute_memorisation(const torch::Tensor& generated, const torch::Tensor& real,
                                        const MemorisationOptions& options = {});

nlohmann::json to_json(const MemorisationResult& result);

}  // namespace osgan::metrics
