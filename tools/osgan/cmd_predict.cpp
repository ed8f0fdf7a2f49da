// osgan predict: P(positive class) for each image file (each slice of a volume), as CSV on stdout.
#include <iostream>

#include "commands.h"
#include "common_options.h"
#include "osgan/core/error.h"
#include "osgan/io/image.h"
#include "osgan/runtime/device.h"
#include "osgan/train/classifier_checkpoint.h"
#include "osgan/train/classifier_trainer.h"
#include "osgan/train/image_tensor.h"

namespace osgan::cli {
namespace {

struct Args {
  ComputeOptions compute;
  std::string model;
  std::vector<std::string> files;
  double threshold = 0.5;
};

void run(const Args& a) {
  apply_compute_options(a.compute);
  const auto device = parse_device(a.compute.device);
  auto saved = load_classifier(a.model, device);
  std::vector<io::Image> images;
  std::vector<std::string> names;
  for (const auto& f : a.files)
    for (const auto& slice : io::read_image_file(f).slices) {  // a bad file is an error naming it
      images.push_back(data::preprocess_image(slice.image, saved.preprocess));
      names.push_back(slice.index < 0 ? f : f + "#" + std::to_string(slice.index));
    }
  auto p = predict_probabilities(saved.model, images_to_tensor(images), device);
  std::cout << "file,probability_" << saved.positive_class << ",predicted\n";
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double prob = p[static_cast<int64_t>(i)].item<double>();
    std::cout << names[i] << "," << prob << "," << (prob >= a.threshold ? saved.positive_class : saved.negative_class) << "\n";
  }
}

void register_predict(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("predict", "probability of the positive class for image files");
  cmd->add_option("--model", args->model, "folder written by train-classifier")->required();
  cmd->add_option("files", args->files, "image files")->required();
  cmd->add_option("--threshold", args->threshold)->capture_default_str();
  add_compute_options(cmd, args->compute);
  cmd->callback([args] { run(*args); });
}

}  // namespace

OSGAN_COMMAND(55, register_predict);

}  // namespace osgan::cli
