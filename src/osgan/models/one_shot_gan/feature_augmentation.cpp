// Feature augmentation of real samples in D (spec 1.6). All swaps are written as masked blends with the pair
// partner, so the ops are differentiable and batch-vectorised.
#include "osgan/models/one_shot_gan/feature_augmentation.h"

#include <algorithm>
#include <cmath>

namespace osgan::one_shot {
namespace {

double uniform(double lo, double hi) { return lo + (hi - lo) * torch::rand({1}, torch::kFloat64).item<double>(); }
bool coin(double p) { return p > 0.0 && torch::rand({1}, torch::kFloat64).item<double>() < p; }

// A random subset of round(U[0.1, 0.3] * C) channels (at least one), as a (C) 0/1 float mask.
torch::Tensor channel_subset(int64_t channels) {
  const auto k = std::max<int64_t>(1, std::llround(uniform(0.1, 0.3) * static_cast<double>(channels)));
  auto mask = torch::zeros({channels});
  mask.index_fill_(0, torch::randperm(channels, torch::kLong).slice(0, 0, k), 1.0);
  return mask;
}

// Index of each sample's pair partner: 1, 0, 3, 2, ...; an unpaired last sample maps to itself.
torch::Tensor partner_index(int64_t n) {
  auto idx = torch::arange(n, torch::kLong);
  const int64_t paired = n - n % 2;
  idx.slice(0, 0, paired) = idx.slice(0, 0, paired).view({-1, 2}).flip(1).reshape({-1});
  return idx;
}

// Spreads per-pair rows (P, ...) to per-sample rows (N, ...); an unpaired last sample gets zeros.
torch::Tensor per_sample(const torch::Tensor& pair_rows, int64_t n) {
  auto rows = pair_rows.repeat_interleave(2, 0);
  if (rows.size(0) < n) rows = torch::cat({rows, torch::zeros_like(rows.slice(0, 0, 1))});
  return rows;
}

// Blends each sample with its partner where mask is 1: x*(1-m) + partner*m. mask broadcasts against x.
torch::Tensor swap_with_partner(const torch::Tensor& x, const torch::Tensor& mask) {
  const auto partner = x.index_select(0, partner_index(x.size(0)).to(x.device()));
  return x * (1.0 - mask) + partner * mask;
}

}  // namespace

FeatureAugmentParams sample_feature_augment(int64_t n, int64_t channels, int64_t height, int64_t width,
                                            double prob_content, double prob_layout) {
  FeatureAugmentParams params;
  const int64_t pairs = n / 2;
  if (pairs == 0) return params;
  if (coin(prob_content)) {
    params.content_mix = true;
    std::vector<torch::Tensor> rows;
    for (int64_t p = 0; p < pairs; ++p) rows.push_back(channel_subset(channels));
    params.content_mix_mask = torch::stack(rows);  // (P, C)
  }
  if (coin(prob_content)) {
    params.content_drop = true;
    params.content_drop_mask = channel_subset(channels);  // (C)
  }
  if (prob_layout > 0.0) {
    params.layout_rects = torch::zeros({pairs, 5}, torch::kLong);
    auto rects = params.layout_rects.accessor<int64_t, 2>();
    for (int64_t p = 0; p < pairs; ++p) {
      if (!coin(prob_layout)) continue;
      const auto h = std::clamp<int64_t>(std::llround(uniform(0.1, 0.5) * static_cast<double>(height)), 1, height);
      const auto w = std::clamp<int64_t>(std::llround(uniform(0.1, 0.5) * static_cast<double>(width)), 1, width);
      const auto cy = static_cast<int64_t>(uniform(0.0, 1.0) * static_cast<double>(height));
      const auto cx = static_cast<int64_t>(uniform(0.0, 1.0) * static_cast<double>(width));
      rects[p][0] = 1;
      rects[p][1] = std::clamp<int64_t>(cy - h / 2, 0, height - h);  // shifted back inside the map
      rects[p][2] = std::clamp<int64_t>(cx - w / 2, 0, width - w);
      rects[p][3] = h;
      rects[p][4] = w;
    }
  }
  return params;
}

torch::Tensor apply_content_augment(const FeatureAugmentParams& params, const torch::Tensor& x) {
  TORCH_CHECK(x.dim() == 4, "apply_content_augment: expected (N, C, 1, 1), got ", x.sizes());
  auto out = x;
  if (params.content_mix) {
    const auto mask = per_sample(params.content_mix_mask, x.size(0)).to(x.options());  // (N, C)
    out = swap_with_partner(out, mask.view({x.size(0), x.size(1), 1, 1}));
  }
  if (params.content_drop) out = out * (1.0 - params.content_drop_mask.to(x.options())).view({1, -1, 1, 1});
  return out;
}

torch::Tensor apply_layout_augment(const FeatureAugmentParams& params, const torch::Tensor& x) {
  TORCH_CHECK(x.dim() == 4, "apply_layout_augment: expected (N, C, H, W), got ", x.sizes());
  if (!params.layout_rects.defined() || params.layout_rects.select(1, 0).sum().item<int64_t>() == 0) return x;
  const auto rects = params.layout_rects.accessor<int64_t, 2>();
  auto pair_mask = torch::zeros({params.layout_rects.size(0), 1, x.size(2), x.size(3)});  // (P, 1, H, W)
  for (int64_t p = 0; p < params.layout_rects.size(0); ++p) {
    if (rects[p][0] == 0) continue;
    pair_mask[p].slice(1, rects[p][1], rects[p][1] + rects[p][3]).slice(2, rects[p][2], rects[p][2] + rects[p][4]).fill_(1.0);
  }
  return swap_with_partner(x, per_sample(pair_mask, x.size(0)).to(x.options()));  // mask (N, 1, H, W)
}

}  // namespace osgan::one_shot
