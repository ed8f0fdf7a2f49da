// The synthetic:real ratio sweep (issue 26, part 5): protocol names, the filter that chooses the generated images,
// and the table metrics.json gets from a study summary.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "osgan/core/error.h"
#include "osgan/report/ratio_protocol.h"
#include "osgan/pipeline/synthetic_filter.h"
#include "osgan/pipeline/study.h"

using nlohmann::json;
using osgan::parse_ratio_protocol;
using osgan::ratio_protocol_name;

TEST(RatioProtocol, NamesRoundTrip) {
  EXPECT_EQ(ratio_protocol_name({0.25, "nearest"}), "real_synthetic_r0.25_nearest");
  EXPECT_EQ(ratio_protocol_name({1, "none"}), "real_synthetic_r1_none");
  for (const std::string name : {"real_synthetic_r0.25_nearest", "real_synthetic_r1_none", "real_synthetic_r3_nearest"}) {
    const auto p = parse_ratio_protocol(name);
    ASSERT_TRUE(p) << name;
    EXPECT_EQ(ratio_protocol_name(*p), name);
  }
  EXPECT_DOUBLE_EQ(parse_ratio_protocol("real_synthetic_r0.5_none")->ratio, 0.5);
  EXPECT_EQ(parse_ratio_protocol("real_synthetic_r0.5_none")->filter, "none");
}

TEST(RatioProtocol, OtherNamesAreNotRatioPoints) {
  for (const std::string name : {"real", "real_synthetic", "real_synthetic_classical", "synthetic",
                                 "real_synthetic_r0_none", "real_synthetic_r-1_none", "real_synthetic_rnan_none",
                                 "real_synthetic_r0.50_none", "real_synthetic_r0.5_best", "real_synthetic_r0.5",
                                 "real_synthetic_r_none", "real_synthetic_r0.5x_none"})
    EXPECT_FALSE(parse_ratio_protocol(name)) << name;
}

TEST(RatioProtocol, SweepIsRatioMajorAndChecksItsValues) {
  EXPECT_EQ(osgan::ratio_protocol_names({0.5, 1}, {"none", "nearest"}),
            (std::vector<std::string>{"real_synthetic_r0.5_none", "real_synthetic_r0.5_nearest",
                                      "real_synthetic_r1_none", "real_synthetic_r1_nearest"}));
  EXPECT_TRUE(osgan::ratio_protocol_names({}, {"none"}).empty());
  EXPECT_THROW(osgan::ratio_protocol_names({0}, {"none"}), osgan::Error);
  EXPECT_THROW(osgan::ratio_protocol_names({-0.5}, {"none"}), osgan::Error);
  EXPECT_THROW(osgan::ratio_protocol_names({NAN}, {"none"}), osgan::Error);
  try {
    osgan::ratio_protocol_names({1}, {"closest"});
    FAIL() << "an unknown filter was accepted";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("\"closest\""), std::string::npos) << e.what();
  }
}

namespace {

// A bright disc of radius r on a dark field, (1, 1, 32, 32) in [-1, 1].
torch::Tensor disc(double radius, double brightness = 1.0) {
  auto y = torch::arange(32, torch::kFloat32).view({32, 1}) - 15.5;
  auto x = torch::arange(32, torch::kFloat32).view({1, 32}) - 15.5;
  auto inside = (x * x + y * y).le(radius * radius).to(torch::kFloat32);
  return (inside * (brightness + 1) - 1).view({1, 1, 32, 32});
}

}  // namespace

