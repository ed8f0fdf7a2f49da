// One GAN per mode of a class (the pipeline's gan.per_mode): a class's training side is split into its modes
// (data/mode_model.h: contrast and plane, fitted on the slices read at the mode features' 128 px, the same fit as
// the image-quality stage's), each mode's slices fine-tune a GAN of their own (GanTrainOptions::samples), and
// generation draws each mode in its real share (GenerateOptions::mixture). A single GAN on the whole class draws
// one contrast and one plane (docs/one-shot-gan.md, 2026-12-06).
//
//   ClassModes modes = split_class_into_modes(dataset_at_128px, split, "tumor");
//   save_class_modes(RUN / "gan/tumor/modes.json", modes);
//   for k: train a GAN with options.samples = modes.members[k], into RUN / "gan/tumor" / mode_run_name(k)
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "osgan/data/dataset.h"
#include "osgan/data/mode_model.h"
#include "osgan/data/split.h"

namespace osgan {

struct ClassModes {
  std::string class_name;
  data::ModeModel model;
  std::vector<std::vector<std::string>> members;  // (k): the sample ids of each mode, in dataset order

  std::vector<double> shares() const;  // (k): each mode's share of the class's training slices
};

// at_mode_size: the dataset read at data::kModeFeatureSize. Throws osgan::Error when the class has fewer than 3
// training slices (no modes can be fitted).
ClassModes split_class_into_modes(const data::Dataset& at_mode_size, const data::Split& split, const std::string& cls);

// "mode_0", "mode_1", ...: a mode's GAN folder under gan/<class>/.
std::string mode_run_name(int mode);

// JSON {"format": "osgan-class-modes", "version": 1, "class", "k", "shares", "members", "model"}; atomic. Loading
// names the file and what is wrong with it.
void save_class_modes(const std::filesystem::path& path, const ClassModes& modes);
ClassModes load_class_modes(const std::filesystem::path& path);

}  // namespace osgan
