// Image-quality report: each metric from its own file, collected with the settings that produced it.
#include "osgan/metrics/image_quality_report.h"

#include "osgan/core/error.h"
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
    add_recall_at_real_count(j["structure"], reference.real_features(), reference.features_of(generated), 3);
  } else {
    j["structure"] = nullptr;
  }

  if (feature_model != nullptr) {
    auto f_real = extract_features(*feature_model, real, device), f_gen = extract_features(*feature_model, generated, device);
    KidOptions kid_options;
    kid_options.subsets = o.kid_subsets;
    kid_options.seed = o.seed;
    const auto kid = compute_kid(f_real, f_gen, kid_options);
    nlohmann::json feat = {
        {"feature_space", "domain: pooled backbone features of a classifier trained on the real training images "
                          "(not Inception; values are comparable only between runs using the same feature model)"},
        {"feature_dim", f_real.size(1)},
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

}  // namespace osgan::metrics
