// osgan train-classifier: train a tumour classifier on real training images and/or synthetic folders, and
// evaluate it on the real validation side only.
#include <cmath>
#include <functional>
#include <iostream>
#include <map>

#include "commands.h"
#include "common_options.h"
#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/log.h"
#include "osgan/pipeline/synthetic_filter.h"
#include "osgan/runtime/device.h"
#include "osgan/train/classifier_evaluation.h"
#include "osgan/train/classifier_presets.h"
#include "osgan/train/classifier_trainer.h"

namespace osgan::cli {
namespace {

// A flag that overrides a field of the recipe (--preset): when given on the command line, its parsed value is copied
// onto the preset's options.
struct RecipeFlag {
  CLI::Option* option;
  std::function<void(ClassifierTrainOptions& recipe, const ClassifierTrainOptions& parsed)> copy;
};

struct Args {
  ClassifierTrainOptions train;
  std::string preset;
  std::vector<RecipeFlag> recipe_flags;
  ComputeOptions compute;
  std::string data, split, val_data, positive = "tumor", negative, out, backbone;
  std::vector<std::string> synthetic;  // CLASS=DIR
  double synthetic_ratio = 0;          // > 0: per class, this many synthetic images per real training image
  std::string synthetic_filter = "none";
  bool no_real = false, fine_tune_backbone = false;
};

void run(Args& a) {
  apply_compute_options(a.compute);
  if (!a.preset.empty()) {
    ClassifierTrainOptions recipe = classifier_preset(a.preset);
    for (const auto& flag : a.recipe_flags)
      if (flag.option->count() > 0) flag.copy(recipe, a.train);
    a.train = recipe;
  } else if (a.train.augment.style_prob > 0 && !a.train.augment.has_style()) {
    // --style-augment-prob alone: the cpu recipe's style ranges, the rest of the augmentation as given.
    auto style = classifier_preset("cpu").augment;
    style.prob = a.train.augment.prob;
    style.style_prob = a.train.augment.style_prob;
    style.flips = a.train.augment.flips;
    style.max_rotation_deg = a.train.augment.max_rotation_deg;
    style.max_translate = a.train.augment.max_translate;
    style.max_scale = a.train.augment.max_scale;
    style.max_intensity = a.train.augment.max_intensity;
    a.train.augment = style;
  }
  a.train.seed = a.compute.seed;
  a.train.device = a.compute.device;
  if (!a.backbone.empty()) {
    a.train.model.arch = "torchscript";
    a.train.model.backbone_file = a.backbone;
    a.train.model.freeze_backbone = !a.fine_tune_backbone;
  }
  data::PreprocessOptions preprocess;
  preprocess.size = a.train.model.image_size;

  // Real training side (and the validation side when a split is given).
  LabelledImages train, val, real_side;
  std::string val_description = "none";
  std::string negative = a.negative;
  if (!a.data.empty()) {
    auto real_train = load_real_images({a.data, a.split, "train", a.positive}, preprocess);
    real_side = real_train.images;
    negative = real_train.negative_class;
    if (!a.no_real) train = real_train.images;
    log_info("[data] training: " + (a.no_real ? std::string("no real images (--no-real)") : real_train.description));
    if (!a.split.empty()) {
      auto real_val = load_real_images({a.data, a.split, "val", a.positive}, preprocess);
      val = real_val.images;
      val_description = real_val.description;
    }
  }
  if (!a.val_data.empty()) {
    auto real_val = load_real_images({a.val_data, "", "val", a.positive}, preprocess);
    negative = real_val.negative_class;
    val = real_val.images;
    val_description = real_val.description;
  }
  if (negative.empty()) negative = "normal";
  for (const auto& spec : a.synthetic) {
    const auto eq = spec.find('=');
    const std::string cls = spec.substr(0, eq), dir = eq == std::string::npos ? "" : spec.substr(eq + 1);
    if (eq == std::string::npos || (cls != a.positive && cls != negative))
      fail(ErrorCode::invalid_argument, "--synthetic \"" + spec + "\": expected CLASS=DIR with CLASS " + a.positive +
           " or " + negative);
    auto set = load_labelled_folder(dir, cls == a.positive ? 1 : 0, preprocess, "synthetic:" + dir);
    if (a.synthetic_ratio > 0) {  // the study's ratio sweep (ratio_protocol.h), against this class's real training side
      if (real_side.size() == 0)
        fail(ErrorCode::invalid_argument, "--synthetic-ratio: needs the real training images (--data)");
      const auto real_of_class = with_label(real_side, cls == a.positive);
      const auto count = static_cast<int64_t>(std::llround(a.synthetic_ratio * static_cast<double>(real_of_class.size())));
      try {
        set = subset(set, select_synthetic(set.images, real_of_class.images, count, a.synthetic_filter));
      } catch (const Error& e) {
        fail(e.code(), "--synthetic " + spec + ": " + e.what());
      }
    }
    log_info("[data] synthetic " + cls + ": " + std::to_string(set.size()) + " images from " + dir +
             (a.synthetic_ratio > 0 ? " (filter " + a.synthetic_filter + ")" : ""));
    train = concat(train, set);
  }
  if (train.size() == 0)
    fail(ErrorCode::invalid_argument, "train-classifier: no training images. Hint: give --data (with --split) and/or --synthetic CLASS=DIR.");
  if (val.size() == 0) log_warning("no validation images (give --split or --val-data): only the model is saved");
  else log_info("[data] validation: " + val_description);

  auto result = train_classifier(a.train, train);
  SavedClassifier saved;
  saved.model = result.model;
  saved.config = a.train.model;
  saved.positive_class = a.positive;
  saved.negative_class = negative;
  saved.preprocess = preprocess;
  saved.extra = {{"train_options", to_json(a.train)}, {"train_count", result.train_count}};
  save_classifier(a.out, saved);

  std::map<std::string, int64_t> by_source;
  for (const auto& s : train.sources) by_source[s]++;
  nlohmann::json history = nlohmann::json::array();
  for (const auto& e : result.history)
    history.push_back({{"epoch", e.epoch}, {"lr", e.lr}, {"train_loss", e.train_loss},
                       {"holdout_loss", std::isnan(e.holdout_loss) ? nlohmann::json(nullptr) : nlohmann::json(e.holdout_loss)}});
  nlohmann::json out = {{"format", "osgan-classifier-metrics"}, {"version", 1}, {"options", to_json(a.train)},
                        {"training_images", by_source}, {"holdout_images", result.holdout_count},
                        {"best_epoch", result.best_epoch}, {"stopped_early", result.stopped_early},
                        {"history", history}, {"validation_set", val_description}, {"validation", nullptr}};
  if (val.size() > 0) {
    metrics::ClassificationOptions mo;
    mo.seed = a.compute.seed;
    auto e = evaluate_classifier(result.model, val, parse_device(a.train.device), mo);
    out["validation"] = metrics::to_json(e.report);
    write_predictions_csv(std::filesystem::path(a.out) / "predictions.csv", val, e.probabilities, a.positive, negative);
    std::cout << "validation: " << summarize(e.report) << "\n";
  }
  write_text_atomically(std::filesystem::path(a.out) / "metrics.json", out.dump(2) + "\n");
  std::cout << "model saved to " << a.out << "\n";
}

void register_train_classifier(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("train-classifier", "train a tumour classifier on real and/or synthetic images");
  auto& t = args->train;
  cmd->add_option("--data", args->data, "labelled dataset (one folder per class, or CSV)");
  cmd->add_option("--split", args->split, "split JSON: train on its train side, evaluate on its val side");
  cmd->add_option("--val-data", args->val_data, "a separate labelled dataset to evaluate on (instead of a split)");
  cmd->add_option("--synthetic", args->synthetic, "CLASS=DIR: a folder of synthetic images of CLASS (repeatable)");
  cmd->add_option("--synthetic-ratio", args->synthetic_ratio, "per class, round(R x that class's real training images) "
                  "of its --synthetic images (0: all of them)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--synthetic-filter", args->synthetic_filter, "with --synthetic-ratio, which images: none (the first "
                  "in file order) or nearest (nearest to the class's real training images in the structure space)")
      ->check(CLI::IsMember({"none", "nearest"}));
  cmd->add_flag("--no-real", args->no_real, "do not train on the real training images (synthetic only)");
  cmd->add_option("--positive", args->positive, "the positive class")->capture_default_str();
  cmd->add_option("--negative", args->negative, "the negative class name when no dataset gives it (default normal)");
  cmd->add_option("--preset", args->preset, "start from a named recipe (cpu, plain, seed-resnet152v2); the flags below "
                  "that are given override its values");
  // Each recipe flag: bound to a field, and remembered so that --preset keeps what the user gave.
  auto flag = [&](CLI::Option* option, std::function<void(ClassifierTrainOptions&, const ClassifierTrainOptions&)> copy) {
    args->recipe_flags.push_back({option->capture_default_str(), std::move(copy)});
  };
  using O = ClassifierTrainOptions;
  flag(cmd->add_option("--arch", t.model.arch, "resnet18|34|50|101|152, mobilenet_v2, cnn"),
       [](O& d, const O& s) { d.model.arch = s.model.arch; });
  flag(cmd->add_option("--width", t.model.width, "channel width multiplier"), [](O& d, const O& s) { d.model.width = s.model.width; });
  flag(cmd->add_option("--image-size", t.model.image_size, "images are resized to this square size"),
       [](O& d, const O& s) { d.model.image_size = s.model.image_size; });
  flag(cmd->add_option("--head-pool", t.model.head_pool, "flatten (the seed's head) or avg"),
       [](O& d, const O& s) { d.model.head_pool = s.model.head_pool; });
  flag(cmd->add_option("--dropout", t.model.dropout, "dropout before the last dense layer"),
       [](O& d, const O& s) { d.model.dropout = s.model.dropout; });
  cmd->add_option("--backbone", args->backbone, "TorchScript feature extractor (N,1,H,W)->(N,C[,h,w])");
  cmd->add_flag("--fine-tune-backbone", args->fine_tune_backbone, "train the --backbone weights too (default frozen)");
  flag(cmd->add_option("--epochs", t.epochs), [](O& d, const O& s) { d.epochs = s.epochs; });
  flag(cmd->add_option("--batch", t.batch_size), [](O& d, const O& s) { d.batch_size = s.batch_size; });
  flag(cmd->add_option("--optimizer", t.optimizer, "adam or sgd"), [](O& d, const O& s) { d.optimizer = s.optimizer; });
  flag(cmd->add_option("--lr", t.lr), [](O& d, const O& s) { d.lr = s.lr; });
  flag(cmd->add_option("--schedule", t.schedule, "cosine, step or none"), [](O& d, const O& s) { d.schedule = s.schedule; });
  flag(cmd->add_option("--weight-decay", t.weight_decay), [](O& d, const O& s) { d.weight_decay = s.weight_decay; });
  flag(cmd->add_option("--augment-prob", t.augment.prob, "probability of each classical augmentation (0 = off)"),
       [](O& d, const O& s) { d.augment.prob = s.augment.prob; });
  flag(cmd->add_option("--style-augment-prob", t.augment.style_prob, "probability of each style augmentation (resized "
                       "crop, bias field, gamma, contrast, blur, noise; ranges of the cpu recipe; 0 = off)"),
       [](O& d, const O& s) { d.augment.style_prob = s.augment.style_prob; });
  flag(cmd->add_option("--test-time-flips", t.model.test_time_flips, "average the prediction over the image and its "
                       "mirror image (true/false)"),
       [](O& d, const O& s) { d.model.test_time_flips = s.model.test_time_flips; });
  flag(cmd->add_option("--input-norm", t.model.input_norm, "none, or head: crop to the head and z-score inside it "
                       "(part of the model, so evaluation applies it too)"),
       [](O& d, const O& s) { d.model.input_norm = s.model.input_norm; });
  flag(cmd->add_option("--early-stopping", t.early_stopping_fraction, "hold out this share of the TRAINING images (0 = off)"),
       [](O& d, const O& s) { d.early_stopping_fraction = s.early_stopping_fraction; });
  flag(cmd->add_option("--patience", t.patience), [](O& d, const O& s) { d.patience = s.patience; });
  cmd->add_option("--out", args->out, "output folder: model, metrics.json, predictions.csv")->required();
  add_compute_options(cmd, args->compute);
  cmd->callback([args] { run(*args); });
}

}  // namespace

OSGAN_COMMAND(40, register_train_classifier);

}  // namespace osgan::cli
