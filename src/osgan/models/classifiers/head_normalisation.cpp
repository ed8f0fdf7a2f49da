#include "osgan/models/classifiers/head_normalisation.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace osgan::models {
namespace {

constexpr float kForeground = 0.08f;  // share of the [0, 1] range above which a pixel belongs to the head
constexpr double kMargin = 0.04;      // of the box's height and width, on each side
constexpr double kMinBoxShare = 0.05; // a smaller head box is noise: keep the whole image

struct Box {
  int y0 = 0, x0 = 0, y1 = 0, x1 = 0;  // inclusive
};

// The bounding box of the largest 4-connected component of `mask` (S*S, row-major); the whole image if none.
Box largest_component_box(const std::vector<char>& mask, int s) {
  std::vector<int> label(mask.size(), 0);
  std::vector<int> stack;
  Box best{0, 0, s - 1, s - 1};
  std::size_t best_size = 0;
  int next = 0;
  for (int start = 0; start < s * s; ++start) {
    if (!mask[start] || label[start]) continue;
    ++next;
    Box box{start / s, start % s, start / s, start % s};
    std::size_t size = 0;
    stack.assign(1, start);
    label[start] = next;
    while (!stack.empty()) {
      const int p = stack.back();
      stack.pop_back();
      ++size;
      const int y = p / s, x = p % s;
      box.y0 = std::min(box.y0, y), box.y1 = std::max(box.y1, y);
      box.x0 = std::min(box.x0, x), box.x1 = std::max(box.x1, x);
      const int neighbours[4] = {y > 0 ? p - s : -1, y < s - 1 ? p + s : -1, x > 0 ? p - 1 : -1, x < s - 1 ? p + 1 : -1};
      for (int q : neighbours)
        if (q >= 0 && mask[q] && !label[q]) {
          label[q] = next;
          stack.push_back(q);
        }
    }
    if (size > best_size) best_size = size, best = box;
  }
  return best;
}

// One image (S, S) in [0, 1] on the CPU -> its head crop, padded to a square and resized to (S, S).
torch::Tensor crop_to_head(const torch::Tensor& u) {
  const int s = static_cast<int>(u.size(0));
  auto a = u.accessor<float, 2>();
  std::vector<char> mask(static_cast<std::size_t>(s) * s);
  for (int y = 0; y < s; ++y)
    for (int x = 0; x < s; ++x) mask[static_cast<std::size_t>(y) * s + x] = a[y][x] > kForeground;
  Box b = largest_component_box(mask, s);
  const int h = b.y1 - b.y0 + 1, w = b.x1 - b.x0 + 1;
  if (static_cast<double>(h) * w < kMinBoxShare * s * s) return u;
  const int my = static_cast<int>(std::lround(kMargin * h)), mx = static_cast<int>(std::lround(kMargin * w));
  b.y0 = std::max(0, b.y0 - my), b.y1 = std::min(s - 1, b.y1 + my);
  b.x0 = std::max(0, b.x0 - mx), b.x1 = std::min(s - 1, b.x1 + mx);
  auto crop = u.slice(0, b.y0, b.y1 + 1).slice(1, b.x0, b.x1 + 1);  // (h, w)
  const int64_t ch = crop.size(0), cw = crop.size(1), side = std::max(ch, cw);
  auto square = torch::zeros({side, side}, u.options());  // background 0 = the bottom of the range
  square.slice(0, (side - ch) / 2, (side - ch) / 2 + ch).slice(1, (side - cw) / 2, (side - cw) / 2 + cw).copy_(crop);
  if (side == s) return square;
  namespace F = torch::nn::functional;  // side < s: the crop is enlarged back to the input size
  return F::interpolate(square.view({1, 1, side, side}),
                        F::InterpolateFuncOptions().size(std::vector<int64_t>{s, s}).mode(torch::kBilinear).align_corners(false))
      .view({s, s});
}

// z-score inside the head mask, clipped to +-3 sd, scaled to [-1, 1]: (S, S) in [0, 1] -> (S, S).
torch::Tensor zscore_in_head(const torch::Tensor& u) {
  auto mask = u > kForeground;
  auto inside = mask.sum().item<int64_t>() >= 16 ? u.masked_select(mask) : u.flatten();
  const double mean = inside.mean().item<double>();
  const double sd = std::max(1e-3, inside.numel() > 1 ? inside.std().item<double>() : 0.0);  // unbiased
  return ((u - mean) / sd).clamp(-3, 3) / 3;
}

}  // namespace

torch::Tensor normalise_head(const torch::Tensor& images) {
  TORCH_CHECK(images.dim() == 4 && images.size(1) == 1 && images.size(2) == images.size(3),
              "normalise_head: expected (N, 1, S, S), got ", images.sizes());
  torch::NoGradGuard no_grad;
  auto u = ((images.detach().to(torch::kCPU, torch::kFloat32) + 1) / 2).clamp(0, 1).contiguous();  // (N, 1, S, S)
  std::vector<torch::Tensor> out;
  out.reserve(static_cast<std::size_t>(u.size(0)));
  for (int64_t i = 0; i < u.size(0); ++i) out.push_back(zscore_in_head(crop_to_head(u[i][0].contiguous())));
  return torch::stack(out).unsqueeze(1).to(images.device(), images.scalar_type());  // (N, 1, S, S)
}

}  // namespace osgan::models
