// Known answers for summarize_study's two-level percentile bootstrap (issue 26): every expected number below is
// derived by hand in the comment next to it, never from the code's own output.
//
// How the code draws (study.cpp): one std::mt19937_64(seed); per resample it first draws the n image indices
// (shared by every protocol), then, once per distinct seed list (protocols in name order), as many run positions as
// there are seeds: protocols with the same seeds share the drawn positions, so runs are paired by seed.
// The interval is the 2.5% / 97.5% quantile with linear interpolation between order statistics (numpy's default,
// R type 7): position f * (B - 1) in the sorted non-NaN samples. With B = 2000 that is position 49.975 and 1949.025,
// so an endpoint is exactly a sample value whenever samples 49 and 50 (1949 and 1950) agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "osgan/core/error.h"
#include "osgan/pipeline/study.h"

using nlohmann::json;
using osgan::StudyRun;

namespace {

constexpr int kResamples = 2000;
constexpr std::uint64_t kBootstrapSeed = 7;

StudyRun make_run(const std::string& protocol, std::uint64_t seed, std::vector<double> probabilities) {
  StudyRun run;
  run.protocol = protocol;
  run.seed = seed;
  run.probabilities = std::move(probabilities);
  return run;
}

std::pair<double, double> ci_of(const json& metric) {
  return {metric.at("ci95").at(0).get<double>(), metric.at("ci95").at(1).get<double>()};
}

// Four tumours then four normals: 8 images, so every count / n is exact in binary and differences of accuracies
// are exact too (no 0.7 - 0.6 != 0.1 round-off).
const std::vector<int> kEightLabels = {1, 1, 1, 1, 0, 0, 0, 0};

// Two mistakes (image 2, a tumour scored 0.30; image 6, a normal scored 0.55): accuracy 6/8 on the full set, and
// clearly different accuracies on different image resamples.
const std::vector<double> kTwoMistakes = {0.90, 0.70, 0.30, 0.60, 0.20, 0.40, 0.55, 0.10};

std::vector<double> shifted(std::vector<double> p, double by) {
  for (auto& x : p) x += by;
  return p;
}

}  // namespace

TEST(StudyStatistics, IdenticalProtocolsGiveAZeroDeltaWithAZeroWidthInterval) {
  // One seed each, the same probabilities: on every resample both protocols see the same images (paired) and
  // the same run, so each delta sample is x - x = 0 exactly (NaN AUCs of one-class resamples are dropped).
  const auto one_seed = osgan::summarize_study(
      kEightLabels, {make_run("real", 1, kTwoMistakes), make_run("synthetic", 1, kTwoMistakes)}, kResamples,
      kBootstrapSeed);
  for (const char* metric : {"accuracy", "auc"}) {
    const auto& delta = one_seed.at("synthetic").at("delta_vs_real").at(metric);
    EXPECT_EQ(delta.at("mean").get<double>(), 0.0) << metric;
    EXPECT_EQ(ci_of(delta), std::make_pair(0.0, 0.0)) << metric;
  }

  // Three seeds whose predictions differ but give the same classes and ranking (a shift that crosses neither the
  // threshold nor another score): whichever runs each protocol draws, every metric on a resample is the same.
  std::vector<StudyRun> runs;
  for (const char* protocol : {"real", "real_synthetic"})
    for (std::uint64_t seed : {1, 2, 3}) runs.push_back(make_run(protocol, seed, shifted(kTwoMistakes, 0.01 * seed)));
  const auto three_seeds = osgan::summarize_study(kEightLabels, runs, kResamples, kBootstrapSeed);
  for (const char* metric : {"accuracy", "auc"}) {
    const auto& delta = three_seeds.at("real_synthetic").at("delta_vs_real").at(metric);
    EXPECT_EQ(delta.at("mean").get<double>(), 0.0) << metric;
    EXPECT_EQ(ci_of(delta), std::make_pair(0.0, 0.0)) << metric;
  }
}

TEST(StudyStatistics, PerfectClassifierGivesOneWithAZeroWidthInterval) {
  // Every tumour above 0.5 and above every normal: on any resample each metric is 1 exactly (AUC by ranks:
  // positive rank sum = P*N + P(P+1)/2, so (P*N) / (P*N) = 1; one-class resamples give NaN and are dropped).
  const auto out = osgan::summarize_study(
      kEightLabels,
      {make_run("real", 1, {0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1}),
       make_run("real", 2, {0.99, 0.51, 0.75, 0.6, 0.49, 0.0, 0.2, 0.3})},
      kResamples, kBootstrapSeed);
  for (const char* metric : {"accuracy", "auc", "f1", "sensitivity", "specificity"}) {
    const auto& m = out.at("real").at(metric);
    EXPECT_EQ(m.at("mean").get<double>(), 1.0) << metric;
    EXPECT_EQ(ci_of(m), std::make_pair(1.0, 1.0)) << metric;
  }
}

