// The modes of the training side of every class together (the pipeline's split), fitted as the image-quality stage
// fits one class's (data/mode_model.h, slices read at 128 px). For the "one anatomy stage per contrast" lever of
// docs/one-shot-gan.md (2026-12-06): writes, per joint mode m, OUT/joint_mode_<m>.csv (`path,label`: its training
// slices of every class, paths relative to the dataset, so place the CSV's folder a `data` link to it) and
// OUT/joint_mode_<m>.png (up to 40 of its slices), and prints each mode's count per class.
//   joint_training_modes DATA SPLIT OUT
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "osgan/core/error.h"
#include "osgan/data/dataset.h"
#include "osgan/data/mode_features.h"
#include "osgan/data/mode_model.h"
#include "osgan/data/split.h"
#include "osgan/io/png_writer.h"

using namespace osgan;

int main(int argc, char** argv) try {
  if (argc != 4) {
    std::fprintf(stderr, "usage: joint_training_modes DATA SPLIT OUT\n");
    return 2;
  }
  const std::filesystem::path out = argv[3];
  std::filesystem::create_directories(out);
  data::DatasetOptions options;
  options.preprocess.size = data::kModeFeatureSize;
  const auto dataset = data::load_dataset(argv[1], options);
  const auto train = data::select_samples(dataset, data::read_split(argv[2]), data::Side::train);
  std::vector<io::Image> images;
  for (const auto i : train) images.push_back(dataset.samples[i].image);
  const auto model = data::fit_mode_model(images);
  const auto modes = data::assign_modes(model, images);
  std::printf("%d joint modes of %zu training slices\n", model.k(), train.size());
  for (int m = 0; m < model.k(); ++m) {
    std::vector<std::size_t> members;  // indices into train
    for (std::size_t j = 0; j < train.size(); ++j) if (modes[j] == m) members.push_back(j);
    std::ofstream csv(out / ("joint_mode_" + std::to_string(m) + ".csv"));
    csv << "path,label\n";
    std::map<std::string, int> per_class;
    for (const auto j : members) {
      const auto& s = dataset.samples[train[j]];
      csv << "data/" << s.path << "," << s.label << "\n";
      ++per_class[s.label];
    }
    std::printf("mode %d:", m);
    for (const auto& c : dataset.classes) std::printf(" %s %d", c.c_str(), per_class[c]);
    std::printf("\n");
    // Up to 40 members spread over the mode, 20 to a row of 40 px tiles.
    const std::size_t shown = std::min<std::size_t>(members.size(), 40);
    const int per_row = 20, tile = 40, pad = 1, rows = static_cast<int>((shown + per_row - 1) / per_row);
    io::Image grid(rows * (tile + pad) + pad, per_row * (tile + pad) + pad, 40.f);
    for (std::size_t t = 0; t < shown; ++t) {
      const auto small = data::resize_image(images[members[t * members.size() / shown]], tile, tile);
      const int top = pad + static_cast<int>(t / per_row) * (tile + pad), left = pad + static_cast<int>(t % per_row) * (tile + pad);
      for (int y = 0; y < tile; ++y)
        for (int x = 0; x < tile; ++x) grid.at(top + y, left + x) = std::clamp((small.at(y, x) + 1.f) * 127.5f, 0.f, 255.f);
    }
    io::write_png_grey8(out / ("joint_mode_" + std::to_string(m) + ".png"), grid);
  }
  return 0;
} catch (const Error& e) {
  std::fprintf(stderr, "joint_training_modes: %s\n", e.what());
  return 1;
}