TEST(SyntheticFilter, NoneTakesTheFirstImagesInFileOrder) {
  auto pool = torch::cat({disc(3), disc(14), disc(8), disc(10)});
  auto real = torch::cat({disc(9), disc(10), disc(11), disc(9.5)});
  EXPECT_EQ(osgan::select_synthetic(pool, real, 2, "none"), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(osgan::select_synthetic(pool, real, 0, "none"), (std::vector<int64_t>{}));
}

TEST(SyntheticFilter, NearestKeepsTheImagesClosestToTheRealSide) {
  // Real discs of radius 9-11; in the pool, radius 10 and 8 look like them, 3 and 14 and an empty field do not.
  auto pool = torch::cat({disc(3), disc(14), disc(8), torch::full({1, 1, 32, 32}, -1.f), disc(10)});
  auto real = torch::cat({disc(9), disc(10), disc(11), disc(9.5), disc(10.5)});
  const auto chosen = osgan::select_synthetic(pool, real, 2, "nearest");
  EXPECT_EQ(chosen, (std::vector<int64_t>{4, 2}));
  const auto d = osgan::distance_to_nearest_real(pool, real);
  ASSERT_EQ(d.size(0), 5);
  EXPECT_LT(d[4].item<double>(), d[2].item<double>());
  EXPECT_LT(d[2].item<double>(), d[0].item<double>());
  EXPECT_LT(d[2].item<double>(), d[3].item<double>());
  // An image that is one of the real ones is at distance 0.
  EXPECT_NEAR(osgan::distance_to_nearest_real(disc(10), real)[0].item<double>(), 0.0, 1e-9);
}

TEST(SyntheticFilter, RefusesWhatItCannotDo) {
  auto pool = torch::cat({disc(3), disc(14)});
  auto real = torch::cat({disc(9), disc(10), disc(11), disc(9.5)});
  try {
    osgan::select_synthetic(pool, real, 3, "none");
    FAIL() << "more images than the pool holds were accepted";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("holds 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(osgan::select_synthetic(pool, real, 1, "best"), osgan::Error);
  EXPECT_THROW(osgan::select_synthetic(pool, real.slice(0, 0, 3), 1, "nearest"), osgan::Error);  // 3 real < 4
}

namespace {

json metric(double mean, double lo, double hi) { return {{"mean", mean}, {"ci95", {lo, hi}}, {"runs", {mean}}}; }

json summary_entry(double auc, double delta_auc) {
  json e;
  for (const char* m : {"accuracy", "auc", "f1", "sensitivity", "specificity"}) e[m] = metric(auc, auc - 0.1, auc + 0.1);
  for (const char* m : {"accuracy", "auc", "f1", "sensitivity", "specificity"})
    e["delta_vs_real"][m] = {{"mean", delta_auc}, {"ci95", {delta_auc - 0.05, delta_auc + 0.05}}};
  e["roc"] = {{"fpr", {0, 1}}, {"tpr", {0, 1}}};
  return e;
}

}  // namespace

TEST(RatioSweepTable, GathersThePointsWithBothEnds) {
  json summary;
  summary["real"] = summary_entry(0.90, 0);
  summary["real"].erase("delta_vs_real");  // the reference has no delta of its own
  summary["real_classical"] = summary_entry(0.91, 0.01);
  summary["real_synthetic"] = summary_entry(0.85, -0.05);
  summary["real_synthetic_r0.25_none"] = summary_entry(0.92, 0.02);
  summary["real_synthetic_r0.25_nearest"] = summary_entry(0.93, 0.03);
  summary["real_synthetic_r1_none"] = summary_entry(0.88, -0.02);
  const json counts = {{"real", {{"normal", 0}, {"tumor", 0}}},
                       {"real_synthetic", {{"normal", 700}, {"tumor", 700}}},
                       {"real_synthetic_r0.25_none", {{"normal", 30}, {"tumor", 40}}},
                       {"real_synthetic_r0.25_nearest", {{"normal", 30}, {"tumor", 40}}},
                       {"real_synthetic_r1_none", {{"normal", 119}, {"tumor", 161}}}};
  const json t = osgan::ratio_sweep_table(summary, counts);
  EXPECT_EQ(t.size(), 4u);  // "0", "0.25", "1", "all"
  EXPECT_EQ(t["0"]["none"]["protocol"], "real");
  EXPECT_EQ(t["0"]["none"]["delta_vs_real"]["auc"]["mean"], 0.0);
  EXPECT_EQ(t["0"]["none"]["delta_vs_real"]["auc"]["ci95"], json({0.0, 0.0}));
  EXPECT_EQ(t["0.25"]["nearest"]["protocol"], "real_synthetic_r0.25_nearest");
  EXPECT_DOUBLE_EQ(t["0.25"]["nearest"]["auc"]["mean"].get<double>(), 0.93);
  EXPECT_DOUBLE_EQ(t["0.25"]["nearest"]["delta_vs_real"]["auc"]["ci95"][1].get<double>(), 0.08);
  EXPECT_EQ(t["0.25"]["none"]["synthetic_per_class"]["tumor"], 40);
  EXPECT_FALSE(t["0.25"]["none"]["auc"].contains("runs"));  // only mean and ci95 in the table
  EXPECT_FALSE(t["1"].contains("nearest"));                  // not in the summary: left out
  EXPECT_EQ(t["all"]["none"]["protocol"], "real_synthetic");
  EXPECT_EQ(t["all"]["none"]["synthetic_per_class"]["normal"], 700);
  EXPECT_FALSE(t.contains("real_classical"));
}

TEST(RatioSweepTable, EmptyWithoutRatioProtocols) {
  json summary;
  summary["real"] = summary_entry(0.9, 0);
  summary["real_synthetic"] = summary_entry(0.85, -0.05);
  EXPECT_TRUE(osgan::ratio_sweep_table(summary, json::object()).empty());
}
