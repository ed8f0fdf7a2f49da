// The dataset audit: gathers counts, formats, duplicates, outliers and modes into one report, and renders it as JSON
// (machine-readable, versioned) and as a short terminal summary.
#include "osgan/data/audit.h"

#include <chrono>
#include <cstdio>
#include <sstream>
#include <tuple>

#include "osgan/core/atomic_file.h"

namespace osgan::data {
namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

nlohmann::json duplicate_to_json(const DuplicateRef& d) {
  return {{"id_a", d.id_a},   {"id_b", d.id_b},   {"label_a", d.label_a}, {"label_b", d.label_b},
          {"score", d.correlation}, {"transform", d.transform}, {"zoom", d.zoom},
          {"shift_y", d.shift_y}, {"shift_x", d.shift_x}, {"hash_distance", d.hash_distance}};
}

// The modes of all images, fitted over all classes jointly, and how each class spreads over them.
ModeAudit audit_modes(const Dataset& ds, const AuditOptions& options) {
  ModeAudit a;
  if (!options.modes || ds.samples.size() < 4) return a;
  std::vector<io::Image> images;
  for (const auto& s : ds.samples) images.push_back(s.image);
  a.model = fit_mode_model(images, options.mode_fit);
  const std::vector<int> modes = assign_modes(a.model, images);
  const int k = a.model.k();
  std::map<std::string, int> class_size;
  for (const auto& c : ds.classes) a.share_per_class[c].assign(k, 0.0), class_size[c] = 0;
  a.modes.resize(k);
  for (int m = 0; m < k; ++m) {
    a.modes[m].mode = m;
    for (const auto& c : ds.classes) a.modes[m].count_per_class[c] = 0;
  }
  for (size_t i = 0; i < modes.size(); ++i) {
    ++a.modes[modes[i]].count;
    ++a.modes[modes[i]].count_per_class[ds.samples[i].label];
    ++class_size[ds.samples[i].label];
  }
  for (auto& row : a.modes) {
    row.share = static_cast<double>(row.count) / modes.size();
    for (const auto& [c, n] : row.count_per_class) {
      if (class_size[c] > 0) a.share_per_class[c][row.mode] = static_cast<double>(n) / class_size[c];
      if (row.count > 0 && static_cast<double>(n) / row.count > row.main_class_share)
        row.main_class = c, row.main_class_share = static_cast<double>(n) / row.count;
    }
    row.single_class = row.share >= options.mode_min_share && row.main_class_share >= options.mode_single_class;
    if (row.single_class)
      a.warnings.push_back("mode " + std::to_string(row.mode) + " (" + std::to_string(row.count) + " images, " +
                           fixed(100 * row.share, 0) + "% of all) is " + fixed(100 * row.main_class_share, 0) + "% " +
                           row.main_class + ": a classifier can learn the mode instead of the tumour");
  }
  return a;
}

nlohmann::json modes_to_json(const ModeAudit& a, const AuditOptions& options) {
  if (a.model.k() == 0) return nullptr;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : a.modes)
    rows.push_back({{"mode", row.mode}, {"count", row.count}, {"share", row.share},
                    {"count_per_class", row.count_per_class}, {"main_class", row.main_class},
                    {"main_class_share", row.main_class_share}, {"single_class", row.single_class}});
  nlohmann::json j = {{"fitted_on", "all images, all classes jointly"},
                      {"modes", rows},
                      {"share_per_class", a.share_per_class},
                      {"warnings", a.warnings},
                      {"thresholds", {{"min_share", options.mode_min_share}, {"single_class_share", options.mode_single_class}}}};
  j.update(mode_choice_to_json(a.model));
  return j;
}

}  // namespace

