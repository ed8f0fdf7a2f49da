#include "osgan/core/stage_record.h"

#include <nlohmann/json.hpp>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"

namespace fs = std::filesystem;

namespace osgan {

StageRecords::StageRecords(fs::path run_dir) : run_dir_(std::move(run_dir)) {}

fs::path StageRecords::record_path(const std::string& stage) const { return run_dir_ / "stages" / (stage + ".json"); }

bool StageRecords::read(const std::string& stage, StageRecord& record) const {
  const fs::path path = record_path(stage);
  std::error_code ec;
  if (!fs::exists(path, ec)) return false;
  try {
    auto j = nlohmann::json::parse(read_text_file(path));
    record.stage = j.at("stage").get<std::string>();
    record.fingerprint = j.at("fingerprint").get<std::string>();
    record.seconds = j.value("seconds", 0.0);
    record.outputs = j.value("outputs", std::vector<std::string>{});
    return record.stage == stage;
  } catch (const std::exception&) {
    return false;  // a damaged record means "not complete": the stage runs again
  }
}

bool StageRecords::is_complete(const std::string& stage, const std::string& fingerprint) const {
  StageRecord record;
  if (!read(stage, record) || record.fingerprint != fingerprint) return false;
  std::error_code ec;
  for (const auto& out : record.outputs)
    if (!fs::exists(run_dir_ / out, ec)) return false;
  return true;
}

void StageRecords::mark_complete(const StageRecord& record) const {
  fs::create_directories(run_dir_ / "stages");
  nlohmann::json j = {{"stage", record.stage},
                      {"fingerprint", record.fingerprint},
                      {"seconds", record.seconds},
                      {"outputs", record.outputs}};
  write_text_atomically(record_path(record.stage), j.dump(2) + "\n");
}

void StageRecords::invalidate(const std::string& stage) const {
  std::error_code ec;
  fs::remove(record_path(stage), ec);
}

}  // namespace osgan
