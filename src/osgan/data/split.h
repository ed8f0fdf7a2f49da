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
  std::vector<std::vector<std::string>> groups;   // ids kept together (size >= 2)
  std::vector<std::string> notes;                 // e.g. where a group moved the counts off the exact stratified ones
};

// Reads a split written by write_split; throws osgan::Error naming the file on anything malformed.
Split read_split(const std::filesystem::path& path);
void write_split(const std::filesystem::path& path, const Split& split);  // atomic

// Indices of the dataset samples on `side` (optionally only of class `label`). Throws osgan::Error when a sample
// of the dataset is not in the split (the split was made for another dataset).
std::vector<std::size_t> select_samples(const Dataset& dataset, const Split& split, Side side,
                                        const std::string& label = "");

}  // namespace osgan::data
