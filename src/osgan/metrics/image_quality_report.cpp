// Image-quality report: each metric from its own file, collected with the settings that produced it.
#include "osgan/metrics/image_quality_report.h"

#include <cstdio>
#include <sstream>

#include "osgan/core/error.h"
#include "osgan/io/png_writer.h"
#include "osgan/metrics/diversity.h"
#include "osgan/metrics/domain_features.h"
#include "osgan/metrics/fid.h"
#include "osgan/metrics/intensity_histogram.h"
#include "osgan/metrics/kid.h"
#include "osgan/metrics/precision_recall.h"
#include "osgan/metrics/sample_quality.h"

namespace osgan::metrics {
namespace {

// Recall at equal set sizes and its real-vs-real reference (precision_recall.h), when there are enough images.
void add_recall_at_real_count(nlohmann::json& j, const torch::Tensor& real, const torch::Tensor& generated, int k) {
  if (real.size(0) / 2 <= k || generated.size(0) < real.size(0)) return;
  const auto r = compute_recall_at_real_count(real, generated, k);
  j["recall_at_real_count"] = {{"recall", r.recall}, {"chunks", r.chunks}, {"halves_generated", r.halves_generated},
                               {"halves_real", r.halves_real}};
}

// Precision, recall and coverage with as many generated points as real ones: the generated set in consecutive
// chunks of N, each against all N real points, averaged. The reference at the same counts: the real set in two
// interleaved halves, each scored as "generated" under the other, and generated chunks of a half's size under each
// half. (The recall equals recall_at_real_count's; precision and coverage come with it.)
struct PrecisionRecallCoverage {
  double precision = 0, recall = 0, coverage = 0;
  nlohmann::json to_json() const { return {{"precision", precision}, {"recall", recall}, {"coverage", coverage}}; }
};

PrecisionRecallCoverage mean_over_chunks(const torch::Tensor& real, const torch::Tensor& generated, int64_t size, int k,
                                         int* chunks = nullptr) {
  PrecisionRecallCoverage sum;
  int n = 0;
  for (int64_t first = 0; first + size <= generated.size(0); first += size, ++n) {
    const auto pr = compute_precision_recall(real, generated.narrow(0, first, size), k);
    sum.precision += pr.precision, sum.recall += pr.recall, sum.coverage += pr.coverage;
  }
  if (chunks) *chunks = n;
  return {sum.precision / n, sum.recall / n, sum.coverage / n};
}

PrecisionRecallCoverage average(const PrecisionRecallCoverage& a, const PrecisionRecallCoverage& b) {
  return {(a.precision + b.precision) / 2, (a.recall + b.recall) / 2, (a.coverage + b.coverage) / 2};
}

void add_precision_recall_at_real_count(nlohmann::json& j, const torch::Tensor& real, const torch::Tensor& generated,
                                        int k) {
  if (real.size(0) / 2 <= k || generated.size(0) < real.size(0)) return;
  int chunks = 0;
  const auto at_n = mean_over_chunks(real, generated, real.size(0), k, &chunks);
  const auto half_a = real.slice(0, 0, real.size(0), 2), half_b = real.slice(0, 1, real.size(0), 2);  // (N/2, D) each
  const auto pr_ab = compute_precision_recall(half_a, half_b, k), pr_ba = compute_precision_recall(half_b, half_a, k);
  const PrecisionRecallCoverage halves_real = average({pr_ab.precision, pr_ab.recall, pr_ab.coverage},
                                                      {pr_ba.precision, pr_ba.recall, pr_ba.coverage});
  const auto halves_generated = average(mean_over_chunks(half_a, generated, half_b.size(0), k),
                                        mean_over_chunks(half_b, generated, half_a.size(0), k));
  j["at_real_count"] = {{"count", real.size(0)},  {"chunks", chunks}, {"k", k},
                        {"generated", at_n.to_json()}, {"halves_real", halves_real.to_json()},
                        {"halves_generated", halves_generated.to_json()}};
}

// Near twins at equal counts: the real set and the first N generated images (N = the real count). With fewer
// generated than real images, the generated set against as many real images, spread evenly over the real set.
nlohmann::json near_twins_at_real_count(const torch::Tensor& real, const torch::Tensor& generated,
                                        const ImageQualityOptions& o) {
  const int64_t n = std::min(real.size(0), generated.size(0));
  const auto spread = torch::linspace(0, real.size(0) - 1, n).round().to(torch::kLong);  // (n) indices into real
  const auto r = compute_near_twins(n == real.size(0) ? real : real.index_select(0, spread), o.near_twins);
  const auto g = compute_near_twins(generated.narrow(0, 0, n), o.near_twins);
  auto set = [](const NearTwins& t) {
    return nlohmann::json{{"images", t.images}, {"with_twin", t.with_twin}, {"share", t.share}};
  };
  char definition[200];
  std::snprintf(definition, sizeof definition, "share of a set's images with another image of the same set at pixel "
                "correlation > %g after area-averaging to %dx%d", o.near_twins.threshold, o.near_twins.size, o.near_twins.size);
  return {{"definition", definition}, {"threshold", o.near_twins.threshold}, {"size", o.near_twins.size},
          {"real", set(r)}, {"generated_at_real_count", set(g)},
          {"ratio", r.share > 0 ? nlohmann::json(g.share / r.share) : nlohmann::json(nullptr)},
          {"limit_ratio", o.near_twin_limit_ratio}, {"within_limit", g.share <= o.near_twin_limit_ratio * r.share}};
}

// The real images' modes against the generated ones', with the model and the grid written where asked.
nlohmann::json mode_section(const torch::Tensor& real_at_size, const torch::Tensor& generated, const ImageQualityOptions& o) {
  const torch::Tensor& real = o.real_for_modes.defined() ? o.real_for_modes : real_at_size;
  if (real.size(0) != real_at_size.size(0))
    fail(ErrorCode::invalid_argument, "image quality: real_for_modes holds " + std::to_string(real.size(0)) +
         " images, the real set " + std::to_string(real_at_size.size(0)) + ": give the same images");
  const torch::Tensor& gen = o.generated_for_modes.defined() ? o.generated_for_modes : generated;
  if (gen.size(0) != generated.size(0))
    fail(ErrorCode::invalid_argument, "image quality: generated_for_modes holds " + std::to_string(gen.size(0)) +
         " images, the generated set " + std::to_string(generated.size(0)) + ": give the same images");
  const ModeReport r = compute_mode_report(real, gen, o.modes);
  nlohmann::json j = to_json(r, o.modes);
  j["assignment"] = {{"real", r.real_modes}, {"generated", r.generated_modes}};  // each image's mode, in input order
  j["model_file"] = nullptr;
  j["grid"] = nullptr;
  if (!o.mode_model_path.empty()) {
    data::save_mode_model(o.mode_model_path, r.model);
    j["model_file"] = o.mode_model_path.string();
  }
  if (!o.mode_grid_path.empty()) {
    io::write_png_grey8(o.mode_grid_path,
                        make_mode_grid(real, r.real_modes, gen, r.generated_modes, r.model.k(), o.mode_grid_per_side,
                                       o.mode_grid_tile),
                        {{"Description", "osgan mode grid: one row per mode, real images | SYNTHETIC images"}});
    j["grid"] = o.mode_grid_path.string();
    j["grid_layout"] = "one row per mode (mode 0 first): up to " + std::to_string(o.mode_grid_per_side) +
                       " real images | up to " + std::to_string(o.mode_grid_per_side) + " generated images";
  }
  return j;
}

}  // namespace

nlohmann::json compute_image_quality_report(const torch::Tensor& real, const torch::Tensor& generated,
                                            models::Classifier* feature_model, const torch::Device& device,
                                            const ImageQualityOptions& o) {
  if (real.size(0) < 2 || generated.size(0) < 2)
    fail(ErrorCode::invalid_argument, "evaluate-images: expected at least 2 real and 2 generated images, got " +
         std::to_string(real.size(0)) + " and " + std::to_string(generated.size(0)));
  const auto& ssim = o.memorisation.ssim;
  nlohmann::json j;
  j["counts"] = {{"real", real.size(0)}, {"generated", generated.size(0)}};
  j["image_size"] = real.size(2);
  j["pixel_range"] = "[-1, 1]";

  auto h_real = compute_intensity_histogram(real, o.histogram_bins), h_gen = compute_intensity_histogram(generated, o.histogram_bins);
  j["histogram"] = {{"bins", o.histogram_bins}, {"range", {-1, 1}}, {"real", h_real.density},
                    {"generated", h_gen.density}, {"wasserstein_1", compute_wasserstein_1(h_real, h_gen)}};

  j["ssim_settings"] = {{"window", ssim.window}, {"sigma", ssim.sigma}, {"input_range", {ssim.low, ssim.high}}, {"computed_on", "images rescaled to [0, 1], L = 1"},
                        {"k1", ssim.k1}, {"k2", ssim.k2}, {"reference", "Wang et al. 2004, Gaussian window, valid region"}};
  j["diversity"] = {{"generated", compute_diversity(generated, ssim)}, {"real", compute_diversity(real, ssim)},
                    {"definition", "mean pairwise 1 - SSIM"}};
  j["memorisation"] = to_json(compute_memorisation(generated, real, o.memorisation));
  // The fixed structure feature space: it needs no classifier, and unlike a classifier trained to be blind to style
  // it tells textures from anatomy (sample_quality.h); the learning curves use the same numbers.
  if (real.size(0) >= 4 && generated.size(0) >= 4) {
    const SampleQualityReference reference(real);
    const auto s = reference.score(generated);
    j["structure"] = {{"precision", s.precision}, {"recall", s.recall}, {"coverage", s.coverage},
                      {"density", s.density}, {"kid", s.kid},
                      {"coverage_if_drawn_from_real", expected_coverage(real.size(0), generated.size(0), 3)},
                      {"feature_space", "structure: 8x8 layout, edges, grey levels, spectrum (k = 3)"}};
    const auto f_real = reference.real_features(), f_generated = reference.features_of(generated);
    add_recall_at_real_count(j["structure"], f_real, f_generated, 3);
    add_precision_recall_at_real_count(j["structure"], f_real, f_generated, 3);
  } else {
    j["structure"] = nullptr;
  }
  j["near_twins"] = near_twins_at_real_count(real, generated, o);
  if (real.size(0) >= 4) {
    j["modes"] = mode_section(real, generated, o);
  } else {
    j["modes"] = nullptr;
    j["modes_note"] = "fewer than 4 real images: no modes";
  }

  if (feature_model != nullptr) {
    const torch::Tensor& real_in = o.real_for_features.defined() ? o.real_for_features : real;
    const torch::Tensor& gen_in = o.generated_for_features.defined() ? o.generated_for_features : generated;
    if (real_in.size(0) != real.size(0) || gen_in.size(0) != generated.size(0))
      fail(ErrorCode::invalid_argument, "image quality: the images for the feature model hold " +
           std::to_string(real_in.size(0)) + " real and " + std::to_string(gen_in.size(0)) + " generated, expected the " +
           std::to_string(real.size(0)) + " and " + std::to_string(generated.size(0)) + " scored elsewhere");
    auto f_real = extract_features(*feature_model, real_in, device), f_gen = extract_features(*feature_model, gen_in, device);
    KidOptions kid_options;
    kid_options.subsets = o.kid_subsets;
    kid_options.seed = o.seed;
    const auto kid = compute_kid(f_real, f_gen, kid_options);
    nlohmann::json feat = {
        {"feature_space", "domain: pooled backbone features of a classifier trained on the real training images "
                          "(not Inception; values are comparable only between runs using the same feature model)"},
        {"blind_to", "contrast and windowing: the classifier z-scores inside the head and is trained with gamma and "
                     "contrast augmentation, so a generator that draws one contrast can score well here (see modes)"},
        {"feature_dim", f_real.size(1)},
        {"image_size", real_in.size(2)},
        {"fid", compute_fid(f_real, f_gen)},
        {"kid", {{"mean", kid.mean}, {"std", kid.std}, {"subsets", kid.subsets}, {"subset_size", kid.subset_size}}}};
    if (f_real.size(0) > o.pr_k && f_gen.size(0) > o.pr_k) {
      const auto pr = compute_precision_recall(f_real, f_gen, o.pr_k);
      feat["precision"] = pr.precision;
      feat["recall"] = pr.recall;
      feat["coverage"] = pr.coverage;
      feat["density"] = pr.density;
      feat["pr_k"] = pr.k;
      add_recall_at_real_count(feat, f_real, f_gen, o.pr_k);
    }
    j["features"] = feat;
  } else {
    j["features"] = nullptr;
    j["features_note"] = "no --features model: FID, KID and precision/recall not computed";
  }
  return j;
}

namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string prc(const nlohmann::json& j) {  // "precision / recall / coverage"
  return fixed(j["precision"].get<double>(), 2) + " / " + fixed(j["recall"].get<double>(), 2) + " / " +
         fixed(j["coverage"].get<double>(), 2);
}

void print_modes(std::ostream& out, const nlohmann::json& m) {
  out << "modes of the real images (contrast and plane; k = " << m["k"].get<int>() << ": " << m["k_rule"].get<std::string>()
      << ")\n  mode     real            generated\n";
  for (const auto& row : m["modes"]) {
    char line[160];
    std::snprintf(line, sizeof line, "  %4d  %5d %6.1f%%    %5d %6.1f%%%s\n", row["mode"].get<int>(),
                  row["real_count"].get<int>(), 100 * row["real_share"].get<double>(), row["generated_count"].get<int>(),
                  100 * row["generated_share"].get<double>(), row["missed"].get<bool>() ? "   missed" : "");
    out << line;
  }
  out << "  missed modes: " << m["missed_modes"].get<int>() << " (" << m["missed_rule"].get<std::string>() << ")\n";
  if (m.contains("real_agreement_at_generated_size"))
    out << "  the real images shrunk to " << m["real_agreement_at_generated_size"]["size"].get<int>()
        << " px keep their mode in " << fixed(100 * m["real_agreement_at_generated_size"]["share"].get<double>(), 1) << "%"
        << " of cases (how surely a generated image of that size is assigned)\n";
  if (!m["grid"].is_null()) out << "  grid: " << m["grid"].get<std::string>() << "\n";
}

void print_near_twins(std::ostream& out, const nlohmann::json& t) {
  const auto& r = t["real"];
  const auto& g = t["generated_at_real_count"];
  out << "near twins (pixel correlation > " << t["threshold"].get<double>() << " at " << t["size"].get<int>() << "x"
      << t["size"].get<int>() << "): generated " << fixed(g["share"].get<double>(), 3) << " of " << g["images"].get<int64_t>()
      << ", real " << fixed(r["share"].get<double>(), 3) << " of " << r["images"].get<int64_t>();
  if (!t["ratio"].is_null()) out << " (ratio " << fixed(t["ratio"].get<double>(), 2) << ")";
  out << ", bar " << t["limit_ratio"].get<double>() << "x: " << (t["within_limit"].get<bool>() ? "within" : "OVER") << "\n";
}

}  // namespace

