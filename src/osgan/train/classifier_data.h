// Labelled image sets for the classifier: real samples chosen from a Dataset (by split side), and synthetic
// image folders labelled by class. Everything is binary: label 1 = the positive class (default "tumor").
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "osgan/data/dataset.h"

namespace osgan {

struct LabelledImages {
  torch::Tensor images;              // (N, 1, S, S) float32 in [-1, 1]
  torch::Tensor labels;              // (N) float32, 1 = positive class
  std::vector<std::string> ids;      // e.g. the sample id or the file path
  std::vector<std::string> sources;  // "real" or "synthetic:<dir>"
  // The smallest height or width of the images as stored, before resizing (load_labelled_folder; 0 elsewhere): a
  // folder of 128 px generated images read at 32 px says 128, so a caller can read it again at full size.
  int smallest_stored_size = 0;

  int64_t size() const { return images.defined() ? images.size(0) : 0; }
  int64_t positives() const;
};

// The chosen samples; throws osgan::Error when `positive_class` is not one of the dataset's classes.
LabelledImages labelled_from_dataset(const data::Dataset& dataset, const std::vector<std::size_t>& indices,
                                     const std::string& positive_class);

// Every readable image in `folder` (not recursive, sorted by name), all with `label` (0 or 1), preprocessed like
// the real data, except images written by `osgan generate`: those hold the generator's output already in [-1, 1]
// and are read back exactly (resized only). Unreadable files are skipped with a warning; a folder without any
// image is an error.
LabelledImages load_labelled_folder(const std::filesystem::path& folder, int label,
                                    const data::PreprocessOptions& preprocess, const std::string& source);

// Appends b to a (either may be empty).
LabelledImages concat(const LabelledImages& a, const LabelledImages& b);

// The rows `indices` of a set.
LabelledImages subset(const LabelledImages& set, const std::vector<int64_t>& indices);

// The rows of one class: the positive ones (label 1) or the others.
LabelledImages with_label(const LabelledImages& set, bool positive);

// A stratified random split of `set` into (rest, held_out) with `fraction` of each class held out (at least one
// per class when a class has 2 or more images). Deterministic for a seed.
std::pair<LabelledImages, LabelledImages> stratified_holdout(const LabelledImages& set, double fraction, std::uint64_t seed);

}  // namespace osgan

namespace osgan {

// The real images of a labelled dataset for a binary classifier: every sample, or those on one side of a split.
struct RealImageSource {
  std::filesystem::path data;   // dataset folder or CSV (data::load_dataset)
  std::filesystem::path split;  // optional split JSON (data::read_split); empty = every sample
  std::string side = "val";     // "train" or "val" when a split is given
  std::string positive_class = "tumor";
};

struct RealImages {
  LabelledImages images;
  std::string positive_class, negative_class;
  std::string description;  // e.g. "val side of split.json (42 images)"
};

// Loads, preprocesses and labels; throws osgan::Error unless the dataset has exactly two classes, one of them
// the positive class.
RealImages load_real_images(const RealImageSource& source, const data::PreprocessOptions& preprocess);

}  // namespace osgan
