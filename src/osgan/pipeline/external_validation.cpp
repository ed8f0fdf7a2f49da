#include "osgan/pipeline/external_validation.h"

#include <algorithm>
#include <map>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/hash.h"
#include "osgan/core/log.h"
#include "osgan/data/dataset.h"
#include "osgan/pipeline/study.h"
#include "osgan/runtime/device.h"
#include "osgan/train/classifier_checkpoint.h"
#include "osgan/train/classifier_evaluation.h"
#include "osgan/train/classifier_trainer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace osgan {
namespace {

// Models that share a preprocessing share one decoded copy of the images.
std::string preprocess_key(const data::PreprocessOptions& p) {
  return std::to_string(p.size) + "/" + std::to_string(static_cast<int>(p.scaling)) + "/" + std::to_string(p.low_percentile) +
         "/" + std::to_string(p.high_percentile) + "/" + std::to_string(p.pad_to_square);
}

}  // namespace

std::string study_signature(const fs::path& study_dir) { return sha256_file_hex(study_dir / "study.json"); }

std::vector<ModelRef> list_study_models(const fs::path& study_dir) {
  const fs::path study_file = study_dir / "study.json";
  std::error_code ec;
  if (!fs::is_regular_file(study_file, ec))
    fail(ErrorCode::io, study_file.string() + ": not found. Hint: pass the run folder of osgan pipeline (RUN), whose "
         "study stage has finished.");
  std::vector<ModelRef> models;
  try {
    const json study = json::parse(read_text_file(study_file));
    std::vector<std::string> protocols;
    for (const auto& name : study_protocol_names())  // the study's order, then any other protocol it has
      if (study.at("classification").contains(name)) protocols.push_back(name);
    for (const auto& [name, v] : study.at("classification").items())
      if (std::find(protocols.begin(), protocols.end(), name) == protocols.end()) protocols.push_back(name);
    for (const auto& protocol : protocols) {
      const json& entry = study.at("classification").at(protocol);
      const auto gans = entry.contains("gan_seeds") ? entry.at("gan_seeds").get<std::vector<int>>() : std::vector<int>{0};
      for (int gan : gans)
        for (auto seed : entry.at("seeds").get<std::vector<std::uint64_t>>())
          models.push_back({protocol, seed, study_dir / study_run_folder(protocol, gan, seed) / "model", gan});
    }
  } catch (const json::exception& e) {
    fail(ErrorCode::bad_format, study_file.string() + ": not a study.json written by osgan (" + std::string(e.what()) + ")");
  }
  for (const auto& m : models)
    if (!fs::is_regular_file(m.folder / "classifier.json", ec))
      fail(ErrorCode::io, (m.folder / "classifier.json").string() + ": not found: this study did not keep its " +
           m.protocol + " classifiers (earlier osgan versions kept only the real ones). Hint: rerun the pipeline with "
           "--force study to train and keep them all.");
  if (models.empty()) fail(ErrorCode::bad_format, study_file.string() + ": the study lists no classifier");
  return models;
}

std::string external_set_name(const fs::path& data) {
  fs::path p = data;
  while (!p.empty() && p.filename().empty()) p = p.parent_path();  // "dir/" -> "dir"
  std::error_code ec;
  const std::string name = fs::is_regular_file(p, ec) ? p.stem().string() : p.filename().string();
  if (name.empty() || name == "." || name == "..")
    fail(ErrorCode::invalid_argument, "external set \"" + data.string() + "\": cannot name it by its folder. Hint: pass "
         "the dataset's folder by its name, e.g. ../data/other_hospital");
  return name;
}

data::Dataset load_external_set(const fs::path& data, const std::string& positive_class, const std::string& negative_class,
                                const data::PreprocessOptions& preprocess) {
  std::error_code ec;
  if (!fs::exists(data, ec))
    fail(ErrorCode::io, "external set \"" + data.string() + "\": not found. Hint: pass a folder with one subfolder per "
         "class (" + negative_class + ", " + positive_class + ") or a CSV");
  data::DatasetOptions options;
  options.preprocess = preprocess;
  data::Dataset dataset;
  try {
    dataset = data::load_dataset(data, options);
  } catch (const Error& e) {
    fail(e.code(), std::string("external set: ") + e.what());  // the message names the folder
  }
  const auto& c = dataset.classes;
  const bool matches = c.size() == 2 && ((c[0] == positive_class && c[1] == negative_class) ||
                                         (c[1] == positive_class && c[0] == negative_class));
  if (!matches) {
    std::string found;
    for (const auto& name : c) found += (found.empty() ? "" : ", ") + name;
    fail(ErrorCode::bad_format, "external set \"" + data.string() + "\": expected the classes " + negative_class +
         " and " + positive_class + " (those the classifiers were trained on), found " +
         (found.empty() ? std::string("none") : found) + ". Hint: name its class folders like the development data's.");
  }
  return dataset;
}

