// osgan evaluate: a saved classifier on real labelled images (by default the validation side of a split):
// metrics with intervals, ROC curve, confusion matrix, per-image predictions.
#include <iostream>

#include "commands.h"
#include "common_options.h"
#include "osgan/core/atomic_file.h"
#include "osgan/runtime/device.h"
#include "osgan/train/classifier_evaluation.h"

namespace osgan::cli {
namespace {

struct Args {
  ComputeOptions compute;
  std::string model, data, split, side = "val", out;
  double threshold = 0.5;
  int bootstrap = 2000;
};

void run(const Args& a) {
  apply_compute_options(a.compute);
  const auto device = parse_device(a.compute.device);
  auto saved = load_classifier(a.model, device);
  auto real = load_real_images({a.data, a.split, a.side, saved.positive_class}, saved.preprocess);
  metrics::ClassificationOptions options;
  options.threshold = a.threshold;
  options.bootstrap_resamples = a.bootstrap;
  options.seed = a.compute.seed;
  auto e = evaluate_classifier(saved.model, real.images, device, options);
  std::cout << real.description << "\n" << summarize(e.report) << "\n";
  if (!a.out.empty()) {
    const std::filesystem::path out(a.out);
    std::filesystem::create_directories(out);
    nlohmann::json j = {{"format", "osgan-evaluation"}, {"version", 1}, {"model", a.model},
                        {"evaluated_on", real.description}, {"metrics", metrics::to_json(e.report)}};
    write_text_atomically(out / "metrics.json", j.dump(2) + "\n");
    write_predictions_csv(out / "predictions.csv", real.images, e.probabilities, saved.positive_class,
                          saved.negative_class, a.threshold);
    std::cout << "wrote " << (out / "metrics.json").string() << " and predictions.csv\n";
  }
}

void register_evaluate(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("evaluate", "evaluate a trained classifier on real labelled images");
  cmd->add_option("--model", args->model, "folder written by train-classifier")->required();
  cmd->add_option("--data", args->data, "labelled dataset (one folder per class, or CSV)")->required();
  cmd->add_option("--split", args->split, "split JSON (without it: every image of --data)");
  cmd->add_option("--side", args->side, "train or val")->capture_default_str();
  cmd->add_option("--threshold", args->threshold, "positive when P >= threshold")->capture_default_str();
  cmd->add_option("--bootstrap", args->bootstrap, "bootstrap resamples for the F1/AUC intervals")->capture_default_str();
  cmd->add_option("--out", args->out, "folder for metrics.json and predictions.csv");
  add_compute_options(cmd, args->compute);
  cmd->callback([args] { run(*args); });
}

}  // namespace

OSGAN_COMMAND(50, register_evaluate);

}  // namespace osgan::cli
