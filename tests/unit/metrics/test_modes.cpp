// Mode coverage, near twins and their place in the image-quality report, on hand-made shares and phantom slices.
#include <gtest/gtest.h>

#include "osgan/core/error.h"
#include "osgan/metrics/image_quality_report.h"
#include "osgan/metrics/modes.h"
#include "osgan/metrics/near_twins.h"
#include "osgan/train/image_tensor.h"
#include "support/test_support.h"
#include "unit/data/mode_phantoms.h"

using namespace osgan;
using namespace osgan::metrics;
using osgan::test::brain_phantom;
using osgan::test::PhantomKind;

namespace {

torch::Tensor phantom_tensor(PhantomKind kind, int n, unsigned first_seed, int size = 64) {  // (n, 1, size, size)
  std::vector<io::Image> images;
  for (int i = 0; i < n; ++i) images.push_back(brain_phantom(kind, first_seed + i, size));
  return images_to_tensor(images);
}

ModeReportOptions from_two() {  // two kinds make two modes only when k = 2 is allowed
  ModeReportOptions o;
  o.fit.rule = {2, 8, 0.02};
  return o;
}

}  // namespace

TEST(MissedModes, HandMadeShares) {
  // Mode 1: 0.1 < 0.5 x 0.3; mode 2: 0 < 0.5 x 0.07; mode 3 holds under 5% of the real images, so it cannot be missed;
  // mode 4 gets exactly half its share, which is not less than half.
  const std::vector<double> real = {0.5, 0.3, 0.07, 0.03, 0.1}, generated = {0.85, 0.1, 0.0, 0.0, 0.05};
  EXPECT_EQ(find_missed_modes(real, generated), (std::vector<bool>{false, true, true, false, false}));
  ModeReportOptions strict;
  strict.missed_min_real_share = 0.01;
  EXPECT_EQ(find_missed_modes(real, generated, strict), (std::vector<bool>{false, true, true, true, false}));
  EXPECT_THROW(find_missed_modes(real, {1.0}), osgan::Error);

  const auto c = compare_modes(/*real_modes=*/{0, 0, 0, 1, 1, 2, 2, 2, 2, 2}, /*generated_modes=*/{0, 0, 0, 0, 2}, 3);
  EXPECT_EQ(c.real_counts, (std::vector<int>{3, 2, 5}));
  EXPECT_EQ(c.generated_counts, (std::vector<int>{4, 0, 1}));
  EXPECT_EQ(c.generated_shares, (std::vector<double>{0.8, 0.0, 0.2}));
  EXPECT_EQ(c.missed, (std::vector<bool>{false, true, true}));  // 0 < 0.1 and 0.2 < 0.25
  EXPECT_EQ(c.missed_modes, 2);
}

TEST(ModeReport, OneModeOfTwoIsOneMissedMode) {
  const auto real = torch::cat({phantom_tensor(PhantomKind::t1, 14, 10), phantom_tensor(PhantomKind::t2, 10, 20)});
  const auto one_kind = phantom_tensor(PhantomKind::t1, 12, 500);
  const auto r = compute_mode_report(real, one_kind, from_two());
  ASSERT_EQ(r.model.k(), 2);
  EXPECT_EQ(r.coverage.real_counts, (std::vector<int>{14, 10}));
  EXPECT_EQ(r.coverage.generated_counts, (std::vector<int>{12, 0}));
  EXPECT_EQ(r.coverage.missed_modes, 1);
  const auto j = to_json(r, from_two());
  EXPECT_EQ(j["missed_modes"], 1);
  EXPECT_EQ(j["modes"][1]["missed"], true);
  EXPECT_EQ(j["modes"][1]["real_count"], 10);

  const auto both = torch::cat({phantom_tensor(PhantomKind::t2, 5, 600), phantom_tensor(PhantomKind::t1, 7, 700)});
  EXPECT_EQ(compute_mode_report(real, both, from_two()).coverage.missed_modes, 0);
  EXPECT_THROW(compute_mode_report(real.narrow(0, 0, 3), both), osgan::Error);
}

