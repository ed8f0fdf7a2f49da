// Mode features: the head mask (threshold, largest part, holes filled), a chamfer depth map, then shape and contrast
// numbers over the head. A few passes over a 128x128 image; no state, no randomness.
#include "osgan/data/mode_features.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "osgan/core/error.h"
#include "osgan/data/dataset.h"

namespace osgan::data {
namespace {

constexpr int kSize = kModeFeatureSize;
constexpr double kBackgroundStep = 0.10;  // head level: 10% of the way from the 1st to the 99th image percentile
constexpr double kMinPartShare = 0.1;     // parts above the level with fewer pixels than this x the largest are noise
// Relative depth (distance to the head's edge over the largest such distance) from which a pixel counts as brain:
// below it lie scalp, skull and the CSF over the brain.
constexpr double kBrainDepth = 0.2;
constexpr double kFloor = 0.02;  // intensities above the background (v + 1) are floored here before a log
// The depth profile: mean intensity in these bands of relative depth, finer near the edge where scalp, skull and
// the CSF over the brain lie within a few pixels of each other.
constexpr int kProfileBins = 8;
constexpr double kProfileEdges[kProfileBins] = {0.0, 0.04, 0.08, 0.12, 0.18, 0.26, 0.4, 0.6};

// Linear-interpolated quantile of sorted values, q in [0, 1].
double quantile(const std::vector<float>& sorted, double q) {
  const double pos = q * (sorted.size() - 1);
  const size_t i = static_cast<size_t>(std::floor(pos)), j = std::min(i + 1, sorted.size() - 1);
  return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
}

// The 4-connected parts of `above` (size x size) with at least kMinPartShare of the largest part's pixels, as a 0/1
// mask: the head, and the scalp where a dark skull cuts it off from the brain; not specks of noise.
std::vector<unsigned char> large_parts(const std::vector<unsigned char>& above, int size) {
  std::vector<int> label(above.size(), -1), part_size, stack;
  for (int start = 0; start < static_cast<int>(above.size()); ++start) {
    if (!above[start] || label[start] >= 0) continue;
    const int id = static_cast<int>(part_size.size());
    int count = 0;
    stack.assign(1, start);
    label[start] = id;
    while (!stack.empty()) {
      const int p = stack.back();
      stack.pop_back();
      ++count;
      const int y = p / size, x = p % size;
      const int neighbours[4][2] = {{y - 1, x}, {y + 1, x}, {y, x - 1}, {y, x + 1}};
      for (const auto& n : neighbours) {
        if (n[0] < 0 || n[0] >= size || n[1] < 0 || n[1] >= size) continue;
        const int q = n[0] * size + n[1];
        if (above[q] && label[q] < 0) {
          label[q] = id;
          stack.push_back(q);
        }
      }
    }
    part_size.push_back(count);
  }
  std::vector<unsigned char> mask(above.size(), 0);
  if (part_size.empty()) return mask;
  const int largest = *std::max_element(part_size.begin(), part_size.end());
  for (size_t i = 0; i < mask.size(); ++i) mask[i] = label[i] >= 0 && part_size[label[i]] >= kMinPartShare * largest;
  return mask;
}

// Fills the holes of `mask`: every pixel not reachable from the image border through outside pixels is inside.
void fill_holes(std::vector<unsigned char>& mask, int size) {
  std::vector<unsigned char> reached(mask.size(), 0);
  std::vector<int> stack;
  for (int i = 0; i < size; ++i)
    for (int p : {i, (size - 1) * size + i, i * size, i * size + size - 1})
      if (!mask[p] && !reached[p]) reached[p] = 1, stack.push_back(p);
  while (!stack.empty()) {
    const int p = stack.back();
    stack.pop_back();
    const int y = p / size, x = p % size;
    const int neighbours[4][2] = {{y - 1, x}, {y + 1, x}, {y, x - 1}, {y, x + 1}};
    for (const auto& n : neighbours) {
      if (n[0] < 0 || n[0] >= size || n[1] < 0 || n[1] >= size) continue;
      const int q = n[0] * size + n[1];
      if (!mask[q] && !reached[q]) reached[q] = 1, stack.push_back(q);
    }
  }
  for (size_t i = 0; i < mask.size(); ++i) mask[i] = !reached[i];
}

// Two-pass chamfer distance (steps 1 and sqrt 2) to the nearest outside pixel; beyond the image counts as outside.
std::vector<float> depth_map(const std::vector<unsigned char>& mask, int size) {
  constexpr float kDiagonal = 1.41421356f;
  std::vector<float> d(mask.size());
  for (size_t i = 0; i < d.size(); ++i) d[i] = mask[i] ? std::numeric_limits<float>::max() : 0.f;
  auto at = [&](int y, int x) { return y < 0 || y >= size || x < 0 || x >= size ? 0.f : d[y * size + x]; };
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      float& v = d[y * size + x];
      if (v == 0.f) continue;
      v = std::min({v, at(y, x - 1) + 1, at(y - 1, x) + 1, at(y - 1, x - 1) + kDiagonal, at(y - 1, x + 1) + kDiagonal});
    }
  for (int y = size - 1; y >= 0; --y)
    for (int x = size - 1; x >= 0; --x) {
      float& v = d[y * size + x];
      if (v == 0.f) continue;
      v = std::min({v, at(y, x + 1) + 1, at(y + 1, x) + 1, at(y + 1, x + 1) + kDiagonal, at(y + 1, x - 1) + kDiagonal});
    }
  return d;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() < 2) return 0;
  double ma = 0, mb = 0;
  for (size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
  ma /= a.size();
  mb /= b.size();
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 1e-12 && sbb > 1e-12 ? sab / std::sqrt(saa * sbb) : 0;
}

io::Image at_feature_size(const io::Image& image) {
  if (image.height < 16 || image.width < 16)
    fail(ErrorCode::invalid_argument, "mode features: expected an image of at least 16x16, got " +
         std::to_string(image.height) + "x" + std::to_string(image.width));
  if (image.height == kSize && image.width == kSize) return image;
  return resize_image(image, kSize, kSize);
}

}  // namespace

