// Intensity scaling and resizing of grey images (torch-free).
#include <algorithm>
#include <cmath>

#include "osgan/core/error.h"
#include "osgan/data/dataset.h"

namespace osgan::data {
namespace {

// Area (box) resampling along one axis: each output cell averages the input cells it covers, weighted by overlap.
std::vector<float> resample_axis_area(const std::vector<float>& in, int outer, int n_in, int n_out, int stride_in,
                                      int stride_out, int inner) {
  std::vector<float> out(static_cast<size_t>(outer) * n_out * inner, 0.f);
  const double scale = static_cast<double>(n_in) / n_out;
  for (int o = 0; o < outer; ++o)
    for (int j = 0; j < n_out; ++j) {
      const double begin = j * scale, end = (j + 1) * scale;
      for (int i = static_cast<int>(std::floor(begin)); i < std::min(n_in, static_cast<int>(std::ceil(end))); ++i) {
        const double w = (std::min<double>(end, i + 1) - std::max<double>(begin, i)) / scale;
        if (w <= 0) continue;
        for (int k = 0; k < inner; ++k)
          out[static_cast<size_t>(o) * stride_out + static_cast<size_t>(j) * inner + k] +=
              static_cast<float>(w) * in[static_cast<size_t>(o) * stride_in + static_cast<size_t>(i) * inner + k];
      }
    }
  return out;
}

// Bilinear resampling along one axis (half-pixel centres, as align_corners=false).
std::vector<float> resample_axis_linear(const std::vector<float>& in, int outer, int n_in, int n_out, int stride_in,
                                        int stride_out, int inner) {
  std::vector<float> out(static_cast<size_t>(outer) * n_out * inner, 0.f);
  const double scale = static_cast<double>(n_in) / n_out;
  for (int o = 0; o < outer; ++o)
    for (int j = 0; j < n_out; ++j) {
      double x = (j + 0.5) * scale - 0.5;
      x = std::clamp(x, 0.0, static_cast<double>(n_in - 1));
      const int i0 = static_cast<int>(std::floor(x));
      const int i1 = std::min(i0 + 1, n_in - 1);
      const float t = static_cast<float>(x - i0);
      for (int k = 0; k < inner; ++k) {
        const float a = in[static_cast<size_t>(o) * stride_in + static_cast<size_t>(i0) * inner + k];
        const float b = in[static_cast<size_t>(o) * stride_in + static_cast<size_t>(i1) * inner + k];
        out[static_cast<size_t>(o) * stride_out + static_cast<size_t>(j) * inner + k] = a + t * (b - a);
      }
    }
  return out;
}

}  // namespace

io::Image resize_image(const io::Image& in, int height, int width) {
  if (in.empty()) fail(ErrorCode::invalid_argument, "resize_image: empty image");
  // Rows first (along W), then columns (along H); area when shrinking, bilinear when enlarging.
  auto along_w = width < in.width ? resample_axis_area : resample_axis_linear;
  std::vector<float> tmp = along_w(in.pixels, in.height, in.width, width, in.width, width, 1);
  auto along_h = height < in.height ? resample_axis_area : resample_axis_linear;
  io::Image out;
  out.height = height;
  out.width = width;
  out.pixels = along_h(tmp, 1, in.height, height, in.height * width, height * width, width);
  return out;
}

io::Image pad_to_square(const io::Image& in) {
  const int side = std::max(in.height, in.width);
  const float background = *std::min_element(in.pixels.begin(), in.pixels.end());
  io::Image out(side, side, background);
  const int top = (side - in.height) / 2, left = (side - in.width) / 2;
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x) out.at(y + top, x + left) = in.at(y, x);
  return out;
}

io::Image scale_intensity(const io::Image& in, const PreprocessOptions& options) {
  float lo, hi;
  if (options.scaling == IntensityScaling::minmax) {
    auto [mn, mx] = std::minmax_element(in.pixels.begin(), in.pixels.end());
    lo = *mn;
    hi = *mx;
  } else {
    if (!(options.low_percentile >= 0 && options.low_percentile < options.high_percentile && options.high_percentile <= 100))
      fail(ErrorCode::invalid_argument, "percentile scaling: expected 0 <= low < high <= 100, got " +
           std::to_string(options.low_percentile) + " and " + std::to_string(options.high_percentile));
    std::vector<float> sorted = in.pixels;
    std::sort(sorted.begin(), sorted.end());
    auto at_percentile = [&](double p) {
      const double pos = p / 100.0 * (sorted.size() - 1);
      const size_t i = static_cast<size_t>(std::floor(pos));
      const size_t j = std::min(i + 1, sorted.size() - 1);
      return static_cast<float>(sorted[i] + (pos - i) * (sorted[j] - sorted[i]));
    };
    lo = at_percentile(options.low_percentile);
    hi = at_percentile(options.high_percentile);
  }
  io::Image out = in;
  if (!(hi > lo)) {  // a constant image: map to the middle rather than dividing by zero
    std::fill(out.pixels.begin(), out.pixels.end(), 0.f);
    return out;
  }
  const float scale = 2.f / (hi - lo);
  for (float& v : out.pixels) v = std::clamp((v - lo) * scale - 1.f, -1.f, 1.f);
  return out;
}

io::Image preprocess_image(const io::Image& raw, const PreprocessOptions& options) {
  if (raw.empty()) fail(ErrorCode::invalid_argument, "preprocess_image: empty image");
  if (options.size < 8) fail(ErrorCode::invalid_argument, "image size: expected at least 8, got " + std::to_string(options.size));
  io::Image img = options.pad_to_square ? pad_to_square(raw) : raw;
  img = scale_intensity(img, options);
  if (img.height != options.size || img.width != options.size) img = resize_image(img, options.size, options.size);
  return img;
}

}  // namespace osgan::data
