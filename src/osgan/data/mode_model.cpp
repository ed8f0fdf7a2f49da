// The mode model: standardise the mode features, choose k and cluster (kmeans.h), assign, save and load.
#include "osgan/data/mode_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/one_line.h"
#include "osgan/data/mode_features.h"

namespace osgan::data {
namespace {

constexpr const char* kFormat = "osgan-mode-model";
constexpr int kVersion = 1;

double quantile_of_sorted(const std::vector<double>& v, double q) {
  const double pos = q * (v.size() - 1);
  const size_t i = static_cast<size_t>(pos), j = std::min(i + 1, v.size() - 1);
  return v[i] + (pos - i) * (v[j] - v[i]);
}

// IQR / 1.349; the standard deviation when the IQR is 0 (more than half the values equal); 1 for a constant feature.
double robust_scale(const std::vector<double>& sorted) {
  const double iqr = quantile_of_sorted(sorted, 0.75) - quantile_of_sorted(sorted, 0.25);
  if (iqr > 1e-12) return iqr / 1.349;
  double mean = 0, var = 0;
  for (double x : sorted) mean += x / sorted.size();
  for (double x : sorted) var += (x - mean) * (x - mean) / (sorted.size() - 1);
  return var > 1e-24 ? std::sqrt(var) : 1.0;
}

std::vector<double> standardised(const ModeModel& m, const std::vector<double>& raw) {
  if (raw.size() != m.centre.size())
    fail(ErrorCode::invalid_argument, "mode assignment: expected " + std::to_string(m.centre.size()) +
         " features per image, got " + std::to_string(raw.size()));
  std::vector<double> z(raw.size());
  for (size_t d = 0; d < raw.size(); ++d)
    z[d] = std::clamp((raw[d] - m.centre[d]) / m.scale[d], -m.clip, m.clip) * m.weights[d];
  return z;
}

std::string rule_in_words(const KRule& rule) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "smallest k in %d..%d whose mean silhouette is within %.3g of the best "
                "(k-means++, %s)", rule.k_min, rule.k_max, rule.tie, "robustly standardised, weighted mode features");
  return buf;
}

[[noreturn]] void bad(const std::string& source, const std::string& what) {
  fail(ErrorCode::bad_format, "mode model \"" + source + "\": " + what +
       ". Hint: refit the modes with this osgan (rerun evaluate-images, or the pipeline's image-quality stage).");
}

}  // namespace

std::vector<double> ModeModel::shares() const {
  std::vector<double> s(counts.size(), 0.0);
  int total = 0;
  for (int c : counts) total += c;
  for (size_t i = 0; i < counts.size() && total > 0; ++i) s[i] = static_cast<double>(counts[i]) / total;
  return s;
}

ModeModel fit_mode_model_on_features(const Points& features, const std::vector<std::string>& names,
                                     const std::vector<double>& weights, const ModeFitOptions& options) {
  if (features.size() < 3)
    fail(ErrorCode::invalid_argument, "fitting modes: expected at least 3 images, got " + std::to_string(features.size()) +
         ". Hint: a class needs a few training images before its modes mean anything.");
  const size_t n = features.size(), dim = names.size();
  if (weights.size() != dim)
    fail(ErrorCode::invalid_argument, "fitting modes: expected one weight per feature (" + std::to_string(dim) +
         "), got " + std::to_string(weights.size()));
  for (const auto& row : features)
    if (row.size() != dim)
      fail(ErrorCode::invalid_argument, "fitting modes: expected " + std::to_string(dim) + " features per image, got " +
           std::to_string(row.size()));
  ModeModel m;
  m.feature_size = kModeFeatureSize;
  m.feature_names = names;
  m.weights = weights;
  for (size_t d = 0; d < dim; ++d) {
    std::vector<double> column(n);
    for (size_t i = 0; i < n; ++i) column[i] = features[i][d];
    std::sort(column.begin(), column.end());
    m.centre.push_back(quantile_of_sorted(column, 0.5));
    m.scale.push_back(robust_scale(column));
  }
  Points z;
  for (const auto& row : features) z.push_back(standardised(m, row));
  const KChoice choice = choose_k(z, options.rule, options.kmeans);
  m.centres = choice.fit.centres;
  m.k_rule = rule_in_words(options.rule);
  m.k_candidates = choice.candidates;
  m.silhouettes = choice.silhouettes;
  // Counts as assign_modes gives them (nearest centre), so the saved shares and a later assignment agree.
  std::vector<int> modes;
  for (const auto& row : z) modes.push_back(nearest_centre(m.centres, row));
  m.counts = mode_counts(modes, m.k());
  return m;
}

ModeModel fit_mode_model(const std::vector<io::Image>& images, const ModeFitOptions& options) {
  Points features;
  for (const auto& image : images) features.push_back(compute_mode_features(image));
  return fit_mode_model_on_features(features, mode_feature_names(), mode_feature_weights(), options);
}