TEST(ModeReport, GridHasARowPerMode) {
  const auto real = torch::cat({phantom_tensor(PhantomKind::t1, 6, 10, 32), phantom_tensor(PhantomKind::t2, 6, 20, 32)});
  const auto generated = phantom_tensor(PhantomKind::t1, 3, 30, 32);
  const std::vector<int> real_modes = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, generated_modes = {0, 0, 0};
  // 32 px images with the default 64 px tile are enlarged 2x: a side of 4 tiles of 64 px with 2 px padding is
  // 4 * 66 + 2 = 266 wide and 68 high; sides 12 apart, rows 2 apart.
  const auto grid = make_mode_grid(real, real_modes, generated, generated_modes, 2, 4);
  EXPECT_EQ(grid.width, 266 + 12 + 266);
  EXPECT_EQ(grid.height, 68 + 2 + 68);
  const auto real_only = make_mode_grid(real, real_modes, torch::Tensor(), {}, 2, 4);
  EXPECT_EQ(real_only.width, 266);
  // Nearest neighbour: each pixel of a 32 px image becomes a 2x2 block of one value.
  EXPECT_EQ(real_only.at(2, 2 + 2 * 10), real_only.at(3, 3 + 2 * 10));
  // At their native 32 px (tile 32), 4 * 34 + 2 = 138 per side; 128 px real slices shrunk to 64 px tiles sit beside
  // 32 px generated ones enlarged to 64 px in rows of one height.
  EXPECT_EQ(make_mode_grid(real, real_modes, generated, generated_modes, 2, 4, /*tile=*/32).width, 138 + 12 + 138);
  const auto real128 = torch::cat({phantom_tensor(PhantomKind::t1, 6, 10, 128), phantom_tensor(PhantomKind::t2, 6, 20, 128)});
  const auto mixed = make_mode_grid(real128, real_modes, generated, generated_modes, 2, 4);
  EXPECT_EQ(mixed.width, 266 + 12 + 266);
  EXPECT_EQ(mixed.height, 68 + 2 + 68);
  EXPECT_THROW(make_mode_grid(real, {0, 1}, generated, generated_modes, 2, 4), osgan::Error);
  EXPECT_THROW(make_mode_grid(real, real_modes, generated, generated_modes, 2, 4, /*tile=*/4), osgan::Error);
  // Larger images are shrunk to the tile size: 16 px tiles, 4 * 18 + 2 = 74 per side.
  EXPECT_EQ(make_mode_grid(real, real_modes, generated, generated_modes, 2, 4, /*tile=*/16).width, 74 + 12 + 74);
}

TEST(NearTwins, CopiesAreTwinsAndStrangersAreNot) {
  torch::manual_seed(3);
  auto images = torch::rand({6, 1, 64, 64});  // (6, 1, 64, 64), unrelated noise: correlations near 0
  images[5].copy_(images[2] * 0.5 + 0.2 + 0.01 * torch::rand({1, 64, 64}));  // a brighter, lower-contrast copy of 2
  const auto t = compute_near_twins(images);
  EXPECT_EQ(t.images, 6);
  EXPECT_EQ(t.with_twin, 2);  // 2 and 5
  EXPECT_DOUBLE_EQ(t.share, 2.0 / 6);
  // Constant images correlate with nothing, not even each other.
  EXPECT_EQ(compute_near_twins(torch::full({3, 1, 16, 16}, 0.5)).with_twin, 0);
  // Half-bright images that differ in one pixel: at 32 x 32 it moves one block's mean by a quarter, and the
  // correlation is 0.99988: twins at 0.93, not at 0.9999.
  auto pair = torch::zeros({2, 1, 64, 64});
  pair[0][0].slice(0, 0, 32).fill_(1.0);
  pair[1][0].slice(0, 0, 32).fill_(1.0);
  pair[1][0][0][0] = 0.0;
  EXPECT_EQ(compute_near_twins(pair).with_twin, 2);
  NearTwinOptions exact;
  exact.threshold = 0.9999;
  EXPECT_EQ(compute_near_twins(pair, exact).with_twin, 0);
  EXPECT_THROW(compute_near_twins(torch::zeros({1, 1, 8, 8})), osgan::Error);
}

