// RUN/metrics.json, the pipeline's summary of one run (schema in docs/run-folder.md). The report reads it as
// JSON and tolerates missing sections; only a file that cannot be read or parsed is an error.
#pragma once
#include <filesystem>

#include <nlohmann/json.hpp>

namespace osgan::report {

// The format name and the newest version this code reads. Files without these keys are accepted (the
// pipeline's first versions); a newer version is read with a warning, as later fields only add keys.
inline constexpr const char* kMetricsFormat = "osgan.metrics";
inline constexpr int kMetricsVersion = 1;

// Reads and parses a metrics.json. Throws osgan::Error with one line naming the file: io when it cannot be
// read, bad_format when it is not JSON (with the line and column), is not a JSON object, or names another format.
nlohmann::json load_run_metrics(const std::filesystem::path& path);

}  // namespace osgan::report