TEST(StudyStatistics, PerfectlyWrongClassifierGivesZeroWithAZeroWidthInterval) {
  // Every tumour below 0.5 and below every normal: no prediction is right (tp = tn = 0), so accuracy, F1
  // (2*0 / (fp + fn)), sensitivity and specificity are 0, and the positive rank sum is P(P+1)/2, so AUC is 0.
  const auto out = osgan::summarize_study(
      kEightLabels, {make_run("real", 1, {0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9})}, kResamples, kBootstrapSeed);
  for (const char* metric : {"accuracy", "auc", "f1", "sensitivity", "specificity"}) {
    const auto& m = out.at("real").at(metric);
    EXPECT_EQ(m.at("mean").get<double>(), 0.0) << metric;
    EXPECT_EQ(ci_of(m), std::make_pair(0.0, 0.0)) << metric;
  }
}

TEST(StudyStatistics, PercentileIntervalInterpolatesLinearlyBetweenOrderStatistics) {
  // Sorted {0, 10, 20, 30, 40}: the 2.5% quantile sits at position 0.025 * 4 = 0.1, i.e. 0 + 0.1 * 10 = 1; the
  // 97.5% one at 0.975 * 4 = 3.9, i.e. 30 + 0.9 * 10 = 39. The input order must not matter.
  // Tolerance: alpha = (1 - 0.95) / 2 is 0.025 only to about 1e-17, which moves the result by ~1e-15.
  auto [lo, hi] = osgan::percentile_interval({30, 0, 40, 10, 20});
  EXPECT_NEAR(lo, 1.0, 1e-12);
  EXPECT_NEAR(hi, 39.0, 1e-12);

  // NaN samples (a metric undefined on a resample) are dropped: {1, 5} gives 1 + 0.025 * 4 = 1.1 and
  // 1 + 0.975 * 4 = 4.9.
  std::tie(lo, hi) = osgan::percentile_interval({std::nan(""), 5, std::nan(""), 1});
  EXPECT_NEAR(lo, 1.1, 1e-12);
  EXPECT_NEAR(hi, 4.9, 1e-12);

  // Another confidence: 50% over {0..4} is the 25% and 75% quantiles, positions 1 and 3 exactly.
  std::tie(lo, hi) = osgan::percentile_interval({4, 3, 2, 1, 0}, 0.5);
  EXPECT_DOUBLE_EQ(lo, 1.0);
  EXPECT_DOUBLE_EQ(hi, 3.0);

  // One sample is its own interval; none (or only NaN) gives no interval.
  EXPECT_EQ(osgan::percentile_interval({0.25}), std::make_pair(0.25, 0.25));
  std::tie(lo, hi) = osgan::percentile_interval({std::nan("")});
  EXPECT_TRUE(std::isnan(lo) && std::isnan(hi));
  std::tie(lo, hi) = osgan::percentile_interval({});
  EXPECT_TRUE(std::isnan(lo) && std::isnan(hi));
}

TEST(StudyStatistics, TwoSeedsTwoImagesIntervalIsMadeOfEnumeratedValues) {
  // Image 0 is a tumour, image 1 a normal. Seed 1 gets both right (accuracy 1 on any resample); seed 2 gets only
  // image 0 right, so its accuracy on a resample is b = (copies of image 0) / 2, one of {0, 0.5, 1}.
  // A resample draws the images, then two runs from the same images:
  //   (1, 1) -> 1;  (1, 2) or (2, 1) -> (1 + b) / 2 in {0.5, 0.75, 1};  (2, 2) -> b in {0, 0.5, 1}.
  // So every sample is one of {0, 0.5, 0.75, 1}; the point estimate is (1 + 0.5) / 2 = 0.75.
  const std::vector<int> labels = {1, 0};
  const std::vector<StudyRun> runs = {make_run("real", 1, {0.9, 0.1}), make_run("real", 2, {0.9, 0.8})};
  const std::vector<double> enumerated = {0.0, 0.5, 0.75, 1.0};

  // One resample: its interval is that sample, which must be in the enumerated set (for any bootstrap seed).
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto one = osgan::summarize_study(labels, runs, 1, seed).at("real").at("accuracy");
    const auto [lo, hi] = ci_of(one);
    EXPECT_EQ(lo, hi) << "seed " << seed;
    EXPECT_NE(std::find(enumerated.begin(), enumerated.end(), lo), enumerated.end()) << "seed " << seed << ": " << lo;
  }

  // 2000 resamples: P(sample = 0) = P(runs (2, 2)) * P(image 1 twice) = 1/4 * 1/4 = 1/16, about 125 samples,
  // far more than the 51 that put sorted samples 49 and 50 at 0; P(sample = 1) = 1/4 + 1/2 * 1/4 + 1/4 * 1/4 =
  // 7/16. So both extremes occur often enough to be the endpoints exactly: [0, 1].
  const auto many = osgan::summarize_study(labels, runs, kResamples, kBootstrapSeed).at("real").at("accuracy");
  EXPECT_EQ(many.at("mean").get<double>(), 0.75);
  EXPECT_EQ(ci_of(many), std::make_pair(0.0, 1.0));
}

