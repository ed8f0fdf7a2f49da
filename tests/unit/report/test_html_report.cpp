#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/report/html_report.h"
#include "support/test_support.h"

using namespace osgan::report;
using nlohmann::json;
using osgan::test::ScratchDir;
using osgan::test::write_tiny_png;

namespace {

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

json stat(double mean, double lo, double hi) { return {{"mean", mean}, {"ci95", {lo, hi}}, {"runs", {mean, mean}}}; }

}  // namespace

TEST(HtmlReport, EmptyMetricsRenderEverySectionAsNotRun) {
  const auto result = render_report_html(json::object(), {});
  for (const char* key : {"audit", "split", "gan", "image_quality", "classification", "environment", "timing"})
    EXPECT_NE(result.html.find("no <code>" + std::string(key) + "</code> section"), std::string::npos) << key;
  EXPECT_EQ(result.images, 0);
  EXPECT_TRUE(result.problems.empty());
  EXPECT_NE(result.html.find("<!DOCTYPE html>"), std::string::npos);
}

TEST(HtmlReport, ProtocolTableShowsIntervalsAndTheVerdictOfTheDifference) {
  json m;
  m["classification"]["real"]["accuracy"] = stat(0.8, 0.75, 0.85);
  m["classification"]["real_synthetic"]["accuracy"] = stat(0.9, 0.86, 0.94);
  m["classification"]["real_synthetic"]["delta_vs_real"]["accuracy"] = {{"mean", 0.1}, {"ci95", {0.05, 0.15}}};
  m["classification"]["synthetic"]["accuracy"] = stat(0.6, 0.5, 0.7);
  m["classification"]["synthetic"]["delta_vs_real"]["accuracy"] = {{"mean", -0.01}, {"ci95", {-0.04, 0.02}}};
  const auto result = render_report_html(m, {});
  EXPECT_NE(result.html.find("0.800 <span class=\"ci\">[0.750, 0.850]</span>"), std::string::npos);
  EXPECT_NE(result.html.find("<td class=\"num better\">0.100 <span class=\"ci\">[0.050, 0.150]</span>"), std::string::npos);
  EXPECT_NE(result.html.find("<td class=\"num neutral\">-0.010"), std::string::npos);
  // Order: the standard protocols in their fixed order, whatever the JSON order.
  EXPECT_LT(result.html.find("Real only<div"), result.html.find("Synthetic only<div"));
  EXPECT_LT(result.html.find("Synthetic only<div"), result.html.find("Real + synthetic<div"));
  EXPECT_EQ(result.plots, 2) << "accuracy and difference interval plots";
  EXPECT_TRUE(result.problems.empty()) << result.problems.front();
}

TEST(HtmlReport, EmbedsImagesAsDataUrisAndFlagsMissingOnes) {
  ScratchDir run("report");
  write_tiny_png(run / "data" / "a" / "x.png");
  write_tiny_png(run / "data" / "a" / "y.png");
  write_tiny_png(run / "grid.png");
  json m;
  m["dataset"] = {{"root", "data"}, {"classes", {{"a", 2}}}};
  m["audit"]["near_duplicate_pairs"] = json::array({{{"a", "a/x.png"}, {"b", "a/y.png"}, {"score", 0.99}}});
  m["audit"]["outliers"] = json::array({{{"id", "a/gone.png"}, {"class", "a"}, {"reasons", {"CT"}}}});
  m["gan"]["a"] = {{"steps", 10}, {"seconds", 1.5}, {"samples_grid", "grid.png"}};
  ReportOptions options;
  options.run_dir = run.path();
  const auto result = render_report_html(m, options);
  EXPECT_EQ(result.images, 3) << "two thumbnails and the sample grid";
  EXPECT_EQ(count(result.html, "<img "), result.images);
  EXPECT_EQ(count(result.html, "src=\"data:image/png;base64,"), 3);
  // The outlier's file and the loss log are missing: visible notices, not a failure.
  ASSERT_EQ(result.problems.size(), 2u);
  EXPECT_NE(result.problems[0].find("gone.png"), std::string::npos) << result.problems[0];
  EXPECT_NE(result.problems[1].find("losses_csv"), std::string::npos) << result.problems[1];
  EXPECT_EQ(count(result.html, "class=\"missing\""), 2);
  EXPECT_FALSE(std::regex_search(result.html, std::regex("https?://"))) << "the page must not reference the network";
}

