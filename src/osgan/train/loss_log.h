// RUN/losses.csv (one row per step: step, then each loss by name), kept in memory and written atomically just before
// each checkpoint. So the file on disk is never half-written when the process is killed, it holds every row up to the
// latest checkpoint's step (and perhaps a few past it, when the kill came between the two writes), and a rollback or a
// resume simply drops the rows past the step it returns to.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "osgan/train/gan.h"

namespace osgan {

class LossLog {
 public:
  explicit LossLog(std::filesystem::path path) : path_(std::move(path)) {}

  // Resuming: reads the file (when it exists) and keeps its column names and the rows of steps 1..step.
  void load_up_to(std::int64_t step);

  // A name the header lacks (a run resumed by a newer osgan that logs more) becomes a new last column, empty in the
  // rows before it; a logged name missing from `losses` is left empty in this row. Values never shift columns.
  void add(std::int64_t step, const StepLosses& losses);
  void drop_after(std::int64_t step);
  void write() const;  // atomically

 private:
  std::filesystem::path path_;
  std::vector<std::string> columns_;                             // the names after "step", in header order
  std::vector<std::pair<std::int64_t, std::string>> rows_;       // (step, full row) in step order
};

}  // namespace osgan