TEST(StudyStatistics, ShiftThatKeepsClassesAndRanksGivesZeroDeltaDespiteWideIntervals) {
  // B = A + 0.03: no score crosses 0.5 (0.30 -> 0.33, 0.40 -> 0.43, 0.55 -> 0.58) and the order is unchanged, so
  // on the SAME image resample both have the same confusion matrix and ranks: delta exactly 0 on every resample.
  // Were the images resampled separately per protocol, the deltas would spread as widely as the intervals.
  const auto out = osgan::summarize_study(
      kEightLabels, {make_run("real", 1, kTwoMistakes), make_run("synthetic", 1, shifted(kTwoMistakes, 0.03))},
      kResamples, kBootstrapSeed);
  for (const char* metric : {"accuracy", "auc"}) {
    const auto& delta = out.at("synthetic").at("delta_vs_real").at(metric);
    EXPECT_EQ(delta.at("mean").get<double>(), 0.0) << metric;
    EXPECT_EQ(ci_of(delta), std::make_pair(0.0, 0.0)) << metric;
  }
  // The per-protocol accuracy varies a lot with the images: the wrong count is Binomial(8, 2/8), P(0 wrong) =
  // 0.75^8 = 10% gives the upper end 1, and P(>= 4 wrong) = 11% puts the lower end at or below 4/8.
  for (const char* protocol : {"real", "synthetic"}) {
    const auto [lo, hi] = ci_of(out.at(protocol).at("accuracy"));
    EXPECT_EQ(hi, 1.0) << protocol;
    EXPECT_LE(lo, 0.5) << protocol;
  }
}

TEST(StudyStatistics, OneFlippedImageMakesEveryDeltaItsCountOverN) {
  // B equals A except on image 2 (a tumour), which A gets wrong (0.30) and B right (0.70). On a resample the
  // accuracy difference is (copies of image 2) / 8, the count being Binomial(8, 1/8):
  //   P(0) = (7/8)^8 = 0.344, P(<= 2) = 0.933, P(<= 3) = 0.989.
  // The 2.5% quantile is therefore 0 and the 97.5% quantile 3/8; with 2000 samples the margins (about 690
  // samples at 0 against the 51 needed; ~1977 at most 3 against 1951 needed, ~5 sd) make both exact.
  // A negative lower end would mean the two protocols saw different images.
  auto flipped = kTwoMistakes;
  flipped[2] = 0.70;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto out = osgan::summarize_study(
        kEightLabels, {make_run("real", 1, kTwoMistakes), make_run("real_classical", 1, flipped)}, kResamples, seed);
    const auto& delta = out.at("real_classical").at("delta_vs_real").at("accuracy");
    EXPECT_EQ(delta.at("mean").get<double>(), 1.0 / 8) << "seed " << seed;  // 7/8 - 6/8
    EXPECT_EQ(ci_of(delta), std::make_pair(0.0, 3.0 / 8)) << "seed " << seed;
  }
}

TEST(StudyStatistics, RunsArePairedBySeedAcrossProtocols) {
  // Both protocols: seed 1 perfect, seed 2 perfectly wrong, so a run's accuracy (and AUC) is 1 or 0 on any image
  // resample and a protocol's mean of two drawn runs is 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4: each
  // protocol's interval is [0, 1]. The seeds drawn are shared by the protocols (run k of each is the same seed),
  // so the two protocols' means agree on every resample and the delta is exactly 0 with interval [0, 0]. Drawn
  // independently per protocol, delta would be -1 or +1 with probability 1/16 each, an interval of [-1, 1].
  const std::vector<double> right = {0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1};
  const std::vector<double> wrong = {0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9};
  // The runs of "synthetic" are listed in the other order: pairing is by seed, not by position in the list.
  const auto out = osgan::summarize_study(kEightLabels,
                                          {make_run("real", 1, right), make_run("real", 2, wrong),
                                           make_run("synthetic", 2, wrong), make_run("synthetic", 1, right)},
                                          kResamples, kBootstrapSeed);
  for (const char* metric : {"accuracy", "auc"}) {
    EXPECT_EQ(out.at("real").at(metric).at("mean").get<double>(), 0.5) << metric;
    EXPECT_EQ(ci_of(out.at("real").at(metric)), std::make_pair(0.0, 1.0)) << metric;
    EXPECT_EQ(ci_of(out.at("synthetic").at(metric)), std::make_pair(0.0, 1.0)) << metric;
    const auto& delta = out.at("synthetic").at("delta_vs_real").at(metric);
    EXPECT_EQ(delta.at("mean").get<double>(), 0.0) << metric;
    EXPECT_EQ(ci_of(delta), std::make_pair(0.0, 0.0)) << metric;
  }
}

