// gnuplot is a declared dependency (scripts/install-deps: gnuplot-nox), so these tests require it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "osgan/core/error.h"
#include "osgan/report/figures.h"
#include "osgan/report/gnuplot.h"

using namespace osgan::report;

namespace {
int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST(Gnuplot, DrawsSvgFromAnInlineDatablock) {
  const std::string script = "set terminal svg size 300,200\nset output\n" +
                             gnuplot_datablock("d", {{0, 1, 2}, {0, 1, 4}}) + "plot $d using 1:2 with lines title 'marker-title'\n";
  const std::string svg = run_gnuplot_svg(script);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("marker-title"), std::string::npos);
}

TEST(Gnuplot, ScriptErrorIsReported) {
  try {
    run_gnuplot_svg("set terminal svg\nset output\nplot $missing using 1:2\n");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("gnuplot"), std::string::npos) << e.what();
  }
}

TEST(Gnuplot, MissingProgramIsAClearError) {
  ::setenv("OSGAN_GNUPLOT", "/nonexistent/gnuplot-for-osgan-test", 1);
  try {
    run_gnuplot_svg("set terminal svg\nplot x\n");
    ::unsetenv("OSGAN_GNUPLOT");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    ::unsetenv("OSGAN_GNUPLOT");
    EXPECT_EQ(e.code(), osgan::ErrorCode::unsupported);
    EXPECT_NE(std::string(e.what()).find("gnuplot-nox"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(gnuplot_available()) << "gnuplot should be back once OSGAN_GNUPLOT is unset";
}

TEST(Gnuplot, DatablockWritesRowsAndNaN) {
  EXPECT_EQ(gnuplot_datablock("x", {{1, 2.5}, {std::nan(""), 3}}), "$x << EOD\n1 NaN\n2.5 3\nEOD\n");
}

TEST(Gnuplot, QuoteEscapesEnhancedTextSpecials) {
  EXPECT_EQ(gnuplot_quote("g_total"), "\"g\\\\_total\"");
  EXPECT_EQ(gnuplot_quote("a\"b"), "\"a\\\"b\"");
}

TEST(Figures, LossCurvesHaveOneLegendEntryPerLoss) {
  CsvTable log;
  log.columns = {"step", "g_total", "d_total"};
  for (int s = 1; s <= 300; ++s) log.rows.push_back({double(s), 2.0 / s + 1, 1.0 + 0.001 * s});
  const std::string svg = plot_loss_curves(log, "GAN losses: tumor");
  EXPECT_NE(svg.find("g_total"), std::string::npos);
  EXPECT_NE(svg.find("d_total"), std::string::npos);
  EXPECT_NE(svg.find("GAN losses: tumor"), std::string::npos);
  EXPECT_EQ(count(svg, "<title>g_total</title>"), 1) << "the raw line must not add a second legend entry";

  CsvTable empty;
  empty.columns = {"step", "g_total"};
  EXPECT_THROW(plot_loss_curves(empty, "x"), osgan::Error);
  CsvTable no_loss;
  no_loss.columns = {"step"};
  no_loss.rows = {{1}};
  EXPECT_THROW(plot_loss_curves(no_loss, "x"), osgan::Error);
}

TEST(Figures, QualityCurveDrawsWhatTheLogHas) {
  CsvTable log;
  log.columns = {"step", "kid_ema", "kid_raw", "precision_ema", "precision_raw", "recall_ema", "recall_raw"};
  for (int s = 250; s <= 2000; s += 250) log.rows.push_back({double(s), 5.0 / s, 6.0 / s, s / 2500.0, s / 3000.0, 0.3, 0.2});
  const std::string svg = plot_quality_curve(log, "Sample quality by step: tumor");
  EXPECT_NE(svg.find("Sample quality by step: tumor"), std::string::npos);
  for (const char* title : {"<title>precision</title>", "<title>recall</title>", "<title>KID (right axis)</title>",
                            "<title>precision, raw G</title>"})
    EXPECT_EQ(count(svg, title), 1) << title;
  // An EMA-only log draws only its three curves; a log without any quality column is refused.
  CsvTable ema;
  ema.columns = {"step", "precision_ema"};
  ema.rows = {{250, 0.1}, {500, 0.4}};
  EXPECT_EQ(count(plot_quality_curve(ema, "q"), "raw G"), 0);
  CsvTable losses;
  losses.columns = {"step", "g_total"};
  losses.rows = {{1, 0.5}};
  EXPECT_THROW(plot_quality_curve(losses, "q"), osgan::Error);
  CsvTable empty;
  empty.columns = {"step", "precision_ema"};
  EXPECT_THROW(plot_quality_curve(empty, "q"), osgan::Error);
}

TEST(Figures, HistogramAcceptsEdgesOrCentresAndRejectsMismatch) {
  EXPECT_NE(plot_histograms({0, 1, 2, 3}, {5, 3, 1}, {4, 4, 1}, "h").find("generated"), std::string::npos);
  EXPECT_NE(plot_histograms({0.5, 1.5, 2.5}, {5, 3, 1}, {4, 4, 1}, "h").find("real"), std::string::npos);
  EXPECT_THROW(plot_histograms({0, 1}, {5, 3, 1}, {4, 4, 1}, "h"), osgan::Error);
  EXPECT_THROW(plot_histograms({0, 1, 2}, {5, 3, 1}, {4, 4}, "h"), osgan::Error);
}

TEST(Figures, RocAndIntervals) {
  const std::string roc = plot_roc_curves({{"Real only", {0, 0.2, 1}, {0, 0.7, 1}}}, "ROC");
  EXPECT_NE(roc.find("Real only"), std::string::npos);
  EXPECT_NE(roc.find("chance"), std::string::npos);
  EXPECT_THROW(plot_roc_curves({{"bad", {0, 1}, {0}}}, "ROC"), osgan::Error);
  EXPECT_THROW(plot_roc_curves({}, "ROC"), osgan::Error);
  const std::string iv = plot_intervals({{"Real + synthetic", 0.01, -0.02, 0.04}}, "delta", 0.0);
  EXPECT_NE(iv.find("Real + synthetic"), std::string::npos);
  EXPECT_THROW(plot_intervals({}, "delta", 0.0), osgan::Error);
}

TEST(Figures, RatioSweepDrawsEachSeriesOverItsBandWithTheXLabelsAsTics) {
  if (!gnuplot_available()) GTEST_SKIP() << "gnuplot is not installed";
  const double nan = std::nan("");
  // "nearest" has no point at 0 and at "all", and a hole at 0.5: its line and band must stop there, not bridge it.
  const std::vector<RatioSeries> series = {{"first in file order",
                                            {0, 0.01, 0.02, 0.015, -0.01},
                                            {0, -0.02, -0.01, -0.02, -0.05},
                                            {0, 0.04, 0.05, 0.05, 0.03}},
                                           {"nearest to the real images",
                                            {nan, 0.03, nan, 0.04, nan},
                                            {nan, 0.0, nan, 0.01, nan},
                                            {nan, 0.06, nan, 0.07, nan}}};
  const std::vector<std::string> x = {"0", "0.25", "0.5", "1", "all (700/class)"};
  const std::string svg = plot_ratio_sweep(series, x, "delta AUC", "Validation side");
  EXPECT_EQ(count(svg, "<title>first in file order</title>"), 1) << "one key entry per series, whatever its runs";
  EXPECT_EQ(count(svg, "<title>nearest to the real images</title>"), 1);
  for (const auto& label : x) EXPECT_NE(svg.find(">" + label + "</tspan>"), std::string::npos) << label;
  EXPECT_NE(svg.find("Validation side"), std::string::npos);
  EXPECT_NE(svg.find("fill-opacity"), std::string::npos) << "the bands are translucent";
}

TEST(Figures, RatioSweepRejectsNoSeriesAndMismatchedLengths) {
  const std::vector<std::string> x = {"0", "1"};
  EXPECT_THROW(plot_ratio_sweep({}, x, "y", "t"), osgan::Error);
  try {
    plot_ratio_sweep({{"short", {0, 1}, {0}, {0, 1}}}, x, "y", "t");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_EQ(e.code(), osgan::ErrorCode::bad_format);
    EXPECT_NE(std::string(e.what()).find("short"), std::string::npos) << e.what();
  }
  EXPECT_THROW(plot_ratio_sweep({{"long", {0, 1, 2}, {0, 1, 2}, {0, 1, 2}}}, x, "y", "t"), osgan::Error);
  EXPECT_THROW(plot_ratio_sweep({{"none", {}, {}, {}}}, {}, "y", "t"), osgan::Error);
}
