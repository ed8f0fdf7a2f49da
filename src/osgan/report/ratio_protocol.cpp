#include "osgan/report/ratio_protocol.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "osgan/core/error.h"

using nlohmann::json;

namespace osgan {
namespace {

const std::string kPrefix = "real_synthetic_r";
const char* const kMetrics[] = {"accuracy", "auc", "f1", "sensitivity", "specificity"};

// A summary entry cut to what the sweep table shows: each metric's mean and ci95 and the paired deltas.
json table_entry(const json& summary_entry, const std::string& protocol, const json& synthetic_counts) {
  json e = {{"protocol", protocol}, {"synthetic_per_class", synthetic_counts}};
  for (const char* m : kMetrics) {
    if (!summary_entry.contains(m)) continue;
    e[m] = {{"mean", summary_entry[m].value("mean", json(nullptr))}, {"ci95", summary_entry[m].value("ci95", json::array())}};
    if (summary_entry.contains("delta_vs_real") && summary_entry["delta_vs_real"].contains(m))
      e["delta_vs_real"][m] = summary_entry["delta_vs_real"][m];
    else if (protocol == "real")
      e["delta_vs_real"][m] = {{"mean", 0.0}, {"ci95", {0.0, 0.0}}};
  }
  return e;
}

}  // namespace

std::string ratio_text(double ratio) {
  std::ostringstream s;
  s.precision(6);
  s << ratio;
  return s.str();
}

std::vector<std::string> ratio_filter_names() { return {"none", "nearest"}; }

std::string ratio_protocol_name(const RatioProtocol& p) { return kPrefix + ratio_text(p.ratio) + "_" + p.filter; }

std::optional<RatioProtocol> parse_ratio_protocol(const std::string& protocol) {
  if (protocol.rfind(kPrefix, 0) != 0) return std::nullopt;
  const auto rest = protocol.substr(kPrefix.size());
  const auto cut = rest.find('_');
  if (cut == std::string::npos || cut == 0) return std::nullopt;
  const std::string number = rest.substr(0, cut), filter = rest.substr(cut + 1);
  const auto filters = ratio_filter_names();
  if (std::find(filters.begin(), filters.end(), filter) == filters.end()) return std::nullopt;
  char* end = nullptr;
  const double ratio = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(ratio) || ratio <= 0) return std::nullopt;
  RatioProtocol p{ratio, filter};
  if (ratio_protocol_name(p) != protocol) return std::nullopt;  // one spelling per point ("0.50" is not "0.5")
  return p;
}

std::vector<std::string> ratio_protocol_names(const std::vector<double>& ratios, const std::vector<std::string>& filters) {
  const auto known = ratio_filter_names();
  for (const auto& f : filters)
    if (std::find(known.begin(), known.end(), f) == known.end())
      fail(ErrorCode::invalid_argument, "study.ratio_filters: unknown filter \"" + f + "\" (known: none, nearest)");
  std::vector<std::string> names;
  for (double r : ratios) {
    if (!std::isfinite(r) || r <= 0)
      fail(ErrorCode::invalid_argument, "study.ratios: expected numbers > 0 (generated images per real training "
           "image, per class), found " + ratio_text(r) + "; ratio 0 is the \"real\" protocol, always in the sweep");
    for (const auto& f : filters) {
      const auto name = ratio_protocol_name({r, f});
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  return names;
}

json ratio_sweep_table(const json& summary, const json& synthetic_per_class) {
  struct Point {
    std::string key, filter, protocol;
  };
  std::vector<Point> points;
  bool any_ratio = false;
  for (const auto& [protocol, entry] : summary.items()) {
    if (const auto p = parse_ratio_protocol(protocol)) {
      points.push_back({ratio_text(p->ratio), p->filter, protocol});
      any_ratio = true;
    }
  }
  if (!any_ratio) return json::object();
  if (summary.contains("real")) points.push_back({"0", "none", "real"});
  if (summary.contains("real_synthetic")) points.push_back({"all", "none", "real_synthetic"});
  json table = json::object();
  for (const auto& p : points) {
    json counts = synthetic_per_class.contains(p.protocol) ? synthetic_per_class[p.protocol] : json::object();
    table[p.key][p.filter] = table_entry(summary[p.protocol], p.protocol, counts);
  }
  return table;
}

}  // namespace osgan