TEST(ImageQualityReport, ModesTwinsAndEqualCountsAreReported) {
  const auto real = torch::cat({phantom_tensor(PhantomKind::t1, 12, 10), phantom_tensor(PhantomKind::t2, 8, 20)});
  ImageQualityOptions o;
  o.memorisation.ssim.window = 7;
  o.modes = from_two();
  test::ScratchDir dir("iq_modes");
  o.mode_grid_path = dir / "grid.png";
  o.mode_model_path = dir / "modes.json";
  // The real images themselves, twice over: every real mode covered, each copy a twin of its original.
  const auto j = compute_image_quality_report(real, torch::cat({real, real}), nullptr, torch::kCPU, o);
  ASSERT_TRUE(j["modes"].is_object());
  EXPECT_EQ(j["modes"]["k"], 2);
  EXPECT_EQ(j["modes"]["missed_modes"], 0);
  EXPECT_EQ(j["modes"]["modes"][0]["real_share"], 0.6);
  EXPECT_EQ(j["modes"]["modes"][0]["generated_share"], 0.6);
  EXPECT_TRUE(std::filesystem::exists(o.mode_grid_path));
  EXPECT_EQ(data::load_mode_model(o.mode_model_path).k(), 2);
  // Near twins at equal counts: the first 20 generated images are the 20 real ones, so equal shares.
  EXPECT_EQ(j["near_twins"]["generated_at_real_count"]["images"], 20);
  EXPECT_EQ(j["near_twins"]["generated_at_real_count"]["share"], j["near_twins"]["real"]["share"]);
  // Equal counts in the structure space: two chunks of exact copies, everything 1.
  const auto& a = j["structure"]["at_real_count"];
  EXPECT_EQ(a["chunks"], 2);
  EXPECT_EQ(a["generated"]["precision"], 1.0);
  EXPECT_EQ(a["generated"]["recall"], 1.0);
  EXPECT_EQ(a["generated"]["coverage"], 1.0);
  EXPECT_EQ(a["generated"]["recall"], j["structure"]["recall_at_real_count"]["recall"]);
  EXPECT_EQ(a["halves_real"]["recall"], j["structure"]["recall_at_real_count"]["halves_real"]);
  EXPECT_TRUE(j["features"].is_null());

  auto with_class = j;
  with_class["class"] = "tumor";
  const auto text = format_image_quality_summary(with_class);
  EXPECT_NE(text.find("class tumor: 20 real, 40 generated"), std::string::npos) << text;
  EXPECT_NE(text.find("missed modes: 0"), std::string::npos) << text;
  EXPECT_NE(text.find("near twins (pixel correlation > 0.93 at 32x32)"), std::string::npos) << text;
  EXPECT_NE(text.find("real halves"), std::string::npos) << text;
  EXPECT_EQ(text.find("domain space"), std::string::npos) << text;  // no feature model
  with_class["features"] = {{"fid", 12.5}, {"precision", 0.9}, {"recall", 0.8}, {"coverage", 0.7}};
  EXPECT_NE(format_image_quality_summary(with_class)
                .find("domain space (style-invariant classifier features: cannot see contrast): FID 12.50  precision / "
                      "recall / coverage 0.90 / 0.80 / 0.70"),
            std::string::npos);

  // One kind only, and too few real images for modes.
  const auto one = compute_image_quality_report(real, phantom_tensor(PhantomKind::t1, 20, 900), nullptr, torch::kCPU, o);
  EXPECT_EQ(one["modes"]["missed_modes"], 1);
  const auto few = compute_image_quality_report(real.narrow(0, 0, 3), real, nullptr, torch::kCPU, o);
  EXPECT_TRUE(few["modes"].is_null());
}

// Generated images smaller than the real ones: the modes are fitted at the real size, and the report says how many
// real images keep their mode once shrunk to the generated size. T1 and T2 phantoms differ in contrast at any size,
// so every one keeps it; at equal sizes there is nothing to check.
TEST(ModeReport, RealAgreementAtTheGeneratedSize) {
  const auto real = torch::cat({phantom_tensor(PhantomKind::t1, 10, 10, 64), phantom_tensor(PhantomKind::t2, 10, 20, 64)});
  const auto small = torch::cat({phantom_tensor(PhantomKind::t1, 4, 300, 32), phantom_tensor(PhantomKind::t2, 4, 400, 32)});
  const auto r = compute_mode_report(real, small, from_two());
  ASSERT_EQ(r.model.k(), 2);
  EXPECT_EQ(r.generated_size, 32);
  EXPECT_DOUBLE_EQ(r.real_agreement_at_generated_size, 1.0);
  EXPECT_EQ(r.coverage.missed_modes, 0);
  const auto j = to_json(r, from_two());
  EXPECT_EQ(j["real_agreement_at_generated_size"]["size"], 32);
  EXPECT_EQ(j["real_agreement_at_generated_size"]["share"], 1.0);

  const auto same_size = compute_mode_report(real, phantom_tensor(PhantomKind::t1, 4, 500, 64), from_two());
  EXPECT_EQ(same_size.real_agreement_at_generated_size, -1);
  EXPECT_FALSE(to_json(same_size, from_two()).contains("real_agreement_at_generated_size"));
}

