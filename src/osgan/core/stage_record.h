// Completion records for long jobs made of stages (osgan pipeline): a stage is skipped when its record says
// it finished with the same fingerprint (a hash of its inputs and config) and its outputs still exist, so a
// stopped run resumes where it stopped and a changed input or config redoes exactly what depends on it.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace osgan {

struct StageRecord {
  std::string stage;
  std::string fingerprint;
  double seconds = 0;
  std::vector<std::string> outputs;  // paths relative to the run folder
};

class StageRecords {
 public:
  explicit StageRecords(std::filesystem::path run_dir);

  // True when `stage` completed with this fingerprint and every recorded output exists.
  bool is_complete(const std::string& stage, const std::string& fingerprint) const;
  // Records completion (atomic write of RUN/stages/<stage>.json).
  void mark_complete(const StageRecord& record) const;
  // Forgets a stage (for --force).
  void invalidate(const std::string& stage) const;
  // The stored record, if any (seconds of an earlier run, for reports).
  bool read(const std::string& stage, StageRecord& record) const;

 private:
  std::filesystem::path record_path(const std::string& stage) const;
  std::filesystem::path run_dir_;
};

}  // namespace osgan
