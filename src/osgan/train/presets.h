// Named starting points for GanTrainOptions: "paper" (the seed project's schedule, for a GPU), "cpu" (brain slices on a
// 2-core CPU, set from a measured learning curve) and "smoke" (everything runs; textures, not results).
// The table of values is in presets.cpp.
#pragma once
#include <string>
#include <vector>

#include "osgan/train/gan_train_options.h"

namespace osgan {

// Throws osgan::Error (invalid_argument) listing the presets for an unknown name.
GanTrainOptions preset_options(const std::string& name);
std::vector<std::string> preset_names();

}  // namespace osgan
