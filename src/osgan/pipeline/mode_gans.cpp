#include "osgan/pipeline/mode_gans.h"

#include <nlohmann/json.hpp>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/one_line.h"

namespace osgan {

using nlohmann::json;

std::vector<double> ClassModes::shares() const {
  std::size_t total = 0;
  for (const auto& m : members) total += m.size();
  std::vector<double> s;
  for (const auto& m : members) s.push_back(total ? static_cast<double>(m.size()) / static_cast<double>(total) : 0.0);
  return s;
}

ClassModes split_class_into_modes(const data::Dataset& at_mode_size, const data::Split& split, const std::string& cls) {
  const auto indices = data::select_samples(at_mode_size, split, data::Side::train, cls);
  if (indices.size() < 3)
    fail(ErrorCode::invalid_argument, "gan.per_mode / gan.mode_condition / gan.mode_balance: class \"" + cls + "\" has " +
         std::to_string(indices.size()) + " training slices; at least 3 are needed to fit its modes. Hint: set "
         "gan.per_mode: false, gan.mode_condition: false and gan.mode_balance: 0");
  std::vector<io::Image> images;
  for (const auto i : indices) images.push_back(at_mode_size.samples[i].image);
  ClassModes modes;
  modes.class_name = cls;
  modes.model = data::fit_mode_model(images);
  const auto assigned = data::assign_modes(modes.model, images);
  modes.members.assign(static_cast<std::size_t>(modes.model.k()), {});
  for (std::size_t j = 0; j < indices.size(); ++j)
    modes.members[static_cast<std::size_t>(assigned[j])].push_back(at_mode_size.samples[indices[j]].id);
  // k-means can leave a centre that no slice is nearest to once every slice is assigned; a GAN needs images.
  for (std::size_t m = 0; m < modes.members.size(); ++m)
    if (modes.members[m].empty())
      fail(ErrorCode::numerical, "gan.per_mode / gan.mode_condition / gan.mode_balance: mode " + std::to_string(m) + " of class \"" +
           cls + "\" holds no training slice. Hint: set gan.per_mode: false, gan.mode_condition: false and gan.mode_balance: 0");
  return modes;
}

std::string mode_run_name(int mode) { return "mode_" + std::to_string(mode); }

void save_class_modes(const std::filesystem::path& path, const ClassModes& modes) {
  const json j = {{"format", "osgan-class-modes"}, {"version", 1},          {"class", modes.class_name},
                  {"k", modes.members.size()},     {"shares", modes.shares()}, {"members", modes.members},
                  {"model", data::mode_model_to_json(modes.model)}};
  write_text_atomically(path, j.dump(1) + "\n");
}

ClassModes load_class_modes(const std::filesystem::path& path) {
  const std::string source = path.string();
  json j;
  try {
    j = json::parse(read_text_file(path));
  } catch (const json::exception& e) {
    fail(ErrorCode::bad_format, source + ": not valid JSON (" + one_line(e.what()) + ")");
  }
  // A "format" or "version" of another JSON type is a file of another kind, not a type error of nlohmann's.
  const auto is_class_modes = [&j] {
    try {
      return j.is_object() && j.value("format", "") == "osgan-class-modes" && j.value("version", 0) == 1;
    } catch (const json::exception&) {
      return false;
    }
  };
  if (!is_class_modes())
    fail(ErrorCode::bad_format, source + ": expected an osgan-class-modes file of version 1. Hint: it is written by "
         "the pipeline's GAN stage with gan.per_mode; rerun that stage (--force gan-<class>)");
  ClassModes modes;
  json model;
  try {
    modes.class_name = j.at("class").get<std::string>();
    modes.members = j.at("members").get<std::vector<std::vector<std::string>>>();
    model = j.at("model");
  } catch (const json::exception& e) {
    fail(ErrorCode::bad_format, source + ": " + one_line(e.what()));
  }
  modes.model = data::mode_model_from_json(model, source);
  if (static_cast<int>(modes.members.size()) != modes.model.k())
    fail(ErrorCode::bad_format, source + ": " + std::to_string(modes.members.size()) + " member lists for a model of " +
         std::to_string(modes.model.k()) + " modes");
  for (std::size_t m = 0; m < modes.members.size(); ++m)
    if (modes.members[m].empty()) fail(ErrorCode::bad_format, source + ": mode " + std::to_string(m) + " has no members");
  return modes;
}

}  // namespace osgan
