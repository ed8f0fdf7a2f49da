// Internal to the report: the state shared by the section renderers (the metrics, where files are, what
// went wrong) and small formatting helpers. Not part of the public API.
#pragma once
#include <cmath>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace osgan::report {

using nlohmann::json;

class ReportContext {
 public:
  ReportContext(const json& metrics, std::filesystem::path run_dir);

  const json& metrics() const { return metrics_; }
  const std::filesystem::path& data_root() const { return data_root_; }

  // <img> of a file under the run folder (or absolute); a visible "missing" notice when it cannot be shown.
  std::string run_image(const std::string& path, const std::string& alt, const std::string& css_class);
  // <img> of a dataset image by its id relative to dataset.root (a PNG from RUN/thumbnails/<id>.png is
  // used for formats browsers cannot show, such as DICOM and NIfTI).
  std::string data_image(const std::string& id, const std::string& alt, const std::string& css_class);
  // <img> of a plot; `draw` returns SVG. Failures (gnuplot missing, bad data) become a visible notice.
  std::string plot(const std::string& what, const std::function<std::string()>& draw, const std::string& css_class = "plot");
  // Records a problem (shown in the page by the caller) and logs it as a warning.
  std::string notice(const std::string& message);
  std::filesystem::path resolve_run_path(const std::string& path) const;

  int images = 0;
  int plots = 0;
  std::vector<std::string> problems;

 private:
  std::string image_tag(const std::filesystem::path& file, const std::string& alt, const std::string& css_class,
                        const std::string& shown_name);

  const json& metrics_;
  std::filesystem::path run_dir_;
  std::filesystem::path data_root_;
};

// The value at a path of object keys, or nullptr when any step is missing or null.
const json* find(const json& root, std::initializer_list<const char*> path);
const json* find(const json* root, std::initializer_list<const char*> path);
// A number, or NaN when absent or not a number.
double number(const json* value);
std::vector<double> numbers(const json* value);
std::string text(const json* value);  // strings as they are, other scalars dumped, "" when absent

// Fixed-point with `digits` decimals, or an en dash for NaN.
std::string fmt(double value, int digits = 3);
std::string fmt_count(double value);
std::string fmt_seconds(double seconds);
// "0.912 [0.881, 0.940]" from {mean, ci95: [lo, hi]} (HTML, interval in a muted span).
std::string fmt_estimate(const json* stat, int digits = 3);

// Sections of the page, each returning one <section> (report_sections.cpp).
std::string section_summary(ReportContext& ctx);
std::string section_audit(ReportContext& ctx);
std::string section_split(ReportContext& ctx);
std::string section_gan(ReportContext& ctx);
std::string section_image_quality(ReportContext& ctx);
std::string section_classification(ReportContext& ctx);
std::string section_external(ReportContext& ctx);
// "How many synthetic images?": the ratio sweep's paired AUC differences (classification.ratio, external.<set>.ratio).
std::string section_ratio(ReportContext& ctx);
std::string section_environment(ReportContext& ctx);
std::string section_caveats(ReportContext& ctx);

// The human name of a classification protocol ("real_synthetic" -> "Real + synthetic").
std::string protocol_label(const std::string& key);
// Protocol keys in the order the report shows them: the five standard ones first, then any others.
std::vector<std::string> protocol_keys(const json* classification);

}  // namespace osgan::report
