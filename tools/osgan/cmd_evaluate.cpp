// osgan evaluate: saved classifiers on real labelled images (by default the validation side of a split): metrics
// with intervals, ROC curve, confusion matrix, per-image predictions. Several --model folders (e.g. the seeds of
// one recipe) are reported together: each on its own, then the mean and interval over them.
#include <cmath>
#include <iostream>

#include "commands.h"
#include "common_options.h"
#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/pipeline/external_validation.h"
#include "osgan/runtime/device.h"
#include "osgan/train/classifier_evaluation.h"

namespace osgan::cli {
namespace {

struct Args {
  ComputeOptions compute;
  std::vector<std::string> models;
  std::string data, split, side = "val", out;
  double threshold = 0.5;
  int bootstrap = 2000;
};

void evaluate_one(const Args& a) {
  const auto device = parse_device(a.compute.device);
  auto saved = load_classifier(a.models.front(), device);
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
    nlohmann::json j = {{"format", "osgan-evaluation"}, {"version", 1}, {"model", a.models.front()},
                        {"evaluated_on", real.description}, {"metrics", metrics::to_json(e.report)}};
    write_text_atomically(out / "metrics.json", j.dump(2) + "\n");
    write_predictions_csv(out / "predictions.csv", real.images, e.probabilities, saved.positive_class,
                          saved.negative_class, a.threshold);
    std::cout << "wrote " << (out / "metrics.json").string() << " and predictions.csv\n";
  }
}

// "0.912 [0.881, 0.940]" from {mean, ci95}.
std::string estimate(const nlohmann::json& stat) {
  auto num = [](const nlohmann::json& v) {
    if (!v.is_number()) return std::string("-");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v.get<double>());
    return std::string(buf);
  };
  return num(stat["mean"]) + " [" + num(stat["ci95"][0]) + ", " + num(stat["ci95"][1]) + "]";
}

void evaluate_several(const Args& a) {
  if (a.threshold != 0.5)
    fail(ErrorCode::invalid_argument, "--threshold: several models are evaluated at 0.5 only, got " +
         std::to_string(a.threshold) + ". Hint: evaluate one model at a time for another threshold.");
  ModelEvaluationOptions o;
  for (std::size_t i = 0; i < a.models.size(); ++i) o.models.push_back({"models", i + 1, a.models[i]});
  o.images = {a.data, a.split, a.side, ""};
  o.set_name = a.split.empty() ? a.data : a.side + " side of " + a.split;
  o.bootstrap_resamples = a.bootstrap;
  o.seed = a.compute.seed;
  o.device = a.compute.device;
  o.out_dir = a.out;
  const auto result = evaluate_models(o);
  const auto& c = result["classification"]["models"];
  std::cout << result["evaluated_on"].get<std::string>() << "\n";
  const char* metrics[] = {"accuracy", "auc", "f1", "sensitivity", "specificity"};
  for (std::size_t i = 0; i < a.models.size(); ++i) {
    std::cout << "model " << (i + 1) << " (" << a.models[i] << "):";
    for (const char* m : metrics) {
      const auto& v = c[m]["runs"][i];
      char buf[48];
      std::snprintf(buf, sizeof buf, "  %s %.3f", m, v.is_number() ? v.get<double>() : std::nan(""));
      std::cout << buf;
    }
    std::cout << "\n";
  }
  std::cout << "mean over " << a.models.size() << " models [95% interval over models and images]:\n";
  for (const char* m : metrics) std::cout << "  " << m << " " << estimate(c[m]) << "\n";
  if (!a.out.empty())
    std::cout << "wrote " << (std::filesystem::path(a.out) / "results.json").string() << " and one predictions.csv per model\n";
}

void register_evaluate(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("evaluate", "evaluate trained classifiers on real labelled images");
  cmd->add_option("--model", args->models, "folder written by train-classifier (repeatable: the models are also "
                  "reported together, mean and 95% interval)")->required();
  cmd->add_option("--data", args->data, "labelled dataset (one folder per class, or CSV)")->required();
  cmd->add_option("--split", args->split, "split JSON (without it: every image of --data)");
  cmd->add_option("--side", args->side, "train or val")->capture_default_str();
  cmd->add_option("--threshold", args->threshold, "positive when P >= threshold")->capture_default_str();
  cmd->add_option("--bootstrap", args->bootstrap, "bootstrap resamples for the intervals")->capture_default_str();
  cmd->add_option("--out", args->out, "folder for metrics.json (results.json with several models) and predictions");
  add_compute_options(cmd, args->compute);
  cmd->callback([args] {
    apply_compute_options(args->compute);
    if (args->models.size() == 1) evaluate_one(*args);
    else evaluate_several(*args);
  });
}

}  // namespace

OSGAN_COMMAND(50, register_evaluate);

}  // namespace osgan::cli