namespace {

StudyRun make_gan_run(const std::string& protocol, int gan, std::uint64_t seed, std::vector<double> probabilities) {
  StudyRun run = make_run(protocol, seed, std::move(probabilities));
  run.gan = gan;
  return run;
}

const std::vector<double> kPerfect = {0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1};
const std::vector<double> kAllWrong = {0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9};

}  // namespace

// --gan-seeds: the GAN seeds are a level of the bootstrap. GAN 1's classifiers are all perfect and GAN 2's all wrong,
// whatever their classifier seed: every image resample gives accuracy 1 or 0 per run, so a resample's mean is the
// share of GAN 1 among the 2 drawn GAN seeds: 1, 0.5 or 0 with probability 1/4, 1/2, 1/4. The 2.5% and 97.5%
// quantiles of 2,000 such samples are 0 and 1 (positions 49.975 and 1949.025 fall inside the about 500 zeros and
// 500 ones). Resampling only the classifier seeds would give 0.5 every time.
TEST(StudyStatistics, GanSeedsAreALevelOfTheBootstrap) {
  std::vector<StudyRun> runs = {make_run("real", 1, kPerfect), make_run("real", 2, kPerfect)};
  for (std::uint64_t seed : {1, 2}) {
    runs.push_back(make_gan_run("real_synthetic", 1, seed, kPerfect));
    runs.push_back(make_gan_run("real_synthetic", 2, seed, kAllWrong));
  }
  const auto s = osgan::summarize_study(kEightLabels, runs, kResamples, kBootstrapSeed);
  const auto& acc = s.at("real_synthetic").at("accuracy");
  EXPECT_EQ(acc.at("mean").get<double>(), 0.5);
  EXPECT_EQ(ci_of(acc), std::make_pair(0.0, 1.0));
  EXPECT_EQ(ci_of(s.at("real_synthetic").at("delta_vs_real").at("accuracy")), std::make_pair(-1.0, 0.0));
  // The runs GAN seed by GAN seed, each with the classifier seeds in order.
  EXPECT_EQ(s.at("real_synthetic").at("seeds"), json({1, 2}));
  EXPECT_EQ(s.at("real_synthetic").at("gan_seeds"), json({1, 2}));
  EXPECT_EQ(acc.at("runs"), json({1.0, 1.0, 0.0, 0.0}));
  EXPECT_FALSE(s.at("real").contains("gan_seeds"));
  EXPECT_EQ(ci_of(s.at("real").at("accuracy")), std::make_pair(1.0, 1.0));
}

// Protocols with generated images share the GAN seeds they draw (the same GANs made their images): two such
// protocols with the same predictions per GAN and classifier seed get the very same bootstrap samples, so the same
// interval to the last bit, although the GAN level spreads each of them widely.
TEST(StudyStatistics, GanSeedDrawsArePairedAcrossProtocols) {
  std::vector<StudyRun> runs = {make_run("real", 1, kTwoMistakes)};
  for (const char* protocol : {"real_synthetic", "real_synthetic_r1_none"}) {
    runs.push_back(make_gan_run(protocol, 1, 1, kPerfect));
    runs.push_back(make_gan_run(protocol, 2, 1, kTwoMistakes));
    runs.push_back(make_gan_run(protocol, 3, 1, kAllWrong));
  }
  const auto s = osgan::summarize_study(kEightLabels, runs, kResamples, kBootstrapSeed);
  for (const char* metric : {"accuracy", "auc"}) {
    const auto a = ci_of(s.at("real_synthetic").at(metric)), b = ci_of(s.at("real_synthetic_r1_none").at(metric));
    EXPECT_EQ(a, b) << metric;
    EXPECT_LT(a.first, 0.5) << metric;
    EXPECT_GT(a.second, 0.9) << metric;
  }
}

TEST(StudyStatistics, GanSeedsWithOtherClassifierSeedsAreRefused) {
  std::vector<StudyRun> runs = {make_gan_run("synthetic", 1, 1, kPerfect), make_gan_run("synthetic", 1, 2, kPerfect),
                                make_gan_run("synthetic", 2, 1, kPerfect), make_gan_run("synthetic", 2, 3, kPerfect)};
  try {
    osgan::summarize_study(kEightLabels, runs, kResamples, kBootstrapSeed);
    FAIL() << "GAN seeds with different classifier seeds were accepted";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("GAN seed 2"), std::string::npos) << e.what();
  }
}
