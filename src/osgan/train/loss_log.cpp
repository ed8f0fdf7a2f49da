#include "osgan/train/loss_log.h"

#include <algorithm>
#include <sstream>

#include "osgan/core/atomic_file.h"

namespace osgan {
namespace {

// The step of a data row, or -1 for a row that is not "<integer>,..." (such a row is dropped).
std::int64_t step_of(const std::string& row) {
  const auto comma = row.find(',');
  if (comma == 0 || comma == std::string::npos) return -1;
  std::int64_t step = 0;
  for (std::size_t i = 0; i < comma; ++i) {
    if (row[i] < '0' || row[i] > '9' || step > (INT64_MAX - 9) / 10) return -1;
    step = step * 10 + (row[i] - '0');
  }
  return step;
}

}  // namespace

void LossLog::load_up_to(std::int64_t step) {
  columns_.clear();
  rows_.clear();
  if (!std::filesystem::exists(path_)) return;
  std::istringstream in(read_text_file(path_));
  std::string header, line;
  if (!std::getline(in, header) || header.rfind("step,", 0) != 0) return;  // not a loss log of ours: start it again
  std::istringstream names(header.substr(5));
  for (std::string name; std::getline(names, name, ',');) columns_.push_back(name);
  const auto commas = std::count(header.begin(), header.end(), ',');
  while (std::getline(in, line)) {
    const auto row_step = step_of(line);
    if (row_step >= 1 && row_step <= step && std::count(line.begin(), line.end(), ',') == commas)
      rows_.emplace_back(row_step, line);
  }
}

void LossLog::add(std::int64_t step, const StepLosses& losses) {
  std::size_t added = 0;
  for (const auto& kv : losses)
    if (std::find(columns_.begin(), columns_.end(), kv.first) == columns_.end()) columns_.push_back(kv.first), ++added;
  for (auto& row : rows_) row.second += std::string(added, ',');
  std::ostringstream row;
  row << step;
  for (const auto& name : columns_) {
    row << ",";
    if (const auto it = losses.find(name); it != losses.end()) row << it->second;
  }
  rows_.emplace_back(step, row.str());
}

void LossLog::drop_after(std::int64_t step) {
  rows_.erase(std::remove_if(rows_.begin(), rows_.end(), [step](const auto& r) { return r.first > step; }), rows_.end());
}

void LossLog::write() const {
  std::string text;
  if (!columns_.empty() || !rows_.empty()) {
    text = "step";
    for (const auto& name : columns_) text += "," + name;
    text += "\n";
  }
  for (const auto& row : rows_) text += row.second + "\n";
  write_text_atomically(path_, text);
}

}  // namespace osgan