std::string format_image_quality_summary(const nlohmann::json& j) {
  std::ostringstream out;
  out << (j.contains("class") ? "class " + j["class"].get<std::string>() : std::string("generated set")) << ": "
      << j["counts"]["real"].get<int64_t>() << " real, "
      << j["counts"]["generated"].get<int64_t>() << " generated, compared at " << j["image_size"].get<int64_t>() << " px\n";
  out << "  W1 " << fixed(j["histogram"]["wasserstein_1"].get<double>(), 4) << "  diversity "
      << fixed(j["diversity"]["generated"].get<double>(), 3) << " (real " << fixed(j["diversity"]["real"].get<double>(), 3)
      << ")  memorised share " << fixed(j["memorisation"]["share_above_threshold"].get<double>(), 3) << "\n";
  if (j.contains("modes") && !j["modes"].is_null()) print_modes(out, j["modes"]);
  if (j.contains("near_twins")) print_near_twins(out, j["near_twins"]);
  if (!j["structure"].is_null()) {
    const auto& s = j["structure"];
    out << "structure space (8x8 layout, edges, grey levels, spectrum; k = 3), precision / recall / coverage:\n"
        << "  all " << j["counts"]["generated"].get<int64_t>() << " generated: " << prc(s) << "\n";
    if (s.contains("at_real_count")) {
      const auto& a = s["at_real_count"];
      out << "  at equal counts (" << a["count"].get<int64_t>() << " vs " << a["count"].get<int64_t>() << ", "
          << a["chunks"].get<int>() << " chunk(s)): " << prc(a["generated"]) << "   real halves: " << prc(a["halves_real"])
          << "   generated at half count: " << prc(a["halves_generated"]) << "\n";
    }
  }
  if (!j["features"].is_null()) {
    const auto& f = j["features"];
    out << "domain space (style-invariant classifier features: cannot see contrast): FID " << fixed(f["fid"].get<double>(), 2);
    if (f.contains("precision"))
      out << "  precision / recall / coverage " << prc(f);
    if (f.contains("recall_at_real_count"))
      out << "  recall at the real count " << fixed(f["recall_at_real_count"]["recall"].get<double>(), 2) << " (real halves "
          << fixed(f["recall_at_real_count"]["halves_real"].get<double>(), 2) << ")";
    out << "\n";
  }
  return out.str();
}

}  // namespace osgan::metrics
