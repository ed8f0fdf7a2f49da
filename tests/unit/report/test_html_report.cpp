#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/report/gnuplot.h"
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

// One point of the synthetic-image sweep as ratio_sweep_table writes it: AUC mean +- 0.05, its paired difference.
json ratio_point(const std::string& protocol, int normal, int tumor, double auc, json delta_auc) {
  return {{"protocol", protocol},
          {"synthetic_per_class", {{"normal", normal}, {"tumor", tumor}}},
          {"accuracy", {{"mean", auc - 0.04}, {"ci95", {auc - 0.1, auc}}}},
          {"auc", {{"mean", auc}, {"ci95", {auc - 0.05, auc + 0.05}}}},
          {"delta_vs_real", {{"accuracy", {{"mean", 0.0}, {"ci95", {-0.01, 0.01}}}}, {"auc", std::move(delta_auc)}}}};
}

json delta(double mean, double lo, double hi) { return {{"mean", mean}, {"ci95", {lo, hi}}}; }

// The sweep at 0, 0.25, 0.5, 1 and all; "nearest" only between the ends. `external` shifts the differences down.
json ratio_sweep(bool external) {
  const double s = external ? -0.05 : 0.0;
  json sweep;
  sweep["0"]["none"] = ratio_point("real", 0, 0, 0.85, delta(0, 0, 0));
  sweep["0.25"]["none"] = ratio_point("real_synthetic_r0.25_none", 30, 40, 0.86, delta(0.01 + s, -0.02 + s, 0.04 + s));
  sweep["0.25"]["nearest"] =
      ratio_point("real_synthetic_r0.25_nearest", 30, 40, 0.88, delta(0.03 + s, 0.01 + s, 0.05 + s));
  sweep["0.5"]["none"] = ratio_point("real_synthetic_r0.5_none", 60, 80, 0.86, delta(0.01 + s, -0.01 + s, 0.03 + s));
  sweep["0.5"]["nearest"] = ratio_point("real_synthetic_r0.5_nearest", 60, 80, 0.87, delta(0.02 + s, 0.0 + s, 0.04 + s));
  sweep["1"]["none"] = ratio_point("real_synthetic_r1_none", 120, 160, 0.85, delta(0.0 + s, -0.03 + s, 0.03 + s));
  sweep["1"]["nearest"] = ratio_point("real_synthetic_r1_nearest", 120, 160, 0.87, delta(0.02 + s, -0.01 + s, 0.05 + s));
  sweep["all"]["none"] = ratio_point("real_synthetic", 700, 700, 0.84, delta(-0.01 + s, -0.04 + s, 0.02 + s));
  return sweep;
}

std::string section_of(const std::string& html, const std::string& id) {
  const auto at = html.find("<section id=\"" + id + "\">");
  if (at == std::string::npos) return "";
  return html.substr(at, html.find("</section>", at) - at);
}

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
  m["study"]["classifier"]["model"] = {{"arch", "resnet18"}, {"image_size", 128}};
  const auto result = render_report_html(m, {});
  EXPECT_NE(result.html.find("the same classifier (resnet18, every image read at 128&times;128 px)"), std::string::npos);
  EXPECT_NE(result.html.find("0.800 <span class=\"ci\">[0.750, 0.850]</span>"), std::string::npos);
  EXPECT_NE(result.html.find("<td class=\"num better\">0.100 <span class=\"ci\">[0.050, 0.150]</span>"), std::string::npos);
  EXPECT_NE(result.html.find("<td class=\"num neutral\">-0.010"), std::string::npos);
  // Order: the standard protocols in their fixed order, whatever the JSON order.
  EXPECT_LT(result.html.find("Real only<div"), result.html.find("Synthetic only<div"));
  EXPECT_LT(result.html.find("Synthetic only<div"), result.html.find("Real + synthetic<div"));
  EXPECT_EQ(result.plots, 2) << "accuracy and difference interval plots";
  EXPECT_TRUE(result.problems.empty()) << result.problems.front();
}