TEST(HtmlReport, WrongTypesBecomeNoticesNotCrashes) {
  json m;
  m["split"] = "not an object";
  m["audit"]["outliers"] = json::array({42});
  m["image_quality"]["a"]["histogram"] = {{"bins", {1, 2}}, {"real", {1, 2, 3}}, {"generated", {1}}};
  m["classification"]["real"]["accuracy"] = {{"mean", "high"}};
  const auto result = render_report_html(m, {});
  EXPECT_NE(result.html.find("no <code>split</code> section"), std::string::npos);
  bool histogram_flagged = false;
  for (const auto& p : result.problems) histogram_flagged = histogram_flagged || p.find("histogram") != std::string::npos;
  EXPECT_TRUE(histogram_flagged);
  EXPECT_NE(result.html.find("Real only"), std::string::npos);
}

TEST(HtmlReport, WriteReportIsAtomicAndFailsClearlyOnBadJson) {
  ScratchDir run("report");
  osgan::write_text_atomically(run / "metrics.json", R"({"environment": {"device": "cpu"}})");
  ReportOptions options;
  options.run_dir = run.path();
  const auto result = write_report(options);
  EXPECT_EQ(result.path, run / "report.html");
  EXPECT_EQ(osgan::read_text_file(run / "report.html"), result.html);

  osgan::write_text_atomically(run / "metrics.json", R"({"environment": )");
  options.out_path = run / "other.html";
  EXPECT_THROW(write_report(options), osgan::Error);
  EXPECT_FALSE(std::filesystem::exists(run / "other.html"));
  options.run_dir = run / "missing";
  EXPECT_THROW(write_report(options), osgan::Error);
}

TEST(HtmlReport, ExternalSectionPutsValidationBesideExternalAndSaysWhenAGainDoesNotHold) {
  json m;
  m["classification"]["real"]["accuracy"] = stat(0.85, 0.8, 0.9);
  m["classification"]["real"]["auc"] = stat(0.9, 0.85, 0.95);
  m["classification"]["real_synthetic"]["accuracy"] = stat(0.9, 0.86, 0.94);
  m["classification"]["real_synthetic"]["delta_vs_real"]["accuracy"] = {{"mean", 0.05}, {"ci95", {0.01, 0.09}}};
  m["external"]["site_b"]["real"]["accuracy"] = stat(0.7, 0.62, 0.78);
  m["external"]["site_b"]["real"]["auc"] = stat(0.75, 0.66, 0.83);
  m["external"]["site_b"]["real_synthetic"]["accuracy"] = stat(0.69, 0.6, 0.77);
  m["external"]["site_b"]["real_synthetic"]["delta_vs_real"]["accuracy"] = {{"mean", -0.01}, {"ci95", {-0.05, 0.03}}};
  m["external_sets"]["site_b"] = {{"images", 160}, {"positives", 102}, {"data", "/data/site_b"}};
  const auto result = render_report_html(m, {});
  const auto at = result.html.find("<section id=\"external\">");
  ASSERT_NE(at, std::string::npos);
  const std::string section = result.html.substr(at, result.html.find("</section>", at) - at);
  EXPECT_NE(section.find("160 images, 102 positive"), std::string::npos);
  // The real-only row: validation AUC, external AUC, validation accuracy, external accuracy, in that order.
  const auto row = section.find("Real only<div");
  ASSERT_NE(row, std::string::npos);
  const auto v_auc = section.find("0.900 <span", row), e_auc = section.find("0.750 <span", row),
             v_acc = section.find("0.850 <span", row), e_acc = section.find("0.700 <span", row);
  EXPECT_TRUE(v_auc < e_auc && e_auc < v_acc && v_acc < e_acc) << section;
  EXPECT_NE(section.find("accuracy falls from 0.850 on the validation side to 0.700 on site_b"), std::string::npos) << section;
  EXPECT_NE(section.find("The gain of Real + synthetic over real only on the validation side (0.050) does not hold on "
                         "site_b (-0.010, 95% interval includes 0)"), std::string::npos) << section;
  EXPECT_NE(result.html.find("Accuracy, real only, on site_b"), std::string::npos) << "summary card";
}

TEST(HtmlReport, ExternalSectionWithoutExternalSetsSaysHowToAddOne) {
  const auto result = render_report_html(json::object(), {});
  EXPECT_NE(result.html.find("osgan evaluate-study --run RUN --data DIR"), std::string::npos);
  EXPECT_TRUE(result.problems.empty());
}