HeadMask find_head_mask(const io::Image& image_in) {
  const io::Image image = at_feature_size(image_in);
  HeadMask head;
  head.inside.assign(image.pixels.size(), 0);
  head.depth.assign(image.pixels.size(), 0.f);
  std::vector<float> sorted = image.pixels;
  std::sort(sorted.begin(), sorted.end());
  const double lo = quantile(sorted, 0.01), hi = quantile(sorted, 0.99);
  if (!(hi - lo > 1e-6)) return head;  // constant image: no head
  const double level = lo + kBackgroundStep * (hi - lo);
  std::vector<unsigned char> above(image.pixels.size());
  for (size_t i = 0; i < above.size(); ++i) above[i] = image.pixels[i] > level;
  head.inside = large_parts(above, kSize);
  fill_holes(head.inside, kSize);
  head.depth = depth_map(head.inside, kSize);
  head.area = static_cast<int>(std::count(head.inside.begin(), head.inside.end(), 1));
  return head;
}

namespace {

// Shape and plane (features 0-5): area, aspect, fill, left-right mirror overlap and correlation, top/bottom width.
void add_shape_features(const io::Image& image, const HeadMask& head, std::vector<double>& f) {
  int y0 = kSize, y1 = -1, x0 = kSize, x1 = -1;
  double cx = 0;  // centroid column: the mirror axis (heads are not always centred)
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x)
      if (head.inside[y * kSize + x]) {
        y0 = std::min(y0, y), y1 = std::max(y1, y), x0 = std::min(x0, x), x1 = std::max(x1, x);
        cx += x;
      }
  cx /= head.area;
  const int box_h = y1 - y0 + 1, box_w = x1 - x0 + 1;
  f[1] = std::log(static_cast<double>(box_h) / box_w);
  f[2] = static_cast<double>(head.area) / (box_h * box_w);
  int both = 0;  // head pixels whose mirror image is in the head too
  std::vector<double> left, right;
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      const int xm = static_cast<int>(std::lround(2 * cx - x));
      if (!head.inside[y * kSize + x] || xm < 0 || xm >= kSize || !head.inside[y * kSize + xm]) continue;
      ++both;
      left.push_back(image.pixels[y * kSize + x]);
      right.push_back(image.pixels[y * kSize + xm]);
    }
  f[3] = static_cast<double>(both) / (2 * head.area - both);  // IoU of the mask and its mirror
  f[4] = pearson(left, right);
  auto width_at = [&](double t) {  // head pixels in the row at fraction t of the box height
    const int y = y0 + static_cast<int>(std::lround(t * (box_h - 1)));
    int w = 0;
    for (int x = 0; x < kSize; ++x) w += head.inside[y * kSize + x];
    return w;
  };
  f[5] = std::log((width_at(0.25) + 1.0) / (width_at(0.75) + 1.0));
}