int nearest_mode(const ModeModel& model, const std::vector<double>& raw_features) {
  return nearest_centre(model.centres, standardised(model, raw_features));
}

std::vector<int> assign_modes(const ModeModel& model, const std::vector<io::Image>& images) {
  std::vector<int> modes;
  for (const auto& image : images) modes.push_back(nearest_mode(model, compute_mode_features(image)));
  return modes;
}

std::vector<int> mode_counts(const std::vector<int>& modes, int k) {
  std::vector<int> counts(k, 0);
  for (int m : modes) {
    if (m < 0 || m >= k)
      fail(ErrorCode::invalid_argument, "mode counts: expected modes in 0.." + std::to_string(k - 1) + ", got " +
           std::to_string(m));
    ++counts[m];
  }
  return counts;
}

std::vector<double> mode_shares(const std::vector<int>& modes, int k) {
  std::vector<double> shares(k, 0.0);
  const auto counts = mode_counts(modes, k);
  for (int i = 0; i < k && !modes.empty(); ++i) shares[i] = static_cast<double>(counts[i]) / modes.size();
  return shares;
}

nlohmann::json mode_choice_to_json(const ModeModel& m) {
  return {{"feature_size", m.feature_size}, {"k", m.k()}, {"k_rule", m.k_rule}, {"k_candidates", m.k_candidates},
          {"silhouettes", m.silhouettes}};
}

nlohmann::json mode_model_to_json(const ModeModel& m) {
  nlohmann::json j = {{"format", kFormat},        {"version", kVersion}, {"features", m.feature_names},
                      {"centre", m.centre},       {"scale", m.scale},    {"weights", m.weights},
                      {"clip", m.clip},           {"centres", m.centres}, {"counts", m.counts},
                      {"shares", m.shares()}};
  j.update(mode_choice_to_json(m));
  return j;
}

ModeModel mode_model_from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) bad(source, std::string("expected a JSON object, found a JSON ") + j.type_name());
  ModeModel m;
  try {
    if (!j.contains("format") || j["format"] != kFormat)
      bad(source, std::string("expected format \"") + kFormat + "\", found " +
          one_line(j.contains("format") ? j["format"].dump() : "none"));
    if (j.at("version").get<int>() != kVersion)
      bad(source, "expected format version " + std::to_string(kVersion) + ", found " + one_line(j.at("version").dump()));
    m.feature_size = j.at("feature_size").get<int>();
    m.feature_names = j.at("features").get<std::vector<std::string>>();
    m.centre = j.at("centre").get<std::vector<double>>();
    m.scale = j.at("scale").get<std::vector<double>>();
    m.weights = j.at("weights").get<std::vector<double>>();
    m.clip = j.at("clip").get<double>();
    m.centres = j.at("centres").get<Points>();
    m.counts = j.at("counts").get<std::vector<int>>();
    m.k_rule = j.value("k_rule", "");
    m.k_candidates = j.value("k_candidates", std::vector<int>{});
    m.silhouettes = j.value("silhouettes", std::vector<double>{});
  } catch (const nlohmann::json::exception& e) {
    bad(source, one_line(e.what()));
  }
  if (m.feature_names != mode_feature_names() || m.feature_size != kModeFeatureSize)
    bad(source, "it was fitted on other features (" + std::to_string(m.feature_names.size()) + " at " +
        std::to_string(m.feature_size) + " px; this osgan computes " + std::to_string(mode_feature_names().size()) +
        " at " + std::to_string(kModeFeatureSize) + " px)");
  const size_t dim = m.feature_names.size();
  bool ok = m.centre.size() == dim && m.scale.size() == dim && m.weights.size() == dim && !m.centres.empty() &&
            m.counts.size() == m.centres.size() && m.clip > 0;
  for (const auto& c : m.centres) ok = ok && c.size() == dim;
  for (double s : m.scale) ok = ok && s > 0 && std::isfinite(s);
  if (!ok)
    bad(source, "expected centre, scale, weights and every centre of " + std::to_string(dim) + " values, positive "
        "scales and clip, one count per centre; found " + std::to_string(m.centre.size()) + ", " +
        std::to_string(m.scale.size()) + ", " + std::to_string(m.weights.size()) + " values, " +
        std::to_string(m.centres.size()) + " centres and " + std::to_string(m.counts.size()) + " counts");
  return m;
}

void save_mode_model(const std::filesystem::path& path, const ModeModel& model) {
  write_text_atomically(path, mode_model_to_json(model).dump(1) + "\n");
}

ModeModel load_mode_model(const std::filesystem::path& path) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_text_file(path));
  } catch (const nlohmann::json::exception& e) {
    bad(path.string(), "not valid JSON (" + one_line(e.what()) + ")");
  }
  return mode_model_from_json(j, path.string());
}

}  // namespace osgan::data