AuditReport audit_dataset(const Dataset& ds, const AuditOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  AuditReport r;
  r.dataset_root = ds.root.string();
  r.classes = ds.classes;
  r.skipped = ds.skipped;
  r.options = options;
  for (const auto& c : ds.classes) r.count_per_class[c] = 0;

  // Format table: one row per (format, mode, bits, size), counted per class.
  std::map<std::tuple<std::string, std::string, int, int, int>, std::size_t> row_of;
  for (const auto& s : ds.samples) {
    ++r.count_per_class[s.label];
    const auto key = std::make_tuple(s.info.format, s.info.channel_mode, s.info.bits_per_sample, s.info.width, s.info.height);
    auto it = row_of.find(key);
    if (it == row_of.end()) {
      it = row_of.emplace(key, r.formats.size()).first;
      r.formats.push_back({s.info.format, s.info.channel_mode, s.info.bits_per_sample, s.info.width, s.info.height, {}});
    }
    ++r.formats[it->second].count_per_class[s.label];
  }

  // Exact duplicates: same file bytes (slices of one file share the hash but are not duplicates of each other).
  std::map<std::string, std::vector<std::size_t>> by_hash;
  for (std::size_t i = 0; i < ds.samples.size(); ++i)
    if (ds.samples[i].slice_index <= 0) by_hash[ds.samples[i].file_sha256].push_back(i);
  for (const auto& [hash, members] : by_hash) {
    if (members.size() < 2) continue;
    std::vector<std::string> group;
    for (std::size_t i : members) group.push_back(ds.samples[i].id);
    r.exact_duplicates.push_back(group);
    for (std::size_t k = 1; k < members.size(); ++k) {
      const Sample &a = ds.samples[members[0]], &b = ds.samples[members[k]];
      if (a.label != b.label) r.label_conflicts.push_back({a.id, b.id, a.label, b.label, 1.0, "exact"});
    }
  }

  // Near duplicates (exact copies show up here too, with score 1).
  for (const auto& p : find_near_duplicates(ds.samples, options.near_duplicates)) {
    const Sample &a = ds.samples[p.a], &b = ds.samples[p.b];
    if (a.file_sha256 == b.file_sha256 && a.path != b.path) continue;  // already an exact duplicate
    if (a.path == b.path) continue;  // neighbouring slices of one volume are alike by nature, and kept together anyway
    DuplicateRef d{a.id, b.id, a.label, b.label, p.correlation, p.alignment.symmetry.name(),
                   p.alignment.zoom, p.alignment.shift_y, p.alignment.shift_x, p.hash_distance};
    r.near_duplicate_pairs.push_back(d);
    if (a.label != b.label) r.label_conflicts.push_back(d);
  }

  for (const auto& o : find_outliers(ds, options.outliers))
    r.outliers.push_back({ds.samples[o.index].id, ds.samples[o.index].label, o.score, o.reasons});
  r.modes = audit_modes(ds, options);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

std::vector<std::pair<std::string, std::string>> linked_ids(const AuditReport& report) {
  std::vector<std::pair<std::string, std::string>> links;
  for (const auto& group : report.exact_duplicates)
    for (std::size_t k = 1; k < group.size(); ++k) links.push_back({group[0], group[k]});
  for (const auto& d : report.near_duplicate_pairs) links.push_back({d.id_a, d.id_b});
  return links;
}

nlohmann::json audit_to_json(const AuditReport& r) {
  nlohmann::json j;
  j["format"] = "osgan-audit";
  j["version"] = 1;
  j["dataset"] = r.dataset_root;
  j["classes"] = r.classes;
  j["count_per_class"] = r.count_per_class;
  j["skipped"] = nlohmann::json::array();
  for (const auto& s : r.skipped) j["skipped"].push_back({{"path", s.path}, {"reason", s.reason}});
  j["formats"] = nlohmann::json::array();
  for (const auto& f : r.formats)
    j["formats"].push_back({{"format", f.format}, {"channel_mode", f.channel_mode}, {"bits_per_sample", f.bits_per_sample},
                            {"width", f.width}, {"height", f.height}, {"count_per_class", f.count_per_class}});
  j["exact_duplicates"] = r.exact_duplicates;
  j["near_duplicate_pairs"] = nlohmann::json::array();
  for (const auto& d : r.near_duplicate_pairs) j["near_duplicate_pairs"].push_back(duplicate_to_json(d));
  j["label_conflicts"] = nlohmann::json::array();
  for (const auto& d : r.label_conflicts) j["label_conflicts"].push_back(duplicate_to_json(d));
  j["outliers"] = nlohmann::json::array();
  for (const auto& o : r.outliers) {
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto& f : o.reasons) reasons.push_back({{"feature", f.feature}, {"value", f.value}, {"z", f.z}});
    j["outliers"].push_back({{"id", o.id}, {"class", o.label}, {"score", o.score}, {"reasons", reasons}});
  }
  const auto& nd = r.options.near_duplicates;
  int strong = 0;
  for (const auto& d : r.near_duplicate_pairs) strong += d.correlation >= r.options.strong_correlation;
  j["thresholds"] = {{"near_duplicate_min_correlation", nd.min_correlation},
                     {"strong_correlation", r.options.strong_correlation},
                     {"candidate_max_hash_distance", nd.max_hash_distance},
                     {"max_shift_pixels_at_32", nd.max_shift},
                     {"zooms", nd.zooms},
                     {"outlier_min_z", r.options.outliers.min_z}};
  j["near_duplicate_counts"] = {{"at_min_correlation", r.near_duplicate_pairs.size()}, {"at_strong_correlation", strong}};
  j["modes"] = modes_to_json(r.modes, r.options);
  j["seconds"] = r.seconds;
  return j;
}