// The image-quality report fits the modes on real_for_modes (the same images at a higher resolution) when given,
// and refuses a set of another length.
TEST(ImageQualityReport, ModesFittedOnTheHigherResolutionRealImages) {
  const auto real64 = torch::cat({phantom_tensor(PhantomKind::t1, 10, 10, 64), phantom_tensor(PhantomKind::t2, 10, 20, 64)});
  const auto real32 = torch::nn::functional::interpolate(
      real64, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{32, 32}).mode(torch::kArea));
  const auto generated = phantom_tensor(PhantomKind::t1, 8, 900, 32);
  ImageQualityOptions o;
  o.modes = from_two();
  o.real_for_modes = real64;
  const auto j = compute_image_quality_report(real32, generated, nullptr, torch::kCPU, o);
  EXPECT_EQ(j["modes"]["real_agreement_at_generated_size"]["size"], 32);
  EXPECT_EQ(j["modes"]["missed_modes"], 1);  // every generated image is a T1: the T2 mode is missed
  o.real_for_modes = real64.narrow(0, 0, 19);
  EXPECT_THROW(compute_image_quality_report(real32, generated, nullptr, torch::kCPU, o), osgan::Error);
}

// Generated images drawn at the mode size (a GAN with an upsampler) are assigned their modes at that size when given
// as generated_for_modes, and the mode grid shows them; a set of another length is refused.
TEST(ImageQualityReport, GeneratedImagesForModesAreAssignedAtTheirOwnSize) {
  const auto real64 = torch::cat({phantom_tensor(PhantomKind::t1, 10, 10, 64), phantom_tensor(PhantomKind::t2, 10, 20, 64)});
  const auto shrink = [](const torch::Tensor& x) {
    return torch::nn::functional::interpolate(
        x, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{32, 32}).mode(torch::kArea));
  };
  const auto generated64 = torch::cat({phantom_tensor(PhantomKind::t1, 4, 900, 64), phantom_tensor(PhantomKind::t2, 4, 950, 64)});
  ImageQualityOptions o;
  o.modes = from_two();
  o.real_for_modes = real64;
  o.generated_for_modes = generated64;
  const auto j = compute_image_quality_report(shrink(real64), shrink(generated64), nullptr, torch::kCPU, o);
  EXPECT_EQ(j["modes"]["generated_size"], 64);
  EXPECT_FALSE(j["modes"].contains("real_agreement_at_generated_size"));  // no shrinking to judge
  EXPECT_EQ(j["modes"]["missed_modes"], 0);
  EXPECT_EQ(j["modes"]["modes"][0]["generated_count"], 4);
  o.generated_for_modes = generated64.narrow(0, 0, 7);
  EXPECT_THROW(compute_image_quality_report(shrink(real64), shrink(generated64), nullptr, torch::kCPU, o), osgan::Error);
}

// A feature model that reads another size than the scored images (the pipeline's 128 px classifiers against a GAN's
// 32 px images) gets the images at its own size when given as real_for_features / generated_for_features: the domain
// numbers are those of the two sets read at that size; a set of another length is refused.
TEST(ImageQualityReport, TheFeatureModelReadsTheImagesAtItsOwnSize) {
  torch::manual_seed(3);
  osgan::models::ClassifierConfig config;
  config.arch = "cnn";
  config.width = 0.25;
  config.image_size = 64;
  osgan::models::Classifier model(config);
  model->eval();
  const auto real64 = torch::cat({phantom_tensor(PhantomKind::t1, 6, 10, 64), phantom_tensor(PhantomKind::t2, 6, 20, 64)});
  const auto generated64 = torch::cat({phantom_tensor(PhantomKind::t1, 5, 900, 64), phantom_tensor(PhantomKind::t2, 5, 950, 64)});
  const auto shrink = [](const torch::Tensor& x) {
    return torch::nn::functional::interpolate(
        x, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{32, 32}).mode(torch::kArea));
  };
  ImageQualityOptions o;
  o.modes = from_two();
  o.kid_subsets = 5;
  const auto at64 = compute_image_quality_report(real64, generated64, &model, torch::kCPU, o);
  const auto at32 = compute_image_quality_report(shrink(real64), shrink(generated64), &model, torch::kCPU, o);
  o.real_for_features = real64;
  o.generated_for_features = generated64;
  const auto given = compute_image_quality_report(shrink(real64), shrink(generated64), &model, torch::kCPU, o);
  EXPECT_EQ(given["features"]["image_size"], 64);
  EXPECT_EQ(at32["features"]["image_size"], 32);
  const double fid_given = given["features"]["fid"], fid64 = at64["features"]["fid"], fid32 = at32["features"]["fid"];
  EXPECT_DOUBLE_EQ(fid_given, fid64);
  EXPECT_NE(fid32, fid64);  // the test can tell them apart
  EXPECT_EQ(given["image_size"], 32);  // every other space still reads the scored images
  o.generated_for_features = generated64.narrow(0, 0, 9);
  EXPECT_THROW(compute_image_quality_report(shrink(real64), shrink(generated64), &model, torch::kCPU, o),
               osgan::Error);
}
