// External validation: the classifiers a study trained, tested unchanged on labelled images from another source
// (TRIPOD-AI / CLAIM). Every model is scored with its own saved preprocessing (the development data's), and the
// runs are aggregated exactly like the study's validation side: mean and a two-level bootstrap interval over
// seeds and images, with paired differences against the "real" protocol.
//
//   auto models = list_study_models("runs/brain/study");
//   auto result = evaluate_models({models, {"../external", "", "val", "tumor"}, "external", ...});
//   result["classification"]["real"]["auc"]["mean"]
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "osgan/data/dataset.h"
#include "osgan/train/classifier_data.h"

namespace osgan {

// One saved classifier and the group it is aggregated in (a study protocol, or "models" for a plain list).
struct ModelRef {
  std::string protocol;
  std::uint64_t seed = 0;
  std::filesystem::path folder;  // written by save_classifier
  int gan = 0;                   // the GAN seed of a study run (study.h: StudyRun::gan); 0 when none
};

// Every classifier a study kept: study.json's protocols x seeds, in the study's order. Throws osgan::Error when
// study.json is missing or bad, or when a model folder is missing (a study run by osgan before every model was
// kept: the hint says how to redo it).
std::vector<ModelRef> list_study_models(const std::filesystem::path& study_dir);

// Which study a set was evaluated with: the SHA-256 of its study.json (the same classifiers give the same file, since
// training and the bootstrap are deterministic). results.json records it, so a set added by evaluate-study is kept
// in metrics.json by later pipeline runs only while the study is the same.
std::string study_signature(const std::filesystem::path& study_dir);

// The name of an external set in metrics.json and in RUN/external/<name>: its folder name (a CSV: its stem).
std::string external_set_name(const std::filesystem::path& data);

// Loads `data` with `preprocess` and checks, before any long stage runs, that it is a labelled two-class dataset
// whose classes are {positive, negative}: throws osgan::Error naming the folder and what was wrong otherwise.
data::Dataset load_external_set(const std::filesystem::path& data, const std::string& positive_class,
                                const std::string& negative_class, const data::PreprocessOptions& preprocess);

struct ModelEvaluationOptions {
  std::vector<ModelRef> models;
  RealImageSource images;          // the labelled images (all of a folder, or one side of a split)
  std::string set_name;            // shown in the results
  int bootstrap_resamples = 2000;
  std::uint64_t seed = 1;
  std::string device = "cpu";
  std::filesystem::path out_dir;   // empty: write nothing; else <protocol>/seed_<s>/predictions.csv and results.json
  std::string study_signature;     // recorded in results.json as "study_sha256" when not empty
};

// Evaluates every model on the same images (loaded once per distinct preprocessing). All models must share the
// positive and negative class names, and the images must carry exactly those two. Returns (and writes as
// out_dir/results.json): {format, set, data, images, positives, models, classification}, where classification is
// summarize_study's <protocol>.<metric> = {mean, ci95, runs}, delta_vs_real, roc, confusion.
nlohmann::json evaluate_models(const ModelEvaluationOptions& options);

// What metrics.json's external_sets.<set> holds about a set, taken from its results.json (evaluate_models' result):
// {data, images, positives, interval_method}. Throws nlohmann::json's out_of_range when a key is missing.
nlohmann::json external_set_summary(const nlohmann::json& results);

}  // namespace osgan