void write_audit_json(const std::filesystem::path& path, const AuditReport& report) {
  write_text_atomically(path, audit_to_json(report).dump(2) + "\n");
}

std::string format_audit_summary(const AuditReport& r) {
  std::ostringstream out;
  int total = 0;
  for (const auto& [c, n] : r.count_per_class) total += n;
  out << "Dataset " << r.dataset_root << ": " << total << " images in " << r.classes.size() << " classes\n";
  for (const auto& [c, n] : r.count_per_class) out << "  " << c << ": " << n << "\n";
  if (!r.skipped.empty()) {
    out << "Skipped " << r.skipped.size() << " unreadable file(s):\n";
    for (const auto& s : r.skipped) out << "  " << s.path << ": " << s.reason << "\n";
  }
  out << "\nFormats (format, mode, bits, size: count per class)\n";
  for (const auto& f : r.formats) {
    out << "  " << f.format << "  " << f.channel_mode << "  " << f.bits_per_sample << "-bit  " << f.width << "x" << f.height << ":";
    for (const auto& [c, n] : f.count_per_class) out << "  " << c << " " << n;
    out << "\n";
  }
  out << "\nExact duplicates (identical bytes): " << r.exact_duplicates.size() << " group(s)\n";
  for (const auto& g : r.exact_duplicates) {
    out << " ";
    for (const auto& id : g) out << " " << id;
    out << "\n";
  }
  int strong = 0;
  for (const auto& d : r.near_duplicate_pairs) strong += d.correlation >= r.options.strong_correlation;
  out << "\nNear-duplicate pairs (NCC at 32x32 over flips/rotations, zooms and shifts): "
      << r.near_duplicate_pairs.size() << " at >= " << fixed(r.options.near_duplicates.min_correlation, 2) << ", "
      << strong << " at >= " << fixed(r.options.strong_correlation, 2) << "\n";
  const std::size_t shown = std::min<std::size_t>(r.near_duplicate_pairs.size(), 15);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& d = r.near_duplicate_pairs[i];
    out << "  " << fixed(d.correlation, 4) << "  " << d.id_a << "  ~  " << d.id_b << "  (" << d.transform;
    if (d.zoom != 1.0) out << ", zoom " << fixed(d.zoom, 2);
    if (d.shift_y != 0.0 || d.shift_x != 0.0) out << ", shift " << fixed(d.shift_y, 3) << "," << fixed(d.shift_x, 3);
    out << ")\n";
  }
  if (shown < r.near_duplicate_pairs.size()) out << "  ... " << r.near_duplicate_pairs.size() - shown << " more in the JSON\n";
  if (r.label_conflicts.empty()) {
    out << "\nLabel conflicts: none\n";
  } else {
    out << "\n!!! LABEL CONFLICTS: " << r.label_conflicts.size() << " duplicate(s) carry different labels !!!\n";
    for (const auto& d : r.label_conflicts)
      out << "  " << d.id_a << " [" << d.label_a << "]  ==  " << d.id_b << " [" << d.label_b << "]  (score "
          << fixed(d.correlation, 4) << ", " << d.transform << ")\n";
  }
  out << "\nOutliers within their class (robust |z| >= " << fixed(r.options.outliers.min_z, 1) << "): "
      << r.outliers.size() << "\n";
  for (const auto& o : r.outliers) {
    out << "  " << fixed(o.score, 1) << "  " << o.id << " [" << o.label << "]:";
    for (const auto& f : o.reasons) out << " " << f.feature << " " << fixed(f.value, 3) << " (z " << fixed(f.z, 1) << ")";
    out << "\n";
  }
  if (r.modes.model.k() > 0) {
    out << "\nModes of all images (contrast and plane; k = " << r.modes.model.k() << "): images, and each class's share\n";
    for (const auto& row : r.modes.modes) {
      out << "  mode " << row.mode << ": " << row.count << " (" << fixed(100 * row.share, 0) << "%)";
      for (const auto& [c, n] : row.count_per_class)
        out << "  " << c << " " << n << " (" << fixed(100 * r.modes.share_per_class.at(c)[row.mode], 0) << "% of " << c << ")";
      out << "\n";
    }
    for (const auto& w : r.modes.warnings) out << "!!! " << w << "\n";
    if (r.modes.warnings.empty())
      out << "  no mode of >= " << fixed(100 * r.options.mode_min_share, 0) << "% of the images is >= "
          << fixed(100 * r.options.mode_single_class, 0) << "% one class\n";
  }
  out << "\nAudit took " << fixed(r.seconds, 1) << " s\n";
  return out.str();
}

}  // namespace osgan::data