json evaluate_models(const ModelEvaluationOptions& o) {
  if (o.models.empty()) fail(ErrorCode::invalid_argument, "evaluate: no model to evaluate");
  const auto device = parse_device(o.device);

  std::map<std::string, RealImages> images_by_preprocess;
  std::vector<int> labels;
  std::vector<StudyRun> runs;
  std::string positive, negative, description;
  json models = json::array();
  for (const auto& ref : o.models) {
    auto saved = load_classifier(ref.folder, device);
    if (positive.empty()) {
      positive = saved.positive_class;
      negative = saved.negative_class;
    } else if (saved.positive_class != positive || saved.negative_class != negative) {
      fail(ErrorCode::invalid_argument, ref.folder.string() + ": classes " + saved.positive_class + "/" +
           saved.negative_class + " differ from the other models' " + positive + "/" + negative +
           ". Hint: evaluate models of one task together.");
    }
    const std::string key = preprocess_key(saved.preprocess);
    auto it = images_by_preprocess.find(key);
    if (it == images_by_preprocess.end()) {
      RealImageSource source = o.images;
      source.positive_class = positive;
      auto loaded = load_real_images(source, saved.preprocess);
      if (loaded.negative_class != negative)
        fail(ErrorCode::invalid_argument, source.data.string() + ": its classes are " + positive + " and " +
             loaded.negative_class + ", but the models were trained on " + positive + " and " + negative +
             ". Hint: name its class folders like the development data's.");
      it = images_by_preprocess.emplace(key, std::move(loaded)).first;
    }
    const auto& set = it->second.images;
    if (labels.empty()) {
      description = it->second.description;
      for (int64_t i = 0; i < set.size(); ++i) labels.push_back(set.labels[i].item<float>() > 0.5f ? 1 : 0);
    }
    auto probabilities = predict_probabilities(saved.model, set.images, device);  // (N) float64
    StudyRun run;
    run.protocol = ref.protocol;
    run.seed = ref.seed;
    run.gan = ref.gan;
    run.probabilities.assign(probabilities.data_ptr<double>(), probabilities.data_ptr<double>() + probabilities.numel());
    runs.push_back(run);
    if (!o.out_dir.empty()) {
      const fs::path folder = o.out_dir / study_run_folder(ref.protocol, ref.gan, ref.seed);
      fs::create_directories(folder);
      write_predictions_csv(folder / "predictions.csv", set, probabilities, positive, negative);
    }
    models.push_back({{"protocol", ref.protocol}, {"seed", ref.seed}, {"folder", ref.folder.string()}});
    if (ref.gan > 1) models.back()["gan"] = ref.gan;
    log_info("evaluate: " + o.set_name + ": " + ref.protocol + (ref.gan > 1 ? " gan " + std::to_string(ref.gan) : "") +
             " seed " + std::to_string(ref.seed) + " done");
  }
  const auto positives = std::count(labels.begin(), labels.end(), 1);
  if (positives == 0 || positives == static_cast<long>(labels.size()))
    fail(ErrorCode::invalid_argument, o.images.data.string() + ": the images hold only one class; an evaluation needs both");

  json result = {{"format", "osgan.model-evaluation"}, {"version", 1}, {"set", o.set_name},
                 {"data", fs::weakly_canonical(fs::absolute(o.images.data)).string()}, {"evaluated_on", description},
                 {"images", labels.size()}, {"positives", positives}, {"positive_class", positive}, {"models", models},
                 {"interval_method", "two-level percentile bootstrap over seeds and images (paired across protocols), " +
                                     std::to_string(o.bootstrap_resamples) + " resamples"},
                 {"classification", summarize_study(labels, runs, o.bootstrap_resamples, o.seed)}};
  if (!o.study_signature.empty()) result["study_sha256"] = o.study_signature;
  if (!o.out_dir.empty()) {
    fs::create_directories(o.out_dir);
    write_text_atomically(o.out_dir / "results.json", result.dump(2) + "\n");
  }
  return result;
}

json external_set_summary(const json& results) {
  return {{"data", results.at("data")}, {"images", results.at("images")}, {"positives", results.at("positives")},
          {"interval_method", results.at("interval_method")}};
}

}  // namespace osgan
