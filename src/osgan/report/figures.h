// The report's plots, drawn by gnuplot as SVG: GAN loss curves, pixel histograms (real vs generated), ROC
// curves, interval ("forest") plots of the classification protocols and the synthetic-image sweep. Inputs are
// plain numbers; each function returns an SVG document. Colours are fixed per role (real = blue, generated =
// orange) across plots.
#pragma once
#include <string>
#include <vector>

#include "osgan/report/csv_table.h"

namespace osgan::report {

// Loss curves from a GAN training log: x = the "step" column (or the first column), one curve per other
// column. Noisy logs get a moving-average line over a faint raw line. Throws osgan::Error (bad_format)
// when the table has no rows or no loss column.
std::string plot_loss_curves(const CsvTable& log, const std::string& title);

// Sample quality against training steps from RUN/quality.csv (train-gan --quality-every): precision and recall in
// the structure feature space on the left axis, KID on a log right axis; EMA generator solid, raw dashed. Throws
// osgan::Error (bad_format) when the table has no rows, no step column or none of those columns.
std::string plot_quality_curve(const CsvTable& quality, const std::string& title);

// Pixel-intensity histograms of real and generated images. `bins` holds either bin centres (same length as
// the counts) or bin edges (one longer). Counts are normalised to densities so sets of any size compare.
std::string plot_histograms(const std::vector<double>& bins, const std::vector<double>& real,
                            const std::vector<double>& generated, const std::string& title);

struct RocCurve {
  std::string label;
  std::vector<double> fpr;
  std::vector<double> tpr;
};

// ROC curves of several classifiers in one square plot, with the chance diagonal.
std::string plot_roc_curves(const std::vector<RocCurve>& curves, const std::string& title);

struct IntervalRow {
  std::string label;
  double mean = 0;
  double lo = 0;
  double hi = 0;
};

// One horizontal error bar per row (mean and 95% interval), first row on top. `reference` draws a dashed
// vertical line (e.g. 0 for paired differences; NaN for none).
std::string plot_intervals(const std::vector<IntervalRow>& rows, const std::string& x_label, double reference);

struct RatioSeries {
  std::string label;
  std::vector<double> mean, lo, hi;  // one value per x position; NaN where the series has no point
};

// The synthetic-image sweep: x = categorical positions 0..n-1 labelled by `x_labels` ("0", "0.25", ..., "all"),
// one line with points per series over a translucent band from lo to hi, a dashed line at y = 0. A missing
// point breaks the series' line and band there rather than bridging it. Throws osgan::Error (bad_format) for
// no series, no x label, or a series whose lengths differ from the x labels'.
std::string plot_ratio_sweep(const std::vector<RatioSeries>& series, const std::vector<std::string>& x_labels,
                             const std::string& y_label, const std::string& title);

}  // namespace osgan::report
