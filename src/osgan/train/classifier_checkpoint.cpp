// Saving and loading classifier folders.
#include "osgan/train/classifier_checkpoint.h"

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/one_line.h"
#include "osgan/io/torch_archive_check.h"

namespace osgan {

namespace fs = std::filesystem;

namespace {
const char* scaling_name(data::IntensityScaling s) { return s == data::IntensityScaling::percentile ? "percentile" : "minmax"; }
}  // namespace

void save_classifier(const fs::path& folder, const SavedClassifier& saved) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) fail(ErrorCode::io, "cannot create \"" + folder.string() + "\": " + ec.message());
  auto config = saved.config;
  if (config.arch == "torchscript") {
    const fs::path target = folder / "backbone.pt";
    if (fs::absolute(config.backbone_file) != fs::absolute(target)) {
      const std::string bytes = read_text_file(config.backbone_file);
      write_text_atomically(target, bytes);
    }
    config.backbone_file = "backbone.pt";  // relative to the folder
  }
  write_atomically(folder / "model.pt", [&](const fs::path& tmp) {
    torch::serialize::OutputArchive archive;
    saved.model->save(archive);
    archive.save_to(tmp.string());
  });
  nlohmann::json j = {
      {"format", "osgan-classifier"}, {"version", kClassifierFormatVersion},
      {"model", models::to_json(config)},
      {"classes", {{"positive", saved.positive_class}, {"negative", saved.negative_class}}},
      {"preprocess", {{"size", saved.preprocess.size}, {"scaling", scaling_name(saved.preprocess.scaling)},
                      {"low_percentile", saved.preprocess.low_percentile},
                      {"high_percentile", saved.preprocess.high_percentile},
                      {"pad_to_square", saved.preprocess.pad_to_square}}},
      {"extra", saved.extra}};
  write_text_atomically(folder / "classifier.json", j.dump(2) + "\n");
}

SavedClassifier load_classifier(const fs::path& folder, const torch::Device& device) {
  const fs::path json_path = folder / "classifier.json";
  if (!fs::is_regular_file(json_path))
    fail(ErrorCode::io, "--model \"" + folder.string() + "\": no classifier.json. Hint: pass the --out folder of "
         "osgan train-classifier.");
  SavedClassifier s;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_text_file(json_path));
    if (j.value("format", "") != "osgan-classifier")
      fail(ErrorCode::bad_format, json_path.string() + ": expected format \"osgan-classifier\", found \"" +
           j.value("format", "") + "\"");
    const int version = j.at("version").get<int>();
    if (version > kClassifierFormatVersion)
      fail(ErrorCode::bad_format, json_path.string() + ": format version " + std::to_string(version) +
           " is newer than this osgan reads (" + std::to_string(kClassifierFormatVersion) + "). Hint: update osgan.");
    try {
      s.config = models::classifier_config_from_json(j.at("model"));
    } catch (const Error& e) {
      fail(ErrorCode::bad_format, json_path.string() + ": " + e.what());
    }
    s.positive_class = j.at("classes").at("positive").get<std::string>();
    s.negative_class = j.at("classes").at("negative").get<std::string>();
    const auto& p = j.at("preprocess");
    s.preprocess.size = p.at("size").get<int>();
    s.preprocess.scaling = p.at("scaling").get<std::string>() == "minmax" ? data::IntensityScaling::minmax
                                                                          : data::IntensityScaling::percentile;
    s.preprocess.low_percentile = p.value("low_percentile", s.preprocess.low_percentile);
    s.preprocess.high_percentile = p.value("high_percentile", s.preprocess.high_percentile);
    s.preprocess.pad_to_square = p.value("pad_to_square", false);
    s.extra = j.value("extra", nlohmann::json::object());
    const auto& pp = s.preprocess;
    if (pp.size < 16 || pp.size > 2048 || !(pp.low_percentile >= 0 && pp.low_percentile < pp.high_percentile && pp.high_percentile <= 100))
      fail(ErrorCode::bad_format, json_path.string() + ": preprocess expects a size in [16, 2048] and percentiles "
           "0 <= low < high <= 100, found size " + std::to_string(pp.size) + ", percentiles " +
           std::to_string(pp.low_percentile) + " and " + std::to_string(pp.high_percentile));
  } catch (const nlohmann::json::exception& e) {
    fail(ErrorCode::bad_format, json_path.string() + ": " + e.what());
  }
  if (s.config.arch == "torchscript") {
    // The backbone is copied into the folder by save_classifier: a name, never a path that leaves the folder.
    const fs::path name = s.config.backbone_file;
    if (name.empty() || name != name.filename() || name == "." || name == "..")
      fail(ErrorCode::bad_format, json_path.string() + ": model.backbone_file must be a file name inside the folder, found \"" +
                                      one_line(s.config.backbone_file) + "\"");
    s.config.backbone_file = (folder / name).string();
  }
  try {
    s.model = models::Classifier(s.config);
  } catch (const Error& e) {  // a config that builds no model: say which file holds it
    fail(ErrorCode::bad_format, json_path.string() + ": " + e.what());
  }
  const fs::path weights = folder / "model.pt";
  if (!fs::is_regular_file(weights)) fail(ErrorCode::io, weights.string() + ": file not found");
  io::check_torch_archive(weights);  // LibTorch trusts the sizes inside the file
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(weights.string());
    s.model->load(archive);
  } catch (const c10::Error& e) {
    fail(ErrorCode::bad_format, weights.string() + ": cannot load the weights (" +
         one_line(std::string(e.what_without_backtrace()).substr(0, 200)) + ")");
  } catch (const std::exception& e) {  // torch::jit::ErrorReport when the archive's code does not compile
    fail(ErrorCode::bad_format, weights.string() + ": cannot load the weights (" + one_line(std::string(e.what()).substr(0, 200)) + ")");
  }
  s.model->to(device);
  s.model->eval();
  return s;
}

}  // namespace osgan
