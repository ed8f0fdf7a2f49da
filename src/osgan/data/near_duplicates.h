// Near-duplicate search: pairs of images that are resized, cropped/zoomed, shifted, flipped, rotated or
// contrast-changed copies of each other. A perceptual hash over the 8 symmetries of the square proposes
// candidate pairs; normalized cross-correlation (NCC) of 32x32 thumbnails, maximised over the symmetries and a
// small grid of zooms and shifts, confirms them. NCC ignores brightness and contrast (affine intensity).
//
//   auto pairs = find_near_duplicates(dataset.samples, {});  // confirmed pairs, best score first
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "osgan/data/dataset.h"
#include "osgan/data/dihedral.h"

namespace osgan::data {

struct NearDuplicateOptions {
  double min_correlation = 0.95;   // confirmed when the best NCC at 32x32 reaches this
  int max_hash_distance = 24;      // candidate when the pHash Hamming distance (best symmetry) is at most this
  std::vector<double> zooms = {1.0 / 1.25, 1.0 / 1.12, 1.0, 1.12, 1.25};  // scale of b relative to a
  int max_shift = 3;               // shifts of b, in 32x32 thumbnail pixels, each way
  double refine_margin = 0.25;     // align zoom/shift only when the best plain NCC is within this of the threshold
  bool exhaustive = false;         // compare every pair instead of pHash candidates (slow; the test oracle)
};

// How b was mapped onto a for the best score: b' = shift(zoom(symmetry(b))).
struct Alignment {
  Dihedral symmetry;
  double zoom = 1.0;     // < 1: b is a zoomed-in (cropped) view of a; > 1: a is a zoomed-in view of b
  double shift_y = 0.0;  // in fractions of the image side
  double shift_x = 0.0;
};

struct NearDuplicatePair {
  std::size_t a = 0, b = 0;  // indices into the samples, a < b
  double correlation = 0.0;  // best NCC found, in [-1, 1]
  int hash_distance = 0;     // pHash Hamming distance under the best symmetry
  Alignment alignment;
};

// Low-resolution view of one image used for matching: a 64x64 thumbnail (bilinear sampling source), its
// 8 pHashes, and its 8 symmetric 32x32 grids (zero mean, unit norm) for the cheap first comparison.
struct MatchSignature {
  std::vector<float> thumbnail;                 // (64, 64)
  std::uint64_t hashes[kDihedralCount] = {};
  std::vector<float> grids[kDihedralCount];     // each (32, 32)
};

constexpr int kMatchSource = 64;  // thumbnail side that the 32x32 comparison grids are sampled from
constexpr int kMatchGrid = 32;    // NCC is computed on kMatchGrid x kMatchGrid samples

MatchSignature compute_match_signature(const io::Image& image);

// Best NCC of b onto a over the symmetries, zooms and shifts in `options`; fills `best` with the alignment.
double best_correlation(const MatchSignature& a, const MatchSignature& b, const NearDuplicateOptions& options,
                        Alignment* best = nullptr);

// All pairs with best_correlation >= options.min_correlation, sorted by decreasing correlation.
std::vector<NearDuplicatePair> find_near_duplicates(const std::vector<Sample>& samples,
                                                    const NearDuplicateOptions& options = {});

// Same, on precomputed signatures (one per sample).
std::vector<NearDuplicatePair> find_near_duplicates(const std::vector<MatchSignature>& signatures,
                                                    const NearDuplicateOptions& options = {});

}  // namespace osgan::data
