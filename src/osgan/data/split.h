// A train/validation split of a Dataset, stratified by class, that keeps groups of near-duplicates (and the
// slices of one volume) on one side. Saved as JSON so every later stage uses exactly the same split.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "osgan/data/dataset.h"

namespace osgan::data {

enum class Side { train, val };

struct Split {
  std::uint64_t seed = 0;
  double val_fraction = 0.3;
  std::map<std::string, Side> side_of;            // Sample::id -> side
  std::map<std::string, std::string> label_of;    // Sample::id -> label (informational: counts in the file)
  std::vector<std::vector<std::string>> groups;   // ids kept together (size >= 2)
  std::vector<std::string> notes;                 // e.g. where a group moved the counts off the exact stratified ones
};

struct SplitOptions {
  double val_fraction = 0.3;  // per class, round(n * val_fraction) samples go to validation
  std::uint64_t seed = 0;
};

// Stratified split: per class, round(n * val_fraction) samples to validation. Samples of one file (slices) and
// samples joined by `linked` id pairs (exact/near duplicates, see audit.h linked_ids) form groups (union-find)
// that never straddle the sides. Groups are placed first (each to validation with probability val_fraction
// while it fits), then single samples fill the exact per-class counts; where groups make that impossible, the
// counts move and Split::notes says so. Deterministic for a seed on every platform.
Split make_split(const Dataset& dataset, const SplitOptions& options,
                 const std::vector<std::pair<std::string, std::string>>& linked = {});

const char* to_string(Side side);

// Reads a split written by write_split; throws osgan::Error naming the file on anything malformed.
Split read_split(const std::filesystem::path& path);
void write_split(const std::filesystem::path& path, const Split& split);  // atomic

// Indices of the dataset samples on `side` (optionally only of class `label`). Throws osgan::Error when a sample
// of the dataset is not in the split (the split was made for another dataset).
std::vector<std::size_t> select_samples(const Dataset& dataset, const Split& split, Side side,
                                        const std::string& label = "");

}  // namespace osgan::data
