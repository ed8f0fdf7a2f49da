// gnuplot scripts for the report's plots. One shared preamble gives every plot the same look: white
// background, light grid, DejaVu Sans (present wherever gnuplot-nox is), no top/right border.
#include "osgan/report/figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "osgan/core/error.h"
#include "osgan/report/gnuplot.h"

namespace osgan::report {
namespace {

const char* const kPalette[] = {"#3b6fb6", "#e07b39", "#3a9e6f", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#6b6b6b"};
constexpr const char* kRealColour = "#3b6fb6";
constexpr const char* kGeneratedColour = "#e07b39";

std::string preamble(int width, int height) {
  std::ostringstream s;
  s << "set terminal svg size " << width << "," << height
    << " enhanced font 'DejaVu Sans,12' background rgb 'white'\n"
    << "set output\n"
    << "set border 3 lc rgb '#777777' lw 1\n"
    << "set tics nomirror out scale 0.5 textcolor rgb '#333333'\n"
    << "set grid xtics ytics lc rgb '#e6e6e6' lw 1 lt 1\n"
    << "set key noautotitle textcolor rgb '#333333' samplen 2 spacing 1.1\n"
    << "set title font 'DejaVu Sans,13' textcolor rgb '#222222'\n";
  return s.str();
}

std::string colour(size_t i) { return kPalette[i % (sizeof kPalette / sizeof kPalette[0])]; }

// Centred moving average over `window` points (shrinking at the ends); NaNs are skipped.
std::vector<double> moving_average(const std::vector<double>& v, size_t window) {
  std::vector<double> out(v.size(), std::nan(""));
  const size_t half = window / 2;
  for (size_t i = 0; i < v.size(); ++i) {
    const size_t b = i >= half ? i - half : 0, e = std::min(v.size(), i + half + 1);
    double sum = 0;
    size_t n = 0;
    for (size_t j = b; j < e; ++j)
      if (std::isfinite(v[j])) sum += v[j], ++n;
    if (n) out[i] = sum / static_cast<double>(n);
  }
  return out;
}

// Keeps at most `max_points` evenly spaced rows: a 100k-step log would make a multi-megabyte SVG.
std::vector<size_t> thin_rows(size_t n, size_t max_points) {
  std::vector<size_t> keep;
  const size_t stride = n > max_points ? (n + max_points - 1) / max_points : 1;
  for (size_t i = 0; i < n; i += stride) keep.push_back(i);
  if (!keep.empty() && keep.back() != n - 1) keep.push_back(n - 1);
  return keep;
}

std::vector<double> pick(const std::vector<double>& v, const std::vector<size_t>& rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (size_t r : rows) out.push_back(v[r]);
  return out;
}

std::vector<double> to_density(const std::vector<double>& counts, const std::vector<double>& widths) {
  double total = 0;
  for (double c : counts)
    if (std::isfinite(c)) total += c;
  std::vector<double> out(counts.size(), 0.0);
  if (total <= 0) return out;
  for (size_t i = 0; i < counts.size(); ++i) out[i] = counts[i] / total / (widths[i] > 0 ? widths[i] : 1.0);
  return out;
}

// [begin, end) index ranges of 0..n-1 where `present` holds at every index.
template <typename Present>
std::vector<std::pair<size_t, size_t>> runs_where(size_t n, Present present) {
  std::vector<std::pair<size_t, size_t>> runs;
  for (size_t i = 0; i < n;) {
    if (!present(i)) { ++i; continue; }
    size_t end = i;
    while (end < n && present(end)) ++end;
    runs.emplace_back(i, end);
    i = end;
  }
  return runs;
}

std::vector<double> slice(const std::vector<double>& v, size_t begin, size_t end) {
  const auto first = v.begin() + static_cast<std::ptrdiff_t>(begin);
  return std::vector<double>(first, first + static_cast<std::ptrdiff_t>(end - begin));
}

}  // namespace

std::string plot_loss_curves(const CsvTable& log, const std::string& title) {
  if (log.rows.empty()) fail(ErrorCode::bad_format, "the loss log has a header but no rows");
  int x_col = log.column_index("step");
  if (x_col < 0) x_col = 0;
  std::vector<int> loss_cols;
  for (size_t c = 0; c < log.columns.size(); ++c)
    if (static_cast<int>(c) != x_col) loss_cols.push_back(static_cast<int>(c));
  if (loss_cols.empty()) fail(ErrorCode::bad_format, "the loss log has no loss column besides \"" + log.columns[x_col] + "\"");

  const size_t n = log.rows.size();
  const size_t window = std::max<size_t>(1, n / 50);
  const auto rows = thin_rows(n, 1500);
  std::vector<std::vector<double>> data = {pick(log.column(x_col), rows)};
  for (int c : loss_cols) {
    const auto raw = log.column(c);
    data.push_back(pick(raw, rows));
    data.push_back(pick(moving_average(raw, window), rows));
  }
  std::ostringstream s;
  s << preamble(760, 340) << gnuplot_datablock("losses", data) << "set title " << gnuplot_quote(title) << "\n"
    << "set xlabel " << gnuplot_quote(log.columns[x_col]) << "\nset ylabel 'loss'\n"
    << "set key outside right top vertical\n"
    << "plot ";
  for (size_t i = 0; i < loss_cols.size(); ++i) {
    const int raw_col = static_cast<int>(2 + 2 * i), smooth_col = raw_col + 1;
    const std::string base = colour(i).substr(1);
    if (i) s << ", \\\n     ";
    if (window > 1) {
      // Faint raw values (alpha 0xB0 = ~70% transparent), then the moving average in full colour.
      s << "$losses using 1:" << raw_col << " with lines lw 1 lc rgb '#B0" << base << "' notitle, \\\n     "
        << "$losses using 1:" << smooth_col << " with lines lw 2 lc rgb '#" << base << "' title "
        << gnuplot_quote(log.columns[loss_cols[i]]);
    } else {
      s << "$losses using 1:" << raw_col << " with linespoints lw 2 pt 7 ps 0.5 lc rgb '#" << base << "' title "
        << gnuplot_quote(log.columns[loss_cols[i]]);
    }
  }
  s << "\n";
  return run_gnuplot_svg(s.str());
}

std::string plot_quality_curve(const CsvTable& quality, const std::string& title) {
  if (quality.rows.empty()) fail(ErrorCode::bad_format, "the quality log has a header but no rows");
  const int step = quality.column_index("step");
  if (step < 0) fail(ErrorCode::bad_format, "the quality log has no \"step\" column");
  // Solid: the EMA generator (what generate uses); dashed: the raw one, when logged.
  struct Curve { const char* column; const char* label; std::size_t colour; bool right_axis; const char* dash; };
  const Curve curves[] = {{"precision_ema", "precision", 0, false, ""}, {"recall_ema", "recall", 1, false, ""},
                          {"coverage_ema", "coverage", 3, false, ""},
                          {"kid_ema", "KID (right axis)", 2, true, ""},
                          {"precision_raw", "precision, raw G", 0, false, " dt 2"}, {"recall_raw", "recall, raw G", 1, false, " dt 2"},
                          {"kid_raw", "KID, raw G", 2, true, " dt 2"}};
  std::vector<std::vector<double>> data = {quality.column(step)};
  std::vector<std::string> plots;
  for (const auto& c : curves) {
    const int col = quality.column_index(c.column);
    if (col < 0) continue;
    auto values = quality.column(col);
    if (c.right_axis)  // a log axis: KID can be slightly negative (unbiased), so floor it for the plot only
      for (auto& v : values) v = std::max(v, 1e-4);
    data.push_back(values);
    std::ostringstream p;
    p << "$quality using 1:" << data.size() << " axes " << (c.right_axis ? "x1y2" : "x1y1")
      << " with linespoints lw 2 pt 7 ps 0.5" << c.dash << " lc rgb '" << colour(c.colour) << "' title "
      << gnuplot_quote(c.label);
    plots.push_back(p.str());
  }
  if (plots.empty()) fail(ErrorCode::bad_format, "the quality log has none of the columns precision_ema, recall_ema, kid_ema");
  std::ostringstream s;
  s << preamble(760, 340) << gnuplot_datablock("quality", data) << "set title " << gnuplot_quote(title) << "\n"
    << "set xlabel 'step'\nset ylabel 'precision, recall'\nset yrange [0:1]\n"
    << "set y2label 'KID (lower is better)'\nset logscale y2\nset y2tics\nset ytics nomirror\n"
    << "set key outside right top vertical\nplot ";
  for (std::size_t i = 0; i < plots.size(); ++i) s << (i ? ", \\\n     " : "") << plots[i];
  s << "\n";
  return run_gnuplot_svg(s.str());
}

std::string plot_histograms(const std::vector<double>& bins, const std::vector<double>& real,
                            const std::vector<double>& generated, const std::string& title) {
  const size_t n = real.size();
  if (n == 0 || generated.size() != n || (bins.size() != n && bins.size() != n + 1))
    fail(ErrorCode::bad_format, "histogram \"" + title + "\": expected real and generated counts of one length and " +
                                    "bins of that length (centres) or one more (edges); found " +
                                    std::to_string(bins.size()) + " bins, " + std::to_string(real.size()) + " real, " +
                                    std::to_string(generated.size()) + " generated");
  std::vector<double> centres(n), widths(n);
  for (size_t i = 0; i < n; ++i) {
    if (bins.size() == n + 1) {
      centres[i] = 0.5 * (bins[i] + bins[i + 1]);
      widths[i] = bins[i + 1] - bins[i];
    } else {
      centres[i] = bins[i];
      widths[i] = n > 1 ? (i + 1 < n ? bins[i + 1] - bins[i] : bins[i] - bins[i - 1]) : 1.0;
    }
  }
  std::ostringstream s;
  s << preamble(560, 340) << gnuplot_datablock("hist", {centres, to_density(real, widths), to_density(generated, widths)})
    << "set title " << gnuplot_quote(title) << "\n"
    << "set xlabel 'pixel intensity'\nset ylabel 'density'\nset key top right\n"
    << "set style fill transparent solid 0.30 noborder\n"
    << "plot $hist using 1:2 with filledcurves y=0 lc rgb '" << kRealColour << "' notitle, \\\n"
    << "     $hist using 1:2 with lines lw 2 lc rgb '" << kRealColour << "' title 'real', \\\n"
    << "     $hist using 1:3 with lines lw 2 dt 1 lc rgb '" << kGeneratedColour << "' title 'generated'\n";
  return run_gnuplot_svg(s.str());
}

std::string plot_roc_curves(const std::vector<RocCurve>& curves, const std::string& title) {
  if (curves.empty()) fail(ErrorCode::bad_format, "no ROC curve to plot");
  std::ostringstream s;
  s << preamble(500, 560);
  for (size_t i = 0; i < curves.size(); ++i) {
    if (curves[i].fpr.size() != curves[i].tpr.size() || curves[i].fpr.empty())
      fail(ErrorCode::bad_format, "ROC curve \"" + curves[i].label + "\": fpr and tpr must be non-empty lists of one length (found " +
                                      std::to_string(curves[i].fpr.size()) + " and " + std::to_string(curves[i].tpr.size()) + ")");
    s << gnuplot_datablock("roc" + std::to_string(i), {curves[i].fpr, curves[i].tpr});
  }
  s << "set title " << gnuplot_quote(title) << "\n"
    << "set size ratio -1\nset xrange [0:1]\nset yrange [0:1]\n"
    << "set xlabel 'false positive rate (1 - specificity)'\nset ylabel 'true positive rate (sensitivity)'\n"
    << "set key outside below vertical left Left reverse\n"
    << "plot x with lines dt 2 lw 1 lc rgb '#999999' title 'chance'";
  for (size_t i = 0; i < curves.size(); ++i)
    s << ", \\\n     $roc" << i << " using 1:2 with lines lw 2 lc rgb '" << colour(i) << "' title "
      << gnuplot_quote(curves[i].label);
  s << "\n";
  return run_gnuplot_svg(s.str());
}

std::string plot_intervals(const std::vector<IntervalRow>& rows, const std::string& x_label, double reference) {
  if (rows.empty()) fail(ErrorCode::bad_format, "no interval to plot");
  const size_t n = rows.size();
  std::vector<double> y(n), mean(n), lo(n), hi(n);
  double x_min = std::isfinite(reference) ? reference : rows[0].lo, x_max = x_min;
  for (size_t i = 0; i < n; ++i) {
    y[i] = static_cast<double>(n - i);  // first row on top
    mean[i] = rows[i].mean, lo[i] = rows[i].lo, hi[i] = rows[i].hi;
    for (double v : {rows[i].lo, rows[i].hi, rows[i].mean})
      if (std::isfinite(v)) x_min = std::min(x_min, v), x_max = std::max(x_max, v);
  }
  const double pad = std::max(0.02, 0.08 * (x_max - x_min));
  size_t longest = 0;  // the left margin holds the row labels, in character widths
  for (const auto& r : rows) longest = std::max(longest, r.label.size());
  const size_t margin = std::max<size_t>(26, longest + 3);
  std::ostringstream s;
  s << preamble(760, 70 + 42 * static_cast<int>(n)) << gnuplot_datablock("iv", {mean, y, lo, hi})
    << "set xlabel " << gnuplot_quote(x_label) << "\n"
    << "set xrange [" << x_min - pad << ":" << x_max + pad << "]\n"
    << "set yrange [0.4:" << n + 0.6 << "]\nset grid noytics\nset border 1 lc rgb '#777777'\nset lmargin " << margin << "\n"
    << "set ytics (";
  for (size_t i = 0; i < n; ++i) s << (i ? ", " : "") << gnuplot_quote(rows[i].label) << " " << y[i];
  s << ") scale 0\nset key off\n";
  if (std::isfinite(reference))
    s << "set arrow from " << reference << ",graph 0 to " << reference
      << ",graph 1 nohead dt 2 lc rgb '#999999'\n";
  s << "plot $iv using 1:2:3:4 with xerrorbars pt 7 ps 1.1 lw 2 lc rgb '" << kPalette[0] << "'\n";
  return run_gnuplot_svg(s.str());
}

std::string plot_ratio_sweep(const std::vector<RatioSeries>& series, const std::vector<std::string>& x_labels,
                             const std::string& y_label, const std::string& title) {
  if (series.empty()) fail(ErrorCode::bad_format, "no series to plot in \"" + title + "\"");
  const size_t n = x_labels.size();
  if (n == 0) fail(ErrorCode::bad_format, "no x position to plot in \"" + title + "\"");
  double y_min = 0, y_max = 0;  // y = 0 is the reference line, so it stays in view
  for (const auto& s : series) {
    if (s.mean.size() != n || s.lo.size() != n || s.hi.size() != n)
      fail(ErrorCode::bad_format, "series \"" + s.label + "\" of \"" + title + "\": expected " + std::to_string(n) +
                                      " values (one per x label) in mean, lo and hi; found " +
                                      std::to_string(s.mean.size()) + ", " + std::to_string(s.lo.size()) + " and " +
                                      std::to_string(s.hi.size()));
    for (const auto* column : {&s.mean, &s.lo, &s.hi})
      for (double v : *column)
        if (std::isfinite(v)) y_min = std::min(y_min, v), y_max = std::max(y_max, v);
  }
  const double pad = std::max(0.01, 0.08 * (y_max - y_min));

  // One datablock per unbroken run of points: a line or a filledcurves band over a NaN would bridge the gap (or
  // close the band through it), drawing a value nobody measured.
  std::ostringstream blocks;
  std::vector<std::string> bands, lines;
  std::vector<double> x(n);
  for (size_t k = 0; k < n; ++k) x[k] = static_cast<double>(k);
  for (size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i];
    const std::string base = colour(i).substr(1);
    const auto has_interval = [&](size_t k) { return std::isfinite(s.lo[k]) && std::isfinite(s.hi[k]); };
    for (const auto& [b, e] : runs_where(n, has_interval)) {
      const std::string name = "band" + std::to_string(i) + "_" + std::to_string(b);
      blocks << gnuplot_datablock(name, {slice(x, b, e), slice(s.lo, b, e), slice(s.hi, b, e)});
      // A lone interval has no area to fill: a thick bar in the band's colour (transparency byte 0xD1: 18% opaque).
      bands.push_back(e - b > 1
                          ? "$" + name + " using 1:2:3 with filledcurves fc rgb '#" + base + "' notitle"
                          : "$" + name + " using 1:2:(0):($3-$2) with vectors nohead lw 9 lc rgb '#D1" + base + "' notitle");
    }
    bool titled = false;  // one key entry per series, however many runs it has
    for (const auto& [b, e] : runs_where(n, [&](size_t k) { return std::isfinite(s.mean[k]); })) {
      const std::string name = "line" + std::to_string(i) + "_" + std::to_string(b);
      blocks << gnuplot_datablock(name, {slice(x, b, e), slice(s.mean, b, e)});
      lines.push_back("$" + name + " using 1:2 with linespoints lw 2 pt 7 ps 0.8 lc rgb '#" + base + "' " +
                      (titled ? std::string("notitle") : "title " + gnuplot_quote(s.label)));
      titled = true;
    }
  }
  if (lines.empty()) fail(ErrorCode::bad_format, "\"" + title + "\" has no value to plot");

  std::ostringstream s;
  s << preamble(560, 400) << blocks.str() << "set title " << gnuplot_quote(title) << "\n"
    << "set xlabel 'generated images per class, as a multiple of its real training images'\n"
    << "set ylabel " << gnuplot_quote(y_label) << "\n"
    << "set xrange [-0.35:" << static_cast<double>(n - 1) + 0.35 << "]\n"
    << "set yrange [" << y_min - pad << ":" << y_max + pad << "]\n"
    << "set xtics (";
  for (size_t k = 0; k < n; ++k) s << (k ? ", " : "") << gnuplot_quote(x_labels[k]) << " " << k;
  s << ")\nset grid noxtics\nset key outside below horizontal center reverse Left width -4 height 1\n"
    << "set style fill transparent solid 0.18 noborder\n"
    << "set arrow from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb '#999999' back\n"
    << "plot ";
  // Bands first, so that no band covers another series' line.
  size_t clause = 0;
  for (const auto* group : {&bands, &lines})
    for (const auto& p : *group) s << (clause++ ? ", \\\n     " : "") << p;
  s << "\n";
  return run_gnuplot_svg(s.str());
}

}  // namespace osgan::report
