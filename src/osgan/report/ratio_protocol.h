// The synthetic:real ratio sweep of the study: how many generated images to add, and which. A point of the sweep is
// a study protocol of its own, "real_synthetic_r<ratio>_<filter>": the real training images plus, per class,
// round(ratio x that class's real training images) generated images of that class, chosen by the filter:
//   none     the first ones in file order (image i comes from snapshot i mod K, so every snapshot gives alike)
//   nearest  the ones nearest to the class's real training images in the structure feature space
//            (metrics/structure_features.h, standardised by the real images), the real side only
// The sweep's two ends are protocols the study already has: ratio 0 is "real", every generated image (700 per class
// in the seed's design) is "real_synthetic". ratio_sweep_table gathers all of them in one table.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace osgan {

struct RatioProtocol {
  double ratio = 0;     // generated images per real training image, per class; > 0
  std::string filter;   // "none" or "nearest"
};

std::vector<std::string> ratio_filter_names();  // {"none", "nearest"}

// "real_synthetic_r0.25_nearest"; the ratio is written with up to 6 significant digits ("0.25", "1", "0.333333").
std::string ratio_protocol_name(const RatioProtocol& protocol);

// A ratio as protocol names and messages write it: up to 6 significant digits ("0.25", "1", "0.333333").
std::string ratio_text(double ratio);

// The inverse of ratio_protocol_name; nullopt for any other name (a standard protocol, or a bad ratio or filter).
std::optional<RatioProtocol> parse_ratio_protocol(const std::string& protocol);

// The protocols of a sweep, ratio-major: every ratio with every filter. Throws osgan::Error naming the value for a
// ratio that is not a finite number > 0 or a filter that is not known.
std::vector<std::string> ratio_protocol_names(const std::vector<double>& ratios, const std::vector<std::string>& filters);

// metrics.json's classification.ratio (and external.<set>.ratio) from a study summary (summarize_study's
// <protocol> -> {metric -> {mean, ci95}, delta_vs_real}) and the study's per-protocol synthetic image counts
// (study.json "synthetic_per_class": protocol -> class -> count):
//   {"0": {"none": real}, "<r>": {"<filter>": ...}, ..., "all": {"none": real_synthetic}}
// where each entry is {protocol, synthetic_per_class, accuracy, auc, f1, sensitivity, specificity, delta_vs_real}
// with only mean and ci95 kept; ratio 0's delta is 0 [0, 0] by definition (the same runs). Points whose protocol the
// summary lacks are left out; an empty object when no ratio protocol is present.
nlohmann::json ratio_sweep_table(const nlohmann::json& summary, const nlohmann::json& synthetic_per_class);

}  // namespace osgan
