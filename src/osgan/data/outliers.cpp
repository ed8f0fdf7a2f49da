// Image features and per-class robust z-scores. The features are cheap (one pass or two over a 128x128
// image) and unit-free, so that they compare images of one class whatever their original format.
#include "osgan/data/outliers.h"

#include <algorithm>
#include <cmath>

#include "osgan/core/error.h"

namespace osgan::data {
namespace {

constexpr float kBackgroundLevel = -0.8f;  // 10% of the [-1, 1] range: below is background
constexpr int kRimWidth = 4;               // pixels of foreground next to background that count as rim

double median_of(std::vector<double> v) {
  const size_t n = v.size();
  std::nth_element(v.begin(), v.begin() + n / 2, v.end());
  const double hi = v[n / 2];
  if (n % 2) return hi;
  return 0.5 * (hi + *std::max_element(v.begin(), v.begin() + n / 2));
}

// Foreground pixels within kRimWidth (chessboard distance) of a background pixel or of the border.
std::vector<bool> rim_of(const std::vector<bool>& fg, int h, int w) {
  std::vector<bool> inner = fg;
  for (int step = 0; step < kRimWidth; ++step) {  // erode by one pixel per step
    std::vector<bool> next(inner.size(), false);
    for (int y = 1; y < h - 1; ++y)
      for (int x = 1; x < w - 1; ++x) {
        bool keep = inner[y * w + x];
        for (int dy = -1; dy <= 1 && keep; ++dy)
          for (int dx = -1; dx <= 1 && keep; ++dx) keep = inner[(y + dy) * w + x + dx];
        next[y * w + x] = keep;
      }
    inner.swap(next);
  }
  std::vector<bool> rim(fg.size());
  for (size_t i = 0; i < fg.size(); ++i) rim[i] = fg[i] && !inner[i];
  return rim;
}

}  // namespace

const std::vector<std::string>& ImageFeatures::names() {
  static const std::vector<std::string> kNames = {"background_fraction", "mean",        "std",
                                                  "skewness",            "peak_fraction", "edge_energy",
                                                  "interior_texture",    "upper_gap"};
  return kNames;
}

std::vector<double> ImageFeatures::values() const {
  return {background_fraction, mean, std, skewness, peak_fraction, edge_energy, interior_texture, upper_gap};
}

ImageFeatures compute_image_features(const io::Image& img) {
  if (img.height < 8 || img.width < 8)
    fail(ErrorCode::invalid_argument, "compute_image_features: expected an image of at least 8x8, got " +
         std::to_string(img.height) + "x" + std::to_string(img.width));
  const int h = img.height, w = img.width;
  std::vector<bool> fg(img.pixels.size());
  std::vector<float> values;  // foreground intensities
  for (size_t i = 0; i < img.pixels.size(); ++i) {
    fg[i] = img.pixels[i] > kBackgroundLevel;
    if (fg[i]) values.push_back(img.pixels[i]);
  }
  ImageFeatures f;
  f.background_fraction = 1.0 - static_cast<double>(values.size()) / img.pixels.size();
  if (values.size() < 16) return f;  // an empty frame: everything else stays 0, which is itself far off

  double sum = 0;
  for (float v : values) sum += v;
  f.mean = sum / values.size();
  double m2 = 0, m3 = 0;
  for (float v : values) {
    const double d = v - f.mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= values.size();
  m3 /= values.size();
  f.std = std::sqrt(m2);
  f.skewness = m2 > 1e-12 ? m3 / std::pow(m2, 1.5) : 0.0;

  // Histogram of the foreground over [kBackgroundLevel, 1] in 32 bins; the tallest pair of adjacent bins.
  constexpr int kBins = 32;
  std::vector<int> hist(kBins, 0);
  for (float v : values) {
    const int b = static_cast<int>((v - kBackgroundLevel) / (1.f - kBackgroundLevel) * kBins);
    ++hist[std::clamp(b, 0, kBins - 1)];
  }
  int peak = 0;
  for (int b = 0; b + 1 < kBins; ++b) peak = std::max(peak, hist[b] + hist[b + 1]);
  f.peak_fraction = static_cast<double>(peak) / values.size();

  // Gradients (central differences) and the 4-neighbour Laplacian.
  const std::vector<bool> rim = rim_of(fg, h, w);
  double grad_sum = 0, lap_sum = 0;
  int grad_n = 0, lap_n = 0;
  for (int y = 1; y < h - 1; ++y)
    for (int x = 1; x < w - 1; ++x) {
      const int i = y * w + x;
      if (!fg[i]) continue;
      const double gx = 0.5 * (img.pixels[i + 1] - img.pixels[i - 1]);
      const double gy = 0.5 * (img.pixels[i + w] - img.pixels[i - w]);
      grad_sum += std::sqrt(gx * gx + gy * gy);
      ++grad_n;
      if (rim[i]) continue;
      lap_sum += std::abs(img.pixels[i + 1] + img.pixels[i - 1] + img.pixels[i + w] + img.pixels[i - w] -
                          4.0 * img.pixels[i]);
      ++lap_n;
    }
  f.edge_energy = grad_n ? grad_sum / grad_n : 0.0;
  f.interior_texture = lap_n && f.std > 1e-6 ? lap_sum / lap_n / f.std : 0.0;

  // CT windowed for brain: saturated bone well above a narrow tissue band.
  std::vector<float> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  f.upper_gap = sorted[static_cast<size_t>(0.90 * (sorted.size() - 1))] - sorted[static_cast<size_t>(0.75 * (sorted.size() - 1))];
  return f;
}

std::vector<double> robust_z_scores(const std::vector<double>& values) {
  std::vector<double> z(values.size(), 0.0);
  if (values.empty()) return z;
  const double med = median_of(values);
  std::vector<double> dev(values.size());
  for (size_t i = 0; i < values.size(); ++i) dev[i] = std::abs(values[i] - med);
  double scale = 1.4826 * median_of(dev);
  if (scale < 1e-12) {  // more than half the values equal: fall back to the mean absolute deviation
    double mean_dev = 0;
    for (double d : dev) mean_dev += d;
    scale = 1.2533 * mean_dev / dev.size();  // sqrt(pi/2): consistent with sigma for normal data
  }
  if (scale < 1e-12) return z;
  for (size_t i = 0; i < values.size(); ++i) z[i] = (values[i] - med) / scale;
  return z;
}

std::vector<Outlier> find_outliers(const Dataset& dataset, const OutlierOptions& options) {
  std::vector<ImageFeatures> features;
  features.reserve(dataset.samples.size());
  for (const auto& s : dataset.samples) features.push_back(compute_image_features(s.image));
  const auto& names = ImageFeatures::names();

  std::vector<Outlier> outliers;
  for (const auto& label : dataset.classes) {
    const std::vector<std::size_t> members = dataset.indices_of_class(label);
    if (static_cast<int>(members.size()) < options.min_class_size) continue;
    std::vector<std::vector<double>> z(names.size());  // (feature, member)
    for (size_t f = 0; f < names.size(); ++f) {
      std::vector<double> column;
      for (std::size_t m : members) column.push_back(features[m].values()[f]);
      z[f] = robust_z_scores(column);
    }
    for (size_t k = 0; k < members.size(); ++k) {
      Outlier o;
      o.index = members[k];
      for (size_t f = 0; f < names.size(); ++f) {
        if (std::abs(z[f][k]) < options.min_z) continue;
        o.reasons.push_back({names[f], features[members[k]].values()[f], z[f][k]});
        o.score = std::max(o.score, std::abs(z[f][k]));
      }
      if (o.reasons.empty()) continue;
      std::sort(o.reasons.begin(), o.reasons.end(),
                [](const FeatureDeviation& a, const FeatureDeviation& b) { return std::abs(a.z) > std::abs(b.z); });
      outliers.push_back(std::move(o));
    }
  }
  std::sort(outliers.begin(), outliers.end(), [](const Outlier& a, const Outlier& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  });
  return outliers;
}

}  // namespace osgan::data
