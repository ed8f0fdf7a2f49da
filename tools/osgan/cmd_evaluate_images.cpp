// osgan evaluate-images: image-quality metrics of a generated set against the real images of one class, with the
// real images' modes (contrast and plane) and which of them the generated set misses.
#include <iostream>

#include "commands.h"
#include "common_options.h"
#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/data/mode_features.h"
#include "osgan/metrics/image_quality_report.h"
#include "osgan/runtime/device.h"
#include "osgan/train/classifier_checkpoint.h"
#include "osgan/train/classifier_data.h"
#include "osgan/train/classifier_evaluation.h"

namespace osgan::cli {
namespace {

struct Args {
  ComputeOptions compute;
  std::string real, split, generated, class_name, features, json, mode_grid, mode_model, assignments;
  int image_size = 0;
  metrics::ImageQualityOptions quality;
};

void run(Args& a) {
  apply_compute_options(a.compute);
  const auto device = parse_device(a.compute.device);
  a.quality.seed = a.compute.seed;
  SavedClassifier model;
  data::PreprocessOptions preprocess;
  if (!a.features.empty()) {
    model = load_classifier(a.features, device);
    preprocess = model.preprocess;
    if (a.image_size > 0 && a.image_size != preprocess.size)
      fail(ErrorCode::invalid_argument, "--image-size " + std::to_string(a.image_size) + ": the --features model needs " +
           std::to_string(preprocess.size));
  } else {
    preprocess.size = a.image_size > 0 ? a.image_size : 128;
  }
  // Real images of the class: the train side of a split, the class subfolder of a dataset, or a plain folder.
  namespace fs = std::filesystem;
  const auto load_real = [&](const data::PreprocessOptions& at, std::string* description) {
    if (!a.split.empty()) {
      auto r = load_real_images({a.real, a.split, "train", a.class_name}, at);
      if (description) *description = "train side of " + a.split + ", class " + a.class_name;
      return with_label(r.images, true);
    }
    const fs::path folder = fs::is_directory(fs::path(a.real) / a.class_name) ? fs::path(a.real) / a.class_name : fs::path(a.real);
    if (description) *description = folder.string();
    return load_labelled_folder(folder, 1, at, "real");
  };
  std::string real_description;
  const LabelledImages real = load_real(preprocess, &real_description);
  // The modes are fitted on the same real images read at the mode features' size, as the pipeline does: smaller
  // images blur the contrasts apart.
  if (preprocess.size < data::kModeFeatureSize) {
    data::PreprocessOptions at_mode_size = preprocess;
    at_mode_size.size = data::kModeFeatureSize;
    a.quality.real_for_modes = load_real(at_mode_size, nullptr).images;
  }
  auto generated = load_labelled_folder(a.generated, 1, preprocess, "generated");
  if (a.quality.real_for_modes.defined() && generated.smallest_stored_size >= data::kModeFeatureSize) {
    // Drawn at the mode features' size (an upsampled GAN): their modes are read at full detail.
    data::PreprocessOptions at_mode_size = preprocess;
    at_mode_size.size = data::kModeFeatureSize;
    a.quality.generated_for_modes = load_labelled_folder(a.generated, 1, at_mode_size, "generated").images;
  }
  // The modes' grid and model go beside the JSON unless asked elsewhere.
  const fs::path stem = fs::path(a.json).replace_extension();
  a.quality.mode_grid_path = a.mode_grid.empty() ? stem.string() + ".mode_grid.png" : a.mode_grid;
  a.quality.mode_model_path = a.mode_model.empty() ? stem.string() + ".mode_model.json" : a.mode_model;
  auto report = metrics::compute_image_quality_report(real.images, generated.images, model.model ? &model.model : nullptr,
                                                      device, a.quality);
  report["format"] = "osgan-image-quality";
  report["version"] = 1;
  report["class"] = a.class_name;
  report["real_source"] = real_description;
  report["generated_source"] = a.generated;
  report["feature_model"] = a.features;
  // Each image's mode as a table (set,id,mode): what a user needs to pick one mode's images, e.g. to train a GAN on it.
  const std::string assignments = a.assignments.empty() ? stem.string() + ".modes.csv" : a.assignments;
  if (report.contains("modes") && report["modes"].contains("assignment")) {
    std::string csv = "set,id,mode\n";
    for (const auto& [set, images] : {std::pair<const char*, const LabelledImages*>{"real", &real}, {"generated", &generated}}) {
      const auto& modes = report["modes"]["assignment"][set];
      for (std::size_t i = 0; i < modes.size() && i < images->ids.size(); ++i)
        csv += std::string(set) + "," + csv_field(images->ids[i]) + "," + std::to_string(modes[i].get<int>()) + "\n";
    }
    write_text_atomically(assignments, csv);
    report["modes"]["assignment_file"] = assignments;
  }
  write_text_atomically(a.json, report.dump(2) + "\n");
  std::cout << metrics::format_image_quality_summary(report);
  std::cout << "wrote " << a.json << "\n";
}

void register_evaluate_images(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("evaluate-images", "image-quality metrics of generated images against real ones");
  cmd->add_option("--real", args->real, "real images: a folder, a dataset with a CLASS subfolder, or a dataset with --split")->required();
  cmd->add_option("--split", args->split, "use the train side of this split of the --real dataset");
  cmd->add_option("--generated", args->generated, "folder of generated images")->required();
  cmd->add_option("--class", args->class_name, "class name of both sets")->required();
  cmd->add_option("--features", args->features, "classifier folder whose features give FID/KID/precision-recall");
  cmd->add_option("--image-size", args->image_size, "compare at this size (default: the feature model's, else 128)");
  cmd->add_option("--ssim-window", args->quality.memorisation.ssim.window, "SSIM Gaussian window (odd)")->capture_default_str();
  cmd->add_option("--memorisation-threshold", args->quality.memorisation.threshold)->capture_default_str();
  cmd->add_option("--bins", args->quality.histogram_bins, "intensity histogram bins")->capture_default_str();
  cmd->add_option("--json", args->json, "output JSON")->required();
  cmd->add_option("--mode-grid", args->mode_grid, "per-mode grid, real | generated (default: beside --json, .mode_grid.png)");
  cmd->add_option("--mode-grid-tile", args->quality.mode_grid_tile, "tile size in px in the per-mode grid (larger "
                  "images are shrunk to it)")->capture_default_str()->check(CLI::Range(16, 512));
  cmd->add_option("--mode-grid-count", args->quality.mode_grid_per_side, "real and generated images per mode in the "
                  "per-mode grid")->capture_default_str()->check(CLI::Range(1, 32));
  cmd->add_option("--assignments", args->assignments, "each image's mode as CSV set,id,mode (default: beside --json, "
                  ".modes.csv)");
  cmd->add_option("--mode-model", args->mode_model, "the real images' mode model (default: beside --json, .mode_model.json)");
  add_compute_options(cmd, args->compute);
  cmd->callback([args] { run(*args); });
}

}  // namespace

OSGAN_COMMAND(60, register_evaluate_images);

}  // namespace osgan::cli