// With several GAN seeds, the image-quality section shows each seed's headline numbers in a table of its own.
TEST(HtmlReport, EachGanSeedsImageQualityHasARow) {
  json m;
  m["image_quality"]["tumor"]["near_twins_generated"] = 0.7;
  const auto without = render_report_html(m, {});
  EXPECT_EQ(without.html.find("Each GAN seed"), std::string::npos);
  m["image_quality"]["tumor"]["gan_seeds"] = json::array(
      {{{"gan", 1}, {"missed_modes", 1}, {"near_twins_generated", 0.7}, {"structure_recall_at_real_count", 0.02}},
       {{"gan", 2}, {"missed_modes", 3}, {"near_twins_generated", 0.55}, {"structure_recall_at_real_count", 0.04}}});
  const auto result = render_report_html(m, {});
  const auto at = result.html.find("<h3>Each GAN seed</h3>");
  ASSERT_NE(at, std::string::npos);
  const auto table = result.html.substr(at, result.html.find("</table>", at) - at);
  EXPECT_EQ(count(table, "<tr><td>tumor</td>"), 2);
  EXPECT_NE(table.find("<td class=\"num\">2</td><td class=\"num\">3</td><td class=\"num\">0.55</td>"), std::string::npos) << table;
  for (const auto& problem : result.problems)  // (this minimal run has no histograms: those notices are expected)
    EXPECT_EQ(problem.find("gan_seeds"), std::string::npos) << problem;
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
  m["study"]["classifier"]["model"] = {{"arch", "resnet18"}, {"image_size", "big"}};
  const auto result = render_report_html(m, {});
  EXPECT_EQ(result.html.find("every image read at"), std::string::npos);
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

TEST(HtmlReport, RatioSectionTabulatesEachPointOnTheValidationSideAndEachExternalSet) {
  json m;
  m["classification"]["real"]["auc"] = stat(0.85, 0.8, 0.9);
  m["classification"]["ratio"] = ratio_sweep(false);
  m["external"]["site_b"]["real"]["auc"] = stat(0.75, 0.66, 0.83);
  m["external"]["site_b"]["ratio"] = ratio_sweep(true);
  m["external"]["site_b"]["ratio"]["0.5"]["nearest"]["delta_vs_real"]["auc"]["mean"] = nullptr;  // a failed point
  const auto result = render_report_html(m, {});
  const std::string section = section_of(result.html, "ratio");
  ASSERT_FALSE(section.empty());
  EXPECT_NE(section.find("<h2>How many synthetic images?</h2>"), std::string::npos);
  EXPECT_NE(section.find("<div class=\"two\">"), std::string::npos) << "validation beside the external set";
  EXPECT_NE(section.find("&Delta; AUC vs real, site_b</th>"), std::string::npos);
  // Ratio 0.25, nearest: counts, validation AUC, its difference (interval above 0: better), site_b's difference.
  EXPECT_NE(section.find("<tr><td>0.25</td><td>nearest to the real images"
                         "<div class=\"key\">real_synthetic_r0.25_nearest</div></td>"
                         "<td class=\"nowrap\">normal 30 &middot; tumor 40</td>"
                         "<td class=\"num\">0.880 <span class=\"ci\">[0.830, 0.930]</span></td>"
                         "<td class=\"num better\">0.030 <span class=\"ci\">[0.010, 0.050]</span></td>"
                         "<td class=\"num neutral\">-0.020 <span class=\"ci\">[-0.040, 0.000]</span></td></tr>"),
            std::string::npos) << section;
  // Ratio 0 is real only itself: the reference, not a difference of 0.
  EXPECT_NE(section.find("<tr><td>0</td><td>none added<div class=\"key\">real</div></td>"
                         "<td class=\"nowrap\">normal 0 &middot; tumor 0</td>"
                         "<td class=\"num\">0.850 <span class=\"ci\">[0.800, 0.900]</span></td>"
                         "<td class=\"num\">reference</td><td class=\"num\">reference</td></tr>"),
            std::string::npos) << section;
  EXPECT_NE(section.find("<div class=\"key\">real_synthetic_r0.5_nearest</div></td>"
                         "<td class=\"nowrap\">normal 60 &middot; tumor 80</td>"
                         "<td class=\"num\">0.870 <span class=\"ci\">[0.820, 0.920]</span></td>"
                         "<td class=\"num neutral\">0.020 <span class=\"ci\">[0.000, 0.040]</span></td>"
                         "<td class=\"num neutral\">&ndash;</td></tr>"),
            std::string::npos) << "a null value is a dash, not a zero: " << section;
  // Measured points only, in numeric order with "all" last: 0, 0.25 x2, 0.5 x2, 1 x2, all.
  EXPECT_EQ(count(section, "<tr><td>"), 8);
  EXPECT_LT(section.find("<tr><td>0.5</td>"), section.find("<tr><td>1</td>"));
  EXPECT_LT(section.find("<tr><td>1</td>"), section.find("<tr><td>all</td>"));
  EXPECT_NE(section.find("<tr><td>all</td><td>every generated image<div class=\"key\">real_synthetic</div>"), std::string::npos);
  EXPECT_LT(result.html.find("<section id=\"external\">"), result.html.find("<section id=\"ratio\">"));
  EXPECT_NE(result.html.find("<a href=\"#ratio\">"), std::string::npos) << "listed in the table of contents";
  if (gnuplot_available()) {
    EXPECT_EQ(count(section, "src=\"data:image/svg+xml"), 2) << "validation side and site_b";
    EXPECT_TRUE(result.problems.empty()) << result.problems.front();
  }
}

TEST(HtmlReport, RatioSectionSortsRatiosAsNumbers) {
  json m;
  for (const char* r : {"10", "2", "0.5", "0"})
    m["classification"]["ratio"][r]["none"] = ratio_point("p" + std::string(r), 1, 1, 0.8, delta(0, 0, 0));
  m["classification"]["ratio"]["all"]["none"] = ratio_point("real_synthetic", 700, 700, 0.8, delta(0, 0, 0));
  const std::string section = section_of(render_report_html(m, {}).html, "ratio");
  const auto r0 = section.find("<tr><td>0</td>"), r05 = section.find("<tr><td>0.5</td>"), r2 = section.find("<tr><td>2</td>"),
             r10 = section.find("<tr><td>10</td>"), all = section.find("<tr><td>all</td>");
  ASSERT_NE(all, std::string::npos) << section;
  EXPECT_TRUE(r0 < r05 && r05 < r2 && r2 < r10 && r10 < all) << section;
}

TEST(HtmlReport, RatioSectionWithoutTheSweepSaysHowToRunIt) {
  json m;
  m["classification"]["real"]["accuracy"] = stat(0.8, 0.75, 0.85);
  for (const json& metrics : {json::object(), m}) {
    const auto result = render_report_html(metrics, {});
    const std::string section = section_of(result.html, "ratio");
    EXPECT_NE(section.find("<p class=\"notrun\">Not run: metrics.json has no <code>classification.ratio</code>"),
              std::string::npos) << section;
    EXPECT_NE(section.find("<code>study.ratios</code> and <code>study.ratio_filters</code>"), std::string::npos);
    EXPECT_EQ(section.find("<table"), std::string::npos);
    EXPECT_TRUE(result.problems.empty());
  }
}

// The mode table says how surely a generated image of its size can be assigned: a warning when fewer than 3 in 4
// real images keep their mode once shrunk to that size, a plain note otherwise, nothing when the check was not made.
TEST(HtmlReport, ModeTableSaysHowSurelyTheGeneratedSizeCanBeAssigned) {
  json m;
  for (const auto& [cls, share] : {std::pair<const char*, double>{"normal", 0.80}, {"tumor", 0.47}}) {
    auto& modes = m["image_quality"][cls]["modes"];
    modes["k"] = 2;
    modes["missed_modes"] = 1;
    modes["modes"] = json::array({{{"mode", 0}, {"real_share", 0.6}, {"generated_share", 0.99}, {"missed", false}},
                                  {{"mode", 1}, {"real_share", 0.4}, {"generated_share", 0.01}, {"missed", true}}});
    modes["real_agreement_at_generated_size"] = {{"size", 32}, {"share", share}};
  }
  m["image_quality"]["other"]["modes"] = m["image_quality"]["normal"]["modes"];
  m["image_quality"]["other"]["modes"].erase("real_agreement_at_generated_size");
  const auto html = render_report_html(m, {}).html;
  const std::string section = section_of(html, "quality");
  EXPECT_NE(section.find("<p class=\"meta\">Fitted on the real images at 128 px. Shrunk to 32 px, the generated images' "
                         "size, 80% of the real images keep their mode.</p>"), std::string::npos) << section;
  EXPECT_NE(section.find("<p class=\"warning\">Fitted on the real images at 128 px. Shrunk to 32 px, the generated "
                         "images' size, 47% of the real images keep their mode: at that size"), std::string::npos) << section;
  EXPECT_EQ(count(section, "Fitted on the real images at 128 px"), 2);  // not for the class without the check
}
