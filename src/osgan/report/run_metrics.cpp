// Loading RUN/metrics.json with one-line errors that name the file and the position of a syntax error.
#include "osgan/report/run_metrics.h"

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/log.h"

namespace osgan::report {
namespace {

// nlohmann reports a byte offset; people want line:column.
std::string line_column(const std::string& text, size_t byte) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < text.size() && i + 1 < byte; ++i) {
    if (text[i] == '\n') ++line, col = 1;
    else ++col;
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace

nlohmann::json load_run_metrics(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path))
    fail(ErrorCode::io, "cannot read \"" + path.string() + "\" (no such file). Hint: --run must be a run folder " +
                            "written by 'osgan pipeline', which holds metrics.json");
  const std::string text = read_text_file(path);
  nlohmann::json metrics;
  try {
    metrics = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    const auto colon = what.rfind(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    fail(ErrorCode::bad_format, "\"" + path.string() + "\" is not valid JSON (at " + line_column(text, e.byte) +
                                    ": " + what + ")");
  } catch (const nlohmann::json::exception& e) {  // e.g. out_of_range: a number too large for a double
    fail(ErrorCode::bad_format, "\"" + path.string() + "\" is not valid JSON (" + e.what() + ")");
  }
  if (!metrics.is_object())
    fail(ErrorCode::bad_format, "\"" + path.string() + "\" must hold a JSON object, found a JSON " +
                                    std::string(metrics.type_name()));
  if (metrics.contains("format") && metrics["format"] != kMetricsFormat)
    fail(ErrorCode::bad_format, "\"" + path.string() + "\" has format " + metrics["format"].dump() + ", expected \"" +
                                    kMetricsFormat + "\"");
  if (metrics.contains("version") && metrics["version"].is_number_integer() &&
      metrics["version"].get<int>() > kMetricsVersion)
    log_warning("\"" + path.string() + "\" is version " + metrics["version"].dump() + "; this osgan reads version " +
                std::to_string(kMetricsVersion) + ", so newer sections may be left out of the report");
  return metrics;
}

}  // namespace osgan::report
