#include "osgan/train/sample_grid.h"

#include <algorithm>
#include <cmath>

#include "osgan/core/error.h"
#include "osgan/train/image_tensor.h"

namespace osgan {

io::Image to_grey8(const io::Image& image) {
  io::Image out = image;
  for (auto& v : out.pixels) v = std::isfinite(v) ? std::clamp((v + 1.f) * 127.5f, 0.f, 255.f) : 0.f;
  return out;
}

io::Image make_image_grid(const torch::Tensor& images, int columns, int padding) {
  TORCH_CHECK(images.dim() == 4 && images.size(1) == 1 && images.size(0) > 0,
              "make_image_grid: expected (N, 1, H, W) with N > 0, got ", images.sizes());
  const int n = static_cast<int>(images.size(0));
  const int h = static_cast<int>(images.size(2)), w = static_cast<int>(images.size(3));
  if (columns <= 0) columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  const int rows = (n + columns - 1) / columns;
  io::Image grid(rows * h + (rows + 1) * padding, columns * w + (columns + 1) * padding, 0.f);
  const auto cpu = images.detach().to(torch::kCPU, torch::kFloat32);
  for (int i = 0; i < n; ++i) {
    const auto tile = to_grey8(tensor_to_image(cpu[i]));
    const int y0 = padding + (i / columns) * (h + padding), x0 = padding + (i % columns) * (w + padding);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) grid.at(y0 + y, x0 + x) = tile.at(y, x);
  }
  return grid;
}

io::Image side_by_side(const io::Image& a, const io::Image& b, int gap) {
  io::Image out(std::max(a.height, b.height), a.width + gap + b.width, 0.f);
  for (int y = 0; y < a.height; ++y)
    for (int x = 0; x < a.width; ++x) out.at(y, x) = a.at(y, x);
  for (int y = 0; y < b.height; ++y)
    for (int x = 0; x < b.width; ++x) out.at(y, a.width + gap + x) = b.at(y, x);
  return out;
}

}  // namespace osgan
