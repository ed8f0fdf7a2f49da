// Generated test images for the data tests: smooth random blob images that are unrelated to each other, and
// the edits a dataset's augmented copies carry (flip, rotation, crop, contrast change, resize).
#pragma once
#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "osgan/data/dataset.h"

namespace osgan::test {

// A size x size image in [0, 255]: a sum of random Gaussian blobs (and a few stripes) from `seed`.
inline io::Image random_blob_image(unsigned seed, int size = 160) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  io::Image img(size, size, 0.f);
  for (int k = 0; k < 8; ++k) {
    const double cy = u(rng) * size, cx = u(rng) * size, r = (0.05 + 0.2 * u(rng)) * size, a = u(rng) * 2 - 0.6;
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x)
        img.at(y, x) += static_cast<float>(a * std::exp(-((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (2 * r * r)));
  }
  const double fy = 2 + 6 * u(rng), fx = 2 + 6 * u(rng), phase = 6.28 * u(rng);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) img.at(y, x) += 0.3f * static_cast<float>(std::sin(fy * y / size * 6.28 + fx * x / size * 3.14 + phase));
  auto [mn, mx] = std::minmax_element(img.pixels.begin(), img.pixels.end());
  const float lo = *mn, hi = *mx;
  for (float& v : img.pixels) v = 255.f * (v - lo) / (hi - lo);
  return img;
}

inline io::Image flip_lr(const io::Image& in) {
  io::Image out(in.height, in.width);
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x) out.at(y, x) = in.at(y, in.width - 1 - x);
  return out;
}

inline io::Image rotate90(const io::Image& in) {  // clockwise
  io::Image out(in.width, in.height);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) out.at(y, x) = in.at(in.height - 1 - x, y);
  return out;
}

// Keeps the central part without `border` pixels on each side (a zoomed-in view once resized).
inline io::Image crop(const io::Image& in, int top, int left, int bottom, int right) {
  io::Image out(in.height - top - bottom, in.width - left - right);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) out.at(y, x) = in.at(y + top, x + left);
  return out;
}

inline io::Image gamma_contrast(const io::Image& in, double gamma, double gain) {
  io::Image out = in;
  for (float& v : out.pixels) v = static_cast<float>(gain * 255.0 * std::pow(v / 255.0, gamma));
  return out;
}

inline data::Sample make_sample(const io::Image& raw, const std::string& id, const std::string& label, int label_index) {
  data::Sample s;
  s.id = s.path = id;
  s.label = label;
  s.label_index = label_index;
  s.file_sha256 = "sha-of-" + id;
  s.info.format = "png";
  s.info.width = raw.width;
  s.info.height = raw.height;
  s.info.channel_mode = "grey";
  s.image = data::preprocess_image(raw, {});
  return s;
}

}  // namespace osgan::test