// Contrast (features 6-19), as log ratios to the brain's median with intensities counted from the background (-1):
// osgan's percentile scaling is affine with the background at -1, so the ratios do not depend on the windowing.
void add_contrast_features(const io::Image& image, const HeadMask& head, std::vector<double>& f) {
  const float max_depth = *std::max_element(head.depth.begin(), head.depth.end());
  auto is_brain = [&](int i) { return head.inside[i] && head.depth[i] / max_depth >= kBrainDepth; };
  std::vector<float> brain;
  for (int i = 0; i < kSize * kSize; ++i)
    if (is_brain(i)) brain.push_back(image.pixels[i]);
  if (brain.size() < 16) return;
  std::sort(brain.begin(), brain.end());
  const double median = std::max(quantile(brain, 0.5) + 1, kFloor);
  auto log_ratio = [&](double v) { return std::log(std::max(v + 1, kFloor) / median); };

  // The depth profile (6-13): scalp, skull (bright on CT), CSF over the brain (bright on T2), cortex, deep matter.
  double sum[kProfileBins] = {}, count[kProfileBins] = {};
  for (int i = 0; i < kSize * kSize; ++i) {
    if (!head.inside[i]) continue;
    const double rel = head.depth[i] / max_depth;
    int bin = 0;
    while (bin + 1 < kProfileBins && rel >= kProfileEdges[bin + 1]) ++bin;
    sum[bin] += image.pixels[i];
    ++count[bin];
  }
  for (int b = 0; b < kProfileBins; ++b) f[6 + b] = count[b] > 0 ? log_ratio(sum[b] / count[b]) : 0.0;

  // The brain's grey-level spread (14-17): dark CSF tails (T1, FLAIR), bright CSF tails (T2), a flat brain (CT).
  const double qs[] = {0.10, 0.25, 0.75, 0.90};
  for (int q = 0; q < 4; ++q) f[14 + q] = log_ratio(quantile(brain, qs[q]));

  // Edges (18) and line polarity (19). Thin bright lines (CSF in the sulci on T2) give a 4-neighbour Laplacian of
  // -2a on the line and +a beside it; thin dark lines (the same sulci on T1, FLAIR, CT) the reverse. The log ratio
  // of the strong negative to the strong positive responses is about +0.7 for bright lines, -0.7 for dark ones.
  double edge_sum = 0;
  int edge_n = 0;
  std::vector<float> bright_lines, dark_lines;
  for (int y = 1; y < kSize - 1; ++y)
    for (int x = 1; x < kSize - 1; ++x) {
      const int i = y * kSize + x;
      if (!is_brain(i)) continue;
      const float* p = &image.pixels[i];
      const double gx = 0.5 * (p[1] - p[-1]), gy = 0.5 * (p[kSize] - p[-kSize]);
      edge_sum += std::sqrt(gx * gx + gy * gy);
      ++edge_n;
      const float laplacian = p[-1] + p[1] + p[-kSize] + p[kSize] - 4 * p[0];
      (laplacian < 0 ? bright_lines : dark_lines).push_back(std::abs(laplacian));
    }
  f[18] = std::log(std::max(edge_sum / std::max(edge_n, 1), kFloor) / median);
  if (!bright_lines.empty() && !dark_lines.empty()) {
    std::sort(bright_lines.begin(), bright_lines.end());
    std::sort(dark_lines.begin(), dark_lines.end());
    f[19] = std::log(std::max(quantile(bright_lines, 0.9), 1e-4) / std::max(quantile(dark_lines, 0.9), 1e-4));
  }
}

}  // namespace

const std::vector<std::string>& mode_feature_names() {
  static const std::vector<std::string> kNames = {
      "head_area", "head_aspect_log", "head_fill", "mirror_overlap", "mirror_correlation", "top_bottom_width_log",
      "depth_0", "depth_1", "depth_2", "depth_3", "depth_4", "depth_5", "depth_6", "depth_7",
      "brain_q10", "brain_q25", "brain_q75", "brain_q90", "brain_edges", "line_polarity"};
  return kNames;
}

const std::vector<double>& mode_feature_weights() {
  static const std::vector<double> kWeights = {
      0.5, 0.5, 0.5, 0.5, 0.5, 0.5,            // shape: most slices are axial; a tumour also breaks the symmetry
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   // profile, spread, edges
      3};                                      // line polarity: the one cue that tells T2 from FLAIR on its own
  return kWeights;
}

std::vector<double> compute_mode_features(const io::Image& image_in) {
  const io::Image image = at_feature_size(image_in);
  const HeadMask head = find_head_mask(image);
  std::vector<double> f(mode_feature_names().size(), 0.0);
  f[0] = static_cast<double>(head.area) / (kSize * kSize);
  if (head.area < 16) return f;  // no head to describe
  add_shape_features(image, head, f);
  add_contrast_features(image, head, f);
  return f;
}

}  // namespace osgan::data
