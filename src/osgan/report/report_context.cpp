// The report's shared state and formatting helpers: resolving and embedding images, drawing plots with a
// visible fallback, reading numbers from metrics.json without throwing.
#include "osgan/report/report_context.h"

#include <cstdio>

#include "osgan/core/error.h"
#include "osgan/core/log.h"
#include "osgan/report/ratio_protocol.h"
#include "osgan/report/html.h"

namespace fs = std::filesystem;

namespace osgan::report {

ReportContext::ReportContext(const json& metrics, fs::path run_dir) : metrics_(metrics), run_dir_(std::move(run_dir)) {
  const std::string root = text(find(metrics_, {"dataset", "root"}));
  if (!root.empty()) data_root_ = resolve_run_path(root);
}

fs::path ReportContext::resolve_run_path(const std::string& path) const {
  const fs::path p(path);
  return p.is_absolute() ? p : run_dir_ / p;
}

std::string ReportContext::notice(const std::string& message) {
  problems.push_back(message);
  log_warning("report: " + message);
  return "<div class=\"missing\">" + html_escape(message) + "</div>";
}

std::string ReportContext::image_tag(const fs::path& file, const std::string& alt, const std::string& css_class,
                                     const std::string& shown_name) {
  try {
    const std::string uri = image_file_data_uri(file);
    ++images;
    return "<img class=\"" + css_class + "\" alt=\"" + html_escape(alt) + "\" title=\"" + html_escape(shown_name) +
           "\" src=\"" + uri + "\">";
  } catch (const Error& e) {
    return notice(std::string("image not shown: ") + e.what());
  }
}

std::string ReportContext::run_image(const std::string& path, const std::string& alt, const std::string& css_class) {
  if (path.empty()) return notice("image not shown: " + alt + " (no path in metrics.json)");
  fs::path file = resolve_run_path(path);
  // Image paths in image_quality may be dataset ids rather than run paths.
  if (!fs::exists(file) && !data_root_.empty() && fs::exists(data_root_ / path)) file = data_root_ / path;
  return image_tag(file, alt, css_class, path);
}

std::string ReportContext::data_image(const std::string& id, const std::string& alt, const std::string& css_class) {
  if (data_root_.empty()) return notice("thumbnail of \"" + id + "\" not shown: metrics.json has no dataset.root");
  const fs::path thumbnail = run_dir_ / "thumbnails" / (id + ".png");
  if (fs::exists(thumbnail)) return image_tag(thumbnail, alt, css_class, id);
  return image_tag(data_root_ / id, alt, css_class, id);
}

std::string ReportContext::plot(const std::string& what, const std::function<std::string()>& draw,
                                const std::string& css_class) {
  try {
    const std::string svg = draw();
    ++images;
    ++plots;
    return "<img class=\"" + css_class + "\" alt=\"" + html_escape(what) + "\" src=\"" + svg_data_uri(svg) + "\">";
  } catch (const Error& e) {
    return notice("plot \"" + what + "\" not drawn: " + e.what());
  } catch (const json::exception& e) {
    return notice("plot \"" + what + "\" not drawn: unexpected value in metrics.json (" + e.what() + ")");
  }
}

const json* find(const json& root, std::initializer_list<const char*> path) { return find(&root, path); }

const json* find(const json* root, std::initializer_list<const char*> path) {
  const json* node = root;
  for (const char* key : path) {
    if (!node || !node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node && !node->is_null() ? node : nullptr;
}

double number(const json* value) { return value && value->is_number() ? value->get<double>() : std::nan(""); }

std::vector<double> numbers(const json* value) {
  std::vector<double> out;
  if (!value || !value->is_array()) return out;
  for (const auto& v : *value) out.push_back(v.is_number() ? v.get<double>() : std::nan(""));
  return out;
}

std::string text(const json* value) {
  if (!value) return "";
  return value->is_string() ? value->get<std::string>() : value->dump();
}

std::string fmt(double value, int digits) {
  if (!std::isfinite(value)) return "&ndash;";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  return buf;
}

std::string fmt_count(double value) {
  if (!std::isfinite(value)) return "&ndash;";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", value);
  return buf;
}

std::string fmt_seconds(double s) {
  if (!std::isfinite(s)) return "&ndash;";
  char buf[64];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.1f s", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%d min %02d s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%d h %02d min", static_cast<int>(s) / 3600, static_cast<int>(s) % 3600 / 60);
  return buf;
}

std::string fmt_estimate(const json* stat, int digits) {
  const double mean = number(find(stat, {"mean"}));
  if (!std::isfinite(mean)) return "&ndash;";
  std::string out = fmt(mean, digits);
  const auto ci = numbers(find(stat, {"ci95"}));
  if (ci.size() == 2) out += " <span class=\"ci\">[" + fmt(ci[0], digits) + ", " + fmt(ci[1], digits) + "]</span>";
  return out;
}

std::string protocol_label(const std::string& key) {
  if (key == "real") return "Real only";
  if (key == "real_classical") return "Real + classical augmentation";
  if (key == "synthetic") return "Synthetic only";
  if (key == "real_synthetic") return "Real + synthetic";
  if (key == "real_synthetic_classical") return "Real + synthetic + classical";
  return key;
}

std::vector<std::string> protocol_keys(const json* classification) {
  static const char* const kStandard[] = {"real", "real_classical", "synthetic", "real_synthetic",
                                          "real_synthetic_classical"};
  std::vector<std::string> keys;
  if (!classification || !classification->is_object()) return keys;
  for (const char* k : kStandard)
    if (classification->contains(k) && (*classification)[k].is_object()) keys.push_back(k);
  for (const auto& [k, v] : classification->items()) {
    bool standard = false;
    for (const char* s : kStandard) standard = standard || k == s;
    // The ratio sweep's points have a section of their own (classification.ratio), not rows here.
    if (!standard && v.is_object() && v.contains("accuracy") && !parse_ratio_protocol(k)) keys.push_back(k);
  }
  return keys;
}

}  // namespace osgan::report
